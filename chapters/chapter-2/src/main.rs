//! Stage 2 at work: six tasks for four pool threads.
//!
//! Two tasks read a file and four compute Fibonacci numbers. The first four
//! go straight to a thread; the last two wait until a thread is idle again.
//! The main thread sleeps until results arrive and runs their callbacks.

use chapter_2::{Js, POOL_SIZE, Runtime, ThreadPoolTaskKind, log};

/// Deliberately slow, so that it keeps a pool thread busy for a while.
fn fibonacci(n: usize) -> usize {
    if n < 2 {
        n
    } else {
        fibonacci(n - 1) + fibonacci(n - 2)
    }
}

// ANCHOR: main
fn main() {
    // `cargo run -p chapter-2 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_2::trace::from_command_line();
    let mut runtime = Runtime::new();
    log!("started {POOL_SIZE} pool threads");

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");
    for reader in ["first", "second"] {
        let read_file = move || match std::fs::read_to_string(path) {
            Ok(text) => Js::String(text),
            Err(error) => Js::Error(error.to_string()),
        };
        runtime.register_pool_task(ThreadPoolTaskKind::FileRead, read_file, move |value| {
            log!("callback: the {reader} read gave {value:?}");
        });
    }
    for n in [30, 25, 28, 20] {
        let compute = move || Js::Int(fibonacci(n));
        runtime.register_pool_task(ThreadPoolTaskKind::Encrypt, compute, move |value| {
            log!("callback: fibonacci({n}) gave {value:?}");
        });
    }

    // Until nothing is pending: sleep until results arrive, then run their
    // callbacks. (Stage 5 turns this into the real main loop.)
    while runtime.pending_events() > 0 {
        runtime.wait_for_events();
        runtime.run_callbacks();
    }
    log!("nothing is pending any more");
}
// ANCHOR_END: main
