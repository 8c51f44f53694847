//! Challenge 7a: `debounce`, a callback run once a burst of calls has died
//! down.

#[path = "../../../chapters/chapter-7/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::challenges::debounce;
use common::stage::{Runtime, set_timeout};
use common::within;

/// When each call was made, and when each run of the callback began.
#[derive(Default)]
struct Seen {
    calls: Vec<Instant>,
    runs: Vec<Instant>,
}

/// Runs a program that makes a debounced function of `ms` milliseconds,
/// and calls it from timers due `at` those moments after the start.
fn call_at(ms: u64, at: &'static [u64]) -> Seen {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let for_program = Rc::clone(&seen);
    Runtime::new().run(move || {
        let for_callback = Rc::clone(&for_program);
        let debounced = debounce(ms, move || {
            for_callback.borrow_mut().runs.push(Instant::now());
        });
        for &moment in at {
            let debounced = Rc::clone(&debounced);
            let seen = Rc::clone(&for_program);
            set_timeout(moment, move |_| {
                seen.borrow_mut().calls.push(Instant::now());
                debounced();
            });
        }
    });
    seen.take()
}

/// Five calls 20 ms apart, to a function debounced by 100 ms: the
/// callback runs once, at least 100 ms after the last call.
#[test]
fn a_burst_of_calls_runs_the_callback_once_after_the_last() {
    within(10, || {
        let seen = call_at(100, &[0, 20, 40, 60, 80]);

        assert_eq!(seen.calls.len(), 5);
        assert_eq!(
            seen.runs.len(),
            1,
            "the callback should run once for a burst of calls, not {} times",
            seen.runs.len()
        );
        let last_call = *seen.calls.iter().max().unwrap();
        assert!(
            seen.runs[0] >= last_call + Duration::from_millis(100),
            "the callback ran {:?} after the last call: it should run 100 ms after the last call",
            seen.runs[0] - last_call
        );
    });
}

/// Two calls 300 ms apart, to a function debounced by 50 ms: two bursts,
/// and the callback runs after each.
#[test]
fn each_burst_runs_the_callback_again() {
    within(10, || {
        let seen = call_at(50, &[0, 300]);

        assert_eq!(
            seen.runs.len(),
            2,
            "two calls further apart than 50 ms are two bursts: the callback should run once \
             for each"
        );
        for (call, run) in seen.calls.iter().zip(&seen.runs) {
            assert!(
                *run >= *call + Duration::from_millis(50),
                "the callback ran {:?} after its call: it should run 50 ms after the last call",
                *run - *call
            );
        }
    });
}

/// Calls made one after the other, with no time between them, are one
/// burst; and once the callback has run, nothing keeps the loop alive.
#[test]
fn calls_in_one_go_run_the_callback_once() {
    within(10, || {
        let runs = Rc::new(RefCell::new(0));
        let for_program = Rc::clone(&runs);
        let start = Instant::now();
        Runtime::new().run(move || {
            let debounced = debounce(50, move || *for_program.borrow_mut() += 1);
            for _ in 0..10 {
                debounced();
            }
        });

        assert_eq!(
            *runs.borrow(),
            1,
            "the callback should run once for a burst of calls"
        );
        assert!(
            start.elapsed() < Duration::from_millis(2000),
            "the loop went on for {:?} after the callback ran",
            start.elapsed()
        );
    });
}
