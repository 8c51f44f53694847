//! The handles on one event queue: `Poll`, which waits on it;
//! `Registrator`, which adds sockets to it and can close it; and `Waker`,
//! which ends a wait from another thread.
//!
//! All three share the backend's queue (`sys::Selector`) and a `closed`
//! flag.
//! What is the same on every backend lives here: the closed flag, the
//! reserved token, and waiting out the whole timeout.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::{Events, Interests, TcpStream, Token, sys};

/// Room for events when the caller's buffer has none.
const DEFAULT_CAPACITY: usize = 64;

// ANCHOR: queue
/// What `Poll`, its `Registrator`s and its `Waker`s share.
struct Queue {
    selector: sys::Selector,
    closed: AtomicBool,
}

impl Queue {
    fn check_open(&self) -> io::Result<()> {
        if self.closed.load(Ordering::SeqCst) {
            Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the event loop has been closed",
            ))
        } else {
            Ok(())
        }
    }
}
// ANCHOR_END: queue

/// The event queue. One thread owns it and waits on it with [`Poll::poll`].
pub struct Poll {
    queue: Arc<Queue>,
}

/// Registers sockets with a [`Poll`], and closes it.
///
/// It can be sent to another thread, so that one thread waits in
/// [`Poll::poll`] while another registers new sockets.
pub struct Registrator {
    queue: Arc<Queue>,
}

impl Poll {
    /// Creates a new, empty event queue.
    pub fn new() -> io::Result<Poll> {
        let queue = Queue {
            selector: sys::Selector::new()?,
            closed: AtomicBool::new(false),
        };
        Ok(Poll {
            queue: Arc::new(queue),
        })
    }

    /// Returns a handle that registers sockets with this queue.
    pub fn registrator(&self) -> Registrator {
        Registrator {
            queue: Arc::clone(&self.queue),
        }
    }
}

// ANCHOR: poll
impl Poll {
    /// Blocks until at least one registered socket is ready, or until
    /// `timeout` has passed (`None`: no time limit). The wait is never
    /// shorter than `timeout`: epoll counts in whole milliseconds, and
    /// minimio rounds up.
    ///
    /// Fills `events` (up to its capacity; room for 64 if it has none) and
    /// returns how many there are; 0 means the timeout passed. A signal
    /// that interrupts the wait does not cut it short: the wait goes on for
    /// the time that remains.
    ///
    /// After [`Registrator::close_loop`] it returns an error of kind
    /// [`Interrupted`](io::ErrorKind::Interrupted), at once and every time.
    pub fn poll(&mut self, events: &mut Events, timeout: Option<Duration>) -> io::Result<usize> {
        // A timeout too long to add to the clock is as good as none.
        let deadline = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
        events.clear();
        if events.capacity() == 0 {
            events.reserve(DEFAULT_CAPACITY);
        }
        loop {
            self.queue.check_open()?;
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            match self.queue.selector.select(events, remaining) {
                Ok(()) => {}
                // A signal woke us up: not an event, so wait again below.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            self.queue.check_open()?;

            if !events.is_empty() {
                return Ok(events.len());
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(0);
            }
        }
    }
}
// ANCHOR_END: poll

// ANCHOR: registrator
impl Registrator {
    /// Asks the queue to report `stream` once, with `token`, when it is
    /// ready in the way `interests` says.
    ///
    /// A stream is registered once; after its event has been reported,
    /// [`reregister`](Registrator::reregister) asks for the next one. A
    /// second `register` is refused, with an error of kind
    /// [`AlreadyExists`](io::ErrorKind::AlreadyExists).
    pub fn register(
        &self,
        stream: &TcpStream,
        token: Token,
        interests: Interests,
    ) -> io::Result<()> {
        self.queue.check_open()?;
        check_token(token)?;
        self.queue.selector.register(stream, token, interests)
    }

    /// Re-arms a registered `stream`: the queue reports it once more, with
    /// `token`, when it is ready in the way `interests` says (which may
    /// differ from the last time). A stream not registered with this queue
    /// is refused, with an error of kind [`NotFound`](io::ErrorKind::NotFound).
    pub fn reregister(
        &self,
        stream: &TcpStream,
        token: Token,
        interests: Interests,
    ) -> io::Result<()> {
        self.queue.check_open()?;
        check_token(token)?;
        self.queue.selector.reregister(stream, token, interests)
    }
}
// ANCHOR_END: registrator

// ANCHOR: close_loop
impl Registrator {
    /// Takes `stream` off the queue: it is reported no more, even if it
    /// was armed. Dropping the stream does the same.
    pub fn deregister(&self, stream: &TcpStream) -> io::Result<()> {
        self.queue.check_open()?;
        self.queue.selector.deregister(stream)
    }

    /// Closes the queue: a thread blocked in [`Poll::poll`] wakes up, and it
    /// and every later call return an error of kind
    /// [`Interrupted`](io::ErrorKind::Interrupted). So does `register`.
    pub fn close_loop(&self) -> io::Result<()> {
        self.queue.closed.store(true, Ordering::SeqCst);
        self.queue.selector.interrupt()
    }
}

/// Refuses the token minimio keeps for itself.
fn check_token(token: Token) -> io::Result<()> {
    if token == Token(usize::MAX) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the token usize::MAX is reserved by minimio",
        ));
    }
    Ok(())
}
// ANCHOR_END: close_loop

// ANCHOR: waker
/// Wakes a thread blocked in [`Poll::poll`], from any other thread: the
/// `poll` returns with an event that carries the waker's token.
///
/// Wakes that come before the next `poll`, one or many, give it one event:
/// a waker says "look again", not how many times it was asked to. Keep the
/// waker for as long as the queue is polled: dropping it takes it off the
/// queue, and a wake not yet reported may go with it.
pub struct Waker {
    queue: Arc<Queue>,
    inner: sys::Waker,
}

impl Waker {
    /// A waker for the queue `registrator` registers with. Its events carry
    /// `token`; the caller keeps that token for the waker alone.
    pub fn new(registrator: &Registrator, token: Token) -> io::Result<Waker> {
        check_token(token)?;
        let queue = Arc::clone(&registrator.queue);
        let inner = sys::Waker::new(&queue.selector, token)?;
        Ok(Waker { queue, inner })
    }

    /// Makes the current `poll`, or the next one, return with this
    /// waker's event.
    pub fn wake(&self) -> io::Result<()> {
        self.inner.wake(&self.queue.selector)
    }
}
// ANCHOR_END: waker
