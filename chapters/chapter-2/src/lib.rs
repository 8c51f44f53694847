#![doc = include_str!("../STAGE.md")]
//!
//! # How the runtime is built
//!
//! This map is the same in every stage: it shows the runtime as the last
//! stage has it, and says which stage adds each part.
//!
//! The main thread runs the program, and every callback, one at a time.
//! The other threads never touch the runtime: they send their news to the
//! main thread on one channel, as `PollEvent`s (and from stage 13, wake
//! it, since it may be asleep in epoll rather than on the channel).
//!
//! | thread | what it does | stage |
//! | --- | --- | --- |
//! | `main` | runs the program and the callbacks; owns the runtime | 1 |
//! | `pool0`, `pool1`, ... | run blocking work, one task at a time | 2 |
//! | `epoll` | waits for every socket, and (from stage 4) for the next timer | 3 to 12 |
//!
//! From stage 13 there is no epoll thread: the main thread waits on epoll
//! itself, in the poll phase, as libuv does.
//!
//! Up to stage 4 the program drives the loop itself. From stage 5,
//! `Runtime::run` runs the program, then the loop, tick after tick,
//! through its phases, for as long as the program waits for anything:
//!
//! 1. timers: the callbacks of the timers that are due;
//! 2. pending: the callbacks deferred from the last tick (stage 8);
//! 3. poll: wait for events, if nothing is ready, then their callbacks
//!    (from stage 13, the wait is epoll's, on the main thread);
//! 4. check: the callbacks given to `set_immediate` (stage 8).
//!
//! The runtime is made of parts, each in its own file with its fields
//! private to it; `runtime.rs` holds them together.
//!
//! | file | what it owns | stage |
//! | --- | --- | --- |
//! | `types.rs` | the values, tasks and events that cross between threads | 1 |
//! | `callbacks.rs` | the callbacks: waiting for their event by id, then ready | 1 |
//! | `runtime.rs` | the runtime and its parts; what to do with each event | 1 |
//! | `trace.rs` | recording what every thread does, for the replay | 1 |
//! | `thread_pool.rs` | the pool threads, and the tasks that wait for one | 2 |
//! | `epoll.rs` | the epoll thread: what the main thread asks of it; from stage 13, the main thread's own wait on epoll | 3 |
//! | `sockets.rs` | the sockets the main thread reads, until each is whole | 3 |
//! | `timers.rs` | the timers, in deadline order | 4 |
//! | `event_loop.rs` | `run`, and the loop's phases | 5 |
//! | `handle.rs` | where the running runtime is kept, for callbacks to reach | 5 |
//! | `globals.rs` | the free functions a program calls | 5 |
//! | `fs.rs`, `crypto.rs` | `Fs` and `Crypto`: work for the pool, as Node has them | 6 |
//! | `http/` | `Http`, and a file for each part of a GET: URL, request, response | 6 |
//! | `immediates.rs` | the immediates, for the check phase | 8 |
//! | `executor.rs` | the tasks: futures the loop polls, and their wakers | 11 |
//! | `futures.rs` | the callback APIs as futures | 11 |
//! | `combinators.rs` | `join`, `select` and `timeout` | 12 |

#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicBool, Ordering};

mod callbacks;
mod runtime;
mod thread_pool;
pub mod trace;
mod types;

pub use callbacks::CallbackId;
pub use runtime::Runtime;
pub use thread_pool::POOL_SIZE;
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
    // The output is locked first, so that the lines of two threads reach
    // the trace in the order they are printed.
    let logging = LOGGING.load(Ordering::Relaxed);
    let mut stdout = logging.then(|| std::io::stdout().lock());
    // A trace, when one is recorded, keeps the line too, on its thread.
    trace::line(message);
    let Some(stdout) = stdout.as_mut() else {
        return;
    };
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("unnamed");
    // Not `println!`, which panics when nobody reads the output any more
    // (`cargo run | head`): a log line is not worth a panic.
    let _ = writeln!(stdout, "[{name}] {message}");
}
// ANCHOR_END: log
