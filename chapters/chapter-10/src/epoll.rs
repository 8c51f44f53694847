//! The epoll thread: one thread waits for every socket, and the main
//! thread reads each one when it is ready.
//! From stage 4 on, the epoll thread also wakes the main thread when the
//! next timer is due: this file holds both sides of that arrangement.

use std::io::{self, ErrorKind, Read};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use minimio::{Events, Interests, Poll, Registrator, TcpStream, Token};

use crate::{Js, PollEvent, Runtime, log, trace};

// ANCHOR: start
/// Starts the epoll thread. It owns the `Poll`; the main thread keeps a
/// `Registrator` to register sockets with it, and sets `epoll_timeout` to
/// the deadline it wants to be woken at.
pub(crate) fn start(
    events: Sender<PollEvent>,
    epoll_timeout: Arc<Mutex<Option<Instant>>>,
) -> (JoinHandle<()>, Registrator) {
    let poll = Poll::new().expect("the system can make an event queue");
    let registrator = poll.registrator();
    let handle = thread::Builder::new()
        .name("epoll".to_string())
        .spawn(move || wait_for_sockets(poll, epoll_timeout, events))
        .expect("the system can start a thread");
    (handle, registrator)
}
// ANCHOR_END: start

// ANCHOR: wait_for_sockets
/// The life of the epoll thread: sleep until sockets are ready or the
/// main thread's deadline passes, and tell the main thread; until the loop
/// is closed.
fn wait_for_sockets(
    mut poll: Poll,
    epoll_timeout: Arc<Mutex<Option<Instant>>>,
    events_out: Sender<PollEvent>,
) {
    let mut events = Events::with_capacity(1024);
    loop {
        let deadline = *lock(&epoll_timeout);
        let timeout = deadline.map(milliseconds_until);
        let ready = {
            let _waiting = trace::slice("epoll wait");
            poll.poll(&mut events, timeout)
        };
        match ready {
            Ok(0) => {
                trace::instant("the deadline has passed");
                forget_deadline(&epoll_timeout, deadline);
                if events_out.send(PollEvent::Timeout).is_err() {
                    return; // the runtime is gone: nobody is listening
                }
            }
            Ok(_) => {
                for event in &events {
                    if event.id() == WAKE_UP {
                        trace::instant("woken to read a new deadline");
                        continue; // it only woke us: read the deadline again
                    }
                    log!("the socket of callback {} is ready", event.id());
                    if events_out.send(PollEvent::Epoll(event.id())).is_err() {
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

/// The deadline has passed and the main thread will hear of it: forget
/// it, so as not to wake the main thread for it again. Unless the main
/// thread has set a new one meanwhile.
fn forget_deadline(epoll_timeout: &Mutex<Option<Instant>>, passed: Option<Instant>) {
    let mut deadline = lock(epoll_timeout);
    if *deadline == passed {
        *deadline = None;
    }
}
// ANCHOR_END: wait_for_sockets

// ANCHOR: set_epoll_timeout
/// The token of the waker that makes the epoll thread read its deadline
/// again. Callback ids count up from 1 and never get near it; minimio
/// keeps `usize::MAX` for itself.
pub(crate) const WAKE_UP: Token = usize::MAX - 1;

impl Runtime {
    /// Before the main thread goes to sleep: tell the epoll thread when the
    /// next timer is due. If that is sooner than the epoll thread knows,
    /// wake it, since it may be asleep until a later deadline, or with
    /// none at all.
    pub(crate) fn set_epoll_timeout(&mut self) {
        let next_deadline = self.timers.next_deadline();
        let mut epoll_timeout = lock(&self.epoll_timeout);
        let sooner = match (next_deadline, *epoll_timeout) {
            (Some(next), Some(current)) => next < current,
            (Some(_), None) => true,
            (None, _) => false,
        };
        *epoll_timeout = next_deadline;
        drop(epoll_timeout);
        if sooner {
            if let Err(error) = self.epoll_waker.wake() {
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
fn milliseconds_until(deadline: Instant) -> i32 {
    milliseconds_rounded_up(deadline.saturating_duration_since(Instant::now()))
}

fn milliseconds_rounded_up(duration: Duration) -> i32 {
    let ms = duration.as_nanos().div_ceil(1_000_000);
    i32::try_from(ms).unwrap_or(i32::MAX)
}
// ANCHOR_END: rounding

// ANCHOR: lock
/// Takes a lock even if another thread panicked while holding it: an
/// `Option<Instant>` cannot be left half-written.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
// ANCHOR_END: lock

// ANCHOR: reading
/// A socket being read, and what has arrived from it so far.
pub(crate) struct Reading {
    pub(crate) stream: TcpStream,
    pub(crate) received: Vec<u8>,
}

impl Reading {
    /// A socket from which nothing has arrived yet.
    pub(crate) fn new(stream: TcpStream) -> Reading {
        Reading {
            stream,
            received: Vec::new(),
        }
    }

    /// Reads what has arrived, but at most [`READ_BUDGET`] bytes. Returns
    /// `true` once the peer has closed the connection.
    pub(crate) fn read_available(&mut self) -> io::Result<bool> {
        let mut buffer = [0; 64 * 1024];
        let mut this_turn = 0;
        while this_turn < READ_BUDGET {
            match self.stream.read(&mut buffer) {
                Ok(0) => return Ok(true),
                Ok(count) => {
                    self.received.extend_from_slice(&buffer[..count]);
                    this_turn += count;
                }
                // Nothing more for now: more may come later.
                Err(error) if error.kind() == ErrorKind::WouldBlock => return Ok(false),
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
        }
        // The budget is spent. The rest waits until the socket's next
        // turn, after the loop has run its timers and other callbacks.
        Ok(false)
    }
}

/// The most bytes one socket may give the main thread in one turn. A peer
/// that sends faster than we read would otherwise keep the main thread
/// reading, and the loop would stop with it: that is the network blocking
/// the loop, without a single blocking call.
pub(crate) const READ_BUDGET: usize = 256 * 1024;
// ANCHOR_END: reading

// ANCHOR: register_io
impl Runtime {
    /// Reads `stream` until the peer closes it, then hands everything it
    /// sent to `callback` as a `Js::String`, or a `Js::Error` if the socket
    /// fails or what it sent is not UTF-8 text. The epoll thread does the
    /// waiting; the main thread does the reading.
    pub(crate) fn register_io(&mut self, stream: TcpStream, callback: impl FnOnce(Js) + 'static) {
        let callback_id = self.add_callback(callback);
        match self
            .epoll_registrator
            .register(&stream, callback_id, Interests::READABLE)
        {
            Ok(()) => {
                trace::instant(format_args!("watching socket {callback_id}"));
                let reading = Reading {
                    stream,
                    received: Vec::new(),
                };
                self.epoll_streams.insert(callback_id, reading);
            }
            Err(error) => {
                // Found before any work began: it waits for the pending phase.
                let message = format!("cannot wait for the socket: {error}");
                self.defer_callback(callback_id, Js::Error(message));
            }
        }
    }
}
// ANCHOR_END: register_io

// ANCHOR: socket_is_ready
impl Runtime {
    /// The epoll thread says the socket of `callback_id` is ready: read
    /// what has arrived, and see whether the response is whole.
    pub(crate) fn socket_is_ready(&mut self, callback_id: usize) {
        // An HTTP request's socket: its request takes over. A request that
        // timed out is in neither map, and its late event is ignored.
        if let Some(request) = self.http_requests.remove(&callback_id) {
            return self.request_is_ready(request);
        }
        let Some(mut reading) = self.epoll_streams.remove(&callback_id) else {
            return; // not a socket we are reading
        };
        match reading.read_available() {
            Ok(true) => {
                let response = match String::from_utf8(reading.received) {
                    Ok(text) => Js::String(text),
                    // A `Js::String` holds text: bytes that are not text
                    // are not made into some.
                    Err(_) => Js::Error("the response is not UTF-8 text".to_string()),
                };
                self.callback_ready(callback_id, response);
            }
            Ok(false) => self.wait_for_more(callback_id, reading),
            Err(error) => {
                let message = format!("cannot read the response: {error}");
                self.callback_ready(callback_id, Js::Error(message));
            }
        }
    }

    // ANCHOR: wait_for_more
    /// Not all there yet. Each registration reports the socket once, so
    /// register it again to hear about the next bytes.
    fn wait_for_more(&mut self, callback_id: usize, reading: Reading) {
        let rearmed =
            self.epoll_registrator
                .register(&reading.stream, callback_id, Interests::READABLE);
        match rearmed {
            Ok(()) => {
                self.epoll_streams.insert(callback_id, reading);
            }
            Err(error) => {
                let message = format!("cannot wait for the socket: {error}");
                self.callback_ready(callback_id, Js::Error(message));
            }
        }
    }
    // ANCHOR_END: wait_for_more
}
// ANCHOR_END: socket_is_ready

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passed_deadline_is_forgotten_if_it_is_still_the_one_set() {
        let passed = Instant::now();
        let epoll_timeout = Mutex::new(Some(passed));
        forget_deadline(&epoll_timeout, Some(passed));
        assert_eq!(*lock(&epoll_timeout), None);
    }

    #[test]
    fn a_new_deadline_set_meanwhile_is_kept() {
        let passed = Instant::now();
        let new = passed + Duration::from_millis(5);
        let epoll_timeout = Mutex::new(Some(new));
        forget_deadline(&epoll_timeout, Some(passed));
        assert_eq!(*lock(&epoll_timeout), Some(new));
    }

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
        let past = Instant::now() - Duration::from_millis(2);
        assert_eq!(milliseconds_until(past), 0);
    }
}
