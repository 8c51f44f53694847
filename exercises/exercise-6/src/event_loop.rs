//! The main loop: `Runtime::run`, and the phases it goes through, tick
//! after tick, for as long as the program waits for anything.

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
        poll_for_events();
    }
    log!("nothing is pending: the loop ends");
    tick
}
// ANCHOR_END: event_loop

// ANCHOR: phases
// ANCHOR: phase_fns
/// The timers phase: the callbacks of the timers that are due; and of
/// anything else that became ready outside the loop's phases, such as an
/// error found before any work began.
fn run_timers() {
    let _phase = trace::slice("timers");
    with_runtime(Runtime::process_expired_timers);
    run_ready_callbacks();
}

/// The poll phase: wait for events, if the loop may sleep, then run their
/// callbacks.
fn poll_for_events() {
    let _phase = trace::slice("poll");
    with_runtime(Runtime::wait_for_events);
    run_ready_callbacks();
}
// ANCHOR_END: phase_fns

// ANCHOR: run_ready_callbacks

/// Runs every callback that is ready, one at a time. The runtime is lent
/// out only to take the next callback, never while one runs.
fn run_ready_callbacks() {
    while let Some((callback, value)) = with_runtime(Runtime::next_callback) {
        run_callback(callback, value);
    }
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
    use std::cell::Cell;
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
}
