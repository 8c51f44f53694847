//! The runtime: the parts it is made of, and what they do together.

use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use crate::callbacks::{Callback, CallbackId, Callbacks};
// use crate::epoll::EpollThread; //@ ..=12
use crate::epoll::Epoll; //@ 13
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
    //@ 2..
    /// The pool threads, and the tasks that wait for one.
    pub(crate) pool: Pool,
    /// Where the runtime's threads send their events.
    pub(crate) event_receiver: Receiver<PollEvent>,
    //@ end
    //@ 3..
    //@ ..=12
    // /// The thread that waits for the sockets (and from stage 4, wakes the
    // /// main thread when the next timer is due).
    // pub(crate) epoll: EpollThread,
    //@ or 13
    /// The queue the poll phase waits on: the sockets, and the wake-ups
    /// from the other threads.
    pub(crate) epoll: Epoll,
    //@ end
    /// The sockets being read, by the id of the callback waiting for each.
    pub(crate) sockets: Sockets,
    //@ end
    //@ 10..
    /// The HTTP requests that wait for their sockets, by the id of the
    /// callback waiting for each.
    pub(crate) requests: Requests,
    //@ end
    //@ 4..
    /// Every timer, in deadline order.
    pub(crate) timers: Timers,
    //@ end
    //@ 8..
    /// The callbacks given to `set_immediate`, for the check phase.
    pub(crate) immediates: Immediates,
    //@ end
    /// The futures the loop polls, and the queue of those woken. //@ 11..
    pub(crate) tasks: Tasks, //@ 11..
}
// ANCHOR_END: runtime

impl Default for Runtime {
    fn default() -> Self {
        Runtime::new()
    }
}

// ANCHOR: new
impl Runtime {
    //@ ..=8
    // /// A new runtime, with nothing waiting in it yet.
    // pub fn new() -> Runtime
    //@ or 9..
    /// A runtime with `UV_THREADPOOL_SIZE` pool threads if that variable
    /// is set (to a number from 1 to 1024), or else four.
    pub fn new() -> Runtime {
        Runtime::with_pool_size(thread_pool::pool_size_from_environment())
    }

    /// A runtime with `pool_size` pool threads.
    pub fn with_pool_size(pool_size: usize) -> Runtime
//@ end
    {
        assert!(pool_size > 0, "a thread pool needs at least one thread"); //@ 9..
        let epoll = Epoll::new(); //@ 13
        let (event_sender, event_receiver) = mpsc::channel(); //@ 2..
        let events = epoll.sender(event_sender); //@ 13
        // let thread_pool = thread_pool::start(&event_sender); //@ 2..=8
        // let thread_pool = thread_pool::start(&event_sender, pool_size); //@ 9..=12
        Runtime {
            callbacks: Callbacks::default(),
            // pool: Pool::new(thread_pool), //@ 2..=12
            pool: Pool::new(events.clone(), pool_size), //@ 13
            event_receiver,                             //@ 2..
            // epoll: EpollThread::start(event_sender), //@ 3..=10
            // epoll: EpollThread::start(event_sender.clone()), //@ 11..=12
            epoll,                             //@ 13
            sockets: Sockets::default(),       //@ 3..
            requests: Requests::default(),     //@ 10..
            timers: Timers::default(),         //@ 4..
            immediates: Immediates::default(), //@ 8..
            // tasks: Tasks::new(event_sender), //@ 11..=12
            tasks: Tasks::new(events), //@ 13
        }
    }
}
// ANCHOR_END: new

// ANCHOR: callbacks
// ANCHOR: hearing
impl Runtime {
    /// Keeps `callback` until its event arrives, and returns its id. Each
    /// callback waits for exactly one event.
    // pub fn add_callback(&mut self, callback: impl FnOnce(Js) + 'static) -> CallbackId //@ ..=4
    pub(crate) fn add_callback(&mut self, callback: impl FnOnce(Js) + 'static) -> CallbackId //@ 5..
    {
        self.callbacks.add(Box::new(callback))
    }

    /// How many events the program still waits for: one for each callback
    /// that waits for its event. It is counted, not kept: a count kept by
    /// hand beside what it counts is one forgotten line away from being
    /// wrong.
    //@ ..=4
    // pub fn pending_events(&self) -> usize {
    //     self.callbacks.waiting()
    // }
    //@ or 5..=6
    // pub(crate) fn pending_events(&self) -> usize {
    //     self.callbacks.waiting()
    // }
    //@ or 7..
    /// Timers keep their callbacks apart, so each timer counts too, and an
    /// interval for as long as it runs.
    /// An immediate counts until its check phase: it awaits that. //@ 8..
    pub(crate) fn pending_events(&self) -> usize {
        self.callbacks.waiting() + self.timers.len()
    }
    //@ end

    // ANCHOR: handle_event
    //@ ..=2
    // /// An event has arrived: get its callback ready to run.
    //@ or 3..
    /// An event has arrived: get its callback ready to run; or, for a
    /// socket, read what came, which may make its callback ready.
    //@ end
    // pub fn handle_event(&mut self, event: PollEvent) //@ ..=4
    fn handle_event(&mut self, event: PollEvent) //@ 5..
    {
        match event {
            //@ 1
            // PollEvent::Threadpool {
            //     callback_id, value, ..
            // } => {
            //     self.callback_ready(callback_id, value);
            // }
            //@ or 2..
            PollEvent::Threadpool {
                thread_id,
                callback_id,
                value,
            } => {
                self.pool.thread_is_idle(thread_id);
                self.callback_ready(callback_id, value);
            }
            //@ end
            //@ ..=10
            // // Nothing arrives with a timeout: it only wakes the loop up.
            // PollEvent::Timeout => {}
            //@ or 11..=12
            // // Nothing arrives with these: they only wake the loop up. The
            // // woken task waits in the queue of `tasks`.
            // PollEvent::Timeout | PollEvent::TaskWoken => {}
            //@ or 13
            // The woken task waits in the queue of `tasks`: this event only
            // ended the wait.
            PollEvent::TaskWoken => trace::instant("a task was woken on another thread"),
            //@ end
            // PollEvent::Epoll(callback_id) => self.callback_ready(callback_id, Js::Undefined), //@ ..=2
            // PollEvent::Epoll(callback_id) => self.socket_is_ready(callback_id), //@ 3..=12
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
    //@ ..=4
    //
    // /// Runs every callback whose event has arrived, in the order the
    // /// events arrived, each exactly once.
    // pub fn run_callbacks(&mut self) {
    //     while let Some((callback, value)) = self.next_callback() {
    //         let _traced = trace::slice("callback");
    //         callback(value);
    //     }
    // }
    //@ end

    /// Takes the next callback that is ready, with the value it receives.
    pub(crate) fn next_callback(&mut self) -> Option<(Callback, Js)> {
        self.callbacks.next_ready()
    }
    //@ 5..

    /// Whether the loop has more to do: a callback that waits for its
    /// event, or one that is ready to run, now or in the next tick.
    pub(crate) fn is_alive(&self) -> bool {
        // self.pending_events() > 0 || self.callbacks.any_ready() //@ ..=7
        //@ 8..
        self.pending_events() > 0 || self.callbacks.any_ready() || self.callbacks.any_deferred()
        //@ end
    }
    //@ end
    //@ 8..

    /// Gets a callback ready, but for the next tick's pending phase rather
    /// than for the phase that is running now.
    pub(crate) fn defer_callback(&mut self, callback_id: CallbackId, value: Js) {
        self.callbacks.defer(callback_id, value);
    }
    //@ end
}
// ANCHOR_END: running
// ANCHOR_END: callbacks
//@ 2..

// ANCHOR: wait
impl Runtime {
    //@ ..=4
    // /// Sleeps until at least one event arrives, then handles it and every
    // /// other event that has arrived meanwhile.
    // /// The epoll thread wakes it when the next timer is due. //@ 4
    // pub fn wait_for_events(&mut self) {
    //     self.epoll.set_deadline(self.timers.next_deadline()); //@ 4
    //     let event = self
    //         .event_receiver
    //         .recv()
    //         .expect("the pool threads outlive the runtime's receiver"); //@ 2
    //         .expect("the runtime's threads outlive its receiver"); //@ 3..
    //     self.handle_event(event);
    //     while let Ok(event) = self.event_receiver.try_recv() {
    //         self.handle_event(event);
    //     }
    // }
    //@ or 5..=12
    // /// The poll phase's wait: sleeps until at least one event arrives, then
    // /// handles it and every other event that has arrived meanwhile. The
    // /// epoll thread wakes it when the next timer is due. When it may not
    // /// sleep, it only takes the events that have arrived, and leaves the
    // /// epoll thread's deadline alone: woken for nothing, the epoll thread
    // /// would send a `Timeout` that made the next poll phase end at once.
    // pub(crate) fn wait_for_events(&mut self) {
    //     if self.may_sleep() {
    //         self.epoll.set_deadline(self.timers.next_deadline());
    //         let event = self
    //             .event_receiver
    //             .recv()
    //             .expect("the runtime's threads outlive its receiver");
    //         self.handle_event(event);
    //     }
    //@ ..=9
    //     while let Ok(event) = self.event_receiver.try_recv() {
    //         self.handle_event(event);
    //     }
    //@ or 10..
    //     // Only the events there are now. A socket read while we handle
    //     // them, and ready again at once, is read again in the next poll
    //     // phase: in between, the timers get their turn.
    //     let arrived: Vec<PollEvent> = self.event_receiver.try_iter().collect();
    //     for event in arrived {
    //         self.handle_event(event);
    //     }
    //@ end
    // }
    //@ or 13
    /// The poll phase's wait: epoll, on this thread, for as long as the
    /// next timer allows, or only a look when the loop may not sleep (see
    /// `may_sleep`). Then it reads every socket that is ready, and handles
    /// every event that has arrived on the channel.
    pub(crate) fn wait_for_events(&mut self) {
        let timeout = if self.may_sleep() {
            // `None` when no timer waits: until a socket or a thread wakes it.
            let next = self.timers.next_deadline();
            next.map(|deadline| deadline.saturating_duration_since(Instant::now()))
        } else {
            Some(Duration::ZERO)
        };
        for callback_id in self.epoll.wait(timeout) {
            self.socket_is_ready(callback_id);
        }
        let arrived: Vec<PollEvent> = self.event_receiver.try_iter().collect();
        for event in arrived {
            self.handle_event(event);
        }
    }
    //@ end
    //@ 5..

    //@ ..=7
    // /// Whether the poll phase may sleep: only while the program waits for
    // /// an event. With none awaited, nothing would ever wake it.
    //@ or 8..
    /// Whether the poll phase may sleep: only while the program waits for
    /// an event (with none awaited, nothing would ever wake it), and no
    /// callback waits for a later phase: deferred callbacks, immediates
    /// and timers that are due already would wait for that event too.
    //@ end
    fn may_sleep(&self) -> bool {
        // self.pending_events() > 0 //@ ..=7
        //@ 8..
        self.pending_events() > 0
            && !self.callbacks.any_deferred()
            && self.immediates.is_empty()
            && !self.timers.is_due()
        //@ end
    }
    //@ end
}
// ANCHOR_END: wait

// ANCHOR: drop
impl Drop for Runtime {
    /// Stops every thread the runtime started, and waits for each one, so
    /// that no thread outlives the runtime.
    fn drop(&mut self) {
        let threads = self.pool.stop_and_join();
        // log!("stopped and joined {threads} pool threads"); //@ 2
        //@ 3..=12
        // self.epoll.stop_and_join();
        // log!("stopped and joined {threads} pool threads and the epoll thread");
        //@ or 13
        log!("stopped and joined {threads} pool threads");
        //@ end
    }
}
// ANCHOR_END: drop
//@ end
