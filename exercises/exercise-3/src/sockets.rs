//! The sockets the main thread reads. Epoll only says when a
//! socket is ready; the main thread reads what has arrived, keeps it, and
//! once the peer has closed the connection, hands the whole response to
//! the socket's callback.

use std::collections::HashMap;
use std::io::{self, ErrorKind, Read};

use minimio::{Interests, TcpStream};

use crate::{CallbackId, Js, Runtime, trace};

// ANCHOR: sockets
/// The sockets being read, by the id of the callback waiting for each.
#[derive(Default)]
pub(crate) struct Sockets {
    reading: HashMap<CallbackId, Reading>,
}

impl Sockets {
    /// Keeps `reading` until its socket is ready again.
    pub(crate) fn keep(&mut self, callback_id: CallbackId, reading: Reading) {
        self.reading.insert(callback_id, reading);
    }

    /// Takes out the socket of `callback_id`, to read it: `None` if it is
    /// not one being read.
    pub(crate) fn take(&mut self, callback_id: CallbackId) -> Option<Reading> {
        self.reading.remove(&callback_id)
    }

    /// How many sockets are being read: what `epoll_pending_events` says.
    pub(crate) fn len(&self) -> usize {
        self.reading.len()
    }
}
// ANCHOR_END: sockets

// ANCHOR: reading
/// A socket being read, and what has arrived from it so far.
pub(crate) struct Reading {
    stream: TcpStream,
    received: Vec<u8>,
}

impl Reading {
    // ANCHOR: read_available
    /// Reads everything that has arrived. Returns `true` once the peer has
    /// closed the connection: then the response is whole.
    fn read_available(&mut self) -> io::Result<bool> {
        todo!(
            "exercise 3: Read what has arrived into received, until the socket would block; return Ok(true) once the peer has closed the connection. The book explains it in \"Reading what has arrived\", on the page \"Stage 3: the epoll thread\" (book/src/chapter-3.md)."
        )
    }
    // ANCHOR_END: read_available
}
// ANCHOR_END: reading

// ANCHOR: register_io
impl Runtime {
    /// Reads `stream` until the peer closes it, then hands everything it
    /// sent to `callback` as a `Js::String`, or a `Js::Error` if the socket
    /// fails or what it sent is not UTF-8 text. Epoll does the waiting;
    /// the main thread does the reading.
    pub fn register_io(&mut self, stream: TcpStream, callback: impl FnOnce(Js) + 'static) {
        let callback_id = self.add_callback(callback);
        match self.epoll.watch(&stream, callback_id, Interests::READABLE) {
            Ok(()) => {
                trace::instant(format_args!("watching socket {callback_id}"));
                let reading = Reading {
                    stream,
                    received: Vec::new(),
                };
                self.sockets.keep(callback_id, reading);
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
        self.sockets.len()
    }
}
// ANCHOR_END: register_io

// ANCHOR: socket_is_ready
impl Runtime {
    /// Epoll says the socket of `callback_id` is ready: read
    /// what has arrived, and see whether the response is whole.
    pub(crate) fn socket_is_ready(&mut self, callback_id: CallbackId) {
        let Some(mut reading) = self.sockets.take(callback_id) else {
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
    /// re-arm it to hear about the next bytes.
    fn wait_for_more(&mut self, callback_id: CallbackId, reading: Reading) {
        todo!(
            "exercise 3: The response is not whole yet: re-arm the stream's registration for the same callback id, since each registration reports it once; if that fails, the callback gets a Js::Error. The book explains it in \"When a socket is ready\", on the page \"Stage 3: the epoll thread\" (book/src/chapter-3.md)."
        )
    }
    // ANCHOR_END: wait_for_more
}
// ANCHOR_END: socket_is_ready

// Challenge 3a adds a way to take every socket out at once. (The field
// above is private to this file, so what reaches it is here.)
impl Sockets {
    /// Takes out every socket being read, and gives the ids of their
    /// callbacks, in the order the sockets were registered. Each `Reading`
    /// is dropped, and its stream with it, which closes the socket.
    pub(crate) fn take_all(&mut self) -> Vec<CallbackId> {
        todo!(
            "challenge 3a: Take every socket out of reading, so that its stream is dropped, which closes it; give the ids of their callbacks in the order of the ids, which only grow: the order the sockets were registered. The book explains it in \"Challenges\" and \"Registering a socket\", on the page \"Stage 3: the epoll thread\" (book/src/chapter-3.md)."
        )
    }
}
