//! A small HTTP server on 127.0.0.1, for the examples and the tests.
//!
//! The runtime's HTTP requests need a peer, and the book promises that
//! nothing leaves the reader's machine. So every program that makes a
//! request starts one of these first. It answers plain `GET`s:
//!
//! - `/delay/<ms><path>` waits `<ms>` milliseconds, then answers as for
//!   `<path>`. This is the book's "slow" request: it lets the reader watch
//!   the loop get on with other work while a socket waits.
//! - `/bytes/<n>` answers with a body of exactly `n` bytes, the alphabet
//!   over and over, to test that responses are read whole.
//! - any other path answers `You asked for <path>` and a newline.
//!
//! Each answer carries `Connection: close`, and the server closes the
//! connection after it, so a client reads until the end of the stream.
//! Three more prefixes, `/silent`, `/keep-open` and `/chunked`, are for
//! the last stage's client, which must not need that (see `answer`).
//! Every connection gets its own thread, named `server`, so that a slow
//! answer never holds up another one.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// A running server. Dropping it stops it from accepting connections.
pub struct SlowServer {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl SlowServer {
    /// Starts a server on a free port of 127.0.0.1.
    pub fn start() -> io::Result<SlowServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let address = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let stopping = Arc::clone(&stopping);
            thread::Builder::new()
                .name("server".to_string())
                .spawn(move || accept_connections(listener, &stopping))?
        };
        Ok(SlowServer {
            address,
            stopping,
            acceptor: Some(acceptor),
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// A full URL for `path` on this server, such as
    /// `http://127.0.0.1:40123/hello`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }
}

impl Drop for SlowServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // `accept` is blocking: one last connection wakes it up to see the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept_connections(listener: TcpListener, stopping: &AtomicBool) {
    for connection in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(connection) = connection else {
            continue;
        };
        let spawned = thread::Builder::new()
            .name("server".to_string())
            .spawn(move || answer(connection));
        if spawned.is_err() {
            // Out of threads: this one connection is closed unanswered.
            continue;
        }
    }
}

/// Reads one request and writes its answer. Errors only mean the client
/// went away, so they are dropped with the connection.
///
/// Three prefixes of the path change how it answers, for the last
/// stage's sturdier client: `/silent` is never answered; after
/// `/keep-open<path>` or `/chunked<path>`, the connection stays open until
/// the client closes it, and `/chunked` sends the body in two chunks,
/// 20 ms apart.
fn answer(mut connection: TcpStream) {
    let Ok(request) = read_request_head(&mut connection) else {
        return;
    };
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    // `/keep-open/hello` is answered as `/hello`, and `/keep-open` as `/`.
    let for_path = |rest: &str| {
        let rest = if rest.is_empty() { "/" } else { rest };
        respond_to(&request.replacen(&path, rest, 1))
    };
    if path.starts_with("/silent") {
        wait_for_close(connection);
    } else if let Some(rest) = path.strip_prefix("/keep-open") {
        let response = for_path(rest).replace("Connection: close\r\n", "");
        let _ = connection.write_all(response.as_bytes());
        wait_for_close(connection);
    } else if let Some(rest) = path.strip_prefix("/chunked") {
        let _ = write_in_chunks(&mut connection, &for_path(rest));
        wait_for_close(connection);
    } else {
        let _ = connection.write_all(respond_to(&request).as_bytes());
    }
}

/// Sends `response` with its body in two chunks, 20 ms apart, and a last
/// chunk of size 0.
fn write_in_chunks(connection: &mut TcpStream, response: &str) -> io::Result<()> {
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((response, ""));
    let head: Vec<&str> = head
        .lines()
        .filter(|line| !line.starts_with("Content-Length") && !line.starts_with("Connection"))
        .collect();
    write!(
        connection,
        "{}\r\nTransfer-Encoding: chunked\r\n\r\n",
        head.join("\r\n")
    )?;
    let (first, second) = body.split_at(body.len() / 2);
    for chunk in [first, second] {
        write!(connection, "{:x}\r\n{chunk}\r\n", chunk.len())?;
        thread::sleep(Duration::from_millis(20));
    }
    connection.write_all(b"0\r\n\r\n")
}

/// Keeps the connection open until the client closes it (or 10 s pass
/// without a word from it).
fn wait_for_close(mut connection: TcpStream) {
    let mut buffer = [0; 1024];
    while let Ok(1..) = connection.read(&mut buffer) {}
}

/// Reads up to the blank line that ends a request's head.
fn read_request_head(connection: &mut TcpStream) -> io::Result<String> {
    connection.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.ends_with(b"\r\n\r\n") {
        let read = connection.read(&mut buffer)?;
        if read == 0 || head.len() > 64 * 1024 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

// ANCHOR: respond
/// The whole response to a request, waiting first if the path asks for it.
pub fn respond_to(request: &str) -> String {
    let request_line = request.lines().next().unwrap_or("");
    let mut words = request_line.split_whitespace();
    let (Some(method), Some(path)) = (words.next(), words.next()) else {
        return response(
            "400 Bad Request",
            "A request starts with a method and a path.\n",
        );
    };
    if method != "GET" {
        return response("405 Method Not Allowed", "Only GET is served here.\n");
    }
    let path = match parse_delay(path) {
        Some((delay, rest)) => {
            thread::sleep(delay);
            rest
        }
        None => path,
    };
    match path.strip_prefix("/bytes/").map(str::parse::<usize>) {
        Some(Ok(length)) => response("200 OK", &alphabet(length)),
        Some(Err(_)) => response("400 Bad Request", "/bytes/ needs a number.\n"),
        None => response("200 OK", &format!("You asked for {path}\n")),
    }
}

/// `/delay/2000/hello` is a wait of 2000 ms, then the path `/hello`.
fn parse_delay(path: &str) -> Option<(Duration, &str)> {
    let rest = path.strip_prefix("/delay/")?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let milliseconds = rest[..digits].parse().ok()?;
    let path = if digits == rest.len() {
        "/"
    } else {
        &rest[digits..]
    };
    Some((Duration::from_millis(milliseconds), path))
}
// ANCHOR_END: respond

fn response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn alphabet(length: usize) -> String {
    (b'a'..=b'z').cycle().take(length).map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn get(server: &SlowServer, path: &str) -> String {
        let mut connection = TcpStream::connect(server.address()).unwrap();
        connection
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(connection, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut answer = String::new();
        connection.read_to_string(&mut answer).unwrap();
        answer
    }

    /// Sends a GET for `path`, and reads what comes back within 300 ms,
    /// without waiting for the close.
    fn answer_within_300_ms(server: &SlowServer, path: &str) -> String {
        let mut connection = TcpStream::connect(server.address()).unwrap();
        write!(connection, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        connection
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut answer = Vec::new();
        let mut buffer = [0; 1024];
        // Until the close, or until 300 ms pass without a byte.
        while let Ok(count @ 1..) = connection.read(&mut buffer) {
            answer.extend_from_slice(&buffer[..count]);
        }
        String::from_utf8(answer).unwrap()
    }

    #[test]
    fn keep_open_and_chunked_answer_and_leave_the_connection_open() {
        let server = SlowServer::start().unwrap();
        let kept = answer_within_300_ms(&server, "/keep-open/hello");
        assert!(kept.ends_with("\r\n\r\nYou asked for /hello\n"), "{kept}");
        assert!(!kept.contains("Connection: close"), "{kept}");
        let chunked = answer_within_300_ms(&server, "/chunked/hello");
        assert!(
            chunked.ends_with(
                "Transfer-Encoding: chunked\r\n\r\n\
                               a\r\nYou asked \r\nb\r\nfor /hello\n\r\n0\r\n\r\n"
            ),
            "{chunked:?}"
        );
        assert_eq!(answer_within_300_ms(&server, "/silent"), "");
    }

    #[test]
    fn it_answers_with_the_path_asked_for() {
        let server = SlowServer::start().unwrap();
        let answer = get(&server, "/hello");
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(
            answer.ends_with("\r\n\r\nYou asked for /hello\n"),
            "{answer}"
        );
    }

    #[test]
    fn a_delay_waits_before_answering() {
        let server = SlowServer::start().unwrap();
        let started = Instant::now();
        let answer = get(&server, "/delay/200/hello");
        let waited = started.elapsed();
        assert!(answer.ends_with("You asked for /hello\n"), "{answer}");
        assert!(
            waited >= Duration::from_millis(200),
            "answered after {waited:?}"
        );
        assert!(waited < Duration::from_secs(5), "answered after {waited:?}");
    }

    #[test]
    fn bytes_gives_exactly_that_many_bytes() {
        let server = SlowServer::start().unwrap();
        let answer = get(&server, "/bytes/100000");
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("Content-Length: 100000"), "{head}");
        assert_eq!(body.len(), 100_000);
        assert!(body.starts_with("abcdefghijklmnopqrstuvwxyzabc"));
    }

    #[test]
    fn bad_requests_get_an_error_status() {
        assert!(respond_to("POST / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405"));
        assert!(respond_to("\r\n\r\n").starts_with("HTTP/1.1 400"));
        assert!(respond_to("GET /bytes/many HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400"));
    }

    #[test]
    fn delays_are_parsed_from_the_path() {
        assert_eq!(
            parse_delay("/delay/2000/hello"),
            Some((Duration::from_millis(2000), "/hello"))
        );
        assert_eq!(
            parse_delay("/delay/5"),
            Some((Duration::from_millis(5), "/"))
        );
        assert_eq!(parse_delay("/hello"), None);
        assert_eq!(parse_delay("/delay/soon/hello"), None);
    }
}
