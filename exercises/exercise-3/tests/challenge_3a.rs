//! Challenge 3a: hanging up on every socket that is still being read.

#[path = "../../../chapters/chapter-3/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::io::Read;
use std::net::TcpListener;
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

use common::stage::{Js, Runtime, ThreadPoolTaskKind};
use common::{run_until_done, send_get, tick, within};
use minimio::TcpStream;
use slow_server::SlowServer;

type Results = Rc<RefCell<Vec<(usize, Js)>>>;

/// A peer that accepts one connection and never answers. The receiver
/// hears from it once the connection has been closed by our side.
fn silent_peer() -> (TcpStream, Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (closed, hears_closed) = mpsc::channel();
    thread::spawn(move || {
        let (mut connection, _) = listener.accept().unwrap();
        connection
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut buffer = [0; 1024];
        // `Ok(0)`: the other side closed the connection.
        while let Ok(1..) = connection.read(&mut buffer) {}
        let _ = closed.send(());
    });
    (TcpStream::connect(address).unwrap(), hears_closed)
}

/// Registers `stream` with a callback that records `n` and its value.
fn read(runtime: &mut Runtime, stream: TcpStream, n: usize, results: &Results) {
    let results = Rc::clone(results);
    runtime.register_io(stream, move |value| results.borrow_mut().push((n, value)));
}

/// Eight sockets whose peers never answer are aborted: each callback gets
/// an error, in the order the sockets were registered, nothing is pending
/// any more, and every peer sees its connection closed.
#[test]
fn every_socket_being_read_is_closed_and_its_callback_told() {
    within(20, || {
        let mut runtime = Runtime::new();
        let results = Results::default();
        let mut peers = Vec::new();
        for n in 0..8 {
            let (stream, hears_closed) = silent_peer();
            read(&mut runtime, stream, n, &results);
            peers.push(hears_closed);
        }

        let aborted = runtime.abort_reads();
        assert_eq!(aborted, 8, "eight sockets were being read");
        assert_eq!(
            runtime.pending_events(),
            0,
            "the callbacks of the aborted sockets still wait for an event that will never come: the loop would wait for them for ever"
        );
        assert_eq!(
            runtime.epoll_pending_events(),
            0,
            "the aborted sockets are still being read"
        );
        runtime.run_callbacks();

        let results = results.borrow();
        let order: Vec<usize> = results.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            order,
            (0..8).collect::<Vec<_>>(),
            "the callbacks of the aborted reads ran in this order, not in the order the sockets were registered"
        );
        for (n, value) in results.iter() {
            let Js::Error(message) = value else {
                panic!("the callback of socket {n} got {value:?}, not an error");
            };
            assert!(
                message.contains("aborted"),
                "the error of socket {n} should say that the read was aborted: {message:?}"
            );
        }
        for (n, hears_closed) in peers.iter().enumerate() {
            assert!(
                hears_closed.recv_timeout(Duration::from_secs(10)).is_ok(),
                "the peer of socket {n} never saw its connection closed"
            );
        }
    });
}

/// A socket whose response was already handed to its callback is left
/// alone: only the one still being read is aborted, and each callback
/// runs once.
#[test]
fn only_the_sockets_still_being_read_are_aborted() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let mut runtime = Runtime::new();
        let results = Results::default();
        read(
            &mut runtime,
            send_get(server.address(), "/quick"),
            0,
            &results,
        );
        let (stream, hears_closed) = silent_peer();
        read(&mut runtime, stream, 1, &results);
        while results.borrow().is_empty() {
            assert!(tick(&mut runtime), "the quick response never came");
        }

        assert_eq!(runtime.abort_reads(), 1, "one socket was still being read");
        runtime.run_callbacks();

        let results = results.borrow();
        assert_eq!(results.len(), 2, "each callback runs once: {results:?}");
        let Js::String(response) = &results[0].1 else {
            panic!("the quick response was not a string: {results:?}");
        };
        assert!(response.ends_with("You asked for /quick\n"), "{response:?}");
        assert!(
            matches!(&results[1], (1, Js::Error(_))),
            "the silent socket's callback should get an error: {results:?}"
        );
        assert_eq!(runtime.pending_events(), 0);
        assert!(
            hears_closed.recv_timeout(Duration::from_secs(10)).is_ok(),
            "the silent peer never saw its connection closed"
        );
    });
}

/// With no socket being read, nothing is aborted, and the pool's work
/// goes on.
#[test]
fn with_no_socket_being_read_nothing_is_aborted() {
    within(10, || {
        let mut runtime = Runtime::new();
        let results = Results::default();
        let results_by_callback = Rc::clone(&results);
        runtime.register_pool_task(
            ThreadPoolTaskKind::FileRead,
            || Js::Int(7),
            move |value| results_by_callback.borrow_mut().push((0, value)),
        );
        assert_eq!(runtime.abort_reads(), 0, "no socket was being read");
        run_until_done(&mut runtime);
        assert_eq!(*results.borrow(), [(0, Js::Int(7))]);
    });
}
