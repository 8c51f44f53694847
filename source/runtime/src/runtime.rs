//! The runtime: callbacks wait here, by id, until their event arrives.

use std::collections::{HashMap, VecDeque}; //@ ..=3
use std::collections::{BTreeSet, HashMap, VecDeque}; //@ 4..=6
use std::collections::{BTreeMap, HashMap, VecDeque}; //@ 7..
use std::sync::mpsc::{self, Receiver}; //@ 2..
use std::sync::{Arc, Mutex}; //@ 4..
use std::thread::JoinHandle; //@ 3..
use std::time::Instant; //@ 4..

use crate::{Js, PollEvent}; //@ 1
//@ 3..
use minimio::Registrator;

use crate::epoll::{self, Reading};
//@ end
use crate::event_loop::BUDGET; //@ 8..
use crate::thread_pool::{self, NodeThread}; //@ 2..
use crate::timers::Doorbell; //@ 4..=6
use crate::timers::{Doorbell, Interval, TimerId}; //@ 7..
use crate::{Js, PollEvent, Task, log}; //@ 2..

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
//@ 8..
    /// Callbacks that are ready but must wait for the next tick's pending
    /// phase: those over a phase's budget, and errors found before any
    /// work started.
    pub(crate) pending_callbacks: VecDeque<(usize, Js)>,
//@ end
    /// Every callback that has not run yet, by id.
    pub(crate) callback_queue: HashMap<usize, Callback>,
    /// The last callback id handed out.
    pub(crate) identity_token: usize,
    /// How many events the program still waits for.
    pub(crate) pending_events: usize,
//@ 2..
    /// One worker per pool thread: its join handle, and where to send it
    /// tasks.
    pub(crate) thread_pool: Vec<NodeThread>,
    /// The ids of the pool threads that are idle, longest idle first.
    pub(crate) available_threads: VecDeque<usize>,
    /// Tasks that wait for a thread to become idle, oldest first.
    pub(crate) tasks_waiting: VecDeque<Task>,
//@ end
    /// Where the pool threads send their results. //@ 2
    /// Where the pool threads and the epoll thread send their events. //@ 3..
    pub(crate) event_receiver: Receiver<PollEvent>, //@ 2..
//@ 3..
    /// Registers sockets with the queue the epoll thread waits on.
    pub(crate) epoll_registrator: Registrator,
    /// The epoll thread, to join when the runtime shuts down.
    pub(crate) epoll_thread: Option<JoinHandle<()>>,
    /// The sockets being read, by the id of the callback waiting for each.
    pub(crate) epoll_streams: HashMap<usize, Reading>,
//@ end
//@ 4..=6
    /// Every timer, as (deadline, callback id): in deadline order, and for
    /// equal deadlines in the order they were set, since ids only grow.
    pub(crate) timers: BTreeSet<(Instant, usize)>,
//@ or 7..
    /// Every timer, with its callback. Its id sorts by deadline, then in
    /// the order the timers were set.
    pub(crate) timers: BTreeMap<TimerId, Callback>,
    /// The intervals that have not been cleared, by number.
    pub(crate) intervals: HashMap<usize, Interval>,
//@ end
//@ 8..
    /// The callbacks given to `set_immediate`, by id, for the check phase.
    pub(crate) immediates: VecDeque<usize>,
//@ end
//@ 4..
    /// The deadline at which the epoll thread must wake the main thread:
    /// the next timer's, if there is one.
    pub(crate) epoll_timeout: Arc<Mutex<Option<Instant>>>,
    /// Wakes the epoll thread, to make it read `epoll_timeout` again.
    pub(crate) doorbell: Doorbell,
//@ end
}
// ANCHOR_END: runtime

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

// ANCHOR: callbacks //@ 1
// ANCHOR: new //@ 2..
impl Runtime {
//@ 9..
    /// A runtime with `UV_THREADPOOL_SIZE` pool threads if that variable
    /// is set (to a number from 1 to 1024), or else four.
//@ end
    pub fn new() -> Runtime {
//@ 9..
        Runtime::with_pool_size(thread_pool::pool_size_from_environment())
    }

    /// A runtime with `pool_size` pool threads.
    pub fn with_pool_size(pool_size: usize) -> Runtime {
        assert!(pool_size > 0, "a thread pool needs at least one thread");
//@ end
        let (event_sender, event_receiver) = mpsc::channel(); //@ 2..
        let thread_pool = thread_pool::start(&event_sender); //@ 2..=8
        let (epoll_thread, epoll_registrator) = epoll::start(event_sender); //@ 3
        let thread_pool = thread_pool::start(&event_sender, pool_size); //@ 9..
//@ 4..
        let epoll_timeout = Arc::new(Mutex::new(None));
        let (epoll_thread, epoll_registrator) =
            epoll::start(event_sender, Arc::clone(&epoll_timeout));
//@ end
        Runtime {
            callbacks_to_run: VecDeque::new(),
            pending_callbacks: VecDeque::new(), //@ 8..
            callback_queue: HashMap::new(),
            identity_token: 0,
            pending_events: 0,
//@ 2..
            available_threads: (0..thread_pool.len()).collect(),
            thread_pool,
            tasks_waiting: VecDeque::new(),
            event_receiver,
//@ end
//@ 3..
            epoll_registrator,
            epoll_thread: Some(epoll_thread),
            epoll_streams: HashMap::new(),
//@ end
            timers: BTreeSet::new(), //@ 4..=6
//@ 7..
            timers: BTreeMap::new(),
            intervals: HashMap::new(),
//@ end
            immediates: VecDeque::new(), //@ 8..
//@ 4..
            epoll_timeout,
            doorbell: Doorbell::new().expect("the system can connect on loopback"),
//@ end
        }
    }
//@ 2..
}
// ANCHOR_END: new
//@ end

//@ 2..
// ANCHOR: callbacks
impl Runtime {
//@ end
    /// Keeps `callback` until its event arrives, and returns its id. Each
    /// callback waits for exactly one event.
    pub fn add_callback(&mut self, callback: impl FnOnce(Js) + 'static) -> usize {
//@ ..=6
        self.identity_token += 1;
        let callback_id = self.identity_token;
//@ end
        let callback_id = self.new_id(); //@ 7..
        self.callback_queue.insert(callback_id, Box::new(callback));
        self.pending_events += 1;
        callback_id
//@ 7..
    }

    /// A new id for a callback or a timer. Ids only grow.
    pub(crate) fn new_id(&mut self) -> usize {
        self.identity_token += 1;
        self.identity_token
//@ end
    }

    /// How many callbacks still wait for their event.
    pub fn pending_events(&self) -> usize {
        self.pending_events
    }

    // ANCHOR: handle_event //@ 2..
    /// An event has arrived: its callback is ready to run.
    pub fn handle_event(&mut self, event: PollEvent) {
        match event {
            PollEvent::Threadpool((_thread_id, callback_id, value)) => { //@ 1
//@ 2..
            PollEvent::Threadpool((thread_id, callback_id, value)) => {
                self.thread_is_idle(thread_id);
//@ end
                self.callback_ready(callback_id, value);
            }
            PollEvent::Epoll(callback_id) => self.callback_ready(callback_id, Js::Undefined), //@ ..=2
            PollEvent::Epoll(callback_id) => self.socket_is_ready(callback_id), //@ 3..
            // Nothing arrives with a timeout: it only wakes the loop up.
            PollEvent::Timeout => {}
        }
    }
    // ANCHOR_END: handle_event //@ 2..

    fn callback_ready(&mut self, callback_id: usize, value: Js) { //@ ..=2
    pub(crate) fn callback_ready(&mut self, callback_id: usize, value: Js) { //@ 3..
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
//@ 8..

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
//@ end
}
// ANCHOR_END: callbacks
//@ 8..

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
//@ end
//@ 2..

// ANCHOR: wait
impl Runtime {
    /// Sleeps until at least one event arrives, then handles it and every
//@ end
    /// other event that has arrived meanwhile. //@ 2..=3
    /// other event that has arrived meanwhile. The epoll thread wakes it //@ 4..
    /// when the next timer is due. //@ 4..=7
//@ 8..
    /// when the next timer is due. If callbacks are already waiting for the
    /// next phases (pending callbacks, immediates, timers that are due), it
    /// does not sleep: it only takes the events that have arrived.
//@ end
    pub fn wait_for_events(&mut self) { //@ 2..
        self.set_epoll_timeout(); //@ 4..
//@ 2..=7
        let event = self
            .event_receiver
            .recv()
//@ end
            .expect("the pool threads outlive the runtime's receiver"); //@ 2
            .expect("the runtime's threads outlive its receiver"); //@ 3..=7
        self.handle_event(event); //@ 2..=7
//@ 8..
        if self.pending_callbacks.is_empty() && self.immediates.is_empty() && !self.timer_is_due() {
            let event = self
                .event_receiver
                .recv()
                .expect("the runtime's threads outlive its receiver");
            self.handle_event(event);
        }
//@ end
//@ 2..
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
//@ end
        log!("stopped and joined {threads} pool threads"); //@ 2
//@ 3..
        // Wakes the epoll thread, whose `poll` now fails with `Interrupted`.
        let _ = self.epoll_registrator.close_loop();
        if let Some(epoll_thread) = self.epoll_thread.take() {
            let _ = epoll_thread.join();
        }
        log!("stopped and joined {threads} pool threads and the epoll thread");
//@ end
//@ 2..
    }
}
// ANCHOR_END: drop
//@ end
