//! The backends. Exactly one is compiled in, and each provides the same
//! four things: `Selector` (the queue), `Event` (what it reports),
//! `Registration` (what a `TcpStream` must remember about being registered)
//! and `Waker` (what wakes a wait from another thread).

// ANCHOR: backends
#[cfg(all(target_os = "linux", not(feature = "portable")))]
mod epoll;
#[cfg(all(target_os = "linux", not(feature = "portable")))]
pub use epoll::Event;
#[cfg(all(target_os = "linux", not(feature = "portable")))]
pub(crate) use epoll::{Registration, Selector, Waker};

#[cfg(any(not(target_os = "linux"), feature = "portable"))]
mod portable;
#[cfg(any(not(target_os = "linux"), feature = "portable"))]
pub use portable::Event;
#[cfg(any(not(target_os = "linux"), feature = "portable"))]
pub(crate) use portable::{Registration, Selector, Waker};
// ANCHOR_END: backends
