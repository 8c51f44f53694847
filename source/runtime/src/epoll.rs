//@ 3..
//@ ..=12
// //! The epoll thread: one thread waits for every socket, and tells the
// //! main thread which ones are ready (`sockets.rs` reads them).
// //! From stage 4 on, the epoll thread also wakes the main thread when the //@ 4..
// //! next timer is due: this file holds both sides of that arrangement. //@ 4..
//@ or 13
//! The loop's own wait for its sockets: the main thread calls epoll
//! itself, in the poll phase, for as long as the next timer allows, as
//! libuv's poll phase does. The pool threads and the wakers of tasks wake
//! it through a `Waker` in the same queue. (Stages 3 to 12 had a thread of
//! its own wait instead, and pass its news on.)
//@ end

// use std::io::{self, ErrorKind}; //@ ..=12
use std::io; //@ 13
// use std::sync::mpsc::Sender; //@ ..=12
// use std::sync::{Arc, Mutex, MutexGuard, PoisonError}; //@ 4..=12
use std::sync::Arc; //@ 13
use std::sync::mpsc::{SendError, Sender}; //@ 13
// use std::thread::{self, JoinHandle}; //@ ..=12
// use std::time::Instant; //@ 4..=12
use std::time::Duration; //@ 13

// use minimio::{Events, Interests, Poll, Registrator, TcpStream, Token}; //@ 3
use minimio::{Events, Interests, Poll, Registrator, TcpStream, Token, Waker}; //@ 4..

use crate::{CallbackId, PollEvent, log, trace};

// ANCHOR: start
//@ ..=12
//@ 3
// /// The epoll thread, as the main thread sees it: the way to ask it to
// /// watch a socket, and the thread itself, to stop it.
//@ or 4..
// /// The epoll thread, as the main thread sees it: the way to ask it to
// /// watch a socket, the deadline it wakes the main thread at, and the
// /// thread itself, to stop it.
//@ end
// pub(crate) struct EpollThread {
//     /// Registers sockets with the queue the epoll thread waits on.
//     registrator: Registrator,
//     /// The thread, to join when the runtime shuts down.
//     thread: Option<JoinHandle<()>>,
//@ 4..
//     /// When the epoll thread must wake the main thread: the next timer's
//     /// deadline, if there is one.
//     deadline: Arc<Mutex<Option<Instant>>>,
//     /// Wakes the epoll thread, to make it read `deadline` again.
//     waker: Waker,
//@ end
// }
//
// impl EpollThread {
//@ 3
//     /// Starts the epoll thread. It owns the `Poll`; the main thread keeps a
//     /// `Registrator` to register sockets with it.
//     pub(crate) fn start(events: Sender<PollEvent>) -> EpollThread {
//         let poll = Poll::new().expect("the system can make an event queue");
//         let registrator = poll.registrator();
//         let thread = thread::Builder::new()
//             .name("epoll".to_string())
//             .spawn(move || wait_for_sockets(poll, events))
//             .expect("the system can start a thread");
//         EpollThread {
//             registrator,
//             thread: Some(thread),
//         }
//     }
//@ or 4..
//     /// Starts the epoll thread. It owns the `Poll`; the main thread keeps a
//     /// `Registrator` to register sockets with it, a `Waker` registered
//     /// with it, and the deadline it reads.
//     pub(crate) fn start(events: Sender<PollEvent>) -> EpollThread {
//         let poll = Poll::new().expect("the system can make an event queue");
//         let registrator = poll.registrator();
//         let waker = Waker::new(&registrator, WAKE_UP).expect("the system can make a waker");
//         let deadline = Arc::new(Mutex::new(None));
//         let its_deadline = Arc::clone(&deadline);
//         let thread = thread::Builder::new()
//             .name("epoll".to_string())
//             .spawn(move || wait_for_sockets(poll, its_deadline, events))
//             .expect("the system can start a thread");
//         EpollThread {
//             registrator,
//             thread: Some(thread),
//             deadline,
//             waker,
//         }
//     }
//@ end
// }
//@ or 13
/// The kernel's event queue, which the main thread waits on in the poll
/// phase: the sockets it reads, and a waker for the other threads.
pub(crate) struct Epoll {
    poll: Poll,
    /// Where `poll` writes what it finds, kept from one wait to the next.
    events: Events,
    /// Registers sockets with the queue.
    registrator: Registrator,
    /// Ends a wait from another thread: see `EventSender`.
    waker: Arc<Waker>,
}

impl Epoll {
    /// A new, empty queue, with its waker.
    pub(crate) fn new() -> Epoll {
        let poll = Poll::new().expect("the system can make an event queue");
        let registrator = poll.registrator();
        let waker = Waker::new(&registrator, WAKE_UP).expect("the system can make a waker");
        Epoll {
            poll,
            events: Events::with_capacity(1024),
            registrator,
            waker: Arc::new(waker),
        }
    }
}
//@ end
// ANCHOR_END: start

// ANCHOR: watch
// impl EpollThread //@ ..=12
impl Epoll //@ 13
{
    /// Asks epoll to report `stream` once, as `id`, when it is ready in
    /// the way `interests` says.
    pub(crate) fn watch(
        &self,
        stream: &TcpStream,
        id: CallbackId,
        interests: Interests,
    ) -> io::Result<()> {
        self.registrator.register(stream, Token(id.0), interests)
    }

    /// Asks for the next report of a `stream` watched before: each
    /// registration reports a socket once, and then it must be re-armed.
    pub(crate) fn watch_again(
        &self,
        stream: &TcpStream,
        id: CallbackId,
        interests: Interests,
    ) -> io::Result<()> {
        self.registrator.reregister(stream, Token(id.0), interests)
    }
    //@ ..=12
    //
    // /// Stops the epoll thread and waits for it: `close_loop` wakes it, and
    // /// its `poll` then fails with `Interrupted`.
    // pub(crate) fn stop_and_join(&mut self) {
    //     let _ = self.registrator.close_loop();
    //     if let Some(thread) = self.thread.take() {
    //         let _ = thread.join();
    //     }
    // }
    //@ end
}
// ANCHOR_END: watch

//@ ..=12
// // ANCHOR: wait_for_sockets
//@ 3
// /// The life of the epoll thread: sleep until sockets are ready, and tell
// /// the main thread which ones; until the loop is closed.
// fn wait_for_sockets(mut poll: Poll, events_out: Sender<PollEvent>) {
//     let mut events = Events::with_capacity(1024);
//     loop {
//         let ready = {
//             let _waiting = trace::slice("epoll wait");
//             poll.poll(&mut events, None)
//         };
//         match ready {
//             Ok(_) => {
//                 for event in &events {
//                     let id = CallbackId(event.token().0);
//                     log!("the socket of callback {id} is ready");
//                     if events_out.send(PollEvent::Epoll(id)).is_err() {
//                         return; // the runtime is gone: nobody is listening
//                     }
//                 }
//             }
//             // `close_loop` was called: the runtime is shutting down.
//             Err(error) if error.kind() == ErrorKind::Interrupted => return,
//             // Only a broken queue fails otherwise, which our own code
//             // never makes: say so, and stop.
//             Err(error) => {
//                 log!("cannot wait for sockets any more: {error}");
//                 return;
//             }
//         }
//     }
// }
//@ or 4..
// // ANCHOR: wait_deadline
// /// The life of the epoll thread: sleep until sockets are ready or the
// /// main thread's deadline passes, and tell the main thread; until the loop
// /// is closed.
// fn wait_for_sockets(
//     mut poll: Poll,
//     shared_deadline: Arc<Mutex<Option<Instant>>>,
//     events_out: Sender<PollEvent>,
// ) {
//     let mut events = Events::with_capacity(1024);
//     loop {
//         let deadline = *lock(&shared_deadline);
//         // minimio rounds the wait up to epoll's whole milliseconds.
//         let timeout = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
//         let ready = {
//             let _waiting = trace::slice("epoll wait");
//             poll.poll(&mut events, timeout)
//         };
//         match ready {
//             Ok(0) => {
//                 trace::instant("the deadline has passed");
//                 forget_deadline(&shared_deadline, deadline);
//                 if events_out.send(PollEvent::Timeout).is_err() {
//                     return; // the runtime is gone: nobody is listening
//                 }
//             }
//             // ANCHOR_END: wait_deadline
//             // ANCHOR: wait_wake_up
//             Ok(_) => {
//                 for event in &events {
//                     if event.token() == WAKE_UP {
//                         trace::instant("woken to read a new deadline");
//                         continue; // it only woke us: read the deadline again
//                     }
//                     let id = CallbackId(event.token().0);
//                     log!("the socket of callback {id} is ready");
//                     if events_out.send(PollEvent::Epoll(id)).is_err() {
//                         return;
//                     }
//                 }
//             }
//             // `close_loop` was called: the runtime is shutting down.
//             Err(error) if error.kind() == ErrorKind::Interrupted => return,
//             // Only a broken queue fails otherwise, which our own code
//             // never makes: say so, and stop.
//             Err(error) => {
//                 log!("cannot wait for sockets any more: {error}");
//                 return;
//             }
//         }
//     }
// }
// // ANCHOR_END: wait_wake_up
//
// // ANCHOR: forget_deadline
// /// The deadline has passed and the main thread will hear of it: forget
// /// it, so as not to wake the main thread for it again. Unless the main
// /// thread has set a new one meanwhile.
// fn forget_deadline(shared_deadline: &Mutex<Option<Instant>>, passed: Option<Instant>) {
//     let mut deadline = lock(shared_deadline);
//     if *deadline == passed {
//         *deadline = None;
//     }
// }
// // ANCHOR_END: forget_deadline
//@ end
// // ANCHOR_END: wait_for_sockets
//@ end
//@ 4..
//@ ..=12
//
//@ end
// // ANCHOR: set_deadline //@ ..=12
// ANCHOR: wake_up //@ 13
//@ ..=12
// /// The token of the waker that makes the epoll thread read its deadline
// /// again. Callback ids count up from 1 and never get near it; minimio
// /// keeps `usize::MAX` for itself.
//@ or 13
/// The token of the waker that ends the main thread's wait. Callback ids
/// count up from 1 and never get near it; minimio keeps `usize::MAX` for
/// itself.
//@ end
pub(crate) const WAKE_UP: Token = Token(usize::MAX - 1);
// ANCHOR_END: wake_up //@ 13
//@ ..=12
//
// impl EpollThread {
//     /// Before the main thread goes to sleep: tell the epoll thread when to
//     /// wake it, `next`, the next timer's deadline. If that is sooner than
//     /// the one it knows, wake it, since it may be asleep until a later
//     /// deadline, or with none at all.
//     pub(crate) fn set_deadline(&self, next: Option<Instant>) {
//         let mut deadline = lock(&self.deadline);
//         let sooner = match (next, *deadline) {
//             (Some(next), Some(current)) => next < current,
//             (Some(_), None) => true,
//             (None, _) => false,
//         };
//         *deadline = next;
//         drop(deadline);
//         if sooner {
//             if let Err(error) = self.waker.wake() {
//                 log!("cannot wake the epoll thread: {error}");
//             }
//         }
//     }
// }
// // ANCHOR_END: set_deadline
//
// // ANCHOR: lock
// /// Takes a lock even if another thread panicked while holding it: an
// /// `Option<Instant>` cannot be left half-written.
// fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
//     mutex.lock().unwrap_or_else(PoisonError::into_inner)
// }
// // ANCHOR_END: lock
//
// #[cfg(test)]
// mod tests {
//     use std::time::Duration;
//
//     use super::*;
//
//     #[test]
//     fn a_passed_deadline_is_forgotten_if_it_is_still_the_one_set() {
//         let passed = Instant::now();
//         let shared_deadline = Mutex::new(Some(passed));
//         forget_deadline(&shared_deadline, Some(passed));
//         assert_eq!(*lock(&shared_deadline), None);
//     }
//
//     #[test]
//     fn a_new_deadline_set_meanwhile_is_kept() {
//         let passed = Instant::now();
//         let new = passed + Duration::from_millis(5);
//         let shared_deadline = Mutex::new(Some(new));
//         forget_deadline(&shared_deadline, Some(passed));
//         assert_eq!(*lock(&shared_deadline), Some(new));
//     }
// }
//@ end
//@ end
//@ 13

// ANCHOR: wait
impl Epoll {
    /// The poll phase's wait: sleeps until a socket is ready, the waker
    /// is woken, or `timeout` has passed (`None`: no timer waits), and
    /// gives the ids of the sockets that are ready. A timeout of zero only
    /// looks.
    pub(crate) fn wait(&mut self, timeout: Option<Duration>) -> Vec<CallbackId> {
        let waited = {
            let _waiting = trace::slice("epoll wait");
            self.poll.poll(&mut self.events, timeout)
        };
        if let Err(error) = waited {
            // Only a broken queue fails, which our own code never makes.
            log!("cannot wait for sockets: {error}");
            return Vec::new();
        }
        let mut ready = Vec::new();
        for event in &self.events {
            match event.token() {
                // It only ended the wait: the news is on the channel.
                WAKE_UP => trace::instant("woken by another thread"),
                Token(id) => {
                    let id = CallbackId(id);
                    log!("the socket of callback {id} is ready");
                    ready.push(id);
                }
            }
        }
        ready
    }

    /// The sending end of the channel for a pool thread or a task's
    /// waker: `sender`, with this queue's waker.
    pub(crate) fn sender(&self, sender: Sender<PollEvent>) -> EventSender {
        EventSender {
            sender,
            waker: Arc::clone(&self.waker),
        }
    }
}
// ANCHOR_END: wait

// ANCHOR: event_sender
/// How the other threads reach the main thread: a message on the
/// channel, then a wake-up, since the main thread may be asleep in
/// `epoll_wait` rather than on the channel. libuv's `uv_async_send` is
/// the same idea.
#[derive(Clone)]
pub(crate) struct EventSender {
    sender: Sender<PollEvent>,
    waker: Arc<Waker>,
}

impl EventSender {
    /// Sends `event` and wakes the main thread; fails only once the
    /// runtime is gone.
    pub(crate) fn send(&self, event: PollEvent) -> Result<(), SendError<PollEvent>> {
        self.sender.send(event)?;
        // A queue that cannot be woken is being closed with the runtime.
        let _ = self.waker.wake();
        Ok(())
    }
}
// ANCHOR_END: event_sender
//@ end
//@ end
