//! The Linux backend: minimio talking to epoll itself.
//!
//! epoll is three system calls:
//!
//! - `epoll_create1` makes a new queue and returns its file descriptor;
//! - `epoll_ctl` adds a socket to the queue's *interest list* (or changes
//!   what we want to hear about it);
//! - `epoll_wait` blocks until sockets on the interest list are ready, and
//!   copies their `epoll_event`s into our buffer.
//!
//! `libc` gives us the declarations of these calls, their constants and the
//! `epoll_event` struct; everything else is here.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

use crate::{Events, Interests, TcpStream, Token};

// ANCHOR: event
/// One ready socket, as [`Poll::poll`](crate::Poll::poll) reports it.
///
/// It is the kernel's own `epoll_event`, so `epoll_wait` can write straight
/// into our [`Events`] buffer.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct Event(libc::epoll_event);

impl Event {
    /// The token the socket was registered with.
    pub fn token(&self) -> Token {
        // The struct may be packed (see below): copy the field out rather
        // than take a reference to it.
        let data = self.0.u64;
        Token(data as usize)
    }
}
// ANCHOR_END: event

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event")
            .field("token", &self.token())
            .finish()
    }
}

// ANCHOR: layout
// `epoll_event` is a 32-bit flags field followed by 64 bits of user data
// (our token). On x86-64 the kernel declares it packed, and on 32-bit x86 a
// 64-bit field needs only 4-byte alignment: 12 bytes, the data at offset 4.
// Every other architecture aligns the data to 8 bytes: 16 bytes, the data
// at offset 8. libc declares it right for each target; these checks stop
// the build if that ever changes.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
const _: () = {
    assert!(size_of::<libc::epoll_event>() == 12);
    assert!(std::mem::offset_of!(libc::epoll_event, u64) == 4);
};
#[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
const _: () = {
    assert!(size_of::<libc::epoll_event>() == 16);
    assert!(std::mem::offset_of!(libc::epoll_event, u64) == 8);
};
// ANCHOR_END: layout

// ANCHOR: selector
/// The data that marks the interrupt's event. `Registrator::register` and
/// `Waker::new` refuse this token, so no socket or waker can have it.
const INTERRUPT_TOKEN: u64 = usize::MAX as u64;

/// An epoll queue, plus an eventfd that `close_loop` uses to interrupt it.
pub(crate) struct Selector {
    epoll: OwnedFd,
    interrupt: OwnedFd,
}

impl Selector {
    pub(crate) fn new() -> io::Result<Selector> {
        // CLOEXEC: a child process started with `exec` does not inherit it.
        let epoll = new_fd(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
        let interrupt = new_eventfd()?;
        let selector = Selector { epoll, interrupt };
        // The interrupt stays on the interest list for good, and is never
        // read (no EPOLLONESHOT, no EPOLLET): once it is written, every
        // later wait returns at once too.
        let mut event = libc::epoll_event {
            events: libc::EPOLLIN as u32,
            u64: INTERRUPT_TOKEN,
        };
        selector.ctl(
            libc::EPOLL_CTL_ADD,
            selector.interrupt.as_raw_fd(),
            &mut event,
        )?;
        Ok(selector)
    }
}

/// A new eventfd: a counter the kernel treats like a file. It is readable
/// while the counter is above zero, and each write adds to the counter.
fn new_eventfd() -> io::Result<OwnedFd> {
    new_fd(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })
}
// ANCHOR_END: selector

// ANCHOR: register
impl Selector {
    /// Adds `stream` to the interest list. epoll refuses a socket that is
    /// on it already (EEXIST, which Rust calls `AlreadyExists`).
    pub(crate) fn register(
        &self,
        stream: &TcpStream,
        token: Token,
        interests: Interests,
    ) -> io::Result<()> {
        let mut event = one_shot(token, interests);
        self.ctl(libc::EPOLL_CTL_ADD, stream.inner.as_raw_fd(), &mut event)
    }

    /// Re-arms `stream`, which is on the interest list: after its one
    /// event, it stays there, disarmed, until it is modified. epoll refuses
    /// a socket that is not on the list (ENOENT: `NotFound`).
    pub(crate) fn reregister(
        &self,
        stream: &TcpStream,
        token: Token,
        interests: Interests,
    ) -> io::Result<()> {
        let mut event = one_shot(token, interests);
        self.ctl(libc::EPOLL_CTL_MOD, stream.inner.as_raw_fd(), &mut event)
    }

    /// Takes `stream` off the interest list. (Closing a socket does that
    /// too, by itself.)
    pub(crate) fn deregister(&self, stream: &TcpStream) -> io::Result<()> {
        // Linux before 2.6.9 wanted an event here, though it reads none.
        let mut unused = libc::epoll_event { events: 0, u64: 0 };
        self.ctl(libc::EPOLL_CTL_DEL, stream.inner.as_raw_fd(), &mut unused)
    }

    fn ctl(&self, op: libc::c_int, fd: RawFd, event: &mut libc::epoll_event) -> io::Result<()> {
        let result = unsafe { libc::epoll_ctl(self.epoll.as_raw_fd(), op, fd, event) };
        check(result).map(drop)
    }
}
// ANCHOR_END: register

// ANCHOR: select
impl Selector {
    /// Waits once. A signal arriving meanwhile ends the wait early with an
    /// error of kind `Interrupted` (EINTR); `Poll::poll` then waits again.
    pub(crate) fn select(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<()> {
        let capacity = i32::try_from(events.capacity()).unwrap_or(i32::MAX);
        let timeout_ms = match timeout {
            None => -1, // no time limit
            Some(timeout) => milliseconds_rounded_up(timeout),
        };
        events.clear();
        let ready = check(unsafe {
            libc::epoll_wait(
                self.epoll.as_raw_fd(),
                events.as_mut_ptr().cast::<libc::epoll_event>(),
                capacity,
                timeout_ms,
            )
        })?;
        // SAFETY: the kernel wrote `ready` events (at most `capacity`) at
        // the start of the buffer, and `Event` has the layout of `epoll_event`.
        unsafe { events.set_len(ready as usize) };
        // The interrupt's event only tells `Poll::poll` to look at the
        // closed flag.
        events.retain(|event| event.token().0 as u64 != INTERRUPT_TOKEN);
        Ok(())
    }
}
// ANCHOR_END: select

// ANCHOR: wake
impl Selector {
    /// Makes the interrupt readable, which ends any wait, now or later.
    pub(crate) fn interrupt(&self) -> io::Result<()> {
        add_one(&self.interrupt)
    }
}

/// Adds one to an eventfd's counter.
fn add_one(eventfd: &OwnedFd) -> io::Result<()> {
    let one: u64 = 1;
    let written = unsafe {
        libc::write(
            eventfd.as_raw_fd(),
            (&raw const one).cast::<libc::c_void>(),
            size_of::<u64>(),
        )
    };
    check(written as libc::c_int).map(drop)
}
// ANCHOR_END: wake

// ANCHOR: waker
/// The backend of a [`Waker`](crate::Waker): an eventfd of its own, on the
/// interest list with the waker's token.
pub(crate) struct Waker {
    eventfd: OwnedFd,
}

impl Waker {
    pub(crate) fn new(selector: &Selector, token: Token) -> io::Result<Waker> {
        let eventfd = new_eventfd()?;
        // Edge-triggered (EPOLLET): epoll reports the eventfd once for each
        // write, without anyone reading it. Closing it (on drop) takes it
        // off the interest list.
        let mut event = libc::epoll_event {
            events: (libc::EPOLLIN | libc::EPOLLET) as u32,
            u64: token.0 as u64,
        };
        selector.ctl(libc::EPOLL_CTL_ADD, eventfd.as_raw_fd(), &mut event)?;
        Ok(Waker { eventfd })
    }

    pub(crate) fn wake(&self, _selector: &Selector) -> io::Result<()> {
        match add_one(&self.eventfd) {
            // The counter is full (after 2^64 - 2 wakes): empty it, and
            // write again. If another thread has just emptied it, the read
            // finds nothing, which is as good.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                let mut count: u64 = 0;
                let read = unsafe {
                    libc::read(
                        self.eventfd.as_raw_fd(),
                        (&raw mut count).cast::<libc::c_void>(),
                        size_of::<u64>(),
                    )
                };
                match check(read as libc::c_int) {
                    Err(e) if e.kind() != io::ErrorKind::WouldBlock => return Err(e),
                    _ => {}
                }
                add_one(&self.eventfd)
            }
            result => result,
        }
    }
}
// ANCHOR_END: waker

/// epoll forgets a socket by itself when the socket is closed, so a
/// `TcpStream` needs to remember nothing.
pub(crate) type Registration = ();

// ANCHOR: flags
/// The event for one registration: its flags, and the token as its data.
fn one_shot(token: Token, interests: Interests) -> libc::epoll_event {
    libc::epoll_event {
        events: epoll_flags(interests),
        u64: token.0 as u64,
    }
}

/// The flags for one registration. EPOLLONESHOT makes epoll report the
/// socket once, then leave it on the list, disarmed, until it is modified.
fn epoll_flags(interests: Interests) -> u32 {
    let mut flags = libc::EPOLLONESHOT;
    if interests.is_readable() {
        flags |= libc::EPOLLIN;
    }
    if interests.is_writable() {
        flags |= libc::EPOLLOUT;
    }
    flags as u32
}
// ANCHOR_END: flags

// ANCHOR: timeout
/// epoll counts in whole milliseconds. Rounding down would wake us before
/// the deadline, so round up.
fn milliseconds_rounded_up(timeout: Duration) -> i32 {
    let ms = timeout.as_nanos().div_ceil(1_000_000);
    i32::try_from(ms).unwrap_or(i32::MAX)
}
// ANCHOR_END: timeout

// ANCHOR: syscalls
/// System calls report failure by returning -1 and setting `errno`.
fn check(result: libc::c_int) -> io::Result<libc::c_int> {
    if result == -1 {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

/// Takes ownership of a new file descriptor, so it is closed on drop.
fn new_fd(result: libc::c_int) -> io::Result<OwnedFd> {
    let fd = check(result)?;
    // SAFETY: the call just returned this descriptor, and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}
// ANCHOR_END: syscalls

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_round_up_to_whole_milliseconds() {
        assert_eq!(milliseconds_rounded_up(Duration::ZERO), 0);
        assert_eq!(milliseconds_rounded_up(Duration::from_nanos(1)), 1);
        assert_eq!(milliseconds_rounded_up(Duration::from_micros(1_500)), 2);
        assert_eq!(milliseconds_rounded_up(Duration::from_millis(7)), 7);
        assert_eq!(
            milliseconds_rounded_up(Duration::from_secs(u64::MAX)),
            i32::MAX
        );
    }

    #[test]
    fn event_has_the_kernels_layout() {
        assert_eq!(size_of::<Event>(), size_of::<libc::epoll_event>());
        assert_eq!(align_of::<Event>(), align_of::<libc::epoll_event>());
    }
}
