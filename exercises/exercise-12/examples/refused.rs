//! One program for two stages, to set their traces side by side: a GET
//! to a port nobody listens on, an immediate set beside it, and a 50 ms
//! timer (node-order's `a_refused_connection_fails_before_an_immediate`).
//! Node prints error, immediate, timeout; stage 12 prints the error a tick
//! late, and stage 13 in Node's order.
//!
//! ```console
//! $ cargo run -p chapter-12 --example refused -- --trace stage-12.json
//! $ cargo run -p chapter-13 --example refused -- --trace stage-13.json
//! ```

use chapter_12::{Http, Js, Runtime, log, set_immediate, set_timeout};

fn main() {
    let _trace = chapter_12::trace::from_command_line();
    Runtime::new().run(|| {
        Http::get("http://127.0.0.1:1/", |response| match response {
            Js::Error(_) => log!("error"),
            _ => log!("response"),
        });
        set_immediate(|_| log!("immediate"));
        set_timeout(50, |_| log!("timeout"));
    });
}
