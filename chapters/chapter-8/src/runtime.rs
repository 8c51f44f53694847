//! The runtime: callbacks wait here, by id, until their event arrives.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use minimio::Registrator;

use crate::epoll::{self, Reading};
use crate::event_loop::BUDGET;
use crate::thread_pool::{self, NodeThread};
use crate::timers::{Doorbell, Interval, TimerId};
use crate::{Js, PollEvent, Task, log};

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
    /// Callbacks that are ready but must wait for the next tick's pending
    /// phase: those over a phase's budget, and errors found before any
    /// work started.
    pub(crate) pending_callbacks: VecDeque<(usize, Js)>,
    /// Every callback that has not run yet, by id.
    pub(crate) callback_queue: HashMap<usize, Callback>,
    /// The last callback id handed out.
    pub(crate) identity_token: usize,
    /// How many events the program still waits for.
    pub(crate) pending_events: usize,
    /// One worker per pool thread: its join handle, and where to send it
    /// tasks.
    pub(crate) thread_pool: Vec<NodeThread>,
    /// The ids of the pool threads that are idle, longest idle first.
    pub(crate) available_threads: VecDeque<usize>,
    /// Tasks that wait for a thread to become idle, oldest first.
    pub(crate) tasks_waiting: VecDeque<Task>,
    /// Where the pool threads and the epoll thread send their events.
    pub(crate) event_receiver: Receiver<PollEvent>,
    /// Registers sockets with the queue the epoll thread waits on.
    pub(crate) epoll_registrator: Registrator,
    /// The epoll thread, to join when the runtime shuts down.
    pub(crate) epoll_thread: Option<JoinHandle<()>>,
    /// The sockets being read, by the id of the callback waiting for each.
    pub(crate) epoll_streams: HashMap<usize, Reading>,
    /// Every timer, with its callback. Its id sorts by deadline, then in
    /// the order the timers were set.
    pub(crate) timers: BTreeMap<TimerId, Callback>,
    /// The intervals that have not been cleared, by number.
    pub(crate) intervals: HashMap<usize, Interval>,
    /// The callbacks given to `set_immediate`, by id, for the check phase.
    pub(crate) immediates: VecDeque<usize>,
    /// The deadline at which the epoll thread must wake the main thread:
    /// the next timer's, if there is one.
    pub(crate) epoll_timeout: Arc<Mutex<Option<Instant>>>,
    /// Wakes the epoll thread, to make it read `epoll_timeout` again.
    pub(crate) doorbell: Doorbell,
}
// ANCHOR_END: runtime

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

// ANCHOR: new
impl Runtime {
    pub fn new() -> Runtime {
        let (event_sender, event_receiver) = mpsc::channel();
        let thread_pool = thread_pool::start(&event_sender);
        let epoll_timeout = Arc::new(Mutex::new(None));
        let (epoll_thread, epoll_registrator) =
            epoll::start(event_sender, Arc::clone(&epoll_timeout));
        Runtime {
            callbacks_to_run: VecDeque::new(),
            pending_callbacks: VecDeque::new(),
            callback_queue: HashMap::new(),
            identity_token: 0,
            pending_events: 0,
            available_threads: (0..thread_pool.len()).collect(),
            thread_pool,
            tasks_waiting: VecDeque::new(),
            event_receiver,
            epoll_registrator,
            epoll_thread: Some(epoll_thread),
            epoll_streams: HashMap::new(),
            timers: BTreeMap::new(),
            intervals: HashMap::new(),
            immediates: VecDeque::new(),
            epoll_timeout,
            doorbell: Doorbell::new().expect("the system can connect on loopback"),
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
        self.pending_events += 1;
        callback_id
    }

    /// A new id for a callback or a timer. Ids only grow.
    pub(crate) fn new_id(&mut self) -> usize {
        self.identity_token += 1;
        self.identity_token
    }

    /// How many callbacks still wait for their event.
    pub fn pending_events(&self) -> usize {
        self.pending_events
    }

    // ANCHOR: handle_event
    /// An event has arrived: its callback is ready to run.
    pub fn handle_event(&mut self, event: PollEvent) {
        match event {
            PollEvent::Threadpool((thread_id, callback_id, value)) => {
                self.thread_is_idle(thread_id);
                self.callback_ready(callback_id, value);
            }
            PollEvent::Epoll(callback_id) => self.socket_is_ready(callback_id),
            // Nothing arrives with a timeout: it only wakes the loop up.
            PollEvent::Timeout => {}
        }
    }
    // ANCHOR_END: handle_event

    pub(crate) fn callback_ready(&mut self, callback_id: usize, value: Js) {
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

    /// Whether a timer is due already: one the timer phase left for the
    /// next tick, because of its budget.
    fn timer_is_due(&self) -> bool {
        let next = self.timers.first_key_value();
        next.is_some_and(|(id, _)| id.deadline <= Instant::now())
    }

    /// Whether the loop has nothing left to do: no event is awaited, and no
    /// callback waits for its turn.
    pub fn is_done(&self) -> bool {
        self.pending_events == 0 && self.pending_callbacks.is_empty()
    }
}
// ANCHOR_END: callbacks

// ANCHOR: pending
impl Runtime {
    /// Gets a callback ready to run in the next tick's pending phase,
    /// rather than in the phase that is running now.
    pub(crate) fn callback_ready_next_tick(&mut self, callback_id: usize, value: Js) {
        self.pending_callbacks.push_back((callback_id, value));
        self.pending_events -= 1;
    }

    /// The end of a phase that used up its budget: the callbacks still
    /// ready wait for the next tick's pending phase.
    pub fn defer_ready_callbacks(&mut self) {
        self.pending_callbacks
            .extend(self.callbacks_to_run.drain(..));
    }

    /// The pending phase: gets ready the callbacks left from the last
    /// tick, at most [`BUDGET`] of them.
    pub fn ready_pending_callbacks(&mut self) {
        let count = self.pending_callbacks.len().min(BUDGET);
        self.callbacks_to_run
            .extend(self.pending_callbacks.drain(..count));
    }
}
// ANCHOR_END: pending

// ANCHOR: wait
impl Runtime {
    /// Sleeps until at least one event arrives, then handles it and every
    /// other event that has arrived meanwhile. The epoll thread wakes it
    /// when the next timer is due. If callbacks are already waiting for the
    /// next phases (pending callbacks, immediates, timers that are due), it
    /// does not sleep: it only takes the events that have arrived.
    pub fn wait_for_events(&mut self) {
        self.set_epoll_timeout();
        if self.pending_callbacks.is_empty() && self.immediates.is_empty() && !self.timer_is_due() {
            let event = self
                .event_receiver
                .recv()
                .expect("the runtime's threads outlive its receiver");
            self.handle_event(event);
        }
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
        for thread in &self.thread_pool {
            // A thread that is gone already cannot be told anything.
            let _ = thread.sender.send(Task::close());
        }
        let threads = self.thread_pool.len();
        for thread in self.thread_pool.drain(..) {
            let _ = thread.handle.join();
        }
        // Wakes the epoll thread, whose `poll` now fails with `Interrupted`.
        let _ = self.epoll_registrator.close_loop();
        if let Some(epoll_thread) = self.epoll_thread.take() {
            let _ = epoll_thread.join();
        }
        log!("stopped and joined {threads} pool threads and the epoll thread");
    }
}
// ANCHOR_END: drop
