//! The portable backend, built on the `polling` crate (kqueue on macOS,
//! IOCP on Windows, epoll on Linux). It is used wherever minimio has no
//! backend of its own, and on Linux with the `portable` feature, so that the
//! same tests can check it here.

use std::io;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use polling::Poller;

use crate::{Events, Interests, TcpStream, Token};

/// One ready socket, as [`Poll::poll`](crate::Poll::poll) reports it.
#[derive(Clone, Copy, Debug)]
pub struct Event {
    token: Token,
}

impl Event {
    /// The token the socket was registered with.
    pub fn token(&self) -> Token {
        self.token
    }
}

/// A `polling::Poller`, the buffer it reports events into, and the
/// tokens of the wakers woken since the last wait.
pub(crate) struct Selector {
    poller: Arc<Poller>,
    reported: Mutex<polling::Events>,
    woken: Mutex<Vec<Token>>,
}

// ANCHOR: registration
/// The poller a stream was added to, if any. `polling` requires a socket to
/// be deleted from its poller before the socket is closed, so the stream
/// remembers where it was added, and its `Drop` deletes it.
pub(crate) type Registration = Mutex<Option<Weak<Poller>>>;

impl Drop for TcpStream {
    fn drop(&mut self) {
        let added_to = self
            .registration
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(poller) = added_to.take().and_then(|weak| weak.upgrade()) {
            // Nothing useful can be done with an error while dropping.
            let _ = poller.delete(&self.inner);
        }
    }
}
// ANCHOR_END: registration

impl Selector {
    pub(crate) fn new() -> io::Result<Selector> {
        Ok(Selector {
            poller: Arc::new(Poller::new()?),
            reported: Mutex::new(polling::Events::new()),
            woken: Mutex::new(Vec::new()),
        })
    }
}

// ANCHOR: portable_register
impl Selector {
    /// Adds `stream` to this poller (and takes it off another one, if it
    /// was added there: a stream is on one poller at a time). Refuses a
    /// stream already added here, as epoll does.
    pub(crate) fn register(
        &self,
        stream: &TcpStream,
        token: Token,
        interests: Interests,
    ) -> io::Result<()> {
        let mut added_to = lock(&stream.registration);
        if let Some(earlier) = added_to.as_ref().and_then(Weak::upgrade) {
            if Arc::ptr_eq(&earlier, &self.poller) {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the stream is registered already: reregister it",
                ));
            }
            earlier.delete(&stream.inner)?;
        }
        // SAFETY: `TcpStream`'s `Drop` deletes the socket from this poller
        // before the socket is closed.
        unsafe { self.poller.add(&stream.inner, one_shot(token, interests))? };
        *added_to = Some(Arc::downgrade(&self.poller));
        Ok(())
    }
}

/// `polling`'s event for one registration, with the token as its key.
fn one_shot(token: Token, interests: Interests) -> polling::Event {
    polling::Event::new(token.0, interests.is_readable(), interests.is_writable())
}
// ANCHOR_END: portable_register

// ANCHOR: portable_reregister
impl Selector {
    /// Re-arms `stream`, added to this poller before. (`polling`'s
    /// registrations are one-shot, like ours.)
    pub(crate) fn reregister(
        &self,
        stream: &TcpStream,
        token: Token,
        interests: Interests,
    ) -> io::Result<()> {
        let added_to = lock(&stream.registration);
        self.check_added_here(added_to.as_ref())?;
        self.poller
            .modify(&stream.inner, one_shot(token, interests))
    }

    /// Takes `stream` off this poller.
    pub(crate) fn deregister(&self, stream: &TcpStream) -> io::Result<()> {
        let mut added_to = lock(&stream.registration);
        self.check_added_here(added_to.as_ref())?;
        self.poller.delete(&stream.inner)?;
        *added_to = None;
        Ok(())
    }

    /// Refuses a stream that is not on this poller, as epoll does.
    fn check_added_here(&self, added_to: Option<&Weak<Poller>>) -> io::Result<()> {
        match added_to.and_then(Weak::upgrade) {
            Some(poller) if Arc::ptr_eq(&poller, &self.poller) => Ok(()),
            _ => Err(io::Error::new(
                io::ErrorKind::NotFound,
                "the stream is not registered with this queue",
            )),
        }
    }
}
// ANCHOR_END: portable_reregister

impl Selector {
    /// Waits once, and copies what `polling` reports into `events`.
    pub(crate) fn select(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
        // Ask `polling` for no more events than `events` has room for: an
        // event reported and then dropped would be lost for good.
        let room = NonZeroUsize::new(events.capacity()).expect("Poll::poll makes room");
        let mut reported = lock(&self.reported);
        if reported.capacity() != room {
            *reported = polling::Events::with_capacity(room);
        }
        reported.clear();
        self.poller.wait(&mut reported, timeout)?;
        events.clear();
        events.extend(reported.iter().map(|e| Event {
            token: Token(e.key),
        }));
        self.report_woken(events)
    }

    /// Adds the tokens of the wakers woken since the last wait (`notify`
    /// carries no key of its own), as many as `events` has room for. Those
    /// left over wait for the next call, which a `notify` makes come at
    /// once.
    fn report_woken(&self, events: &mut Events) -> io::Result<()> {
        let mut woken = lock(&self.woken);
        let room = events.capacity() - events.len();
        let reported = woken.len().min(room);
        events.extend(woken.drain(..reported).map(|token| Event { token }));
        if !woken.is_empty() {
            self.poller.notify()?;
        }
        Ok(())
    }

    pub(crate) fn interrupt(&self) -> io::Result<()> {
        self.poller.notify()
    }
}

// ANCHOR: portable_waker
/// The backend of a [`Waker`](crate::Waker): `polling` can wake a wait with
/// `notify`, but the event it causes carries no token. So the selector
/// keeps the tokens of the wakers woken, and `select` reports them.
pub(crate) struct Waker {
    token: Token,
}

impl Waker {
    pub(crate) fn new(_selector: &Selector, token: Token) -> io::Result<Waker> {
        Ok(Waker { token })
    }

    pub(crate) fn wake(&self, selector: &Selector) -> io::Result<()> {
        let mut woken = lock(&selector.woken);
        // One event per waker and wait is enough, as with epoll.
        if !woken.contains(&self.token) {
            woken.push(self.token);
        }
        drop(woken);
        selector.poller.notify()
    }
}
// ANCHOR_END: portable_waker

/// Takes a lock even if a thread panicked while holding it: the data here
/// (a buffer, a pointer to a poller) cannot be left half-changed.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
