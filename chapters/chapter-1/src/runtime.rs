//! The runtime: callbacks wait here, by id, until their event arrives.

use std::collections::{HashMap, VecDeque};

use crate::{Js, PollEvent};

// ANCHOR: runtime
/// A callback waiting for its event.
///
/// It is not `Send`: callbacks only ever run on the main thread, so they
/// are free to hold `Rc`s and `RefCell`s, as JavaScript code would.
pub type Callback = Box<dyn FnOnce(Js)>;

/// The runtime's state.
pub struct Runtime {
    /// Callbacks whose event has arrived, with the value each receives, in
    /// the order the events arrived.
    pub(crate) callbacks_to_run: VecDeque<(usize, Js)>,
    /// Every callback that has not run yet, by id.
    pub(crate) callback_queue: HashMap<usize, Callback>,
    /// The last callback id handed out.
    pub(crate) identity_token: usize,
    /// How many events the program still waits for.
    pub(crate) pending_events: usize,
}
// ANCHOR_END: runtime

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

// ANCHOR: callbacks
impl Runtime {
    pub fn new() -> Runtime {
        Runtime {
            callbacks_to_run: VecDeque::new(),
            callback_queue: HashMap::new(),
            identity_token: 0,
            pending_events: 0,
        }
    }

    /// Keeps `callback` until its event arrives, and returns its id. Each
    /// callback waits for exactly one event.
    pub fn add_callback(&mut self, callback: impl FnOnce(Js) + 'static) -> usize {
        self.identity_token += 1;
        let callback_id = self.identity_token;
        self.callback_queue.insert(callback_id, Box::new(callback));
        self.pending_events += 1;
        callback_id
    }

    /// How many callbacks still wait for their event.
    pub fn pending_events(&self) -> usize {
        self.pending_events
    }

    /// An event has arrived: its callback is ready to run.
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

    fn callback_ready(&mut self, callback_id: usize, value: Js) {
        self.callbacks_to_run.push_back((callback_id, value));
        self.pending_events -= 1;
    }

    /// Runs every callback whose event has arrived, in the order the
    /// events arrived, each exactly once.
    pub fn run_callbacks(&mut self) {
        while let Some((callback, value)) = self.next_callback() {
            callback(value);
        }
    }

    /// Takes the next callback that is ready, with the value it receives.
    pub fn next_callback(&mut self) -> Option<(Callback, Js)> {
        let (callback_id, value) = self.callbacks_to_run.pop_front()?;
        let callback = self
            .callback_queue
            .remove(&callback_id)
            .expect("every ready callback id was handed out by add_callback");
        Some((callback, value))
    }
}
// ANCHOR_END: callbacks
