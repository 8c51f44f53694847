//! The runtime: callbacks wait here, by id, until their event arrives.
//!
//! In this crate, "pending" means one thing: awaited. A pending event is
//! one the program still waits for.

use std::collections::{HashMap, VecDeque};

use crate::trace;
use crate::{Js, PollEvent};

// ANCHOR: runtime
/// A callback waiting for its event.
///
/// It is not `Send`: callbacks only ever run on the main thread, so they
/// are free to hold `Rc`s and `RefCell`s, as JavaScript code would.
pub(crate) type Callback = Box<dyn FnOnce(Js)>;

/// The runtime's state.
pub struct Runtime {
    /// Callbacks whose event has arrived, with the value each receives, in
    /// the order the events arrived.
    pub(crate) callbacks_to_run: VecDeque<(Callback, Js)>,
    /// The callbacks still waiting for their event, by id.
    pub(crate) callback_queue: HashMap<usize, Callback>,
    /// The last callback id handed out.
    pub(crate) identity_token: usize,
}
// ANCHOR_END: runtime

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

// ANCHOR: new
impl Runtime {
    /// A new runtime, with no callback waiting yet.
    pub fn new() -> Runtime {
        Runtime {
            callbacks_to_run: VecDeque::new(),
            callback_queue: HashMap::new(),
            identity_token: 0,
        }
    }
}
// ANCHOR_END: new

// ANCHOR: callbacks
impl Runtime {
    /// Keeps `callback` until its event arrives, and returns its id. Each
    /// callback waits for exactly one event.
    pub fn add_callback(&mut self, callback: impl FnOnce(Js) + 'static) -> usize {
        let callback_id = self.new_id();
        self.callback_queue.insert(callback_id, Box::new(callback));
        callback_id
    }

    /// A new id for a callback. Ids only grow.
    fn new_id(&mut self) -> usize {
        self.identity_token += 1;
        self.identity_token
    }

    /// How many events the program still waits for: one for each callback
    /// still in the queue. It is counted, not kept: a count kept by hand
    /// beside what it counts is one forgotten line away from being wrong.
    pub fn pending_events(&self) -> usize {
        self.callback_queue.len()
    }

    // ANCHOR: handle_event
    /// An event has arrived: get its callback ready to run.
    pub fn handle_event(&mut self, event: PollEvent) {
        match event {
            PollEvent::Threadpool((_thread_id, callback_id, value)) => {
                self.callback_ready(callback_id, value);
            }
            PollEvent::Epoll(callback_id) => self.callback_ready(callback_id, Js::Undefined),
            // Nothing arrives with a timeout: it only wakes the loop up.
            PollEvent::Timeout => {}
        }
    }
    // ANCHOR_END: handle_event

    /// The event of callback `callback_id` has arrived: the callback leaves
    /// the queue, and waits with `value` for its turn to run.
    pub(crate) fn callback_ready(&mut self, callback_id: usize, value: Js) {
        let callback = self.take_callback(callback_id);
        self.callbacks_to_run.push_back((callback, value));
    }

    /// Takes the callback `callback_id` out of the queue.
    fn take_callback(&mut self, callback_id: usize) -> Callback {
        self.callback_queue.remove(&callback_id).unwrap_or_else(|| {
            panic!(
                "an event came for callback {callback_id}, which waits for none: it was made \
                 ready already, or taken away while what answers it still ran"
            )
        })
    }

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
        self.callbacks_to_run.pop_front()
    }
}
// ANCHOR_END: callbacks
