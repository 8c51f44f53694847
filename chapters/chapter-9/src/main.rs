//! Stage 9 at work: a sturdier pool.
//!
//! A pool of two threads, chosen with `Runtime::with_pool_size`, shares
//! four computations between them; and one task panics: its callback gets
//! an error, and the pool goes on.

use chapter_9::{Js, Runtime, ThreadPoolTaskKind, log, register_pool_task};

/// Deliberately slow, so that it keeps a pool thread busy for a while.
fn fibonacci(n: usize) -> usize {
    if n < 2 {
        n
    } else {
        fibonacci(n - 1) + fibonacci(n - 2)
    }
}

// ANCHOR: javascript
fn javascript() {
    log!("Four computations for a pool of two threads");
    for n in [27, 26, 25, 24] {
        let work = move || Js::Int(fibonacci(n));
        register_pool_task(ThreadPoolTaskKind::Encrypt, work, move |result| {
            log!("fibonacci({n}) gave {result:?}");
        });
    }

    log!("A task that panics");
    let broken = || -> Js { panic!("the task broke") };
    register_pool_task(ThreadPoolTaskKind::Encrypt, broken, |result| {
        log!("The broken task's callback got {result:?}");
    });
}
// ANCHOR_END: javascript

// ANCHOR: main
fn main() {
    // `cargo run -p chapter-9 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_9::trace::from_command_line();
    // Rust reports every panic on stderr, with a backtrace if
    // RUST_BACKTRACE is set. One line on stdout, from the thread that
    // panicked, says enough here.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        log!("panicked: {message}");
    }));
    Runtime::with_pool_size(2).run(javascript);
}
// ANCHOR_END: main
