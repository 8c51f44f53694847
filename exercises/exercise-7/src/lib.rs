//! Stage 7: timers as Node has them.
//!
//! Stage 6 finished the classic runtime. Its timers fire once and cannot
//! be taken back. This stage gives them what Node's have:
//!
//! - [`set_timeout`] returns a [`TimerId`], and [`clear_timeout`] cancels
//!   the timer;
//! - [`set_interval`] fires again and again, until [`clear_interval`];
//! - timers run one at a time, and a timer set while the timer phase runs
//!   waits for the next tick, even at 0 ms.

#![forbid(unsafe_code)]
// An exercise: some functions are left for you to write. Until
// they are, the compiler would warn about what they would use.
// Take this line out once they are all written.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]

use std::sync::atomic::{AtomicBool, Ordering};

mod epoll;
mod event_loop;
mod globals;
mod handle;
mod modules;
mod runtime;
mod thread_pool;
mod timers;
pub mod trace;
mod types;

pub use globals::{
    clear_interval, clear_timeout, register_io, register_pool_task, set_interval, set_timeout,
};
pub use modules::{Crypto, Fs, Http};
pub use runtime::Runtime;
pub use thread_pool::POOL_SIZE;
pub use timers::TIMEOUT_MAX;
pub use timers::TimerId;
pub use types::{Js, ThreadPoolTaskKind};
// A program needs neither: the runtime makes its own tasks, and its events
// stay between its threads.
use types::{PollEvent, Task};

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

// The challenges: features this stage's page states at its end, but does
// not show. `cargo run -p tutor -- hints 7a` says what each needs.
pub mod challenges;
