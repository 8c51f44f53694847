//! The epoll thread: one thread waits for every socket, and the main
//! thread reads each one when it is ready.

use std::io::{self, ErrorKind, Read};
use std::sync::mpsc::Sender;
use std::thread::{self, JoinHandle};

use minimio::{Events, Interests, Poll, Registrator, TcpStream};

use crate::{Js, PollEvent, Runtime, log, trace};

// ANCHOR: start
/// Starts the epoll thread. It owns the `Poll`; the main thread keeps a
/// `Registrator` to register sockets with it.
pub(crate) fn start(events: Sender<PollEvent>) -> (JoinHandle<()>, Registrator) {
    let poll = Poll::new().expect("the system can make an event queue");
    let registrator = poll.registrator();
    let handle = thread::Builder::new()
        .name("epoll".to_string())
        .spawn(move || wait_for_sockets(poll, events))
        .expect("the system can start a thread");
    (handle, registrator)
}
// ANCHOR_END: start

// ANCHOR: wait_for_sockets
/// The life of the epoll thread: sleep until sockets are ready, and tell
/// the main thread which ones; until the loop is closed.
fn wait_for_sockets(mut poll: Poll, events_out: Sender<PollEvent>) {
    let mut events = Events::with_capacity(1024);
    loop {
        let ready = {
            let _waiting = trace::slice("epoll wait");
            poll.poll(&mut events, None)
        };
        match ready {
            Ok(_) => {
                for event in &events {
                    log!("the socket of callback {} is ready", event.id());
                    if events_out.send(PollEvent::Epoll(event.id())).is_err() {
                        return; // the runtime is gone: nobody is listening
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
// ANCHOR_END: wait_for_sockets

// ANCHOR: reading
/// A socket being read, and what has arrived from it so far.
pub(crate) struct Reading {
    stream: TcpStream,
    received: Vec<u8>,
}

impl Reading {
    /// Reads everything that has arrived. Returns `true` once the peer has
    /// closed the connection: then the response is whole.
    fn read_available(&mut self) -> io::Result<bool> {
        let mut buffer = [0; 64 * 1024];
        loop {
            match self.stream.read(&mut buffer) {
                Ok(0) => return Ok(true),
                Ok(count) => self.received.extend_from_slice(&buffer[..count]),
                // Nothing more for now: more may come later.
                Err(error) if error.kind() == ErrorKind::WouldBlock => return Ok(false),
                Err(error) if error.kind() == ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
        }
    }
}
// ANCHOR_END: reading

// ANCHOR: register_io
impl Runtime {
    /// Reads `stream` until the peer closes it, then hands everything it
    /// sent to `callback` as a `Js::String`, or a `Js::Error` if the socket
    /// fails or what it sent is not UTF-8 text. The epoll thread does the
    /// waiting; the main thread does the reading.
    pub fn register_io(&mut self, stream: TcpStream, callback: impl FnOnce(Js) + 'static) {
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
                let message = format!("cannot wait for the socket: {error}");
                self.callback_ready(callback_id, Js::Error(message));
            }
        }
    }

    /// How many sockets are still being read: the epoll events the program
    /// still waits for.
    pub fn epoll_pending_events(&self) -> usize {
        self.epoll_streams.len()
    }
}
// ANCHOR_END: register_io

// ANCHOR: socket_is_ready
impl Runtime {
    /// The epoll thread says the socket of `callback_id` is ready: read
    /// what has arrived, and see whether the response is whole.
    pub(crate) fn socket_is_ready(&mut self, callback_id: usize) {
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
