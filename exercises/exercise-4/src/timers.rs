//! Timers: deadlines kept in order, each with the callback to run once it
//! has passed.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::CallbackId;
use crate::{Js, Runtime, trace};

// ANCHOR: delay
/// The longest delay Node takes: 2^31 - 1 ms, about 24.8 days, since it
/// keeps delays in 32 bits.
pub const TIMEOUT_MAX: u64 = 2_147_483_647;

/// A timer's delay, as Node takes it: one longer than [`TIMEOUT_MAX`] is
/// taken as 1 ms, with a warning. A forgotten `u64::MAX` would otherwise
/// keep the program alive for ever, if the clock could even count that
/// far ahead.
fn delay(ms: u64) -> Duration {
    if ms > TIMEOUT_MAX {
        crate::log!(
            "TimeoutOverflowWarning: {ms} does not fit into a 32-bit signed integer. \
             Timeout duration was set to 1."
        );
        return Duration::from_millis(1);
    }
    Duration::from_millis(ms)
}
// ANCHOR_END: delay

// ANCHOR: timers
/// Every timer, as (deadline, callback id): in deadline order, and for
/// equal deadlines in the order they were set, since ids only grow. The
/// callbacks wait with the others, in `Callbacks`.
#[derive(Default)]
pub(crate) struct Timers {
    pending: BTreeSet<(Instant, CallbackId)>,
}

impl Timers {
    /// Keeps the timer of callback `callback_id`, due at `deadline`.
    pub(crate) fn add(&mut self, deadline: Instant, callback_id: CallbackId) {
        self.pending.insert((deadline, callback_id));
    }

    /// When the next timer is due, if there is one.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.pending.first().map(|&(deadline, _)| deadline)
    }
}
// ANCHOR_END: timers

// ANCHOR: set_timeout
impl Runtime {
    /// Runs `callback` on the main thread once `ms` milliseconds have
    /// passed.
    pub fn set_timeout(&mut self, ms: u64, callback: impl FnOnce(Js) + 'static) {
        let deadline = Instant::now() + delay(ms);
        self.set_timeout_at(deadline, callback);
    }

    /// Runs `callback` on the main thread once `deadline` has passed.
    /// Timers with the same deadline run in the order they were set.
    pub fn set_timeout_at(&mut self, deadline: Instant, callback: impl FnOnce(Js) + 'static) {
        let callback_id = self.add_callback(callback);
        self.timers.add(deadline, callback_id);
        trace::timer_set(callback_id.0, deadline);
    }
}
// ANCHOR_END: set_timeout

// ANCHOR: expired
impl Timers {
    /// Takes the first timer off the set, if its deadline has passed by
    /// `now`, and hands out its callback's id.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<CallbackId> {
        todo!(
            "exercise 4: The timer phase asks for one timer at a time: take the first timer off the set if its deadline has passed by now, and hand out its callback id; else None, and the timer stays. The book explains it in \"The timer phase\", on the page \"Stage 4: timers\" (book/src/chapter-4.md)."
        )
    }
}

impl Runtime {
    /// The timer phase: every timer whose deadline has passed gets its
    /// callback ready, earliest first.
    pub fn process_expired_timers(&mut self) {
        let now = Instant::now();
        while let Some(callback_id) = self.timers.pop_due(now) {
            self.timer_fired(callback_id);
        }
    }

    /// Timer `callback_id`, off the set, fires: its callback is ready, with
    /// `Js::Undefined`. A trace, when one is recorded, marks it.
    fn timer_fired(&mut self, callback_id: CallbackId) {
        trace::instant(format_args!("timer {callback_id} fired"));
        self.callback_ready(callback_id, Js::Undefined);
    }
}
// ANCHOR_END: expired

// Challenge 4a adds to the timers a way to move one. (The fields above
// are private to this file, so what reaches them is here.)
impl Timers {
    /// Moves the timer of callback `timer` to `deadline`. Returns whether
    /// there was such a timer to move.
    pub(crate) fn move_timer(&mut self, timer: CallbackId, deadline: Instant) -> bool {
        todo!(
            "challenge 4a: A timer is a pair in pending, its deadline first, and a pair in a set cannot be changed where it is: find the pair whose callback id is this one, take it out, and put the id back with the new deadline; a timer that is not in the set has fired, or never was, and stays out. The epoll thread hears of the new deadline when the main thread next goes to sleep. The book explains it in \"Challenges\", on the page \"Stage 4: the exercise\" (book/src/chapter-4-exercise.md), and \"Timers in deadline order\" and \"Waking the epoll thread\", on the page \"Stage 4: timers\" (book/src/chapter-4.md)."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delay_longer_than_node_takes_is_one_millisecond() {
        crate::set_logging(false);
        assert_eq!(delay(TIMEOUT_MAX), Duration::from_millis(TIMEOUT_MAX));
        assert_eq!(delay(TIMEOUT_MAX + 1), Duration::from_millis(1));
        assert_eq!(delay(u64::MAX), Duration::from_millis(1));
    }
}
