//! Stage 11 at work: stage 6's demo, written with `async`/`.await`.
//!
//! The same requests, in the same order, to the same runtime: the pool
//! reads the file and computes, the epoll thread waits for the slow server
//! on 127.0.0.1, the timers fire. But each chain of callbacks is now one
//! task that awaits one thing after another, and the run prints what
//! stage 6's does, in the same order.

use chapter_11::futures::{encrypt, get, read, sleep};
use chapter_11::{Js, Runtime, log, spawn};
use slow_server::SlowServer;

// ANCHOR: helpers
/// The file the program reads; it sits next to this crate's Cargo.toml.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

/// How a task describes what it got: the text's length, or the error.
fn length_of(result: &Js) -> String {
    match result {
        Js::String(text) => format!("{} bytes", text.len()),
        other => format!("no text: {other:?}"),
    }
}

/// How a task describes a response: its status line, or the error.
fn status_of(result: Js) -> String {
    match result {
        Js::String(response) => response.lines().next().unwrap_or_default().to_string(),
        other => format!("no response: {other:?}"),
    }
}
// ANCHOR_END: helpers

// ANCHOR: javascript
// ANCHOR: javascript_first
/// The program, written the way it would be for Node with `async`
/// functions: each `spawn` starts what stage 6 started with a callback.
async fn javascript(slow_url: String) {
    log!("First call to read hello.txt");
    spawn(async {
        let result = read(FILE).await;
        log!("First read: {}", length_of(&result));
        let length = result.into_string().map_or(0, |text| text.len());
        log!("Encrypting a number made from the text: fib({length})");
        let result = encrypt(length).await;
        log!("Encrypted: fib({length}) = {result:?}");
    });

    log!("Registering 0 ms timeout 1");
    spawn(async {
        sleep(0).await;
        log!("0 ms timeout 1 fired");
    });
    log!("Registering 0 ms timeout 2");
    spawn(async {
        sleep(0).await;
        log!("0 ms timeout 2 fired");
    });

    log!("Second call to read hello.txt");
    spawn(async {
        let result = read(FILE).await;
        log!("Second read: {}", length_of(&result));
        log!("Third call to read hello.txt, after the second");
        let result = read(FILE).await;
        log!("Third read: {result:?}");
    });
    // ANCHOR_END: javascript_first

    // ANCHOR: javascript_rest
    log!("Registering a 3000 ms timeout");
    spawn(async {
        sleep(3000).await;
        log!("The 3000 ms timeout fired; registering a 500 ms one");
        sleep(500).await;
        log!("The nested 500 ms timeout fired");
    });

    log!("Registering a 1000 ms timeout");
    spawn(async {
        sleep(1000).await;
        log!("The 1000 ms timeout fired");
    });

    log!("Registering a GET that the server answers after 2000 ms");
    spawn(async move {
        let result = get(&slow_url).await;
        log!("The slow GET answered: {}", status_of(result));
    });
    log!("The program is done; the loop takes over");
}
// ANCHOR_END: javascript_rest
// ANCHOR_END: javascript

// ANCHOR: main
fn main() -> std::io::Result<()> {
    // `cargo run -p chapter-11 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_11::trace::from_command_line();
    let server = SlowServer::start()?;
    // The slow server's `/delay/<ms>` path: it answers after 2000 ms.
    let slow_url = server.url("/delay/2000/hello");
    Runtime::new().run_async(javascript(slow_url));
    Ok(())
}
// ANCHOR_END: main
