//! The runtime: the parts it is made of, and what they do together.

use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::callbacks::{Callback, CallbackId, Callbacks};
use crate::epoll::Epoll;
use crate::executor::Tasks;
use crate::http::Requests;
use crate::immediates::Immediates;
use crate::sockets::Sockets;
use crate::thread_pool::{self, Pool};
use crate::timers::Timers;
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
    /// The queue the poll phase waits on: the sockets, and the wake-ups
    /// from the other threads.
    pub(crate) epoll: Epoll,
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
        let epoll = Epoll::new();
        let (event_sender, event_receiver) = mpsc::channel();
        let events = epoll.sender(event_sender);
        Runtime {
            callbacks: Callbacks::default(),
            pool: Pool::new(events.clone(), pool_size),
            event_receiver,
            epoll,
            sockets: Sockets::default(),
            requests: Requests::default(),
            timers: Timers::default(),
            immediates: Immediates::default(),
            tasks: Tasks::new(events),
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
            // The woken task waits in the queue of `tasks`: this event only
            // ended the wait.
            PollEvent::TaskWoken => trace::instant("a task was woken on another thread"),
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
    /// The poll phase's wait: epoll, on this thread, for as long as the
    /// next timer allows, or only a look when the loop may not sleep (see
    /// `may_sleep`). Then it reads every socket that is ready, and handles
    /// every event that has arrived on the channel.
    pub(crate) fn wait_for_events(&mut self) {
        todo!(
            "exercise 13: Work out how long the poll phase may sleep: until the next timer's deadline, or with no limit if no timer waits, when may_sleep says it may sleep at all; otherwise not at all. Wait on epoll for that long, read each socket that is ready, then handle every event that has arrived on the channel. The book explains it in \"The poll phase's wait\", on the page \"Stage 13: the loop polls for itself\" (book/src/chapter-13.md)."
        )
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
        log!("stopped and joined {threads} pool threads");
    }
}
// ANCHOR_END: drop
