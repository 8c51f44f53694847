//@ 3..
//! The epoll thread: one thread waits for every socket, and tells the
//! main thread which ones are ready (`sockets.rs` reads them).
//! From stage 4 on, the epoll thread also wakes the main thread when the //@ 4..
//! next timer is due: this file holds both sides of that arrangement. //@ 4..

use std::io::{self, ErrorKind};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use minimio::{Events, Interests, Poll, Registrator, TcpStream, Token, Waker};

use crate::{CallbackId, PollEvent, log, trace};

// ANCHOR: start
//@ 3
// /// The epoll thread, as the main thread sees it: the way to ask it to
// /// watch a socket, and the thread itself, to stop it.
//@ or 4..
/// The epoll thread, as the main thread sees it: the way to ask it to
/// watch a socket, the deadline it wakes the main thread at, and the
/// thread itself, to stop it.
//@ end
pub(crate) struct EpollThread {
    /// Registers sockets with the queue the epoll thread waits on.
    registrator: Registrator,
    /// The thread, to join when the runtime shuts down.
    thread: Option<JoinHandle<()>>,
    //@ 4..
    /// When the epoll thread must wake the main thread: the next timer's
    /// deadline, if there is one.
    deadline: Arc<Mutex<Option<Instant>>>,
    /// Wakes the epoll thread, to make it read `deadline` again.
    waker: Waker,
    //@ end
}

impl EpollThread {
    //@ 3
    // /// Starts the epoll thread. It owns the `Poll`; the main thread keeps a
    // /// `Registrator` to register sockets with it.
    // pub(crate) fn start(events: Sender<PollEvent>) -> EpollThread {
    //     let poll = Poll::new().expect("the system can make an event queue");
    //     let registrator = poll.registrator();
    //     let thread = thread::Builder::new()
    //         .name("epoll".to_string())
    //         .spawn(move || wait_for_sockets(poll, events))
    //         .expect("the system can start a thread");
    //     EpollThread {
    //         registrator,
    //         thread: Some(thread),
    //     }
    // }
    //@ or 4..
    /// Starts the epoll thread. It owns the `Poll`; the main thread keeps a
    /// `Registrator` to register sockets with it, a `Waker` registered
    /// with it, and the deadline it reads.
    pub(crate) fn start(events: Sender<PollEvent>) -> EpollThread {
        let poll = Poll::new().expect("the system can make an event queue");
        let registrator = poll.registrator();
        let waker = Waker::new(&registrator, WAKE_UP).expect("the system can make a waker");
        let deadline = Arc::new(Mutex::new(None));
        let its_deadline = Arc::clone(&deadline);
        let thread = thread::Builder::new()
            .name("epoll".to_string())
            .spawn(move || wait_for_sockets(poll, its_deadline, events))
            .expect("the system can start a thread");
        EpollThread {
            registrator,
            thread: Some(thread),
            deadline,
            waker,
        }
    }
    //@ end
}
// ANCHOR_END: start

// ANCHOR: watch
impl EpollThread {
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

    /// Stops the epoll thread and waits for it: `close_loop` wakes it, and
    /// its `poll` then fails with `Interrupted`.
    pub(crate) fn stop_and_join(&mut self) {
        let _ = self.registrator.close_loop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
// ANCHOR_END: watch

// ANCHOR: wait_for_sockets
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
// ANCHOR: wait_deadline
/// The life of the epoll thread: sleep until sockets are ready or the
/// main thread's deadline passes, and tell the main thread; until the loop
/// is closed.
fn wait_for_sockets(
    mut poll: Poll,
    shared_deadline: Arc<Mutex<Option<Instant>>>,
    events_out: Sender<PollEvent>,
) {
    let mut events = Events::with_capacity(1024);
    loop {
        let deadline = *lock(&shared_deadline);
        // minimio rounds the wait up to epoll's whole milliseconds.
        let timeout = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
        let ready = {
            let _waiting = trace::slice("epoll wait");
            poll.poll(&mut events, timeout)
        };
        match ready {
            Ok(0) => {
                trace::instant("the deadline has passed");
                forget_deadline(&shared_deadline, deadline);
                if events_out.send(PollEvent::Timeout).is_err() {
                    return; // the runtime is gone: nobody is listening
                }
            }
            // ANCHOR_END: wait_deadline
            // ANCHOR: wait_wake_up
            Ok(_) => {
                for event in &events {
                    if event.token() == WAKE_UP {
                        trace::instant("woken to read a new deadline");
                        continue; // it only woke us: read the deadline again
                    }
                    let id = CallbackId(event.token().0);
                    log!("the socket of callback {id} is ready");
                    if events_out.send(PollEvent::Epoll(id)).is_err() {
                        return;
                    }
                }
            }
            // `close_loop` was called: the runtime is shutting down.
            Err(error) if error.kind() == ErrorKind::Interrupted => return,
            // Only a broken queue fails otherwise, which our own code
            // never makes: say so, and stop.
            Err(error) => {
                log!("cannot wait for sockets any more: {error}");
                return;
            }
        }
    }
}
// ANCHOR_END: wait_wake_up

// ANCHOR: forget_deadline
/// The deadline has passed and the main thread will hear of it: forget
/// it, so as not to wake the main thread for it again. Unless the main
/// thread has set a new one meanwhile.
fn forget_deadline(shared_deadline: &Mutex<Option<Instant>>, passed: Option<Instant>) {
    let mut deadline = lock(shared_deadline);
    if *deadline == passed {
        *deadline = None;
    }
}
// ANCHOR_END: forget_deadline
//@ end
// ANCHOR_END: wait_for_sockets
//@ 4..

// ANCHOR: set_deadline
/// The token of the waker that makes the epoll thread read its deadline
/// again. Callback ids count up from 1 and never get near it; minimio
/// keeps `usize::MAX` for itself.
pub(crate) const WAKE_UP: Token = Token(usize::MAX - 1);

impl EpollThread {
    /// Before the main thread goes to sleep: tell the epoll thread when to
    /// wake it, `next`, the next timer's deadline. If that is sooner than
    /// the one it knows, wake it, since it may be asleep until a later
    /// deadline, or with none at all.
    pub(crate) fn set_deadline(&self, next: Option<Instant>) {
        let mut deadline = lock(&self.deadline);
        let sooner = match (next, *deadline) {
            (Some(next), Some(current)) => next < current,
            (Some(_), None) => true,
            (None, _) => false,
        };
        *deadline = next;
        drop(deadline);
        if sooner {
            if let Err(error) = self.waker.wake() {
                log!("cannot wake the epoll thread: {error}");
            }
        }
    }
}
// ANCHOR_END: set_deadline

// ANCHOR: lock
/// Takes a lock even if another thread panicked while holding it: an
/// `Option<Instant>` cannot be left half-written.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
// ANCHOR_END: lock

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_passed_deadline_is_forgotten_if_it_is_still_the_one_set() {
        let passed = Instant::now();
        let shared_deadline = Mutex::new(Some(passed));
        forget_deadline(&shared_deadline, Some(passed));
        assert_eq!(*lock(&shared_deadline), None);
    }

    #[test]
    fn a_new_deadline_set_meanwhile_is_kept() {
        let passed = Instant::now();
        let new = passed + Duration::from_millis(5);
        let shared_deadline = Mutex::new(Some(new));
        forget_deadline(&shared_deadline, Some(passed));
        assert_eq!(*lock(&shared_deadline), Some(new));
    }
}
//@ end
//@ end
