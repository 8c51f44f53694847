//! Stage 3 at work: three HTTP requests and a file read, all at once.
//!
//! The requests go to the workspace's slow server on 127.0.0.1, which
//! answers the first after 600 ms, the second after 200 ms, and the third
//! at once with 200,000 bytes. The epoll thread waits for all three
//! sockets while a pool thread reads the file.

use std::io::{self, Write};
use std::net::SocketAddr;

use chapter_3::{Js, Runtime, ThreadPoolTaskKind, log};
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

/// What a callback prints about a response: its status line and size.
fn describe(response: Js) -> String {
    match response {
        Js::String(text) => {
            let status = text.lines().next().unwrap_or_default();
            format!("{status:?}, {} bytes in all", text.len())
        }
        other => format!("no response: {other:?}"),
    }
}

// ANCHOR: main
fn main() -> io::Result<()> {
    // `cargo run -p chapter-3 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_3::trace::from_command_line();
    let server = SlowServer::start()?;
    let mut runtime = Runtime::new();

    for path in ["/delay/600/slow", "/delay/200/quick", "/bytes/200000"] {
        let stream = send_get(server.address(), path)?;
        log!("sent GET {path}");
        runtime.register_io(stream, move |response| {
            log!("callback: {path} answered {}", describe(response));
        });
    }

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");
    let read_file = move || match std::fs::read_to_string(path) {
        Ok(text) => Js::String(text),
        Err(error) => Js::Error(error.to_string()),
    };
    runtime.register_pool_task(ThreadPoolTaskKind::FileRead, read_file, |value| {
        log!("callback: the file read gave {value:?}");
    });

    while runtime.pending_events() > 0 {
        runtime.wait_for_events();
        runtime.run_callbacks();
    }
    log!("nothing is pending any more");
    Ok(())
}
// ANCHOR_END: main
