//! Timers: deadlines kept in order, each with the callback to run once it
//! has passed.

use std::time::{Duration, Instant};

use crate::{Js, Runtime};

// ANCHOR: set_timeout
impl Runtime {
    /// Runs `callback` on the main thread once `ms` milliseconds have
    /// passed.
    pub fn set_timeout(&mut self, ms: u64, callback: impl FnOnce(Js) + 'static) {
        let deadline = Instant::now() + Duration::from_millis(ms);
        self.set_timeout_at(deadline, callback);
    }

    /// Runs `callback` on the main thread once `deadline` has passed.
    /// Timers with the same deadline run in the order they were set.
    pub fn set_timeout_at(&mut self, deadline: Instant, callback: impl FnOnce(Js) + 'static) {
        let callback_id = self.add_callback(callback);
        self.timers.insert((deadline, callback_id));
    }
}
// ANCHOR_END: set_timeout

// ANCHOR: expired
impl Runtime {
    /// The timer phase: every timer whose deadline has passed gets its
    /// callback ready, earliest first.
    pub fn process_expired_timers(&mut self) {
        todo!(
            "exercise 4: The timer phase: take every timer whose deadline has passed off the set, earliest first, and get its callback ready with Js::Undefined. The book explains it in \"The timer phase\", on the page \"Stage 4: timers\" (book/src/chapter-4.md)."
        )
    }

    /// When the next timer is due, if there is one.
    pub(crate) fn next_timer_deadline(&self) -> Option<Instant> {
        self.timers.first().map(|&(deadline, _)| deadline)
    }
}
// ANCHOR_END: expired
