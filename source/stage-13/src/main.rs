//! Stage 13 at work: the loop polls for itself.
//!
//! There is no epoll thread: the main thread waits on epoll itself, in the
//! poll phase. A connection that is refused at once is found by the first
//! poll phase that looks, so its error comes before an immediate set beside
//! it, as in Node. A GET to the workspace's own server on 127.0.0.1 is read
//! on the main thread, where its socket was reported; and a file read on a
//! pool thread wakes the sleeping loop through the queue's waker.

use chapter_13::{Fs, Http, Js, Runtime, log, set_immediate, set_timeout};
use slow_server::SlowServer;

// ANCHOR: helpers
/// The file the program reads; it sits next to this crate's Cargo.toml.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

/// How the program describes what it got: the first line of a response,
/// the length of a text, or the error.
fn describe(result: &Js) -> String {
    match result {
        Js::String(text) if text.starts_with("HTTP/") => {
            text.lines().next().unwrap_or_default().to_string()
        }
        Js::String(text) => format!("{} bytes", text.len()),
        other => format!("{other:?}"),
    }
}
// ANCHOR_END: helpers

// ANCHOR: javascript
/// The program. `server` is the slow server's address, such as
/// `127.0.0.1:40123`.
fn javascript(server: String) {
    log!("A GET to a port nobody listens on, an immediate and a 50 ms timer");
    Http::get("http://127.0.0.1:1/", |answer| {
        log!("The refused GET: {}", describe(&answer));
    });
    set_immediate(|_| log!("The immediate"));
    set_timeout(50, move |_| {
        log!("The timer: a GET to the server, then a file read");
        let url = format!("http://{server}/hello");
        Http::get(&url, |answer| {
            log!("The GET: {}", describe(&answer));
            Fs::read(FILE, |text| log!("The read: {}", describe(&text)));
        });
    });
}
// ANCHOR_END: javascript

// ANCHOR: main
fn main() -> std::io::Result<()> {
    // `cargo run -p chapter-13 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_13::trace::from_command_line();
    let server = SlowServer::start()?;
    let address = server.address().to_string();
    Runtime::new().run(move || javascript(address));
    Ok(())
}
// ANCHOR_END: main
