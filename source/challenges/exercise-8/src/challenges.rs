//! The challenge of stage 8: `clear_immediate`, which cancels an
//! immediate, even one that the check phase has already got ready.

use std::cell::Cell;
use std::rc::Rc;

use crate::handle::with_runtime;
use crate::{CallbackId, Js, Runtime, trace};

/// An immediate that can be cleared: what [`set_clearable_immediate`]
/// returns, as Node's `setImmediate` returns an `Immediate` object. A
/// clone is the same immediate.
#[derive(Clone)]
pub struct Immediate {
    /// The id its callback waits under, until the check phase.
    callback_id: CallbackId,
    /// Whether it has been cleared.
    cleared: Rc<Cell<bool>>,
}

/// Runs `callback` in the next check phase, as `set_immediate` does, and
/// returns the immediate, for [`clear_immediate`].
pub fn set_clearable_immediate(callback: impl FnOnce(Js) + 'static) -> Immediate {
    with_runtime(|runtime| runtime.add_clearable_immediate(callback))
}

/// Cancels an immediate: its callback will not run, and it no longer keeps
/// the loop alive. One that has run already, or was cleared, is ignored.
pub fn clear_immediate(immediate: &Immediate) {
    with_runtime(|runtime| runtime.cancel_immediate(immediate));
}

impl Runtime {
    /// Sets an immediate, as `set_immediate` does, whose callback runs the
    /// program's only if it has not been cleared by then.
    pub fn add_clearable_immediate(&mut self, callback: impl FnOnce(Js) + 'static) -> Immediate {
        let cleared = Rc::new(Cell::new(false));
        let flag = Rc::clone(&cleared);
        let callback_id = self.add_callback(move |value| {
            if !flag.get() {
                callback(value);
            }
        });
        trace::instant(format_args!("immediate {callback_id} set"));
        self.immediates.add(callback_id);
        Immediate {
            callback_id,
            cleared,
        }
    }

    /// Clears `immediate`: still waiting for its check phase, it leaves
    /// `immediates` and the callbacks; ready already, it stays where it
    /// is, but its callback will find it cleared.
    pub fn cancel_immediate(&mut self, immediate: &Immediate) {
        immediate.cleared.set(true);
        self.immediates.remove(immediate.callback_id);
        self.callbacks.remove(immediate.callback_id);
    }
}
