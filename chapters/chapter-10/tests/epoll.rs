//! Stage 3: the epoll thread waits for sockets; the main thread reads each
//! response whole and hands it to its callback.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::rc::Rc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::stage::{Js, ThreadPoolTaskKind};
use common::{
    Results, body, register_io, register_pool_task, run, send_get, socket_whose_peer_sent, within,
};
use minimio::TcpStream;
use slow_server::SlowServer;

/// Registers a GET for `path` whose callback records the response.
fn get(address: SocketAddr, path: &'static str, results: &Results) {
    let results = Rc::clone(results);
    register_io(send_get(address, path), move |response| {
        results.borrow_mut().push((path.to_string(), response))
    });
}

/// Registers `stream`, whose callback records what it got under "peer".
fn read_peer(stream: TcpStream, results: &Results) {
    let results = Rc::clone(results);
    register_io(stream, move |response| {
        results.borrow_mut().push(("peer".to_string(), response))
    });
}

/// A watchdog for a test whose socket might never be heard from again: a
/// pool task that waits until the test sends on the channel returned (its
/// socket's callback does), or `seconds` at most. Its callback then fails
/// the test with `message` if the socket's callback has not run. Without
/// it, such a test would sleep until its time limit, with nothing to say
/// why.
fn watchdog(seconds: u64, message: &'static str) -> mpsc::Sender<()> {
    let (answered, wait) = mpsc::channel::<()>();
    let work = move || match wait.recv_timeout(Duration::from_secs(seconds)) {
        Ok(()) => Js::Undefined,
        Err(_) => Js::Error("no answer".to_string()),
    };
    register_pool_task(ThreadPoolTaskKind::FileRead, work, move |value| {
        assert_eq!(value, Js::Undefined, "{message}");
    });
    answered
}

/// A response with a body of 3,000,000 bytes, far more than one read takes,
/// arrives whole, with the right first and last bytes.
#[test]
fn a_large_response_is_read_whole() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let address = server.address();
        let results = run(move |results| {
            let answered = watchdog(
                10,
                "the response never reached its callback (in 10 s): its socket was not \
                 read to its end",
            );
            let results = Rc::clone(results);
            register_io(send_get(address, "/bytes/3000000"), move |response| {
                results.borrow_mut().push(("/bytes".to_string(), response));
                let _ = answered.send(());
            });
        });

        assert_eq!(results.len(), 1);
        let body = body(&results[0].1);
        assert_eq!(
            body.len(),
            3_000_000,
            "the response did not arrive whole: its callback got {} of the 3,000,000 bytes \
             of its body",
            body.len()
        );
        assert!(body.starts_with("abcdefghijklmnopqrstuvwxyzabc"));
        assert!(body.ends_with(&"abcdefghijklmnopqrstuvwxyz"[..3_000_000 % 26]));
    });
}

/// A peer (a plain `std::net::TcpListener` in the test) sends `one `, `two
/// ` and `three`, 100 ms apart, and then closes. The callback must receive
/// all of it, as one string. For that, the socket has to be registered
/// again after each piece.
#[test]
fn a_response_sent_in_pieces_is_read_whole() {
    within(20, || {
        // A peer that sends its answer in three pieces, 100 ms apart. (It
        // stops if the runtime has closed the socket: the test then says
        // why, not the peer.)
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let peer = std::thread::spawn(move || {
            let (mut connection, _) = listener.accept().unwrap();
            for piece in ["one ", "two ", "three"] {
                std::thread::sleep(Duration::from_millis(100));
                if connection.write_all(piece.as_bytes()).is_err() {
                    return;
                }
            }
        });
        let stream = TcpStream::connect(address).unwrap();
        let results = run(move |results| {
            let answered = watchdog(
                10,
                "the response sent in pieces never reached its callback (in 10 s): its \
                 socket was not read to its end",
            );
            let results = Rc::clone(results);
            register_io(stream, move |response| {
                results.borrow_mut().push(("peer".to_string(), response));
                let _ = answered.send(());
            });
        });
        peer.join().unwrap();

        assert_eq!(
            results,
            [("peer".to_string(), Js::String("one two three".into()))],
            "the response sent in three pieces did not arrive whole, as one string"
        );
    });
}

/// A peer that resets the connection (it closes its socket with bytes
/// still unread, so the kernel sends a reset, not an end): the read fails,
/// and the callback gets a `Js::Error`, not a response. (A read error
/// other than `WouldBlock` is not "nothing more for now".)
#[test]
#[cfg_attr(
    windows,
    ignore = "Wine, where CI runs the Windows build, ends a socket closed with bytes unread \
              as it ends any other (FIN), with no reset: the read sees an end, not an error"
)]
fn a_connection_reset_by_the_peer_gives_an_error() {
    within(10, || {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        stream.write_all(b"left unread").unwrap();
        // Once one byte has come, the rest is there too, unread.
        peer.read_exact(&mut [0; 1]).unwrap();
        drop(peer);
        let results = run(move |results| read_peer(stream, results));

        let [(_, Js::Error(message))] = &results[..] else {
            panic!(
                "a connection reset by the peer must give the callback a Js::Error, \
                 but it got {results:?}"
            );
        };
        assert!(message.contains("cannot read the response"), "{message}");
    });
}

/// Three requests, sent in the order "last", "second", "first", and
/// answered after 400 ms, 200 ms and at once. The callbacks run in the
/// order the answers come, and each gets the body of its own request.
#[test]
fn each_socket_reaches_its_own_callback_in_the_order_the_answers_come() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let address = server.address();
        let results = run(move |results| {
            get(address, "/delay/400/last", results);
            get(address, "/delay/200/second", results);
            get(address, "/first", results);
        });

        let order: Vec<&str> = results.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(order, ["/first", "/delay/200/second", "/delay/400/last"]);
        assert_eq!(body(&results[0].1), "You asked for /first\n");
        assert_eq!(body(&results[1].1), "You asked for /second\n");
        assert_eq!(body(&results[2].1), "You asked for /last\n");
    });
}

/// A request that is answered after a second, and a pool task. The pool
/// task's callback must run within 900 ms, before the socket's. While the
/// epoll thread waits for the socket, the main thread is free.
#[test]
fn a_slow_socket_does_not_hold_up_the_pool() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let address = server.address();
        let started = Instant::now();
        let results = run(move |results| {
            get(address, "/delay/1000/slow", results);
            let pool_results = Rc::clone(results);
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                || Js::Int(42),
                move |value| {
                    let waited = started.elapsed();
                    assert!(
                        waited < Duration::from_millis(900),
                        "the pool waited {waited:?}"
                    );
                    pool_results.borrow_mut().push(("pool".to_string(), value));
                },
            );
        });

        let order: Vec<&str> = results.iter().map(|(source, _)| source.as_str()).collect();
        assert_eq!(order, ["pool", "/delay/1000/slow"]);
    });
}

/// The very first read returns `Ok(0)`, and the callback gets an empty
/// `Js::String`. (An empty answer is a fine answer for a socket; an HTTP
/// request will want more, and stage 6's `Http` says so.)
#[test]
fn a_peer_that_closes_without_a_word_gives_an_empty_response() {
    within(10, || {
        let stream = socket_whose_peer_sent(b"");
        let results = run(move |results| read_peer(stream, results));

        assert_eq!(results, [("peer".to_string(), Js::String(String::new()))]);
    });
}

/// The peer sends `a`, two bytes that are not UTF-8, and `z`. Bytes that
/// are not UTF-8 are not text: the callback gets a `Js::Error`, instead of
/// text with the bytes replaced.
#[test]
fn bytes_that_are_not_text_give_an_error() {
    within(10, || {
        let stream = socket_whose_peer_sent(&[b'a', 0xff, 0xfe, b'z']);
        let results = run(move |results| read_peer(stream, results));

        let [(_, Js::Error(message))] = &results[..] else {
            panic!("not one error: {results:?}");
        };
        assert!(message.contains("not UTF-8"), "{message}");
    });
}
