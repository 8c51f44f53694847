//! Immediates: callbacks that run in the check phase, right after the poll
//! phase of the same tick.

use std::collections::VecDeque;

use crate::{CallbackId, Js, Runtime, trace};

// ANCHOR: immediates
/// The immediates: the ids of the callbacks given to `set_immediate`, in
/// the order they were set. The callbacks wait with the others, in
/// `Callbacks`, until the check phase gets them ready.
#[derive(Default)]
pub(crate) struct Immediates {
    waiting: VecDeque<CallbackId>,
}

impl Immediates {
    /// Keeps the immediate of callback `callback_id`, behind the others.
    pub(crate) fn add(&mut self, callback_id: CallbackId) {
        self.waiting.push_back(callback_id);
    }

    /// Whether no immediate waits.
    pub(crate) fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Takes the oldest immediates, at most `limit` of them, and hands out
    /// their callbacks' ids, oldest first.
    pub(crate) fn take_oldest(&mut self, limit: usize) -> Vec<CallbackId> {
        let count = self.waiting.len().min(limit);
        self.waiting.drain(..count).collect()
    }
}

impl Runtime {
    /// Runs `callback` in the next check phase, right after a poll phase:
    /// from an I/O or pool callback, that is this tick's, before any timer.
    /// An immediate set by an immediate waits for the next tick's. A
    /// trace, when one is recorded, marks it.
    pub(crate) fn set_immediate(&mut self, callback: impl FnOnce(Js) + 'static) {
        let callback_id = self.add_callback(callback);
        trace::instant(format_args!("immediate {callback_id} set"));
        self.immediates.add(callback_id);
    }

    /// The check phase: gets ready the immediates that were set before it
    /// began, at most `limit` of them. An immediate set while these run
    /// waits for the next tick's check phase.
    pub(crate) fn ready_immediates(&mut self, limit: usize) {
        for callback_id in self.immediates.take_oldest(limit) {
            self.callback_ready(callback_id, Js::Undefined);
        }
    }
}
// ANCHOR_END: immediates
