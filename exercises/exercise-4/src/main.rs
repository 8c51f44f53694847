//! Stage 4 at work: timers, and a slow socket at the same time.
//!
//! The program sets four timers, two of them with the very same deadline,
//! and sends a GET that the slow server on 127.0.0.1 answers after 1000 ms.
//! While the epoll thread waits for that socket, it also wakes the main
//! thread for each timer, on time.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chapter_4::{Runtime, log};
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

// ANCHOR: main
fn main() -> io::Result<()> {
    // `cargo run -p chapter-4 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_4::trace::from_command_line();
    let server = SlowServer::start()?;
    let mut runtime = Runtime::new();
    let start = Instant::now();

    let stream = send_get(server.address(), "/delay/1000/slow")?;
    runtime.register_io(stream, move |_response| {
        log!(
            "callback: the slow GET answered after {} ms",
            start.elapsed().as_millis()
        );
    });
    for (name, ms) in [("C", 500), ("A", 0)] {
        runtime.set_timeout(ms, move |_| {
            log!(
                "timer {name} ({ms} ms) fired after {} ms",
                start.elapsed().as_millis()
            );
        });
    }
    // Two timers with one and the same deadline: they fire in the order
    // they were set.
    let deadline = start + Duration::from_millis(200);
    for name in ["B1", "B2"] {
        runtime.set_timeout_at(deadline, move |_| {
            log!(
                "timer {name} (200 ms) fired after {} ms",
                start.elapsed().as_millis()
            );
        });
    }
    log!("sent a slow GET and set four timers");
    // ANCHOR_END: main

    // ANCHOR: the_loop
    // The loop, by hand: timers that are due, then their callbacks; then,
    // if anything is pending, sleep until events arrive and run theirs.
    loop {
        runtime.process_expired_timers();
        runtime.run_callbacks();
        if runtime.pending_events() == 0 {
            break;
        }
        runtime.wait_for_events();
        runtime.run_callbacks();
    }
    log!("nothing is pending any more");
    Ok(())
}
// ANCHOR_END: the_loop
