//! Stage 10 at work: an HTTP client that never blocks the loop.
//!
//! Four GETs to the workspace's own server on 127.0.0.1: two answered
//! without a close, which stage 9 would wait for until the server closed;
//! one to a name, looked up on the pool; and one never answered, given up
//! on after its timeout. And a timer, which fires on time while they wait.

use chapter_10::{Http, Js, Runtime, log, set_timeout};
use slow_server::SlowServer;

// ANCHOR: helpers
/// How a callback describes a response: its body, or the error.
fn body_of(result: Js) -> String {
    match result {
        Js::String(response) => {
            let body = response.split_once("\r\n\r\n").unwrap_or_default().1;
            format!("the body {body:?}")
        }
        other => format!("no response: {other:?}"),
    }
}
// ANCHOR_END: helpers

// ANCHOR: javascript
/// The program, written the way it would be for Node. `server` is the
/// slow server's address, such as `127.0.0.1:40123`.
fn javascript(server: String) {
    log!("A GET that the server answers, and then keeps the connection open");
    let url = format!("http://{server}/keep-open/hello");
    Http::get(&url, |result| {
        let body = body_of(result);
        log!("Kept open, whole at its Content-Length: {body}");
    });

    log!("A GET answered in two chunks, 20 ms apart");
    let url = format!("http://{server}/chunked/hello");
    Http::get(&url, |result| {
        log!("Chunked, whole at its last chunk: {}", body_of(result));
    });

    log!("A GET of localhost, a name: its address is looked up on the pool");
    let port = server.rsplit(':').next().unwrap_or_default();
    let url = format!("http://localhost:{port}/delay/300/hello");
    Http::get(&url, |result| {
        log!("From localhost, after 300 ms: {}", body_of(result));
    });

    log!("A GET that the server never answers, with a timeout of 600 ms");
    let url = format!("http://{server}/silent");
    Http::get_with_timeout(&url, 600, |result| {
        log!("Never answered: {}", body_of(result));
    });

    log!("A 100 ms timer, to show that the loop goes on meanwhile");
    set_timeout(100, |_| log!("The 100 ms timer fired"));
}
// ANCHOR_END: javascript

// ANCHOR: main
fn main() -> std::io::Result<()> {
    // `cargo run -p chapter-10 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_10::trace::from_command_line();
    let server = SlowServer::start()?;
    let address = server.address().to_string();
    Runtime::new().run(move || javascript(address));
    Ok(())
}
// ANCHOR_END: main
