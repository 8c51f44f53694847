//! Stage 6 at work: the classic demo program.
//!
//! It is written the way a JavaScript program for Node would be: it asks
//! for everything up front, each request with a callback, and some
//! callbacks ask for more. The runtime does the rest. The slow HTTP
//! request goes to the workspace's own server on 127.0.0.1.

use chapter_6::{Crypto, Fs, Http, Js, Runtime, log, set_timeout};
use slow_server::SlowServer;

// ANCHOR: helpers
/// The file the program reads; it sits next to this crate's Cargo.toml.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

/// How a callback describes what it got: the text's length, or the error.
fn length_of(result: &Js) -> String {
    match result {
        Js::String(text) => format!("{} bytes", text.len()),
        other => format!("no text: {other:?}"),
    }
}

/// How a callback describes a response: its status line, or the error.
fn status_of(result: Js) -> String {
    match result {
        Js::String(response) => response.lines().next().unwrap_or_default().to_string(),
        other => format!("no response: {other:?}"),
    }
}
// ANCHOR_END: helpers

// ANCHOR: javascript
// ANCHOR: javascript_first
/// The program, written the way it would be for Node.
fn javascript(slow_url: String) {
    log!("First call to read hello.txt");
    Fs::read(FILE, |result| {
        log!("First read: {}", length_of(&result));
        let length = result.into_string().map_or(0, |text| text.len());
        log!("Encrypting a number made from the text: fib({length})");
        Crypto::encrypt(length, move |result| {
            log!("Encrypted: fib({length}) = {result:?}");
        });
    });

    log!("Registering 0 ms timeout 1");
    set_timeout(0, |_| log!("0 ms timeout 1 fired"));
    log!("Registering 0 ms timeout 2");
    set_timeout(0, |_| log!("0 ms timeout 2 fired"));

    log!("Second call to read hello.txt");
    Fs::read(FILE, |result| {
        log!("Second read: {}", length_of(&result));
        log!("Third call to read hello.txt, after the second");
        Fs::read(FILE, |result| log!("Third read: {result:?}"));
    });
    // ANCHOR_END: javascript_first

    // ANCHOR: javascript_rest
    log!("Registering a 3000 ms timeout");
    set_timeout(3000, |_| {
        log!("The 3000 ms timeout fired; registering a 500 ms one");
        set_timeout(500, |_| log!("The nested 500 ms timeout fired"));
    });

    log!("Registering a 1000 ms timeout");
    set_timeout(1000, |_| log!("The 1000 ms timeout fired"));

    log!("Registering a GET that the server answers after 2000 ms");
    Http::get(&slow_url, |result| {
        log!("The slow GET answered: {}", status_of(result));
    });
    log!("The program is done; the loop takes over");
}
// ANCHOR_END: javascript_rest
// ANCHOR_END: javascript

// ANCHOR: main
fn main() -> std::io::Result<()> {
    // `cargo run -p chapter-6 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_6::trace::from_command_line();
    let server = SlowServer::start()?;
    // The slow server's `/delay/<ms>` path: it answers after 2000 ms.
    let slow_url = server.url("/delay/2000/hello");
    Runtime::new().run(move || javascript(slow_url));
    Ok(())
}
// ANCHOR_END: main
