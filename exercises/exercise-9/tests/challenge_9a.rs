//! Challenge 9a: a pool task that is tried again while it fails.

#[path = "../../../chapters/chapter-9/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use common::stage::challenges::register_pool_task_with_retries;
use common::stage::{Js, Runtime, ThreadPoolTaskKind};
use common::within;

/// How a test's work went: how many times it ran, and on which threads.
#[derive(Default)]
struct Attempts {
    count: AtomicUsize,
    threads: Mutex<Vec<String>>,
}

impl Attempts {
    /// Notes one more attempt, on this thread, and returns its number,
    /// from 1.
    fn next(&self) -> usize {
        let thread = thread::current().name().unwrap_or("unnamed").to_string();
        self.threads.lock().unwrap().push(thread);
        self.count.fetch_add(1, Ordering::SeqCst) + 1
    }

    fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// The end of the message of each panic that a test's work makes on
/// purpose. (The tutor tells them from a failing test's own panic: they
/// are on a pool thread.)
const ON_PURPOSE: &str = "on purpose";

/// Runs `work` with `retries` on a pool of one thread, and returns what
/// the callback got, each time it ran.
fn run_with_retries(retries: usize, work: impl Fn() -> Js + Send + Sync + 'static) -> Vec<Js> {
    let results: Rc<RefCell<Vec<Js>>> = Rc::default();
    let for_program = Rc::clone(&results);
    Runtime::with_pool_size(1).run(move || {
        let kind = ThreadPoolTaskKind::Encrypt;
        register_pool_task_with_retries(kind, work, retries, move |value| {
            for_program.borrow_mut().push(value)
        });
    });
    results.take()
}

/// Each attempt is work for the pool, like the first: the main thread
/// never runs it.
#[test]
fn a_retry_runs_on_a_pool_thread_like_the_first_attempt() {
    within(10, || {
        let attempts = Arc::new(Attempts::default());
        let seen = Arc::clone(&attempts);
        let results = run_with_retries(1, move || match seen.next() {
            1 => Js::Error("busy".into()),
            n => Js::Int(n),
        });
        assert_eq!(
            attempts.count(),
            2,
            "the work should run 2 times: it fails once, and 1 retry is allowed"
        );
        let threads = attempts.threads.lock().unwrap().clone();
        assert_eq!(
            threads,
            ["pool0", "pool0"],
            "each attempt should run on the pool's one thread, pool0, not on the main thread"
        );
        assert_eq!(results, [Js::Int(2)]);
    });
}

/// A task that panics twice, then succeeds: with two retries, the
/// callback gets its value, once, and the one pool thread ran all three
/// attempts, since a panic no longer ends it.
#[test]
fn a_task_that_panics_is_tried_again_until_it_succeeds() {
    within(10, || {
        let attempts = Arc::new(Attempts::default());
        let seen = Arc::clone(&attempts);
        let results = run_with_retries(2, move || {
            let n = seen.next();
            if n < 3 {
                panic!("attempt {n} broke {ON_PURPOSE}");
            }
            Js::Int(n)
        });
        assert_eq!(
            attempts.count(),
            3,
            "the work should run 3 times: it panics twice, and 2 retries are allowed"
        );
        assert_eq!(
            results,
            [Js::Int(3)],
            "the callback should get the third attempt's value, once"
        );
    });
}

/// A task that keeps failing: once the retries are used up, the callback
/// gets the last attempt's error. (Were it tried more often than that,
/// its eleventh attempt would succeed, and say so.)
#[test]
fn once_the_retries_are_used_up_the_callback_gets_the_last_error() {
    within(10, || {
        let attempts = Arc::new(Attempts::default());
        let seen = Arc::clone(&attempts);
        let results = run_with_retries(2, move || {
            let n = seen.next();
            if n <= 10 {
                panic!("attempt {n} broke {ON_PURPOSE}");
            }
            Js::Int(n)
        });
        assert_eq!(
            attempts.count(),
            3,
            "the work should run 3 times: once, and then once for each of 2 retries"
        );
        assert_eq!(
            results,
            [Js::Error(format!(
                "the task panicked: attempt 3 broke {ON_PURPOSE}"
            ))],
            "the callback should get the last attempt's error, once"
        );
    });
}

/// An error that the work returns is a failure too, as a panic is.
#[test]
fn an_error_value_is_tried_again_as_a_panic_is() {
    within(10, || {
        let attempts = Arc::new(Attempts::default());
        let seen = Arc::clone(&attempts);
        let results = run_with_retries(3, move || match seen.next() {
            n if n < 3 => Js::Error(format!("attempt {n}: not ready")),
            n => Js::Int(n),
        });
        assert_eq!(
            attempts.count(),
            3,
            "the work should run 3 times: it fails twice, and 3 retries are allowed"
        );
        assert_eq!(results, [Js::Int(3)]);
    });
}

/// No retries, or no failure: the work runs once.
#[test]
fn with_no_failure_or_no_retries_the_work_runs_once() {
    within(10, || {
        let attempts = Arc::new(Attempts::default());
        let seen = Arc::clone(&attempts);
        let results = run_with_retries(3, move || Js::Int(seen.next()));
        assert_eq!(attempts.count(), 1, "a task that succeeds should run once");
        assert_eq!(results, [Js::Int(1)]);

        let attempts = Arc::new(Attempts::default());
        let seen = Arc::clone(&attempts);
        let results = run_with_retries(0, move || Js::Error(format!("attempt {}", seen.next())));
        assert_eq!(
            attempts.count(),
            1,
            "with no retries, a task that fails should run once"
        );
        assert_eq!(results, [Js::Error("attempt 1".into())]);
    });
}
