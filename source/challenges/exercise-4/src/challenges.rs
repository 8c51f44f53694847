//! The challenge of stage 4: moving a timer that has not fired to a new
//! deadline, sooner or later.

use std::time::Instant;

use crate::{CallbackId, Js, Runtime};

impl Runtime {
    /// Sets a timer as `set_timeout_at` does, and returns its id (the id
    /// of its callback), for `move_timer`.
    pub fn set_movable_timeout_at(
        &mut self,
        deadline: Instant,
        callback: impl FnOnce(Js) + 'static,
    ) -> CallbackId {
        let callback_id = self.add_callback(callback);
        self.timers.add(deadline, callback_id);
        callback_id
    }

    /// Moves the timer `timer` to `deadline`: it keeps its callback and
    /// its id, and fires at the new deadline. Returns whether it was
    /// moved: a timer that has fired, or was never set, is left alone.
    ///
    /// The epoll thread is not told here: the main thread tells it the
    /// next deadline each time it goes to sleep, and wakes it if that is
    /// sooner than the one it waits for.
    pub fn move_timer(&mut self, timer: CallbackId, deadline: Instant) -> bool {
        self.timers.move_timer(timer, deadline)
    }
}
