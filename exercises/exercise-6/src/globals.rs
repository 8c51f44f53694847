//! The functions a program calls, from its own code and from its
//! callbacks, without holding the runtime: the way JavaScript calls
//! `setTimeout`, which Node makes a global. Each one borrows the running
//! runtime for a moment, through the handle.

use minimio::TcpStream;

use crate::handle::with_runtime;
use crate::{Js, ThreadPoolTaskKind};

// ANCHOR: functions
/// Runs `callback` once `ms` milliseconds have passed.
///
/// Like the functions below, it can be called from the program given to
/// [`Runtime::run`](crate::Runtime::run), or from any callback, on the
/// thread that called `run`.
pub fn set_timeout(ms: u64, callback: impl FnOnce(Js) + 'static) {
    with_runtime(|runtime| runtime.set_timeout(ms, callback));
}

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
