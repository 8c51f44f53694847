//! The main loop: `Runtime::run`, and the phases it goes through, tick
//! after tick, for as long as the program waits for anything.

use std::future::Future;
use std::time::Instant;

use crate::executor::{run_woken_tasks, spawn};
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
        run_woken_tasks();
        event_loop();
    }

    /// Runs `program`, a future, as the first task; then the event loop
    /// until it has nothing left to do, as `run` does.
    pub fn run_async(self, program: impl Future<Output = ()> + 'static) {
        self.run(|| {
            spawn(program);
        });
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
/// The timers phase: the timers that were due when it began, one at a
/// time, at most [`BUDGET`]. A timer cleared by an earlier one in the
/// same phase does not run, and a timer set during the phase waits for
/// the next one.
fn run_timers() {
    let _phase = trace::slice("timers");
    let (now, newest) = with_runtime(|runtime| (Instant::now(), runtime.identity_token));
    for _ in 0..BUDGET {
        let Some(callback) = with_runtime(|runtime| runtime.next_due_timer(now, newest)) else {
            return;
        };
        let _traced = trace::slice("callback");
        callback(Js::Undefined);
        run_woken_tasks();
    }
}

/// The pending phase: the callbacks deferred from the last tick, at most
/// [`BUDGET`] of them.
fn run_pending() {
    let _phase = trace::slice("pending");
    with_runtime(|runtime| runtime.ready_deferred_callbacks(BUDGET));
    run_ready_callbacks();
}

/// The poll phase: wait for events, if the loop may sleep, then run their
/// callbacks.
fn poll_for_events() {
    let _phase = trace::slice("poll");
    with_runtime(Runtime::wait_for_events);
    run_ready_callbacks();
    run_woken_tasks();
}

/// The check phase: the immediates set before it began, at most
/// [`BUDGET`] of them.
fn run_check() {
    let _phase = trace::slice("check");
    with_runtime(|runtime| runtime.ready_immediates(BUDGET));
    run_ready_callbacks();
}

/// Runs the callbacks that are ready, one at a time, at most [`BUDGET`]:
/// the rest wait for the next tick's pending phase. The runtime is lent
/// out only to take the next callback, never while one runs.
fn run_ready_callbacks() {
    for _ in 0..BUDGET {
        let Some((callback, value)) = with_runtime(Runtime::next_callback) else {
            return;
        };
        let _traced = trace::slice("callback");
        callback(value);
        run_woken_tasks();
    }
    with_runtime(Runtime::defer_ready_callbacks);
}
// ANCHOR_END: phases

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_for_a_timer_takes_a_few_ticks_not_a_spin() {
        deadline::within(10, || {
            crate::set_logging(false);
            let _installed = Installed::new(Runtime::new());
            crate::set_timeout(30, |_| {});
            let ticks = event_loop();
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
}
