//! The main loop: `Runtime::run`, and the phases it goes through, tick
//! after tick, for as long as the program waits for anything.

use std::time::Instant;

use crate::callbacks::Callback;
use crate::handle::{Installed, with_runtime};
use crate::{Js, Runtime, log, trace};

// ANCHOR: run
impl Runtime {
    /// Runs `program`, then the event loop until it has nothing left to do;
    /// then stops and joins every thread the runtime started. Callbacks all
    /// run on the thread that calls `run`.
    ///
    /// If a callback panics, the threads are stopped and joined, and then
    /// the panic goes on, out of `run`, to its caller.
    pub fn run(self, program: impl FnOnce()) {
        let _installed = Installed::new(self);
        {
            let _traced = trace::slice("program");
            program();
        }
        event_loop();
    }
}
// ANCHOR_END: run

// ANCHOR: budget
/// The most callbacks one phase runs in one tick. What is left waits for
/// the next tick, so that the other phases, timers and sockets among
/// them, get their turn at least once a tick, however much is ready.
pub const BUDGET: usize = 1024;
// ANCHOR_END: budget

// ANCHOR: event_loop
/// Tick after tick, through the phases, for as long as the loop is alive:
/// while the program waits for an event, or a callback waits to run.
/// Returns how many ticks it took.
fn event_loop() -> usize {
    let mut tick = 0;
    while with_runtime(|runtime| runtime.is_alive()) {
        tick += 1;
        log!("===== tick {tick} =====");
        run_timers();
        run_pending();
        poll_for_events();
        run_check();
    }
    log!("nothing is pending: the loop ends");
    tick
}
// ANCHOR_END: event_loop

// ANCHOR: phases
// ANCHOR: phase_fns
/// The timers phase: the timers that were due when it began, one at a
/// time, at most [`BUDGET`]. A timer cleared by an earlier one in the
/// same phase does not run, and a timer set during the phase waits for
/// the next one.
fn run_timers() {
    let _phase = trace::slice("timers");
    let (now, newest) = with_runtime(|runtime| (Instant::now(), runtime.callbacks.last_id()));
    for _ in 0..BUDGET {
        let Some(callback) = with_runtime(|runtime| runtime.timers.next_due(now, newest)) else {
            return;
        };
        run_callback(callback, Js::Undefined);
    }
}

/// The pending phase: the callbacks deferred from the last tick, at most
/// [`BUDGET`] of them.
fn run_pending() {
    let _phase = trace::slice("pending");
    with_runtime(|runtime| runtime.callbacks.ready_deferred(BUDGET));
    run_ready_callbacks();
}

/// The poll phase: wait for events, if the loop may sleep, then run their
/// callbacks.
fn poll_for_events() {
    let _phase = trace::slice("poll");
    with_runtime(Runtime::wait_for_events);
    run_ready_callbacks();
}

/// The check phase: the immediates set before it began, at most
/// [`BUDGET`] of them.
fn run_check() {
    let _phase = trace::slice("check");
    with_runtime(|runtime| runtime.ready_immediates(BUDGET));
    run_ready_callbacks();
}
// ANCHOR_END: phase_fns

// ANCHOR: run_ready_callbacks

/// Runs the callbacks that are ready, one at a time, at most [`BUDGET`]:
/// the rest wait for the next tick's pending phase. The runtime is lent
/// out only to take the next callback, never while one runs.
fn run_ready_callbacks() {
    for _ in 0..BUDGET {
        let Some((callback, value)) = with_runtime(Runtime::next_callback) else {
            return;
        };
        run_callback(callback, value);
    }
    with_runtime(|runtime| {
        runtime.callbacks.trace_deferring_ready();
        runtime.callbacks.defer_ready();
    });
}

/// Runs one callback, with the value it receives. A trace, when one is
/// recorded, marks it.
fn run_callback(callback: Callback, value: Js) {
    let _traced = trace::slice("callback");
    callback(value);
}
// ANCHOR_END: run_ready_callbacks
// ANCHOR_END: phases

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn waiting_for_a_timer_takes_a_few_ticks_not_a_spin() {
        deadline::within(10, || {
            crate::set_logging(false);
            let _installed = Installed::new(Runtime::new());
            let (set_at, fired_at) = (Instant::now(), Rc::new(Cell::new(None)));
            let fired = Rc::clone(&fired_at);
            crate::set_timeout(30, move |_| fired.set(Some(Instant::now())));
            let ticks = event_loop();
            let waited = fired_at.get().expect("the timer fired") - set_at;
            assert!(
                waited >= Duration::from_millis(30),
                "the 30 ms timer fired after {waited:?}, before its deadline"
            );
            assert!(
                ticks >= 2,
                "event_loop says the loop took {ticks} tick(s) for one 30 ms timer, but it \
                 takes two: in the first, the timers phase finds nothing due, and the poll \
                 phase waits for the timer; in the second, the timers phase runs it"
            );
            assert!(ticks <= 3, "the loop woke up {ticks} times for one timer");
        });
    }

    #[test]
    fn a_timer_due_already_costs_no_extra_tick() {
        deadline::within(10, || {
            crate::set_logging(false);
            let _installed = Installed::new(Runtime::new());
            // Tick 1 runs the first timer, whose timer is due at once, so
            // the poll phase does not sleep; tick 2 runs it, and sleeps
            // until the 300 ms timer, which tick 3 runs.
            crate::set_timeout(0, |_| {
                crate::set_timeout(0, |_| {});
            });
            crate::set_timeout(300, |_| {});
            let ticks = event_loop();
            assert!(ticks <= 3, "the loop took {ticks} ticks for three timers");
        });
    }

    #[test]
    fn callbacks_beyond_the_budget_wait_for_the_pending_phase_behind_older_ones() {
        deadline::within(10, || {
            crate::set_logging(false);
            let _installed = Installed::new(Runtime::new());
            let ran: Rc<RefCell<Vec<usize>>> = Rc::default();
            let callback = |n: usize| {
                let ran = Rc::clone(&ran);
                move |_: Js| ran.borrow_mut().push(n)
            };
            // Two callbacks deferred already, then more ready than a
            // phase may run: three more.
            with_runtime(|runtime| {
                for n in 0..BUDGET + 5 {
                    let callback_id = runtime.add_callback(callback(n));
                    if n < 2 {
                        runtime.defer_callback(callback_id, Js::Undefined);
                    } else {
                        runtime.callback_ready(callback_id, Js::Undefined);
                    }
                }
            });

            run_ready_callbacks();
            let (ready, deferred) = with_runtime(|runtime| runtime.callbacks.counts());
            assert_eq!(ran.borrow().len(), BUDGET);
            assert_eq!(
                ready, 0,
                "{ready} callbacks were still ready after a phase had used up its budget: \
                 they must wait, deferred, for the next tick"
            );
            assert_eq!(
                deferred, 5,
                "the 3 callbacks left over by the budget were lost, or the 2 deferred \
                 before them"
            );
            run_pending();
            let mut expected: Vec<usize> = (2..BUDGET + 2).collect();
            expected.extend([0, 1, BUDGET + 2, BUDGET + 3, BUDGET + 4]);
            assert!(
                *ran.borrow() == expected,
                "the callbacks left over by the budget did not run in the pending phase, in \
                 order, behind those deferred before them"
            );
        });
    }
}
