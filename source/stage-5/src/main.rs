//! Stage 5 at work: a program that hands everything to `Runtime::run`.
//!
//! The program asks for a computation on the pool, a GET that the slow
//! server on 127.0.0.1 answers after 300 ms, and two timers. Some of the
//! callbacks ask for more work in turn (two more timers), which they can
//! now do: the loop keeps going until nothing is pending.

use std::io::{self, Write};
use std::net::SocketAddr;

use chapter_5::{
    Js, Runtime, ThreadPoolTaskKind, log, register_io, register_pool_task, set_timeout,
};
use minimio::TcpStream;
use slow_server::SlowServer;

// ANCHOR: send_get
/// Connects to `address` and sends a GET for `path`; the answer is left
/// for the runtime to read.
fn send_get(address: SocketAddr, path: &str) -> io::Result<TcpStream> {
    let mut stream = TcpStream::connect(address)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    Ok(stream)
}
// ANCHOR_END: send_get

/// Deliberately slow, so that it keeps a pool thread busy for a while.
fn fibonacci(n: usize) -> usize {
    if n < 2 {
        n
    } else {
        fibonacci(n - 1) + fibonacci(n - 2)
    }
}

/// The part of a response after its head.
fn body(response: Js) -> String {
    let text = response.into_string().unwrap_or_default();
    text.split_once("\r\n\r\n")
        .map(|(_, body)| body.trim().to_string())
        .unwrap_or(text)
}

// ANCHOR: main
fn main() -> io::Result<()> {
    // `cargo run -p chapter-5 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_5::trace::from_command_line();
    let server = SlowServer::start()?;
    let slow_get = send_get(server.address(), "/delay/300/slow")?;

    Runtime::new().run(move || {
        log!("the program starts");
        register_pool_task(
            ThreadPoolTaskKind::Encrypt,
            || Js::Int(fibonacci(30)),
            |value| {
                log!("callback: fibonacci(30) gave {value:?}");
                set_timeout(0, |_| log!("timer: set by the fibonacci callback"));
            },
        );
        register_io(slow_get, |response| {
            log!("callback: the slow GET says {:?}", body(response));
        });
        set_timeout(500, |_| {
            log!("timer: 500 ms; it sets one more, of 200 ms");
            set_timeout(200, |_| log!("timer: the nested 200 ms"));
        });
        set_timeout(100, |_| log!("timer: 100 ms"));
        log!("the program ends; the loop takes over");
    });
    Ok(())
}
// ANCHOR_END: main
