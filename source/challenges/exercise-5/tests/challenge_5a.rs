//! Challenge 5a: `next_tick`, as Node's `process.nextTick`.

#[path = "../../../chapters/chapter-5/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::stage::challenges::next_tick;
use common::stage::{Runtime, set_timeout};
use common::within;

type Log = Rc<RefCell<Vec<&'static str>>>;

/// A callback for `next_tick` or `set_timeout` that notes `line`.
fn note(log: &Log, line: &'static str) -> impl FnOnce() + 'static {
    let log = Rc::clone(log);
    move || log.borrow_mut().push(line)
}

/// Runs `program` to the end, and returns the lines it and its callbacks
/// noted.
fn run(program: impl FnOnce(&Log) + 'static) -> Vec<&'static str> {
    let log = Log::default();
    let program_log = Rc::clone(&log);
    Runtime::new().run(move || program(&program_log));
    log.take()
}

/// The program queues two ticks, and the first queues a third: they run
/// once the program has returned, in the order they were queued (Node
/// prints the same).
#[test]
fn ticks_run_after_the_code_that_queued_them_in_the_order_they_were_queued() {
    within(10, || {
        let log = run(|log| {
            note(log, "program starts")();
            let first_log = Rc::clone(log);
            next_tick(move || {
                note(&first_log, "tick 1")();
                next_tick(note(&first_log, "tick 3"));
            });
            next_tick(note(log, "tick 2"));
            note(log, "program ends")();
        });

        assert_eq!(
            log[..2],
            ["program starts", "program ends"],
            "a tick ran before the code that queued it had returned: {log:?}"
        );
        assert_eq!(
            log[2..],
            ["tick 1", "tick 2", "tick 3"],
            "the ticks should run in the order they were queued, and a tick queued by a tick \
             after the ticks queued before it"
        );
    });
}

/// Two timers are due in the same timers phase. The first queues a tick:
/// it runs right after that timer's callback, before the second timer's,
/// which was ready already (as in Node, since version 11).
#[test]
fn a_tick_runs_before_the_callbacks_that_were_ready() {
    within(10, || {
        let log = run(|log| {
            let timer_log = Rc::clone(log);
            set_timeout(0, move |_| {
                note(&timer_log, "timer 1")();
                next_tick(note(&timer_log, "tick from timer 1"));
            });
            let timer_log = Rc::clone(log);
            set_timeout(0, move |_| note(&timer_log, "timer 2")());
        });

        assert_eq!(
            log,
            ["timer 1", "tick from timer 1", "timer 2"],
            "a tick should run as soon as its callback returns, before the callbacks that were \
             ready"
        );
    });
}

/// A program that only queues a tick: the loop runs it, then ends.
#[test]
fn a_tick_alone_keeps_the_loop_alive_until_it_has_run() {
    within(10, || {
        let log = run(|log| next_tick(note(log, "tick")));

        assert_eq!(
            log,
            ["tick"],
            "the tick should run once, before the loop ends"
        );
    });
}
