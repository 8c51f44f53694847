//! Stage 13: the poll phase waits on epoll, on the loop's own thread. It
//! sleeps there for as long as the next timer allows, and no longer; the
//! pool threads wake it; and a socket's news reaches its callback in the
//! poll phase that finds it.

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::{Fs, Http, Js, Runtime, clear_timeout, set_immediate, set_timeout};
use common::{cpu_time_of_this_thread, record, run, run_sharing, within};

/// The file the tests read: the one next to the crate's Cargo.toml.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

/// Nothing listens on port 1 of 127.0.0.1, so the connection is refused
/// at once. The poll phase of the first tick finds it and runs its
/// callback; the immediate set beside it runs after, in the check phase;
/// the timer last. Node gives the same order (tools/node-order has the
/// program).
#[test]
#[cfg_attr(
    windows,
    ignore = "Windows tries a refused connection again for about two seconds before it \
              reports it, so the first poll phase cannot know yet"
)]
fn a_refused_connection_fails_in_the_poll_phase_before_an_immediate() {
    within(20, || {
        let results = run(|results| {
            Http::get("http://127.0.0.1:1/", record(results, "get"));
            set_immediate(record(results, "immediate"));
            set_timeout(50, record(results, "timeout"));
        });
        let order: Vec<&str> = results.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            order,
            ["get", "immediate", "timeout"],
            "the refused connection's news waited for a later tick"
        );
        assert!(
            matches!(&results[0].1, Js::Error(message) if message.contains("refused")),
            "the GET gave {:?}",
            results[0].1
        );
    });
}

/// While it waits for a 300 ms timer, with nothing else to do, the loop
/// sleeps in epoll: its thread spends next to no CPU time. A poll phase
/// that only looked, and never slept, would spin for the whole 300 ms.
/// (CPU time, which a busy machine does not stretch.)
#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "only Linux says how long a thread has run, in /proc/thread-self/schedstat"
)]
fn the_loop_sleeps_in_epoll_until_its_next_timer() {
    within(20, || {
        let before = cpu_time_of_this_thread().expect("Linux says how long a thread has run");
        let results = run(|results| {
            set_timeout(300, record(results, "timeout"));
        });
        let spent = cpu_time_of_this_thread().unwrap_or(before) - before;
        assert_eq!(results.len(), 1);
        assert!(
            spent < Duration::from_millis(150),
            "the loop's thread ran for {spent:?} of the 300 ms it waited: it did not sleep"
        );
    });
}

/// A file read is the only news the loop waits for, beside a 5 s timer:
/// the loop sleeps in epoll, and the pool thread that read the file wakes
/// it through the queue's waker. Without the wake, the loop would sleep
/// until the timer, and find the read's result then.
#[test]
fn a_pool_thread_wakes_the_loop_asleep_in_epoll() {
    within(20, || {
        let began = Instant::now();
        let read_after = run_sharing::<Option<Duration>>(Runtime::new(), move |read_after| {
            let timer = set_timeout(5_000, |_| {});
            Fs::read(FILE, move |text| {
                assert!(matches!(text, Js::String(_)), "the read gave {text:?}");
                *read_after.borrow_mut() = Some(began.elapsed());
                clear_timeout(timer);
            });
        });
        let read_after = read_after.expect("the read's callback ran");
        // Generous: the read takes well under a millisecond.
        assert!(
            read_after < Duration::from_secs(2),
            "the read's callback ran {read_after:?} after the start: the pool thread did \
             not wake the loop, which slept until its 5 s timer"
        );
    });
}

/// The loop's sleep ends when the next timer is due, not before and not
/// much after: each of three timers, 100 ms apart, fires in its own turn,
/// in order, each after its deadline.
#[test]
fn the_loop_wakes_for_each_timer_in_turn() {
    within(20, || {
        let began = Instant::now();
        let fired = Rc::new(Cell::new(0));
        let late = run_sharing::<Vec<Duration>>(Runtime::new(), move |late| {
            for n in 1..=3 {
                let (fired, late) = (Rc::clone(&fired), Rc::clone(&late));
                set_timeout(100 * n, move |_| {
                    fired.set(fired.get() + 1);
                    assert_eq!(fired.get(), n, "timer {n} fired out of turn");
                    let due = Duration::from_millis(100 * n);
                    late.borrow_mut().push(began.elapsed() - due);
                });
            }
        });
        assert_eq!(late.len(), 3, "not every timer fired");
        for (n, late) in (1..).zip(late) {
            // Generous: only that it did not wait for a later timer, or
            // for nothing at all.
            assert!(
                late < Duration::from_millis(2000),
                "timer {n} fired {late:?} after its deadline"
            );
        }
    });
}
