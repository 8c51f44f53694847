//! Challenge 12a: `join_all`, any number of futures side by side.

#[path = "../../../chapters/chapter-12/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::future::{self, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use common::stage::challenges::join_all;
use common::stage::combinators::timeout;
use common::stage::futures::sleep;
use common::stage::{Runtime, active_timers};
use common::within;

/// Runs `program` as the first task, and returns what it gave.
fn run_async<T: 'static>(program: impl Future<Output = T> + 'static) -> T {
    let output = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&output);
    Runtime::new().run_async(async move {
        let value = program.await;
        *slot.borrow_mut() = Some(value);
    });
    output.take().expect("the program ran to its end")
}

/// What the futures of a test did, in order: `start N` at a future's
/// first poll, `end N` when it is done.
type Log = Rc<RefCell<Vec<String>>>;

/// Gives `value` after a sleep of `ms`.
async fn after(ms: u64, value: &'static str) -> &'static str {
    sleep(ms).await;
    value
}

/// A future that notes its first poll and its end in a log, and fails
/// the test if it is polled again once it is done: a future need not
/// answer that poll (an `async fn`'s panics), so `join_all` must not ask.
struct Watched<F: Future> {
    future: Pin<Box<F>>,
    name: usize,
    log: Log,
    polls: usize,
    done: bool,
}

fn watched<F: Future>(name: usize, log: &Log, future: F) -> Watched<F> {
    Watched {
        future: Box::pin(future),
        name,
        log: Rc::clone(log),
        polls: 0,
        done: false,
    }
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<F::Output> {
        let watched = &mut *self;
        assert!(
            !watched.done,
            "join_all polled a future again after it was done: it should keep \
             that future's output, and poll only the futures still pending"
        );
        watched.polls += 1;
        if watched.polls == 1 {
            let line = format!("start {}", watched.name);
            watched.log.borrow_mut().push(line);
        }
        let poll = watched.future.as_mut().poll(context);
        if poll.is_ready() {
            watched.done = true;
            let line = format!("end {}", watched.name);
            watched.log.borrow_mut().push(line);
        }
        poll
    }
}

/// A `join_all` that loses to a `timeout` is dropped, and with it the
/// futures still pending: the 5 s sleep clears its timer.
#[test]
fn dropping_join_all_drops_the_futures_still_pending() {
    within(10, || {
        let (result, timers_after) = run_async(async {
            let log = Log::default();
            let futures = vec![
                watched(0, &log, after(10, "quick")),
                watched(1, &log, after(5_000, "slow")),
            ];
            let result = timeout(100, join_all(futures)).await;
            (result.is_err(), active_timers())
        });
        assert!(result, "the 5 s sleep cannot be done within 100 ms");
        assert_eq!(
            timers_after, 0,
            "the dropped join_all should have dropped the 5 s sleep, which clears its timer"
        );
    });
}

/// The outputs come in the order of the futures, though the quickest,
/// the second, is done first, and the slowest, the first, last.
#[test]
fn join_all_gives_the_outputs_in_the_order_of_the_futures() {
    within(10, || {
        let (outputs, log) = run_async(async {
            let log = Log::default();
            let futures = vec![
                watched(0, &log, after(60, "slow")),
                watched(1, &log, after(0, "quick")),
                watched(2, &log, after(30, "middle")),
            ];
            let outputs = join_all(futures).await;
            (outputs, log.take())
        });
        assert_eq!(
            outputs,
            ["slow", "quick", "middle"],
            "join_all should give the outputs in the order of the futures it was given, \
             whichever was done first"
        );
        let ends: Vec<&String> = log.iter().filter(|line| line.starts_with("end")).collect();
        assert_eq!(
            ends,
            ["end 1", "end 2", "end 0"],
            "the futures should wait side by side, and so end in the order of the lengths of their sleeps"
        );
    });
}

/// All of them start at the first poll, before any is done: they wait
/// side by side, not one after another.
#[test]
fn join_all_polls_its_futures_side_by_side() {
    within(10, || {
        let log = run_async(async {
            let log = Log::default();
            let futures = vec![
                watched(0, &log, after(20, "a")),
                watched(1, &log, after(20, "b")),
                watched(2, &log, after(20, "c")),
            ];
            join_all(futures).await;
            log.take()
        });
        assert_eq!(
            log[..3],
            ["start 0", "start 1", "start 2"],
            "join_all should poll its futures side by side: each should start before any is done"
        );
        let mut ends = log[3..].to_vec();
        ends.sort();
        assert_eq!(
            ends,
            ["end 0", "end 1", "end 2"],
            "each future should end once"
        );
    });
}

/// With no futures to wait for, it is done at once, with no outputs.
#[test]
fn join_all_of_no_futures_is_done_at_once() {
    within(10, || {
        let outputs = run_async(async {
            let none: Vec<future::Ready<u8>> = Vec::new();
            join_all(none).await
        });
        assert!(outputs.is_empty());
    });
}
