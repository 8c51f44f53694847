//! The functions a program calls, from its own code and from its
//! callbacks, without holding the runtime: the way JavaScript calls
//! `setTimeout`, which Node makes a global. Each one borrows the running
//! runtime for a moment, through the handle.

use minimio::TcpStream;

use crate::handle::with_runtime;
use crate::timers::TimerId;
use crate::{Js, ThreadPoolTaskKind};

// ANCHOR: functions
/// Runs `callback` once `ms` milliseconds have passed.
/// Returns the timer's id, for [`clear_timeout`].
///
/// Like the functions below, it can be called from the program given to
/// [`Runtime::run`](crate::Runtime::run), or from any callback, on the
/// thread that called `run`.
pub fn set_timeout(ms: u64, callback: impl FnOnce(Js) + 'static) -> TimerId {
    with_runtime(|runtime| runtime.set_timeout(ms, callback))
}

// ANCHOR: node_functions
/// Cancels a timeout: its callback will not run. An id that has fired
/// already, or was never issued, is ignored.
pub fn clear_timeout(id: TimerId) {
    with_runtime(|runtime| runtime.clear_timer(id));
}

/// Runs `callback` every `ms` milliseconds (at least 1), each time `ms`
/// after the last one fired, until [`clear_interval`].
pub fn set_interval(ms: u64, callback: impl FnMut(Js) + 'static) -> TimerId {
    with_runtime(|runtime| runtime.set_interval(ms, callback))
}

/// Stops an interval, even from inside its own callback.
pub fn clear_interval(id: TimerId) {
    with_runtime(|runtime| runtime.clear_timer(id));
}

/// Runs `callback` in the next check phase, right after a poll phase: from
/// an I/O or pool callback, that is this tick's, before any timer.
pub fn set_immediate(callback: impl FnOnce(Js) + 'static) {
    with_runtime(|runtime| runtime.set_immediate(callback));
}
// ANCHOR_END: node_functions

/// Runs `work` on a pool thread, then `callback` with its result.
pub fn register_pool_task(
    kind: ThreadPoolTaskKind,
    work: impl FnOnce() -> Js + Send + 'static,
    callback: impl FnOnce(Js) + 'static,
) {
    with_runtime(|runtime| runtime.register_pool_task(kind, work, callback));
}

/// Reads `stream` until the peer closes it, then runs `callback` with all
/// it sent; or with a `Js::Error`, if the socket fails.
pub fn register_io(stream: TcpStream, callback: impl FnOnce(Js) + 'static) {
    with_runtime(|runtime| runtime.register_io(stream, callback));
}
// ANCHOR_END: functions

// ANCHOR: active
/// How many timers are set, and have neither fired nor been cleared
/// (intervals among them): what keeps the loop waiting for time. Node's
/// `process.getActiveResourcesInfo()` lists them as `Timeout`s.
pub fn active_timers() -> usize {
    with_runtime(|runtime| runtime.timers.len())
}

/// How many sockets the runtime holds open: HTTP requests on their way,
/// and sockets given to `register_io` that are still being read.
pub fn active_sockets() -> usize {
    with_runtime(|runtime| runtime.requests.len() + runtime.sockets.len())
}
// ANCHOR_END: active
