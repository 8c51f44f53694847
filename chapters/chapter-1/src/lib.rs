//! Stage 1: the runtime's types.
//!
//! Before any thread is started, this stage sets out the vocabulary the
//! runtime is built from: the values a callback receives ([`Js`]), the
//! work a pool thread will do ([`Task`]), the news that comes back to the
//! main thread ([`PollEvent`]), and the [`Runtime`] that keeps every
//! callback until its event arrives.

#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicBool, Ordering};

mod runtime;
pub mod trace;
mod types;

pub use runtime::Runtime;
pub use types::{Js, PollEvent, Task, ThreadPoolTaskKind};

// ANCHOR: log
/// Prints a line that starts with the name of the thread printing it, such
/// as `[main] ...`, so the output shows which thread did what.
#[macro_export]
macro_rules! log {
    ($($message:tt)*) => {
        $crate::print_from_this_thread(format_args!($($message)*))
    };
}

/// Whether `log!` prints: yes, unless [`set_logging`] said no.
static LOGGING: AtomicBool = AtomicBool::new(true);

/// Turns the log lines of the runtime (and of `log!`) on or off; they are
/// on at first. Tests turn them off, so that their results are not buried
/// under thousands of lines; a benchmark too, since printing a line for
/// every task would be most of what it measured.
pub fn set_logging(on: bool) {
    LOGGING.store(on, Ordering::Relaxed);
}

#[doc(hidden)]
pub fn print_from_this_thread(message: std::fmt::Arguments) {
    use std::io::Write;
    // A trace, when one is recorded, keeps the line too, on its thread.
    trace::instant(message);
    if !LOGGING.load(Ordering::Relaxed) {
        return;
    }
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("unnamed");
    // Not `println!`, which panics when nobody reads the output any more
    // (`cargo run | head`): a log line is not worth a panic.
    let _ = writeln!(std::io::stdout().lock(), "[{name}] {message}");
}
// ANCHOR_END: log
