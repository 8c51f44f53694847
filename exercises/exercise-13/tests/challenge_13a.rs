//! Challenge 13a: a doorbell that rings once until it is answered.

#[path = "../../../chapters/chapter-13/tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::stage::challenges::Doorbell;
use common::within;
use minimio::{Events, Poll, Token, Waker};

/// A queue with a doorbell on it.
fn queue_with_doorbell() -> (Poll, Arc<Doorbell>) {
    let poll = Poll::new().expect("a queue");
    let waker = Waker::new(&poll.registrator(), Token(7)).expect("a waker");
    (poll, Arc::new(Doorbell::new(waker)))
}

/// How many events the queue has now, without waiting.
fn events_now(poll: &mut Poll) -> usize {
    let mut events = Events::with_capacity(8);
    poll.poll(&mut events, Some(Duration::ZERO))
        .expect("a look")
}

/// The first ring wakes the queue; the rings after it, until the loop
/// answers, do not, and the queue has one event for all of them.
#[test]
fn a_doorbell_rings_once_until_it_is_answered() {
    within(10, || {
        let (mut poll, doorbell) = queue_with_doorbell();
        assert!(doorbell.ring(), "the first ring did not wake the queue");
        for n in 2..=5 {
            assert!(!doorbell.ring(), "ring {n} rang more than once");
        }
        assert_eq!(events_now(&mut poll), 1, "the rings did not wake the poll");
    });
}

/// Once the loop has answered, the next ring wakes the queue again.
#[test]
fn an_answered_doorbell_rings_again() {
    within(10, || {
        let (mut poll, doorbell) = queue_with_doorbell();
        assert!(doorbell.ring());
        assert_eq!(events_now(&mut poll), 1, "the ring did not wake the poll");
        doorbell.answer();
        assert!(
            doorbell.ring(),
            "after the answer, the ring did not wake it again"
        );
        assert_eq!(
            events_now(&mut poll),
            1,
            "the second ring did not wake the poll"
        );
    });
}

/// Four threads ring a thousand times each, at once: one ring wakes the
/// queue, whichever thread made it.
#[test]
fn of_many_threads_ringing_at_once_one_rings() {
    within(20, || {
        let (mut poll, doorbell) = queue_with_doorbell();
        let ringers: Vec<_> = (0..4)
            .map(|_| {
                let doorbell = Arc::clone(&doorbell);
                thread::spawn(move || (0..1000).filter(|_| doorbell.ring()).count())
            })
            .collect();
        let rang: usize = ringers.into_iter().map(|t| t.join().unwrap()).sum();
        assert_eq!(rang, 1, "the doorbell rang more than once: {rang} times");
        assert_eq!(events_now(&mut poll), 1, "the rings did not wake the poll");
    });
}
