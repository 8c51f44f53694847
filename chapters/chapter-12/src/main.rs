//! Stage 12 at work: what futures add over callbacks.
//!
//! One task that awaits one thing after another: two pieces of work side
//! by side with `join`; a race of two sleeps with `select`, whose loser
//! clears its timer; a GET to the workspace's own server on 127.0.0.1
//! that a `timeout` gives up on, closing its socket; and a future that
//! borrows from itself. The counts of timers and sockets show what a
//! dropped future leaves behind: nothing.

use chapter_12::combinators::{Either, join, largest_after_a_sleep, select, timeout};
use chapter_12::futures::{encrypt, get, read, sleep};
use chapter_12::{Js, Runtime, active_sockets, active_timers, log, spawn};
use slow_server::SlowServer;

// ANCHOR: helpers
/// The file the program reads; it sits next to this crate's Cargo.toml.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

/// How the program describes what it got: the text's length, or the error.
fn length_of(result: &Js) -> String {
    match result {
        Js::String(text) => format!("{} bytes", text.len()),
        other => format!("no text: {other:?}"),
    }
}
// ANCHOR_END: helpers

// ANCHOR: javascript
/// The program: one task, from top to bottom. `server` is the slow
/// server's address, such as `127.0.0.1:40123`.
async fn javascript(server: String) {
    log!("Reading the file and computing fib(27), side by side, with join");
    let (text, number) = join(read(FILE), encrypt(27)).await;
    log!("Both are done: {} and {number:?}", length_of(&text));

    log!("A race of a 100 ms sleep and a 500 ms one, with select");
    let winner = match select(sleep(100), sleep(500)).await {
        Either::Left(()) => "the 100 ms sleep",
        Either::Right(()) => "the 500 ms sleep",
    };
    log!("{winner} won; timers still set: {}", active_timers());

    log!("A GET that the server answers after 2000 ms, with a timeout of 300 ms");
    let url = format!("http://{server}/delay/2000/hello");
    let meanwhile = async {
        sleep(100).await;
        log!("100 ms later, sockets open: {}", active_sockets());
    };
    let (answer, ()) = join(timeout(300, get(&url)), meanwhile).await;
    match answer {
        Ok(response) => log!("The GET answered: {response:?}"),
        Err(elapsed) => log!("{elapsed}; sockets open now: {}", active_sockets()),
    }

    log!("A future that borrows from itself, kept in one place by spawn");
    let largest = spawn(largest_after_a_sleep([3, 1, 4, 1])).await;
    log!("The largest of 3, 1, 4 and 1 is {largest}");
}
// ANCHOR_END: javascript

// ANCHOR: main
fn main() -> std::io::Result<()> {
    // `cargo run -p chapter-12 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_12::trace::from_command_line();
    let server = SlowServer::start()?;
    let address = server.address().to_string();
    Runtime::new().run_async(javascript(address));
    Ok(())
}
// ANCHOR_END: main
