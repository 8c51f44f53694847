//! Immediates: callbacks that run in the check phase, right after the poll
//! phase of the same tick.

use crate::{Js, Runtime};

// ANCHOR: immediates
impl Runtime {
    /// Runs `callback` in the next check phase, right after a poll phase:
    /// from an I/O or pool callback, that is this tick's, before any timer.
    /// An immediate set by an immediate waits for the next tick's.
    pub(crate) fn set_immediate(&mut self, callback: impl FnOnce(Js) + 'static) {
        let callback_id = self.add_callback(callback);
        self.immediates.push_back(callback_id);
    }

    /// The check phase: gets ready the immediates that were set before it
    /// began, at most `limit` of them. An immediate set while these run
    /// waits for the next tick's check phase.
    pub(crate) fn ready_immediates(&mut self, limit: usize) {
        let count = self.immediates.len().min(limit);
        // Collected first: `callback_ready` needs `&mut self`, and `drain`
        // would still borrow `self.immediates` while it runs.
        for callback_id in self.immediates.drain(..count).collect::<Vec<_>>() {
            self.callback_ready(callback_id, Js::Undefined);
        }
    }
}
// ANCHOR_END: immediates
