//! Stage 10: an HTTP client that never blocks the loop. A response is
//! given when it is whole, whether or not the server closes; a request
//! can time out; and a server that does not take a connection, or takes
//! a request slowly, holds up nothing but that request.

mod common;

use std::cell::RefCell;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::stage::{
    Http, Js, Runtime, ThreadPoolTaskKind, clear_timeout, register_pool_task, set_timeout,
};
use common::{Results, body, error_of, record, run, run_sharing, within};
use slow_server::SlowServer;

fn names(results: &[(String, Js)]) -> Vec<&str> {
    results.iter().map(|(name, _)| name.as_str()).collect()
}

/// Runs `ask`, which asks for a GET recorded as "get", beside a timer of
/// `timer_ms`; checks that the timer ran first, and gives the message of
/// the error the GET got.
fn error_after_a_timer(timer_ms: u64, ask: impl FnOnce(&Results) + 'static) -> String {
    let results = run(move |results| {
        ask(results);
        set_timeout(timer_ms, record(results, "timer"));
    });
    assert_eq!(names(&results), ["timer", "get"]);
    error_of(&results[1].1).to_string()
}

/// A server for one connection, on a free port of 127.0.0.1: `serve`
/// gets the connection once it has read the request's head, and sends
/// what it returns to the receiver.
fn server<T: Send + 'static>(
    serve: impl FnOnce(TcpStream, Vec<u8>) -> T + Send + 'static,
) -> (String, Receiver<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let (mut connection, _) = listener.accept().unwrap();
        let request = read_head(&mut connection);
        let _ = sender.send(serve(connection, request));
    });
    (url, receiver)
}

/// The callback of a request to a server that reports, through `closed`,
/// whether the client closed the connection. The request is over when its
/// callback runs, so its socket must be closed by then, not only when the
/// runtime is dropped: the server must see it closed (with a right
/// client, at once; a wrong one fails after 10 s).
fn record_once_closed(results: &Results, closed: Receiver<bool>) -> impl FnOnce(Js) + 'static {
    let record = record(results, "get");
    move |value| {
        let seen = closed.recv_timeout(Duration::from_secs(10));
        assert_eq!(seen, Ok(true), "the request's socket is still open");
        record(value);
    }
}

/// GETs from a server that answers with what `answer` writes, then waits
/// for the client to close the connection; gives what the request's
/// callback got, the only callback there is.
fn get_answered_by(answer: impl FnOnce(&mut TcpStream) + Send + 'static) -> Js {
    let (url, closed) = server(|mut connection, _| {
        answer(&mut connection);
        closed_by_client(connection)
    });
    let results = run(move |results| Http::get(&url, record_once_closed(results, closed)));
    assert_eq!(names(&results), ["get"]);
    results.into_iter().next().expect("one result").1
}

/// Reads up to the blank line that ends a request's head.
fn read_head(connection: &mut TcpStream) -> Vec<u8> {
    let mut request = Vec::new();
    let mut buffer = vec![0; 64 * 1024];
    while !request.ends_with(b"\r\n\r\n") {
        match connection.read(&mut buffer).unwrap() {
            0 => break,
            count => request.extend_from_slice(&buffer[..count]),
        }
    }
    request
}

/// Waits until the client closes the connection, and says whether it did
/// (rather than the 10 s limit passing).
fn closed_by_client(mut connection: TcpStream) -> bool {
    connection
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buffer = [0; 1024];
    loop {
        match connection.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(error) if error.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return false,
        }
    }
}

/// The body `hello` comes with `Content-Length: 5`, and the server, which
/// keeps the connection open, sees the client close it.
#[test]
fn a_response_is_whole_at_its_content_length_though_the_server_keeps_it_open() {
    within(20, || {
        let got = get_answered_by(|connection| {
            let response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
            connection.write_all(response.as_bytes()).unwrap();
        });
        assert_eq!(body(&got), "hello");
    });
}

/// Two chunks, 50 ms apart, give `hello, world`, and the client closes the
/// connection.
#[test]
fn a_chunked_response_is_whole_at_its_last_chunk_and_its_chunks_are_joined() {
    within(20, || {
        let got = get_answered_by(|connection| {
            let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
            connection.write_all(head.as_bytes()).unwrap();
            connection.write_all(b"5\r\nhello\r\n").unwrap();
            thread::sleep(Duration::from_millis(50));
            connection.write_all(b"7\r\n, world\r\n0\r\n\r\n").unwrap();
        });
        assert_eq!(body(&got), "hello, world");
    });
}

/// Four bytes that are not UTF-8 give an error that says `not UTF-8 text`,
/// and the client closes the connection.
#[test]
fn a_body_that_is_not_text_gives_an_error() {
    within(20, || {
        let got = get_answered_by(|connection| {
            let head = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n";
            connection.write_all(head.as_bytes()).unwrap();
            connection.write_all(&[0xff, 0xfe, 0, 1]).unwrap();
        });
        assert!(error_of(&got).contains("not UTF-8 text"));
    });
}

/// A server that never answers, a timeout of 200 ms and a 20 ms timer: the
/// timer runs first, the request's callback gets an error that starts with
/// `timeout`, and the server has seen the socket closed.
#[test]
fn a_timeout_gives_an_error_closes_the_socket_and_the_loop_goes_on() {
    within(20, || {
        // It reads the request, and never answers.
        let (url, closed) = server(|connection, _| closed_by_client(connection));
        let message = error_after_a_timer(20, move |results| {
            Http::get_with_timeout(&url, 200, record_once_closed(results, closed));
        });
        assert!(message.starts_with("timeout"), "{message}");
    });
}

/// A server that sends a head without a length, then a body without end; a
/// timeout of 300 ms and a 5 ms timer. The timer runs first, and the
/// request is given up on, at its timeout or once the response is larger
/// than 64 MiB, whichever comes first. (64 MiB takes a hundred turns of
/// the loop or more, as a poll phase reads a socket at most twice, 320 KiB
/// at most each time, and a timers phase begins each turn: far more than
/// 5 ms, however fast the machine.)
#[test]
fn a_server_that_never_stops_sending_holds_up_nothing_else() {
    within(20, || {
        let (url, _) = server(|mut connection, _| {
            let _ = connection.write_all(b"HTTP/1.1 200 OK\r\n\r\n");
            let endless = vec![b'a'; 64 * 1024];
            while connection.write_all(&endless).is_ok() {}
        });
        let message = error_after_a_timer(5, move |results| {
            Http::get_with_timeout(&url, 300, record(results, "get"));
        });
        // It is given up on at its timeout, or once it is too large to
        // keep, whichever comes first.
        let given_up = message.starts_with("timeout") || message.contains("larger than 64 MiB");
        assert!(given_up, "{message}");
    });
}

/// With a timeout of 60 s, a quick answer ends the run in far less: the
/// timer was cleared.
#[test]
fn a_response_in_time_does_not_wait_for_its_timeout() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let url = server.url("/hello");
        let started = Instant::now();
        let results = run(move |results| {
            Http::get_with_timeout(&url, 60_000, record(results, "get"));
        });
        assert_eq!(names(&results), ["get"]);
        assert_eq!(body(&results[0].1), "You asked for /hello\n");
        // Far below the timeout: its timer was cleared, and did not keep
        // the loop alive.
        let took = started.elapsed();
        assert!(took < Duration::from_secs(15), "the loop took {took:?}");
    });
}

/// A request whose host name is still being looked up when its timeout
/// fires is given up on too: with the one pool thread busy, the lookup
/// waits its turn, and meanwhile the callback gets the timeout's error.
#[test]
fn a_request_still_being_looked_up_is_given_up_at_its_timeout() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let url = format!("http://localhost:{}/hello", server.address().port());
        let results = run_sharing(Runtime::with_pool_size(1), move |results| {
            // The pool's thread waits at a gate, so the lookup waits too.
            let (open_gate, gate) = mpsc::channel::<()>();
            let gate = Arc::new(Mutex::new(gate));
            let wait_for_gate = move || {
                let _ = gate.lock().unwrap().recv();
                Js::Undefined
            };
            register_pool_task(ThreadPoolTaskKind::Encrypt, wait_for_gate, |_| {});
            let gate_key = Rc::new(RefCell::new(Some(open_gate)));
            let watchdog_key = Rc::clone(&gate_key);
            let watchdog = set_timeout(5_000, move |_| {
                watchdog_key.take();
                panic!(
                    "the request was not given up at its timeout: its host name was still \
                     being looked up, on the pool"
                );
            });
            let record = record(&results, "get");
            Http::get_with_timeout(&url, 100, move |value| {
                clear_timeout(watchdog);
                gate_key.take();
                record(value);
            });
        });
        assert_eq!(names(&results), ["get"]);
        let message = error_of(&results[0].1);
        assert!(message.starts_with("timeout"), "{message}");
    });
}

/// A server that hangs up while a large request is still being sent: the
/// write fails, and the callback gets an error that says so at once, not
/// a timeout.
#[test]
fn a_server_that_hangs_up_while_the_request_is_sent_gives_an_error() {
    within(20, || {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        // Not joined: if the client failed before it connected, the
        // server would wait in `accept` for ever, and the test would hang
        // instead of saying what the client got.
        thread::spawn(move || {
            let (mut connection, _) = listener.accept().unwrap();
            let _ = connection.read(&mut [0; 1024]);
        });
        let path = "a".repeat(16 * 1024 * 1024);
        let url = format!("{url}{path}");
        let results = run(move |results| {
            Http::get_with_timeout(&url, 5_000, record(results, "get"));
        });
        let message = error_of(&results[0].1);
        assert!(
            message.contains("cannot send the request"),
            "the server hung up while the request was sent, yet the callback got: {message}"
        );
    });
}

/// A GET of `localhost`, with the slow server's port, gets its answer.
#[test]
fn a_host_name_is_looked_up_and_the_request_made() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let url = format!("http://localhost:{}/hello", server.address().port());
        let results = run(move |results| Http::get(&url, record(results, "get")));
        assert_eq!(names(&results), ["get"]);
        assert_eq!(body(&results[0].1), "You asked for /hello\n");
    });
}

/// A listener whose queue of connections is full: the kernel answers no
/// new connection to it, so a connect waits, as for a server that is far
/// away or overloaded. Returns its address, and what keeps it full.
fn full_listener() -> (SocketAddr, (socket2::Socket, Vec<TcpStream>)) {
    use socket2::{Domain, Socket, Type};
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let any_port: SocketAddr = "127.0.0.1:0".parse().unwrap();
    listener.bind(&any_port.into()).unwrap();
    listener.listen(0).unwrap();
    let address = listener.local_addr().unwrap().as_socket().unwrap();
    // Connect until a connect is not answered: the queue is full.
    let mut queued = Vec::new();
    for _ in 0..64 {
        match TcpStream::connect_timeout(&address, Duration::from_millis(200)) {
            Ok(connection) => queued.push(connection),
            Err(_) => break,
        }
    }
    (address, (listener, queued))
}

/// Against a listener whose queue is full, a 10 ms timer runs first, and a
/// 500 ms timeout ends the request.
#[test]
fn a_full_queue_of_connections_stalls_nothing_else() {
    within(20, || {
        let (address, _keep_full) = full_listener();
        let url = format!("http://{address}/");
        let message = error_after_a_timer(10, move |results| {
            Http::get_with_timeout(&url, 500, record(results, "get"));
        });
        assert!(message.starts_with("timeout"), "{message}");
    });
}

/// A GET with a 16 MiB path, to a server slow to start reading: a 10 ms
/// timer runs before the response, and the server receives the request
/// whole, each byte once, in order.
#[test]
fn a_huge_request_is_written_as_the_socket_takes_it() {
    within(30, || {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let path = format!("/{}", "a".repeat(16 * 1024 * 1024));
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        // Not joined: the response says what the server got, and if the
        // client never connected, a join would wait for ever in `accept`.
        thread::spawn(move || {
            let (mut connection, _) = listener.accept().unwrap();
            // Slow to start reading: the request fills the socket's
            // buffers, and the client must wait to write the rest.
            thread::sleep(Duration::from_millis(100));
            connection
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut got = vec![0; request.len()];
            let verdict = match connection.read_exact(&mut got) {
                Ok(()) if got == request.as_bytes() => "the request, whole",
                Ok(()) => "the request, garbled",
                Err(_) => "the request, cut short",
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
                verdict.len()
            );
            let _ = connection.write_all((head + verdict).as_bytes());
        });
        let url = format!("http://{address}{path}");
        let results = run(move |results| {
            Http::get(&url, record(results, "huge"));
            set_timeout(10, record(results, "timer"));
        });
        let (_, response) = results
            .iter()
            .find(|(name, _)| name == "huge")
            .expect("the request's callback ran");
        assert_eq!(
            body(response),
            "the request, whole",
            "the server did not receive the request as it was written"
        );
        assert_eq!(
            names(&results),
            ["timer", "huge"],
            "the timer did not run before the response: the loop waited for the request \
             to be written"
        );
    });
}
