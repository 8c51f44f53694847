//! Creating and dropping a `Poll` must give back every file descriptor it
//! opened. In its own file (its own process), so that no other test opens
//! or closes descriptors while this one counts them. Linux only: it counts
//! them in `/proc/self/fd`, which other systems do not have.

#![cfg(target_os = "linux")]

mod common;

use std::fs;

use common::within;
use minimio::{Interests, Poll, Token, Waker};

fn open_file_descriptors() -> usize {
    fs::read_dir("/proc/self/fd")
        .expect("read /proc/self/fd")
        .count()
}

// One test only: tests in one file run in parallel, and a second test would
// open descriptors while this one counts.
#[test]
fn polls_and_streams_leave_no_file_descriptor_open() {
    within(30, || {
        let before = open_file_descriptors();
        for _ in 0..1_000 {
            let poll = Poll::new().unwrap();
            let registrator = poll.registrator();
            registrator.close_loop().unwrap();
        }
        assert_eq!(open_file_descriptors(), before, "after 1,000 polls");

        // Registered streams, dropped before or after their poll.
        for token in 0..100 {
            let poll = Poll::new().unwrap();
            let (stream, peer) = common::connected_pair();
            poll.registrator()
                .register(&stream, Token(token), Interests::READABLE)
                .unwrap();
            if token % 2 == 0 {
                drop(poll);
            }
            drop((stream, peer));
        }
        assert_eq!(
            open_file_descriptors(),
            before,
            "after 100 registered streams"
        );

        // Wakers, woken or not, dropped before or after their poll.
        for token in 0..100 {
            let poll = Poll::new().unwrap();
            let waker = Waker::new(&poll.registrator(), Token(token)).unwrap();
            if token % 2 == 0 {
                waker.wake().unwrap();
                drop(poll);
            }
            drop(waker);
        }
        assert_eq!(open_file_descriptors(), before, "after 100 wakers");
    });
}
