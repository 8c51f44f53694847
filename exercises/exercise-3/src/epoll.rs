//! The epoll thread: one thread waits for every socket, and tells the
//! main thread which ones are ready (`sockets.rs` reads them).

use std::io::{self, ErrorKind};
use std::sync::mpsc::Sender;
use std::thread::{self, JoinHandle};

use minimio::{Events, Interests, Poll, Registrator, TcpStream, Token};

use crate::{CallbackId, PollEvent, log, trace};

// ANCHOR: start
/// The epoll thread, as the main thread sees it: the way to ask it to
/// watch a socket, and the thread itself, to stop it.
pub(crate) struct EpollThread {
    /// Registers sockets with the queue the epoll thread waits on.
    registrator: Registrator,
    /// The thread, to join when the runtime shuts down.
    thread: Option<JoinHandle<()>>,
}

impl EpollThread {
    /// Starts the epoll thread. It owns the `Poll`; the main thread keeps a
    /// `Registrator` to register sockets with it.
    pub(crate) fn start(events: Sender<PollEvent>) -> EpollThread {
        let poll = Poll::new().expect("the system can make an event queue");
        let registrator = poll.registrator();
        let thread = thread::Builder::new()
            .name("epoll".to_string())
            .spawn(move || wait_for_sockets(poll, events))
            .expect("the system can start a thread");
        EpollThread {
            registrator,
            thread: Some(thread),
        }
    }
}
// ANCHOR_END: start

// ANCHOR: watch
impl EpollThread {
    /// Asks epoll to report `stream` once, as `id`, when it is ready in
    /// the way `interests` says.
    pub(crate) fn watch(
        &self,
        stream: &TcpStream,
        id: CallbackId,
        interests: Interests,
    ) -> io::Result<()> {
        self.registrator.register(stream, Token(id.0), interests)
    }

    /// Asks for the next report of a `stream` watched before: each
    /// registration reports a socket once, and then it must be re-armed.
    pub(crate) fn watch_again(
        &self,
        stream: &TcpStream,
        id: CallbackId,
        interests: Interests,
    ) -> io::Result<()> {
        self.registrator.reregister(stream, Token(id.0), interests)
    }

    /// Stops the epoll thread and waits for it: `close_loop` wakes it, and
    /// its `poll` then fails with `Interrupted`.
    pub(crate) fn stop_and_join(&mut self) {
        let _ = self.registrator.close_loop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
// ANCHOR_END: watch

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
                    let id = CallbackId(event.token().0);
                    log!("the socket of callback {id} is ready");
                    if events_out.send(PollEvent::Epoll(id)).is_err() {
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
