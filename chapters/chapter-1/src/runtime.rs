//! The runtime: the parts it is made of, and what they do together.

use crate::callbacks::{Callback, CallbackId, Callbacks};
use crate::trace;
use crate::{Js, PollEvent};

// ANCHOR: runtime
/// The runtime's state.
pub struct Runtime {
    /// Every callback, from the moment it is given to the moment it runs.
    pub(crate) callbacks: Callbacks,
}
// ANCHOR_END: runtime

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

// ANCHOR: new
impl Runtime {
    /// A new runtime, with nothing waiting in it yet.
    pub fn new() -> Runtime {
        Runtime {
            callbacks: Callbacks::default(),
        }
    }
}
// ANCHOR_END: new

// ANCHOR: callbacks
// ANCHOR: hearing
impl Runtime {
    /// Keeps `callback` until its event arrives, and returns its id. Each
    /// callback waits for exactly one event.
    pub fn add_callback(&mut self, callback: impl FnOnce(Js) + 'static) -> CallbackId {
        self.callbacks.add(Box::new(callback))
    }

    /// How many events the program still waits for: one for each callback
    /// that waits for its event. It is counted, not kept: a count kept by
    /// hand beside what it counts is one forgotten line away from being
    /// wrong.
    pub fn pending_events(&self) -> usize {
        self.callbacks.waiting()
    }

    // ANCHOR: handle_event
    /// An event has arrived: get its callback ready to run.
    pub fn handle_event(&mut self, event: PollEvent) {
        match event {
            PollEvent::Threadpool {
                callback_id, value, ..
            } => {
                self.callback_ready(callback_id, value);
            }
            // Nothing arrives with a timeout: it only wakes the loop up.
            PollEvent::Timeout => {}
            PollEvent::Epoll(callback_id) => self.callback_ready(callback_id, Js::Undefined),
        }
    }
    // ANCHOR_END: handle_event

    /// The event of callback `callback_id` has arrived: the callback waits
    /// with `value` for its turn to run.
    pub(crate) fn callback_ready(&mut self, callback_id: CallbackId, value: Js) {
        self.callbacks.make_ready(callback_id, value);
    }
    // ANCHOR_END: hearing
    // ANCHOR: running

    /// Runs every callback whose event has arrived, in the order the
    /// events arrived, each exactly once.
    pub fn run_callbacks(&mut self) {
        while let Some((callback, value)) = self.next_callback() {
            let _traced = trace::slice("callback");
            callback(value);
        }
    }

    /// Takes the next callback that is ready, with the value it receives.
    pub(crate) fn next_callback(&mut self) -> Option<(Callback, Js)> {
        self.callbacks.next_ready()
    }
}
// ANCHOR_END: running
// ANCHOR_END: callbacks
