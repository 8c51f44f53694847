//! Challenge 8a: `clear_immediate`, as Node has it.

#[path = "../../../chapters/chapter-8/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::panic;
use std::rc::Rc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use common::stage::challenges::{Immediate, clear_immediate, set_clearable_immediate};
use common::stage::{BUDGET, Js, Runtime, set_immediate, set_timeout};
use common::within;

type Log = Rc<RefCell<Vec<String>>>;

fn note(log: &Log, line: &str) -> impl FnOnce(Js) + 'static {
    let log = Rc::clone(log);
    let line = line.to_string();
    move |_| log.borrow_mut().push(line)
}

/// Runs `program` on a thread of its own, with a log its callbacks write
/// to, and returns the log; fails if the loop has not ended within a few
/// seconds, which it would, waiting for something that never comes.
fn run(program: impl FnOnce(&Log) + Send + 'static) -> Vec<String> {
    let (done, ended) = mpsc::channel();
    let runner = thread::spawn(move || {
        let log = Log::default();
        let for_program = Rc::clone(&log);
        Runtime::new().run(move || program(&for_program));
        let _ = done.send(log.take());
    });
    match ended.recv_timeout(Duration::from_secs(5)) {
        Ok(log) => log,
        // The runner panicked: its panic is the test's.
        Err(RecvTimeoutError::Disconnected) => panic::resume_unwind(runner.join().unwrap_err()),
        Err(RecvTimeoutError::Timeout) => {
            panic!("the loop never ended: a cleared immediate still kept it waiting")
        }
    }
}

/// Cleared at once, the only immediate leaves nothing to wait for.
#[test]
fn a_cleared_immediate_does_not_keep_the_loop_alive() {
    within(10, || {
        let log = run(|log| {
            let immediate = set_clearable_immediate(note(log, "cleared"));
            clear_immediate(&immediate);
        });
        assert!(log.is_empty(), "a cleared immediate ran: {log:?}");
    });
}

/// The others run in the check phase, in the order they were set,
/// immediates set by `set_immediate` among them.
#[test]
fn a_cleared_immediate_does_not_run_and_the_others_keep_their_order() {
    within(10, || {
        let log = run(|log| {
            set_clearable_immediate(note(log, "a"));
            let b = set_clearable_immediate(note(log, "b"));
            set_immediate(note(log, "c"));
            set_clearable_immediate(note(log, "d"));
            clear_immediate(&b);
        });
        assert_eq!(
            log,
            ["a", "c", "d"],
            "with b cleared, the other immediates should run, in the order they were set"
        );
    });
}

/// The check phase has got both ready when the first runs: the second,
/// cleared by the first, must not run all the same. Node skips it.
#[test]
fn an_immediate_can_clear_a_later_one_of_the_same_check_phase() {
    within(10, || {
        let log = run(|log| {
            let later: Rc<RefCell<Option<Immediate>>> = Rc::default();
            let slot = Rc::clone(&later);
            let first = note(log, "first");
            set_clearable_immediate(move |value| {
                first(value);
                clear_immediate(slot.borrow().as_ref().expect("set before the loop began"));
            });
            *later.borrow_mut() = Some(set_clearable_immediate(note(log, "cleared")));
            set_clearable_immediate(note(log, "last"));
        });
        assert_eq!(
            log,
            ["first", "last"],
            "an immediate cleared by an earlier one of the same check phase still ran"
        );
    });
}

/// A cleared immediate takes no place in a check phase: with a budget's
/// worth of them cleared, the immediate set after them still runs in the
/// same check phase as the first one, before a timeout that the first one
/// set.
#[test]
fn cleared_immediates_leave_their_place_in_the_check_phase() {
    within(10, || {
        let log = run(|log| {
            let (first, log_of_first) = (note(log, "first"), Rc::clone(log));
            set_clearable_immediate(move |value| {
                first(value);
                set_timeout(0, note(&log_of_first, "timeout"));
            });
            for _ in 1..BUDGET {
                let cleared = set_clearable_immediate(note(log, "cleared"));
                clear_immediate(&cleared);
            }
            set_clearable_immediate(note(log, "set after them"));
        });
        assert_eq!(
            log,
            ["first", "set after them", "timeout"],
            "cleared immediates still took the place of others in the check phase"
        );
    });
}

/// Clearing twice, or clearing one that has run, is no error, and takes
/// nothing else away.
#[test]
fn clearing_an_immediate_twice_or_after_it_ran_changes_nothing() {
    within(10, || {
        let log = run(|log| {
            let ran = set_clearable_immediate(note(log, "ran"));
            let twice = set_clearable_immediate(note(log, "cleared twice"));
            clear_immediate(&twice);
            clear_immediate(&twice);
            let log_of_next = Rc::clone(log);
            set_clearable_immediate(move |_| {
                clear_immediate(&ran);
                set_clearable_immediate(note(&log_of_next, "set after"));
            });
        });
        assert_eq!(
            log,
            ["ran", "set after"],
            "clearing an immediate twice, or one that had run, should change nothing else"
        );
    });
}
