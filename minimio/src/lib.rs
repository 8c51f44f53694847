//! # minimio: a minimal event queue
//!
//! A runtime that talks to the network must not block its one thread on a
//! socket that has nothing to say yet. Instead it asks the operating system:
//! "wake me when one of these sockets is ready". On Linux that service is
//! called epoll; macOS has kqueue and Windows has IOCP. minimio wraps it in
//! the few calls a runtime needs, and nothing more:
//!
//! - [`Poll`] owns the queue; [`Poll::poll`] blocks until events arrive or a
//!   timeout passes.
//! - [`Registrator`] adds sockets to the queue (`register`), re-arms them
//!   (`reregister`) and takes them off (`deregister`), from any thread, and
//!   can close the loop, which wakes a blocked `poll` for good. These are
//!   mio's names, and mean what they mean in mio.
//! - [`Waker`] ends a wait from another thread: `poll` returns with the
//!   waker's event.
//! - [`TcpStream`] is a non-blocking TCP connection; each [`Event`] carries
//!   the [`Token`] it was registered with, so the caller knows which one is
//!   ready.
//!
//! On Linux minimio drives epoll itself (`src/sys/epoll.rs`). Elsewhere, or
//! on Linux with the `portable` feature, it uses the
//! [`polling`](https://docs.rs/polling) crate. Both behave the same way, and
//! the same tests run against both.
//!
//! ## One event per registration
//!
//! A registration is *one-shot*: it reports the socket once, then stays
//! quiet until the caller re-arms it with `reregister`. The pattern is
//! always the same: read until the socket says [`WouldBlock`](std::io::ErrorKind::WouldBlock)
//! ("nothing more for now"), then reregister to hear about the next bytes.
//! If the bytes are already there when you reregister, the next `poll`
//! reports them at once, so nothing is ever missed.
//!
//! ```
//! use std::io::{ErrorKind, Read, Write};
//! use std::net::TcpListener;
//! use std::time::Duration;
//! use minimio::{Events, Interests, Poll, TcpStream, Token};
//!
//! # fn main() -> std::io::Result<()> {
//! // A peer on loopback that will send us two messages.
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! let mut stream = TcpStream::connect(listener.local_addr()?)?;
//! let (mut peer, _) = listener.accept()?;
//!
//! let mut poll = Poll::new()?;
//! let registrator = poll.registrator();
//! let mut events = Events::with_capacity(16);
//! let mut received = Vec::new();
//! let mut buffer = [0; 64];
//!
//! registrator.register(&stream, Token(7), Interests::READABLE)?;
//! for message in ["hello, ", "world"] {
//!     peer.write_all(message.as_bytes())?;
//!
//!     // Wait (at most 5 s) until the socket is readable.
//!     poll.poll(&mut events, Some(Duration::from_secs(5)))?;
//!     assert_eq!(events[0].token(), Token(7));
//!
//!     // Read everything there is, until the socket would block.
//!     loop {
//!         match stream.read(&mut buffer) {
//!             Ok(0) => break, // the peer closed the connection
//!             Ok(n) => received.extend_from_slice(&buffer[..n]),
//!             Err(e) if e.kind() == ErrorKind::WouldBlock => break,
//!             Err(e) => return Err(e),
//!         }
//!     }
//!
//!     // Re-arm: ask for the next event on this socket.
//!     registrator.reregister(&stream, Token(7), Interests::READABLE)?;
//! }
//! assert_eq!(received, b"hello, world");
//! # Ok(())
//! # }
//! ```
//!
//! ## Waking a `poll`
//!
//! A thread blocked in [`Poll::poll`] may need to look again before any
//! socket is ready, say because another thread wants it to wait with a
//! shorter timeout. A [`Waker`] does that: [`Waker::wake`] makes the poll
//! return with an event that carries the waker's token.
//!
//! ```
//! use std::sync::Arc;
//! use std::thread;
//! use std::time::Duration;
//! use minimio::{Events, Poll, Token, Waker};
//!
//! # fn main() -> std::io::Result<()> {
//! let mut poll = Poll::new()?;
//! let waker = Arc::new(Waker::new(&poll.registrator(), Token(99))?);
//!
//! // Another thread wakes the poll below long before its 5 s are up.
//! let for_other = Arc::clone(&waker);
//! let other = thread::spawn(move || for_other.wake());
//!
//! let mut events = Events::with_capacity(16);
//! let count = poll.poll(&mut events, Some(Duration::from_secs(5)))?;
//! assert_eq!(count, 1);
//! assert_eq!(events[0].token(), Token(99));
//! other.join().unwrap()?;
//! # Ok(())
//! # }
//! ```
//!
//! A waker lives as long as the runtime that uses it. Dropping it takes it
//! off the queue, with any wake that `poll` has not reported yet.
//!
//! ## Closing the loop
//!
//! A thread blocked in [`Poll::poll`] with no timeout sleeps until an event
//! arrives. To stop it, another thread calls [`Registrator::close_loop`]:
//! the blocked `poll`, and every later one, returns an error of kind
//! [`Interrupted`](std::io::ErrorKind::Interrupted).

#![warn(missing_docs)]

mod interests;
mod poll;
mod sys;
mod tcp;

pub use interests::Interests;
pub use poll::{Poll, Registrator, Waker};
pub use sys::Event;
pub use tcp::TcpStream;

/// The number a caller gives a socket when registering it, and gets back in
/// each [`Event`] for that socket: how the caller tells which socket is
/// ready. `Token(usize::MAX)` is reserved for minimio's own use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token(pub usize);

/// The buffer [`Poll::poll`] fills with events: at most its capacity per
/// call, so create it with `Events::with_capacity(n)`.
pub type Events = Vec<Event>;
