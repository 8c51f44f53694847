//! The challenge of stage 4: moving a timer that has not fired to a new
//! deadline, sooner or later.

use std::time::Instant;

use crate::{Js, Runtime};

impl Runtime {
    /// Sets a timer as `set_timeout_at` does, and returns its id (the id
    /// of its callback), for `move_timer`.
    pub fn set_movable_timeout_at(
        &mut self,
        deadline: Instant,
        callback: impl FnOnce(Js) + 'static,
    ) -> usize {
        let callback_id = self.add_callback(callback);
        self.timers.insert((deadline, callback_id));
        callback_id
    }

    /// Moves the timer `timer` to `deadline`: it keeps its callback and
    /// its id, and fires at the new deadline. Returns whether it was
    /// moved: a timer that has fired, or was never set, is left alone.
    ///
    /// The epoll thread is not told here: the main thread tells it the
    /// next deadline each time it goes to sleep, and wakes it if that is
    /// sooner than the one it waits for.
    pub fn move_timer(&mut self, timer: usize, deadline: Instant) -> bool {
        todo!(
            "challenge 4a: A timer is a pair in timers, its deadline first, and a pair in a set cannot be changed where it is: find the pair whose callback id is this one, take it out, and put the id back with the new deadline; a timer that is not in the set has fired, or never was, and stays out. The epoll thread hears of the new deadline when the main thread next goes to sleep. The book explains it in \"Challenges\" and \"Timers in deadline order\" and \"Waking the epoll thread\", on the page \"Stage 4: timers\" (book/src/chapter-4.md)."
        )
    }
}
