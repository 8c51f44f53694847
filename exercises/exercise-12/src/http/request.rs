//! An HTTP GET that never blocks the loop.
//!
//! Stage 6's GET made the main thread wait twice: for the connection, and
//! for the request to be written. On loopback that takes microseconds,
//! until the server's queue of connections is full, or the request is
//! larger than the socket's buffer: then the whole loop stops with it.
//! Here every step of a request waits on epoll instead, as the
//! reading always did:
//!
//! 1. connect: start the connect, which answers "in progress", and wait
//!    until the socket is writable: then it is connected, or refused;
//! 2. send: write what the socket takes; if that is not all of it, wait
//!    until the socket is writable again;
//! 3. receive: read what has arrived, and wait until the socket is
//!    readable again, until the response is whole (see `response.rs`).
//!
//! A request may have a deadline: a timer that, if it fires first, closes
//! the socket and gives the callback an error.

use std::collections::HashMap;
use std::io::{self, ErrorKind, Write};
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use minimio::{Interests, TcpStream};

use super::response::{self, Progress};
use crate::callbacks::Callback;
use crate::handle::with_runtime;
use crate::sockets::Reading;
use crate::timers::{TIMEOUT_MAX, TimerId};
use crate::{CallbackId, Js, Runtime, ThreadPoolTaskKind, log, trace};

// ANCHOR: request
/// A GET the program asked for: where it goes, what it sends, and the
/// timer that gives up on it, if the program set a timeout. Its callback
/// waits in the runtime's queue, under `callback_id`.
pub(crate) struct Get {
    callback_id: CallbackId,
    /// `host:port`, for messages.
    peer: String,
    request: Vec<u8>,
    timer: Option<TimerId>,
}

/// A GET with its socket, and how far it has come.
pub(crate) struct HttpRequest {
    get: Get,
    /// The socket, and what has come back from it so far.
    reading: Reading,
    step: Step,
}

/// The steps of a request, in order.
enum Step {
    /// The connect is in progress.
    Connecting,
    /// Connected; the first `sent` bytes of the request are written.
    Sending { sent: usize },
    /// The request is written; the response is arriving.
    Receiving,
}

/// What a request waits for next.
enum Next {
    /// The socket to be ready in this way.
    Socket(Interests),
    /// Nothing: it is over, and its callback gets this.
    Done(Js),
}
// ANCHOR_END: request

// ANCHOR: requests
/// The requests that wait for their sockets, by the id of the callback
/// waiting for each. A request that is being looked up, on the pool, is
/// not among them yet.
#[derive(Default)]
pub(crate) struct Requests {
    waiting: HashMap<CallbackId, HttpRequest>,
}

impl Requests {
    /// Keeps `request` until its socket is ready.
    fn keep(&mut self, request: HttpRequest) {
        self.waiting.insert(request.get.callback_id, request);
    }

    /// Takes out request `callback_id`, to go on with it: `None` if it is
    /// not one that waits for its socket.
    pub(crate) fn take(&mut self, callback_id: CallbackId) -> Option<HttpRequest> {
        self.waiting.remove(&callback_id)
    }

    /// The timer of request `callback_id`'s timeout, if it waits for its
    /// socket and has one.
    pub(crate) fn timer_of(&self, callback_id: CallbackId) -> Option<TimerId> {
        self.waiting.get(&callback_id)?.get.timer
    }

    /// How many requests wait for their sockets: what `active_sockets`
    /// counts.
    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }
}
// ANCHOR_END: requests

// ANCHOR: http_get
impl Runtime {
    /// GETs `path` from `host:port`. The callback gets the whole response,
    /// or a `Js::Error`; with `timeout_ms`, an error that says "timeout"
    /// if no whole response has come by then.
    pub(crate) fn http_get(
        &mut self,
        host: &str,
        port: u16,
        path: &str,
        timeout_ms: Option<u64>,
        callback: impl FnOnce(Js) + 'static,
    ) -> CallbackId {
        let callback_id = self.add_callback(callback);
        let peer = format!("{host}:{port}");
        let timeout_ms = timeout_ms.and_then(timeout_as_node_takes_it);
        let timer = timeout_ms.map(|ms| self.set_timeout(ms, move |_| give_up(callback_id, ms)));
        let request = format!("GET {path} HTTP/1.1\r\nHost: {peer}\r\nConnection: close\r\n\r\n");
        let get = Get {
            callback_id,
            peer,
            request: request.into_bytes(),
            timer,
        };
        match host.parse::<IpAddr>() {
            Ok(ip) => self.connect(get, SocketAddr::new(ip, port)),
            Err(_) => self.look_up(get, host.to_string(), port),
        }
        callback_id
    }
}

/// A request's timeout, as Node takes a socket's: 0 is none at all, and
/// one longer than [`TIMEOUT_MAX`] is cut to it.
fn timeout_as_node_takes_it(ms: u64) -> Option<u64> {
    (ms > 0).then_some(ms.min(TIMEOUT_MAX))
}
// ANCHOR_END: http_get

// ANCHOR: look_up
impl Runtime {
    /// A host name must become an address first. The system's resolver
    /// may ask the network, and wait, so it runs on the pool, as Node's
    /// `dns.lookup` does.
    fn look_up(&mut self, get: Get, host: String, port: u16) {
        let work = move || match (host.as_str(), port).to_socket_addrs() {
            Ok(addresses) => match first_ipv4_or_any(addresses) {
                Some(address) => Js::String(address.to_string()),
                None => Js::Error(format!("cannot find the address of {host}")),
            },
            Err(error) => Js::Error(format!("cannot find the address of {host}: {error}")),
        };
        self.register_pool_task(ThreadPoolTaskKind::Lookup, work, move |address| {
            with_runtime(|runtime| runtime.looked_up(get, address));
        });
    }

    /// The address has come back from the pool, or an error.
    fn looked_up(&mut self, get: Get, address: Js) {
        if !self.callbacks.is_waiting(get.callback_id) {
            return; // it timed out meanwhile: nobody waits for it
        }
        match address {
            Js::String(address) => {
                let address = address.parse().expect("an address's text parses back");
                self.connect(get, address);
            }
            error => self.finish(get, error),
        }
    }
}
/// The address to connect to, of those a name has: an IPv4 one if there is
/// one, since `localhost` is often `::1` first, and servers on 127.0.0.1
/// alone are common (ours among them). Node did the same until version 17.
fn first_ipv4_or_any(addresses: impl Iterator<Item = SocketAddr>) -> Option<SocketAddr> {
    let addresses: Vec<SocketAddr> = addresses.collect();
    let ipv4 = addresses.iter().find(|address| address.is_ipv4());
    ipv4.or(addresses.first()).copied()
}
// ANCHOR_END: look_up

// ANCHOR: connect
impl Runtime {
    /// Starts connecting, and waits until the socket is writable: then the
    /// connect has ended, one way or the other.
    fn connect(&mut self, get: Get, address: SocketAddr) {
        match TcpStream::start_connect(address) {
            Ok(stream) => {
                let reading = Reading::new(stream);
                let step = Step::Connecting;
                let request = HttpRequest { get, reading, step };
                self.wait(request, Interests::WRITABLE);
            }
            Err(error) => {
                let message = format!("cannot connect to {}: {error}", get.peer);
                self.finish_early(get, Js::Error(message));
            }
        }
    }
}
// ANCHOR_END: connect

// ANCHOR: wait
impl Runtime {
    /// Registers the request's new socket, to hear when it is ready in
    /// the way `interests` says.
    fn wait(&mut self, request: HttpRequest, interests: Interests) {
        let (stream, callback_id) = (request.reading.stream(), request.get.callback_id);
        let watched = self.epoll.watch(stream, callback_id, interests);
        self.keep_if_watched(request, watched);
    }

    /// Re-arms the registration of the request's socket, which has been
    /// reported: each registration reports it once.
    fn wait_again(&mut self, request: HttpRequest, interests: Interests) {
        let (stream, callback_id) = (request.reading.stream(), request.get.callback_id);
        let watched = self.epoll.watch_again(stream, callback_id, interests);
        self.keep_if_watched(request, watched);
    }

    /// Keeps the request until its socket is ready; or, if the epoll
    /// thread cannot watch the socket, ends it with the error.
    fn keep_if_watched(&mut self, request: HttpRequest, watched: io::Result<()>) {
        match watched {
            Ok(()) => {
                trace::instant(format_args!("watching socket {}", request.get.callback_id));
                self.requests.keep(request);
            }
            Err(error) => {
                let message = format!("cannot wait for the socket: {error}");
                self.finish(request.get, Js::Error(message));
            }
        }
    }
}
// ANCHOR_END: wait

// ANCHOR: request_is_ready
impl Runtime {
    /// Epoll says the socket of `request` is ready: take the
    /// request as far as it can go now.
    pub(crate) fn request_is_ready(&mut self, mut request: HttpRequest) {
        match request.go_on() {
            Next::Socket(interests) => self.wait_again(request, interests),
            Next::Done(value) => self.finish(request.get, value),
        }
    }

    /// The request is over: its timer is cleared, and its callback gets
    /// `value`. Its socket, if it had one, is closed, since the request
    /// that owned it has been dropped.
    fn finish(&mut self, get: Get, value: Js) {
        if let Some(timer) = get.timer {
            self.clear_timer(timer);
        }
        self.callback_ready(get.callback_id, value);
    }

    /// As `finish`, for an error found before any work began: the
    /// callback waits for the next pending phase, as stage 8 has it.
    fn finish_early(&mut self, get: Get, value: Js) {
        if let Some(timer) = get.timer {
            self.clear_timer(timer);
        }
        self.defer_callback(get.callback_id, value);
    }
}
// ANCHOR_END: request_is_ready

// ANCHOR: go_on
impl HttpRequest {
    /// Takes the request through its steps, as far as the socket allows.
    fn go_on(&mut self) -> Next {
        let (id, peer) = (self.get.callback_id, &self.get.peer);
        loop {
            match &mut self.step {
                Step::Connecting => match self.reading.stream().take_error() {
                    Ok(None) => {
                        log!("request {id} is connected: sending it");
                        self.step = Step::Sending { sent: 0 };
                    }
                    Ok(Some(error)) | Err(error) => return failed("connect to", peer, error),
                },
                Step::Sending { sent } => {
                    let rest = &self.get.request[*sent..];
                    match write_available(self.reading.stream_mut(), rest) {
                        Ok(count) => *sent += count,
                        Err(error) => return failed("send the request to", peer, error),
                    }
                    if *sent < self.get.request.len() {
                        return Next::Socket(Interests::WRITABLE);
                    }
                    log!("request {id} is sent: reading its response");
                    self.step = Step::Receiving;
                    // The server has hardly had time to answer: a read now
                    // would find nothing. Wait until there is something.
                    return Next::Socket(Interests::READABLE);
                }
                Step::Receiving => {
                    let closed = match self.reading.read_available() {
                        Ok(closed) => closed,
                        Err(error) => return failed("read the response from", peer, error),
                    };
                    return match response::progress(self.reading.received(), closed) {
                        Progress::Incomplete => Next::Socket(Interests::READABLE),
                        Progress::Whole(response) => Next::Done(Js::String(response)),
                        Progress::Broken(why) => Next::Done(Js::Error(why)),
                    };
                }
            }
        }
    }
}
// ANCHOR_END: go_on

// ANCHOR: write_available
/// Writes as much of `bytes` as the socket takes now, and says how much
/// that was. The rest waits until the socket is writable again.
fn write_available(stream: &mut TcpStream, bytes: &[u8]) -> io::Result<usize> {
    let mut written = 0;
    while written < bytes.len() {
        match stream.write(&bytes[written..]) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(count) => written += count,
            Err(error) if error.kind() == ErrorKind::WouldBlock => break,
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
    Ok(written)
}

fn failed(what: &str, peer: &str, error: io::Error) -> Next {
    Next::Done(Js::Error(format!("cannot {what} {peer}: {error}")))
}
// ANCHOR_END: write_available

// ANCHOR: give_up
/// The timer of request `callback_id` has fired first: the request is
/// dropped, which closes its socket, and its callback gets the error at
/// once, in this timers phase.
fn give_up(callback_id: CallbackId, ms: u64) {
    let callback = with_runtime(|runtime| runtime.give_up_on(callback_id));
    if let Some(callback) = callback {
        log!("request {callback_id} timed out: it is given up");
        let message = format!("timeout: no whole response within {ms} ms");
        callback(Js::Error(message));
    }
}

impl Runtime {
    /// Forgets request `callback_id`, wherever it is: on the pool, being
    /// looked up, or waiting for its socket. Returns its callback.
    fn give_up_on(&mut self, callback_id: CallbackId) -> Option<Callback> {
        self.requests.take(callback_id);
        self.callbacks.remove(callback_id)
    }
}
// ANCHOR_END: give_up

// ANCHOR: cancel
/// A request's future was dropped: give the request up, as its timeout
/// would, but tell nobody, since nobody waits for it any more. Dropping
/// the request closes its socket; its timeout, if it has one, is cleared.
/// Returns whether there was a request to give up.
pub(crate) fn cancel_request(callback_id: CallbackId) -> bool {
    todo!(
        "exercise 12: Give the request up as its timeout would, but call nobody back: clear its timeout if it has one (with clear_timer, which a trace marks), forget it, and drop its callback, once the runtime is no longer lent out; return whether there was a request to give up. The book explains it in \"Cancelled by drop\", on the page \"Stage 12: what futures add\" (book/src/chapter-12.md)."
    )
}
// ANCHOR_END: cancel
