//! Timers: deadlines kept in order, and a way to make sure the epoll
//! thread wakes the main thread when the next one is due.

use std::cell::RefCell;
use std::io;
use std::net::{self, TcpListener};
use std::rc::Rc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use minimio::{Interests, Registrator, TcpStream};

use crate::{Callback, Js, Runtime, log};

// ANCHOR: timer_id
/// A timer's id, for `clear_timeout` and `clear_interval`: its deadline
/// and its number. It is also the timer's key in `Runtime::timers`, so
/// clearing a timeout finds it at once; and since it sorts by deadline,
/// then by number, timers with equal deadlines run in the order set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimerId {
    pub(crate) deadline: Instant,
    pub(crate) number: usize,
}
// ANCHOR_END: timer_id

// ANCHOR: set_timeout
impl Runtime {
    /// Runs `callback` on the main thread once `ms` milliseconds have
    /// passed. Returns the timer's id.
    pub fn set_timeout(&mut self, ms: u64, callback: impl FnOnce(Js) + 'static) -> TimerId {
        let deadline = Instant::now() + Duration::from_millis(ms);
        self.set_timeout_at(deadline, callback)
    }

    /// Runs `callback` on the main thread once `deadline` has passed.
    /// Timers with the same deadline run in the order they were set.
    pub fn set_timeout_at(
        &mut self,
        deadline: Instant,
        callback: impl FnOnce(Js) + 'static,
    ) -> TimerId {
        let id = TimerId {
            deadline,
            number: self.new_id(),
        };
        self.timers.insert(id, Box::new(callback));
        self.pending_events += 1;
        id
    }
}
// ANCHOR_END: set_timeout

// ANCHOR: interval
/// A timer that fires again and again, `every` so often.
pub(crate) struct Interval {
    /// The id `set_interval` handed out: `clear_interval` gives it back.
    id: TimerId,
    every: Duration,
    /// When it fires next.
    next: Instant,
    /// Shared, because each firing's callback calls it while the interval
    /// is already armed again for the next one.
    callback: Rc<RefCell<dyn FnMut(Js)>>,
}

impl Interval {
    /// The key of its next firing in `Runtime::timers`: the next deadline,
    /// and the interval's number.
    fn next_key(&self) -> TimerId {
        TimerId {
            deadline: self.next,
            number: self.id.number,
        }
    }

    /// The callback of one firing: it calls the interval's own callback.
    fn firing(&self) -> Callback {
        let callback = Rc::clone(&self.callback);
        Box::new(move |value| (callback.borrow_mut())(value))
    }
}

impl Runtime {
    /// Runs `callback` every `ms` milliseconds (at least 1), until
    /// `clear_interval` is called with the id it returns.
    pub fn set_interval(&mut self, ms: u64, callback: impl FnMut(Js) + 'static) -> TimerId {
        let every = Duration::from_millis(ms.max(1));
        let id = TimerId {
            deadline: Instant::now() + every,
            number: self.new_id(),
        };
        let interval = Interval {
            id,
            every,
            next: id.deadline,
            callback: Rc::new(RefCell::new(callback)),
        };
        self.timers.insert(id, interval.firing());
        self.intervals.insert(id.number, interval);
        self.pending_events += 1; // until it is cleared
        id
    }

    /// Cancels a timeout or an interval: it will not fire again, and it no
    /// longer keeps the loop alive. An id that has already fired, or that
    /// was never issued, is ignored.
    pub fn clear_timer(&mut self, id: TimerId) {
        todo!("exercise 7: Cancel a timeout or an interval: an interval is forgotten and its next firing taken out of timers; a timeout that has not fired is taken out of timers; either way, one pending event less. Ignore ids that are not waiting. The book explains it in \"Timer ids and `clear_timeout`\", on the page \"Stage 7: timers as Node has them\" (book/src/chapter-7.md).")
    }
}
// ANCHOR_END: interval

// ANCHOR: expired
impl Runtime {
    /// Takes the next timer that is due by `now`, if there is one and it
    /// was set no later than `newest`, the last id issued before the timer
    /// phase began: a timer set during the phase waits for the next one,
    /// even at 0 ms. An interval is armed again, from now, before its
    /// callback runs.
    pub(crate) fn next_due_timer(&mut self, now: Instant, newest: usize) -> Option<Callback> {
        todo!("exercise 7: Take the first timer if it is due by now and was set no later than newest; re-arm an interval from now before handing out its callback, count a timeout as no longer pending. The book explains it in \"`set_interval` and `clear_interval`\" and \"A timer set during the timers phase waits\", on the page \"Stage 7: timers as Node has them\" (book/src/chapter-7.md).")
    }

    /// The timer phase, for a loop driven by hand: gets the callbacks of
    /// the timers that are due ready to run, earliest first.
    pub fn process_expired_timers(&mut self) {
        let now = Instant::now();
        let newest = self.identity_token;
        while let Some(callback) = self.next_due_timer(now, newest) {
            let callback_id = self.add_callback(callback);
            self.callback_ready(callback_id, Js::Undefined);
        }
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
        let next_deadline = self.timers.first_key_value().map(|(id, _)| id.deadline);
        let mut epoll_timeout = lock(&self.epoll_timeout);
        let sooner = match (next_deadline, *epoll_timeout) {
            (Some(next), Some(current)) => next < current,
            (Some(_), None) => true,
            (None, _) => false,
        };
        *epoll_timeout = next_deadline;
        drop(epoll_timeout);
        if sooner {
            if let Err(error) = self.doorbell.ring(&self.epoll_registrator) {
                log!("cannot wake the epoll thread: {error}");
            }
        }
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
