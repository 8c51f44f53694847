//! The runtime: the parts it is made of, and what they do together.

use std::sync::mpsc::{self, Receiver};

use crate::callbacks::{Callback, CallbackId, Callbacks};
use crate::epoll::EpollThread;
use crate::executor::Tasks;
use crate::http::Requests;
use crate::immediates::Immediates;
use crate::sockets::Sockets;
use crate::thread_pool::{self, Pool};
use crate::timers::Timers;
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
    /// The HTTP requests that wait for their sockets, by the id of the
    /// callback waiting for each.
    pub(crate) requests: Requests,
    /// Every timer, in deadline order.
    pub(crate) timers: Timers,
    /// The callbacks given to `set_immediate`, for the check phase.
    pub(crate) immediates: Immediates,
    /// The futures the loop polls, and the queue of those woken.
    pub(crate) tasks: Tasks,
}
// ANCHOR_END: runtime

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

// ANCHOR: new
impl Runtime {
    /// A runtime with `UV_THREADPOOL_SIZE` pool threads if that variable
    /// is set (to a number from 1 to 1024), or else four.
    pub fn new() -> Runtime {
        Runtime::with_pool_size(thread_pool::pool_size_from_environment())
    }

    /// A runtime with `pool_size` pool threads.
    pub fn with_pool_size(pool_size: usize) -> Runtime {
        assert!(pool_size > 0, "a thread pool needs at least one thread");
        let (event_sender, event_receiver) = mpsc::channel();
        let thread_pool = thread_pool::start(&event_sender, pool_size);
        Runtime {
            callbacks: Callbacks::default(),
            pool: Pool::new(thread_pool),
            event_receiver,
            epoll: EpollThread::start(event_sender.clone()),
            sockets: Sockets::default(),
            requests: Requests::default(),
            timers: Timers::default(),
            immediates: Immediates::default(),
            tasks: Tasks::new(event_sender),
        }
    }
}
// ANCHOR_END: new

// ANCHOR: callbacks
// ANCHOR: hearing
impl Runtime {
    /// Keeps `callback` until its event arrives, and returns its id. Each
    /// callback waits for exactly one event.
    pub(crate) fn add_callback(&mut self, callback: impl FnOnce(Js) + 'static) -> CallbackId {
        self.callbacks.add(Box::new(callback))
    }

    /// How many events the program still waits for: one for each callback
    /// that waits for its event. It is counted, not kept: a count kept by
    /// hand beside what it counts is one forgotten line away from being
    /// wrong.
    /// Timers keep their callbacks apart, so each timer counts too, and an
    /// interval for as long as it runs.
    /// An immediate counts until its check phase: it awaits that.
    pub(crate) fn pending_events(&self) -> usize {
        self.callbacks.waiting() + self.timers.len()
    }

    // ANCHOR: handle_event
    /// An event has arrived: get its callback ready to run; or, for a
    /// socket, read what came, which may make its callback ready.
    fn handle_event(&mut self, event: PollEvent) {
        match event {
            PollEvent::Threadpool {
                thread_id,
                callback_id,
                value,
            } => {
                self.pool.thread_is_idle(thread_id);
                self.callback_ready(callback_id, value);
            }
            // Nothing arrives with these: they only wake the loop up. The
            // woken task waits in the queue of `tasks`.
            PollEvent::Timeout | PollEvent::TaskWoken => {}
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

    /// Takes the next callback that is ready, with the value it receives.
    pub(crate) fn next_callback(&mut self) -> Option<(Callback, Js)> {
        self.callbacks.next_ready()
    }

    /// Whether the loop has more to do: a callback that waits for its
    /// event, or one that is ready to run, now or in the next tick.
    pub(crate) fn is_alive(&self) -> bool {
        self.pending_events() > 0 || self.callbacks.any_ready() || self.callbacks.any_deferred()
    }

    /// Gets a callback ready, but for the next tick's pending phase rather
    /// than for the phase that is running now.
    pub(crate) fn defer_callback(&mut self, callback_id: CallbackId, value: Js) {
        self.callbacks.defer(callback_id, value);
    }
}
// ANCHOR_END: running
// ANCHOR_END: callbacks

// ANCHOR: wait
impl Runtime {
    /// The poll phase's wait: sleeps until at least one event arrives, then
    /// handles it and every other event that has arrived meanwhile. The
    /// epoll thread wakes it when the next timer is due. When it may not
    /// sleep, it only takes the events that have arrived, and leaves the
    /// epoll thread's deadline alone: woken for nothing, the epoll thread
    /// would send a `Timeout` that made the next poll phase end at once.
    pub(crate) fn wait_for_events(&mut self) {
        if self.may_sleep() {
            self.epoll.set_deadline(self.timers.next_deadline());
            let event = self
                .event_receiver
                .recv()
                .expect("the runtime's threads outlive its receiver");
            self.handle_event(event);
        }
        // Only the events there are now. A socket read while we handle
        // them, and ready again at once, is read again in the next poll
        // phase: in between, the timers get their turn.
        let arrived: Vec<PollEvent> = self.event_receiver.try_iter().collect();
        for event in arrived {
            self.handle_event(event);
        }
    }

    /// Whether the poll phase may sleep: only while the program waits for
    /// an event (with none awaited, nothing would ever wake it), and no
    /// callback waits for a later phase: deferred callbacks, immediates
    /// and timers that are due already would wait for that event too.
    fn may_sleep(&self) -> bool {
        self.pending_events() > 0
            && !self.callbacks.any_deferred()
            && self.immediates.is_empty()
            && !self.timers.is_due()
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
