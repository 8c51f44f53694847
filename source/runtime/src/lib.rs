// //! Stage 1: the runtime's types. //@ 1
// //! Stage 2: the thread pool. //@ 2
// //! Stage 3: the epoll thread. //@ 3
// //! Stage 4: timers. //@ 4
// //! Stage 5: the main loop. //@ 5
// //! Stage 6: the modules. //@ 6
// //! Stage 7: timers as Node has them. //@ 7
// //! Stage 8: the loop's other phases. //@ 8
// //! Stage 9: a sturdier pool. //@ 9
// //! Stage 10: an HTTP client that never blocks the loop. //@ 10
// //! Stage 11: futures on our loop. //@ 11
//! Stage 12: what futures add over callbacks. //@ 12..
//!
//@ 1
// //! Before any thread is started, this stage sets out the vocabulary the
// //! runtime is built from: the values a callback receives ([`Js`]), the
// //! work a pool thread will do ([`Task`]), the news that comes back to the
// //! main thread ([`PollEvent`]), and the [`Runtime`] that keeps every
// //! callback until its event arrives.
//@ or 2
// //! Stage 1 set out the runtime's types. This stage starts four worker
// //! threads, `pool0` to `pool3`. The main thread sends each one [`Task`]s
// //! over its own channel; the workers send their results back as
// //! [`PollEvent`]s over one shared channel, and the main thread runs each
// //! result's callback. When every worker is busy, tasks wait their turn.
//@ or 3
// //! Stage 2 gave blocking work to a pool of threads. Sockets are different:
// //! the operating system can tell us when one is ready, so one thread can
// //! wait for all of them. This stage starts that thread, `epoll`. It sleeps
// //! in [`minimio::Poll::poll`] and sends a [`PollEvent::Epoll`] for each
// //! ready socket into the same channel as the pool's results. The main
// //! thread then reads what has arrived, and once the peer has closed the
// //! connection, hands the whole response to the socket's callback.
//@ or 4
// //! Stage 3 added sockets. This stage adds `set_timeout`: the runtime keeps
// //! every timer in a set ordered by deadline, and before the main thread
// //! goes to sleep it tells the epoll thread when the next one is due. The
// //! epoll thread wakes the main thread at that moment with a
// //! [`PollEvent::Timeout`], and the timer phase runs every timer that is
// //! due. When a new timer is due sooner than the epoll thread expects, the
// //! main thread wakes it with a [`minimio::Waker`], so that it looks again.
//@ or 5
// //! Until now a program drove the runtime by hand, and a callback could not
// //! ask for more work, because it had no way to reach the runtime. This
// //! stage adds [`Runtime::run`]: it keeps the runtime where program code
// //! can find it, runs the program, then ticks through the loop's phases
// //! (timers, then poll: wait for events if any are awaited; running
// //! callbacks after each) for as long as the program waits for anything,
// //! and finally stops and joins every thread. Program code and callbacks
// //! use the free functions [`set_timeout`], [`register_pool_task`] and
// //! [`register_io`]; the runtime's own methods are now its business alone.
//@ or 6
// //! The runtime is complete; this stage gives programs the friendly API
// //! that Node gives JavaScript. [`Fs::read`] reads a file and
// //! [`Crypto::encrypt`] does CPU-heavy work, both on the pool; [`Http::get`]
// //! fetches a URL through the epoll thread. With [`set_timeout`], that is
// //! everything the classic demo program in `main.rs` needs:
//@ or 7
// //! Stage 6 finished the classic runtime. Its timers fire once and cannot
// //! be taken back. This stage gives them what Node's have:
//@ or 8
// //! Stage 7 gave timers what Node's have. This stage gives the loop two of
// //! libuv's phases that ours lacked:
//@ or 9
// //! Stage 8 gave the loop its check and pending phases. This stage makes the
// //! pool hold up the way libuv's does:
//@ or 10
// //! Stage 9 made the pool sturdy. This stage does the same for [`Http`],
// //! whose GET still made the main thread wait to connect and to send:
//@ or 11
// //! Stage 10 finished the callback API. This stage puts `async`/`.await`
// //! on the same loop, beside the callbacks, which keep working as before:
//@ or 12..
//! Stage 11 made the callback APIs futures. This stage shows what futures
//! can do that callbacks cannot:
//@ end
//! //@ 6..
//@ 6
// //! ```no_run
// //! use chapter_6::{Fs, Runtime, set_timeout};
// //!
// //! Runtime::new().run(|| {
// //!     Fs::read("hello.txt", |text| println!("{text:?}"));
// //!     set_timeout(100, |_| println!("100 ms later"));
// //! });
// //! ```
//@ or 7
// //! - [`set_timeout`] returns a [`TimerId`], and [`clear_timeout`] cancels
// //!   the timer;
// //! - [`set_interval`] fires again and again, until [`clear_interval`];
// //! - timers run one at a time, and a timer set while the timer phase runs
// //!   waits for the next tick, even at 0 ms.
//@ or 8
// //! - a check phase, right after the poll phase, which runs the callbacks
// //!   given to [`set_immediate`];
// //! - a pending phase, for callbacks that were ready but had to wait: no
// //!   phase runs more than [`BUDGET`] callbacks in a tick, so that however
// //!   much is ready, timers and sockets get their turn every tick.
//@ or 9
// //! - a pool task that panics gives its callback a `Js::Error` with the
// //!   panic's message, and its thread goes on to the next task; a callback
// //!   that panics stops and joins every thread before the panic goes on,
// //!   out of [`Runtime::run`];
// //! - the pool can have any size: [`Runtime::with_pool_size`], or the
// //!   environment variable `UV_THREADPOOL_SIZE`, as in Node; four unless
// //!   told otherwise.
//@ or 10
// //! - the connect starts and returns at once; the epoll thread says when
// //!   the socket is connected, and when it takes more of the request, so
// //!   a full queue of connections or a huge request stalls nothing else;
// //!   a host name is looked up on the pool;
// //! - a response is whole at its `Content-Length`, at its last chunk, or
// //!   at the close when it gives neither, whether or not the server closes;
// //! - [`Http::get_with_timeout`] gives up on a request that takes too long:
// //!   its callback gets a `Js::Error` that says "timeout", and its socket
// //!   is closed.
//@ or 11
// //! - [`spawn`] makes a future a task, which the loop polls on the main
// //!   thread, right after the callback that woke it; [`Runtime::run_async`]
// //!   runs a program written as a future;
// //! - [`futures`] has the callback APIs as futures: `sleep`, `read`,
// //!   `encrypt` and `get`, on the same timers, pool and epoll thread.
//@ or 12..
//! - a future that is dropped stops its work: a `sleep` clears its timer,
//!   a `get` closes its socket ([`active_timers`] and [`active_sockets`]
//!   count them);
//! - [`combinators`] has `join`, `select` and `timeout`, written by hand;
//! - and a future that borrows from itself across an `.await` shows why
//!   `poll` takes `Pin<&mut Self>`.
//@ end

#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicBool, Ordering};

pub mod combinators; //@ 12..
mod epoll; //@ 3..
mod event_loop; //@ 5..
mod executor; //@ 11..
pub mod futures; //@ 11..
mod globals; //@ 5..
mod handle; //@ 5..
mod http; //@ 10..
mod immediates; //@ 8..
mod modules; //@ 6..
mod response; //@ 10..
mod runtime;
mod thread_pool; //@ 2..
mod timers; //@ 4..
pub mod trace;
mod types;

pub use event_loop::BUDGET; //@ 8..
pub use executor::{JoinHandle, spawn}; //@ 11..
// pub use globals::{register_io, register_pool_task, set_timeout}; //@ 5..=6
//@ 7
// pub use globals::{
//     clear_interval, clear_timeout, register_io, register_pool_task, set_interval, set_timeout,
// };
//@ or 8..=11
// pub use globals::{
//     clear_interval, clear_timeout, register_io, register_pool_task, set_immediate, set_interval,
//     set_timeout,
// };
//@ or 12..
pub use globals::{
    active_sockets, active_timers, clear_interval, clear_timeout, register_io, register_pool_task,
    set_immediate, set_interval, set_timeout,
};
//@ end
pub use modules::{Crypto, Fs, Http}; //@ 6..
pub use runtime::Runtime;
// pub use thread_pool::POOL_SIZE; //@ 2..=8
pub use thread_pool::{POOL_SIZE, pool_size_from_environment}; //@ 9..
pub use timers::TIMEOUT_MAX; //@ 4..
pub use timers::TimerId; //@ 7..
// pub use types::{Js, PollEvent, Task, ThreadPoolTaskKind}; //@ ..=4
//@ 5..
pub use types::{Js, ThreadPoolTaskKind};
// A program needs neither: the runtime makes its own tasks, and its events
// stay between its threads.
use types::{PollEvent, Task};
//@ end

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
