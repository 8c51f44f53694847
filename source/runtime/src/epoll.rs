//! The loop's own wait for its sockets: the main thread calls epoll
//! itself, in the poll phase, for as long as the next timer allows, as
//! libuv's poll phase does. The pool threads and the wakers of tasks wake
//! it through a `Waker` in the same queue. (Stages 3 to 12 had a thread of
//! its own wait instead, and pass its news on.)

use std::io;
use std::sync::Arc;
use std::sync::mpsc::{SendError, Sender};
use std::time::Duration;

use minimio::{Events, Interests, Poll, Registrator, TcpStream, Token, Waker};

use crate::{CallbackId, PollEvent, log, trace};

// ANCHOR: start
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
// ANCHOR_END: start

// ANCHOR: watch
impl Epoll {
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
}
// ANCHOR_END: watch

// ANCHOR: wake_up
/// The token of the waker that ends the main thread's wait. Callback ids
/// count up from 1 and never get near it; minimio keeps `usize::MAX` for
/// itself.
pub(crate) const WAKE_UP: Token = Token(usize::MAX - 1);
// ANCHOR_END: wake_up

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
