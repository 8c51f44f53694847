//! Timers: deadlines kept in order, and a way to make sure the epoll
//! thread wakes the main thread when the next one is due.

use std::io;
use std::net::{self, TcpListener};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use minimio::{Interests, Registrator, TcpStream};

use crate::{Js, Runtime, log};

// ANCHOR: set_timeout
impl Runtime {
    /// Runs `callback` on the main thread once `ms` milliseconds have
    /// passed.
    pub fn set_timeout(&mut self, ms: u64, callback: impl FnOnce(Js) + 'static) {
        let deadline = Instant::now() + Duration::from_millis(ms);
        self.set_timeout_at(deadline, callback);
    }

    /// Runs `callback` on the main thread once `deadline` has passed.
    /// Timers with the same deadline run in the order they were set.
    pub fn set_timeout_at(&mut self, deadline: Instant, callback: impl FnOnce(Js) + 'static) {
        let callback_id = self.add_callback(callback);
        self.timers.insert((deadline, callback_id));
    }
}
// ANCHOR_END: set_timeout

// ANCHOR: expired
impl Runtime {
    /// The timer phase: every timer whose deadline has passed gets its
    /// callback ready, earliest first.
    pub fn process_expired_timers(&mut self) {
        todo!("exercise 4: The timer phase: take every timer whose deadline has passed off the set, earliest first, and get its callback ready with Js::Undefined. The book explains it in \"The timer phase\", on the page \"Stage 4: timers\" (book/src/chapter-4.md).")
    }
}
// ANCHOR_END: expired

// ANCHOR: epoll_timeout
// ANCHOR: set_epoll_timeout
impl Runtime {
    /// Before the main thread goes to sleep: tell the epoll thread when the
    /// next timer is due. If that is sooner than the epoll thread knows,
    /// ring its doorbell, since it may be asleep until a later deadline,
    /// or with none at all.
    pub(crate) fn set_epoll_timeout(&mut self) {
        todo!("exercise 4: Tell the epoll thread the deadline of the next timer (or None); if it is sooner than the one it knows, ring the doorbell so it reads it again. The book explains it in \"Telling the epoll thread\" and \"The doorbell\", on the page \"Stage 4: timers\" (book/src/chapter-4.md).")
    }
}

// ANCHOR_END: set_epoll_timeout

// ANCHOR: rounding
/// How long `poll` must wait for `deadline`, in whole milliseconds. Rounded
/// up: a wait that ended before the deadline would only wake the loop to
/// find nothing due, and make it spin until the deadline.
pub(crate) fn milliseconds_until(deadline: Instant) -> i32 {
    milliseconds_rounded_up(deadline.saturating_duration_since(Instant::now()))
}

fn milliseconds_rounded_up(duration: Duration) -> i32 {
    let ms = duration.as_nanos().div_ceil(1_000_000);
    i32::try_from(ms).unwrap_or(i32::MAX)
}
// ANCHOR_END: rounding
// ANCHOR_END: epoll_timeout

// ANCHOR: doorbell
/// The token of the doorbell's socket. Callback ids count up from 1 and
/// never get near it; minimio keeps `usize::MAX` for itself.
pub(crate) const DOORBELL: usize = usize::MAX - 1;

/// A way for the main thread to wake the epoll thread.
///
/// It is a connected socket that never sends anything. Such a socket always
/// has room to write, so registering it for `WRITABLE` makes the epoll
/// thread's `poll` report it at once. Each registration reports it once,
/// so every ring is one more wake-up.
pub(crate) struct Doorbell {
    socket: TcpStream,
    /// The other end of the connection, kept open.
    _peer: net::TcpStream,
}

impl Doorbell {
    pub(crate) fn new() -> io::Result<Doorbell> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let socket = TcpStream::connect(listener.local_addr()?)?;
        let (peer, _) = listener.accept()?;
        Ok(Doorbell {
            socket,
            _peer: peer,
        })
    }

    pub(crate) fn ring(&self, registrator: &Registrator) -> io::Result<()> {
        registrator.register(&self.socket, DOORBELL, Interests::WRITABLE)
    }
}
// ANCHOR_END: doorbell

// ANCHOR: lock
/// Takes a lock even if another thread panicked while holding it: an
/// `Option<Instant>` cannot be left half-written.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
// ANCHOR_END: lock

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_round_up_to_whole_milliseconds() {
        assert_eq!(milliseconds_rounded_up(Duration::ZERO), 0);
        assert_eq!(milliseconds_rounded_up(Duration::from_micros(300)), 1);
        assert_eq!(milliseconds_rounded_up(Duration::from_micros(1_500)), 2);
        assert_eq!(milliseconds_rounded_up(Duration::from_millis(50)), 50);
        let hundred_days = Duration::from_secs(100 * 24 * 3600);
        assert_eq!(milliseconds_rounded_up(hundred_days), i32::MAX);
    }

    #[test]
    fn a_deadline_in_the_past_is_no_wait_at_all() {
        let past = Instant::now();
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(milliseconds_until(past), 0);
    }
}
