//! A signal that interrupts a wait must not end it early: `poll` retries
//! with the time that remains. In its own file (its own process), because a
//! signal handler belongs to the whole process. Unix only: Windows has no
//! signals that interrupt a wait.

#![cfg(unix)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use common::{ms, within};
use minimio::{Events, Poll};

static SIGNALS_HANDLED: AtomicUsize = AtomicUsize::new(0);

extern "C" fn count_signal(_: libc::c_int) {
    SIGNALS_HANDLED.fetch_add(1, Ordering::SeqCst);
}

/// Installs a handler for SIGUSR1. Without SA_RESTART, so the kernel ends a
/// blocked wait with EINTR (epoll_wait never restarts on its own anyway).
fn install_handler() {
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = count_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        action.sa_flags = 0;
        assert_eq!(
            libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()),
            0
        );
    }
}

#[test]
fn a_signal_during_the_wait_is_retried_with_the_time_that_remains() {
    within(10, || {
        install_handler();
        let (thread_id_sender, thread_id) = mpsc::channel();
        let poller = thread::spawn(move || {
            thread_id_sender
                .send(unsafe { libc::pthread_self() })
                .unwrap();
            let mut poll = Poll::new().unwrap();
            let mut events = Events::with_capacity(8);
            let started = Instant::now();
            let result = poll.poll(&mut events, Some(ms(600)));
            (result.map_err(|e| e.kind()), started.elapsed())
        });

        // Interrupt the waiting thread several times during its wait.
        let target = thread_id.recv().unwrap();
        for _ in 0..5 {
            thread::sleep(Duration::from_millis(60));
            assert_eq!(unsafe { libc::pthread_kill(target, libc::SIGUSR1) }, 0);
        }

        let (result, waited) = poller.join().unwrap();
        assert!(
            SIGNALS_HANDLED.load(Ordering::SeqCst) > 0,
            "no signal arrived"
        );
        assert_eq!(result, Ok(0), "the signal ended the wait");
        assert!(
            waited >= Duration::from_millis(600),
            "returned after {waited:?}"
        );
        assert!(waited < Duration::from_secs(5), "waited {waited:?}");
    });
}
