//@ 6..
//! The modules a program uses, shaped like Node's: `Fs`, `Crypto` and
//! `Http`. Each one is a thin layer over the runtime: it prepares the
//! work, and hands it to the pool or to the epoll thread.

use std::fs;
//@ ..=9
// use std::io::Write;
//
// use minimio::TcpStream;
//@ end

use crate::handle::with_runtime;
// use crate::{Js, ThreadPoolTaskKind, register_io, register_pool_task}; //@ ..=9
use crate::{Js, ThreadPoolTaskKind, register_pool_task}; //@ 10..

// ANCHOR: fs
/// Files, read on the pool: a read may have to wait for the disk.
pub struct Fs;

impl Fs {
    /// Reads the file at `path`. The callback gets its text as a
    /// `Js::String`, or a `Js::Error` that says why it could not be read.
    pub fn read(path: &str, callback: impl FnOnce(Js) + 'static) {
        let path = path.to_string();
        let work = move || match fs::read_to_string(&path) {
            Ok(text) => Js::String(text),
            Err(error) => Js::Error(format!("cannot read {path}: {error}")),
        };
        register_pool_task(ThreadPoolTaskKind::FileRead, work, callback);
    }
}
// ANCHOR_END: fs

// ANCHOR: crypto
/// CPU-heavy work, done on the pool so that the loop stays free.
pub struct Crypto;

impl Crypto {
    /// Computes the Fibonacci number `fib(n)`, the slow recursive way: our
    /// stand-in for real encryption. The callback gets it as a `Js::Int`,
    /// or a `Js::Error` if it is too large for a `usize`. Each step of `n`
    /// takes about 1.6 times as long as the one before.
    pub fn encrypt(n: usize, callback: impl FnOnce(Js) + 'static) {
        let work = move || {
            if fibonacci_fits(n) {
                Js::Int(fibonacci(n))
            } else {
                Js::Error(format!("fib({n}) is too large for a usize"))
            }
        };
        register_pool_task(ThreadPoolTaskKind::Encrypt, work, callback);
    }
}

fn fibonacci(n: usize) -> usize {
    if n < 2 {
        n
    } else {
        fibonacci(n - 1) + fibonacci(n - 2)
    }
}

/// Whether `fib(n)` fits in a `usize`: counts up to it, quickly, and
/// checks every addition.
fn fibonacci_fits(n: usize) -> bool {
    // `previous` and `latest` are fib(k - 1) and fib(k), from k = 1 up to n.
    let (mut previous, mut latest) = (0_usize, 1_usize);
    for _ in 1..n {
        let Some(next) = previous.checked_add(latest) else {
            return false;
        };
        (previous, latest) = (latest, next);
    }
    true
}
// ANCHOR_END: crypto

// ANCHOR: http
// ANCHOR: http_get
/// HTTP requests, waited for by the epoll thread.
pub struct Http;

impl Http {
    /// GETs a plain `http://host:port/path` URL. The callback gets the
    /// whole response, status line first, as a `Js::String`; or a
    /// `Js::Error` if the URL is malformed, the connection is refused or
    /// breaks, or what comes back is not a whole HTTP response in UTF-8.
    //@ ..=9
    // pub fn get(url: &str, callback: impl FnOnce(Js) + 'static) {
    //     match Url::parse(url).and_then(|url| send_request(&url)) {
    //         Ok(stream) => register_io(stream, |reply| callback(whole_response(reply))),
    //         Err(message) => fail_later(callback, message),
    //     }
    // }
    //@ or 10..
    ///
    /// Like Node's, it has no time limit: a server that never answers
    /// keeps the program waiting. [`Http::get_with_timeout`] has one.
    pub fn get(url: &str, callback: impl FnOnce(Js) + 'static) {
        start_get(url, None, callback);
    }

    /// As [`Http::get`], but gives up once `timeout_ms` milliseconds have
    /// passed without a whole response: the socket is closed, and the
    /// callback gets a `Js::Error` that begins with "timeout". As with
    /// Node's socket timeouts, 0 means no timeout, and one longer than
    /// [`TIMEOUT_MAX`](crate::TIMEOUT_MAX) is cut to it.
    pub fn get_with_timeout(url: &str, timeout_ms: u64, callback: impl FnOnce(Js) + 'static) {
        start_get(url, Some(timeout_ms), callback);
    }
    //@ end

    /// The book's slow GET: asks the workspace's slow server at `url` to
    /// wait `delay_ms` milliseconds before it answers (its `/delay/` path).
    pub fn http_get_slow(url: &str, delay_ms: u32, callback: impl FnOnce(Js) + 'static) {
        match Url::parse(url) {
            Ok(url) => {
                let slow = format!(
                    "http://{}/delay/{delay_ms}{}",
                    url.host_and_port(),
                    url.path
                );
                Http::get(&slow, callback);
            }
            Err(message) => fail_later(callback, message),
        }
    }
}

//@ 10..
//@ 10..=11
// /// Checks the URL, then leaves the request to the runtime.
// fn start_get(url: &str, timeout_ms: Option<u64>, callback: impl FnOnce(Js) + 'static) {
//     match Url::parse(url) {
//         Ok(url) => with_runtime(|runtime| {
//             runtime.http_get(&url.host, url.port, &url.path, timeout_ms, callback);
//         }),
//         Err(message) => fail_later(callback, message),
//     }
// }
//@ or 12..
/// Checks the URL, then leaves the request to the runtime. Returns the
/// request's id, to cancel it, if it was made.
pub(crate) fn start_get(
    url: &str,
    timeout_ms: Option<u64>,
    callback: impl FnOnce(Js) + 'static,
) -> Option<usize> {
    match Url::parse(url) {
        Ok(url) => Some(with_runtime(|runtime| {
            runtime.http_get(&url.host, url.port, &url.path, timeout_ms, callback)
        })),
        Err(message) => {
            fail_later(callback, message);
            None
        }
    }
}
//@ end

//@ end
// ANCHOR_END: http_get
//@ ..=9
//
// // ANCHOR: send_request
// /// What arrived, if it is a whole HTTP response; else an error that says
// /// what is wrong with it. A peer that closes without a word, or in the
// /// middle of its body, has not answered.
// fn whole_response(reply: Js) -> Js {
//     let Js::String(text) = reply else {
//         return reply; // an error already
//     };
//     if text.is_empty() {
//         return Js::Error("the server closed the connection without answering".to_string());
//     }
//     if !text.starts_with("HTTP/") {
//         let why = format!("the reply is not HTTP: it begins {:?}", first_line(&text));
//         return Js::Error(why);
//     }
//     let Some((head, body)) = text.split_once("\r\n\r\n") else {
//         return Js::Error("the response ends in the middle of its headers".to_string());
//     };
//     match content_length(head) {
//         Some(length) if body.len() < length => Js::Error(format!(
//             "the response was cut short: {} of the {length} bytes of its body arrived",
//             body.len()
//         )),
//         _ => Js::String(text),
//     }
// }
//
// /// The first line of `text`, at most 40 characters of it (cut between
// /// characters, never inside one).
// fn first_line(text: &str) -> &str {
//     let line = text.lines().next().unwrap_or_default();
//     line.char_indices()
//         .nth(40)
//         .map_or(line, |(end, _)| &line[..end])
// }
//
// /// The `Content-Length` a response's head gives, if it gives one.
// fn content_length(head: &str) -> Option<usize> {
//     head.lines().find_map(|line| {
//         let (name, value) = line.split_once(':')?;
//         let named = name.trim().eq_ignore_ascii_case("content-length");
//         named.then(|| value.trim().parse().ok()).flatten()
//     })
// }
//
// /// Connects and sends the request. The answer is left for the runtime to
// /// read, once the epoll thread says it has arrived.
// fn send_request(url: &Url) -> Result<TcpStream, String> {
//     let where_to = url.host_and_port();
//     let mut stream = TcpStream::connect((url.host.as_str(), url.port))
//         .map_err(|error| format!("cannot connect to {where_to}: {error}"))?;
//     let request = format!(
//         "GET {} HTTP/1.1\r\nHost: {where_to}\r\nConnection: close\r\n\r\n",
//         url.path
//     );
//     stream
//         .write_all(request.as_bytes())
//         .map_err(|error| format!("cannot send the request to {where_to}: {error}"))?;
//     Ok(stream)
// }
//
// // ANCHOR_END: send_request
//@ end

// ANCHOR: fail_later
//@ ..=7
// /// Hands `message` to `callback` as a `Js::Error`, from the loop, like any
// /// other result: a callback never runs inside the call that asked for it.
//@ or 8..
/// Hands `message` to `callback` as a `Js::Error`, from the loop's next
/// pending phase: a callback never runs inside the call that asked for it.
//@ end
fn fail_later(callback: impl FnOnce(Js) + 'static, message: String) {
    with_runtime(|runtime| {
        let callback_id = runtime.add_callback(callback);
        // runtime.callback_ready(callback_id, Js::Error(message)); //@ ..=7
        runtime.defer_callback(callback_id, Js::Error(message)); //@ 8..
    });
}
// ANCHOR_END: fail_later
// ANCHOR_END: http

// ANCHOR: url
/// The parts of a plain `http://host:port/path` URL.
#[derive(Debug, PartialEq, Eq)]
struct Url {
    host: String,
    port: u16,
    path: String,
}

impl Url {
    /// Splits a URL into its parts. Only plain `http://` is understood; the
    /// port is 80 unless given, and the path `/` unless given. An IPv6
    /// address, which needs brackets, is refused.
    fn parse(url: &str) -> Result<Url, String> {
        let malformed = |why: &str| format!("malformed URL {url:?}: {why}");
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| malformed("only plain http:// URLs are supported"))?;
        let (host_and_port, path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, "/"),
        };
        if host_and_port.starts_with('[') || host_and_port.matches(':').count() > 1 {
            return Err(malformed("IPv6 addresses are not supported"));
        }
        let (host, port) = host_and_port
            .split_once(':')
            .unwrap_or((host_and_port, "80"));
        if host.is_empty() {
            return Err(malformed("there is no host"));
        }
        let name_or_address = |c: char| c.is_ascii_alphanumeric() || ".-_".contains(c);
        if !host.chars().all(name_or_address) {
            return Err(malformed("the host holds a character no host name has"));
        }
        // As Node refuses them, any character outside `!` to `ÿ`: a space
        // or a control character would end the request line, and what
        // follows would be taken for headers.
        if let Some(c) = path.chars().find(|c| !('\u{21}'..='\u{ff}').contains(c)) {
            return Err(malformed(&format!(
                "the path holds {c:?}, which must be escaped (as %XX)"
            )));
        }
        let port = port
            .parse()
            .map_err(|_| malformed("the port is not a number from 0 to 65535"))?;
        Ok(Url {
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }

    fn host_and_port(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}
// ANCHOR_END: url

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_split_into_host_port_and_path() {
        let url = Url::parse("http://127.0.0.1:8080/delay/5/hello").unwrap();
        assert_eq!(url.host, "127.0.0.1");
        assert_eq!(url.port, 8080);
        assert_eq!(url.path, "/delay/5/hello");
        assert_eq!(url.host_and_port(), "127.0.0.1:8080");
    }

    #[test]
    fn the_port_and_the_path_have_defaults() {
        let url = Url::parse("http://localhost").unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.path.as_str()),
            ("localhost", 80, "/")
        );
    }

    #[test]
    fn malformed_urls_are_refused_with_a_reason() {
        for (url, reason) in [
            ("https://127.0.0.1/", "only plain http://"),
            ("ftp://127.0.0.1/", "only plain http://"),
            ("127.0.0.1:80/", "only plain http://"),
            ("http://", "no host"),
            ("http://:80/", "no host"),
            ("http://127.0.0.1:eighty/", "not a number"),
            ("http://127.0.0.1:70000/", "not a number"),
            ("http://::1/", "IPv6"),
            ("http://[::1]:8080/", "IPv6"),
            ("http://127.0.0.1:80/a b", "the path holds ' '"),
            (
                "http://127.0.0.1/a HTTP/1.1\r\nX-Injected: yes",
                "must be escaped",
            ),
            ("http://127.0.0.1\r\nX-Injected: yes/", "no host name has"),
        ] {
            let error = Url::parse(url).unwrap_err();
            assert!(error.contains(reason), "{url}: {error}");
        }
    }
    //@ ..=9
    //
    // #[test]
    // fn only_a_whole_http_response_is_one() {
    //     let whole = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
    //     assert_eq!(
    //         whole_response(Js::String(whole.into())),
    //         Js::String(whole.into())
    //     );
    //     let no_length = "HTTP/1.1 200 OK\r\n\r\nanything";
    //     assert_eq!(
    //         whole_response(Js::String(no_length.into())),
    //         Js::String(no_length.into())
    //     );
    //     for (reply, reason) in [
    //         ("", "without answering"),
    //         ("hello", "not HTTP"),
    //         (
    //             "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<é not http",
    //             "not HTTP",
    //         ),
    //         ("HTTP/1.1 200 OK\r\nContent-Le", "middle of its headers"),
    //         (
    //             "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc",
    //             "3 of the 10 bytes",
    //         ),
    //     ] {
    //         let Js::Error(error) = whole_response(Js::String(reply.into())) else {
    //             panic!("{reply:?} was taken for a response");
    //         };
    //         assert!(error.contains(reason), "{reply:?}: {error}");
    //     }
    //     let error = Js::Error("cannot connect".into());
    //     assert_eq!(whole_response(error.clone()), error);
    // }
    //@ end

    #[test]
    fn fibonacci_numbers_are_right_and_too_large_ones_are_caught() {
        assert_eq!([0, 1, 2, 10, 20].map(fibonacci), [0, 1, 1, 55, 6765]);
        assert!(fibonacci_fits(0) && fibonacci_fits(1) && fibonacci_fits(40));
        assert!(!fibonacci_fits(200));
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn the_largest_fibonacci_number_that_fits_in_64_bits_is_fib_93() {
        assert!(fibonacci_fits(93)); // 12,200,160,415,121,876,738
        assert!(!fibonacci_fits(94));
    }
}
//@ end
