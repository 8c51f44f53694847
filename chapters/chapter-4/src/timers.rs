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
        let &(deadline, callback_id) = self.pending.first()?;
        if deadline > now {
            return None;
        }
        self.pending.pop_first();
        Some(callback_id)
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
