//! Challenge 11a: `yield_now` and `yield_to_loop`, two ways for a task to
//! let others run.

#[path = "../../../chapters/chapter-11/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use common::stage::challenges::{YieldNow, yield_now, yield_to_loop};
use common::stage::{Runtime, set_immediate, set_timeout, spawn};
use common::within;

/// What a program said, in the order it said it.
type Said = Rc<RefCell<Vec<String>>>;

fn say(said: &Said, line: impl Into<String>) {
    said.borrow_mut().push(line.into());
}

/// Runs `program` and returns what it said.
fn said_by(program: impl FnOnce(&Said) + 'static) -> Vec<String> {
    let said = Said::default();
    let for_program = Rc::clone(&said);
    Runtime::new().run(move || program(&for_program));
    said.take()
}

/// `yield_now()`, with its polls counted: a third poll fails the test at
/// once, since a `YieldNow` that is still pending then would never be
/// ready, and the loop would poll it for ever.
struct Counted {
    inner: YieldNow,
    polls: usize,
}

fn yielding() -> Counted {
    Counted {
        inner: yield_now(),
        polls: 0,
    }
}

impl Future for Counted {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        self.polls += 1;
        assert!(
            self.polls <= 2,
            "yield_now was polled {} times: it should be pending once, then ready on its second poll",
            self.polls
        );
        Pin::new(&mut self.inner).poll(context)
    }
}

/// A task that yields goes on before any callback runs, as a JavaScript
/// `async` function does after `await null`: a 0 ms timer set before it
/// fires only once the task is done.
#[test]
fn a_task_that_yields_goes_on_before_any_callback() {
    within(10, || {
        let said = said_by(|said| {
            let timer_said = Rc::clone(said);
            set_timeout(0, move |_| say(&timer_said, "timer"));
            let task_said = Rc::clone(said);
            spawn(async move {
                for step in 1..=3 {
                    say(&task_said, format!("step {step}"));
                    yielding().await;
                }
                say(&task_said, "done");
            });
        });
        assert_eq!(
            said,
            ["step 1", "step 2", "step 3", "done", "timer"],
            "a task that yields should go on at once, before any callback: \
             it must wake itself, or nothing ever polls it again"
        );
    });
}

/// Two tasks that yield take turns, each going to the back of the queue
/// of woken tasks, as two `async` functions that `await null` do.
#[test]
fn tasks_that_yield_take_turns() {
    within(10, || {
        let said = said_by(|said| {
            for name in ["a", "b"] {
                let task_said = Rc::clone(said);
                spawn(async move {
                    for step in 1..=3 {
                        say(&task_said, format!("{name}{step}"));
                        yielding().await;
                    }
                    say(&task_said, format!("{name} done"));
                });
            }
        });
        assert_eq!(
            said,
            ["a1", "b1", "a2", "b2", "a3", "b3", "a done", "b done"],
            "two tasks that yield should take turns"
        );
    });
}

/// `yield_to_loop` goes on in the check phase, as Node's
/// `await new Promise((resolve) => setImmediate(resolve))` does: after
/// the immediates set before it, and before those set after it.
#[test]
fn yield_to_loop_goes_on_in_the_check_phase() {
    within(10, || {
        let said = said_by(|said| {
            let before = Rc::clone(said);
            set_immediate(move |_| say(&before, "the immediate set before"));
            let task_said = Rc::clone(said);
            spawn(async move {
                say(&task_said, "the task begins");
                yield_to_loop().await;
                say(&task_said, "the task goes on");
            });
            let after = Rc::clone(said);
            set_immediate(move |_| say(&after, "the immediate set after"));
        });
        assert_eq!(
            said,
            [
                "the task begins",
                "the immediate set before",
                "the task goes on",
                "the immediate set after"
            ],
            "yield_to_loop should go on in the check phase, between the immediates \
             set before it and those set after it"
        );
    });
}
