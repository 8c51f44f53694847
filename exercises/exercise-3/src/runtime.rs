//! The runtime: the parts it is made of, and what they do together.

use std::sync::mpsc::{self, Receiver};

use crate::callbacks::{Callback, CallbackId, Callbacks};
use crate::epoll::EpollThread;
use crate::sockets::Sockets;
use crate::thread_pool::{self, Pool};
use crate::trace;
use crate::{Js, PollEvent, log};

// ANCHOR: runtime
/// The runtime's state.
pub struct Runtime {
    /// Every callback, from the moment it is given to the moment it runs.
    pub(crate) callbacks: Callbacks,
    /// The pool threads, and the tasks that wait for one.
    pub(crate) pool: Pool,
    /// Where the runtime's threads send their events.
    pub(crate) event_receiver: Receiver<PollEvent>,
    /// The thread that waits for the sockets (and from stage 4, wakes the
    /// main thread when the next timer is due).
    pub(crate) epoll: EpollThread,
    /// The sockets being read, by the id of the callback waiting for each.
    pub(crate) sockets: Sockets,
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
        let (event_sender, event_receiver) = mpsc::channel();
        let thread_pool = thread_pool::start(&event_sender);
        Runtime {
            callbacks: Callbacks::default(),
            pool: Pool::new(thread_pool),
            event_receiver,
            epoll: EpollThread::start(event_sender),
            sockets: Sockets::default(),
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
    /// An event has arrived: get its callback ready to run; or, for a
    /// socket, read what came, which may make its callback ready.
    pub fn handle_event(&mut self, event: PollEvent) {
        match event {
            PollEvent::Threadpool {
                thread_id,
                callback_id,
                value,
            } => {
                self.pool.thread_is_idle(thread_id);
                self.callback_ready(callback_id, value);
            }
            // Nothing arrives with a timeout: it only wakes the loop up.
            PollEvent::Timeout => {}
            PollEvent::Epoll(callback_id) => self.socket_is_ready(callback_id),
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

// ANCHOR: wait
impl Runtime {
    /// Sleeps until at least one event arrives, then handles it and every
    /// other event that has arrived meanwhile.
    pub fn wait_for_events(&mut self) {
        let event = self
            .event_receiver
            .recv()
            .expect("the runtime's threads outlive its receiver");
        self.handle_event(event);
        while let Ok(event) = self.event_receiver.try_recv() {
            self.handle_event(event);
        }
    }
}
// ANCHOR_END: wait

// ANCHOR: drop
impl Drop for Runtime {
    /// Stops every thread the runtime started, and waits for each one, so
    /// that no thread outlives the runtime.
    fn drop(&mut self) {
        let threads = self.pool.stop_and_join();
        self.epoll.stop_and_join();
        log!("stopped and joined {threads} pool threads and the epoll thread");
    }
}
// ANCHOR_END: drop
