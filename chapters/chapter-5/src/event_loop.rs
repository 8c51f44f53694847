//! The main loop, and the handle through which program code reaches the
//! running runtime.

use std::cell::RefCell;

use minimio::TcpStream;

use crate::{Js, Runtime, ThreadPoolTaskKind, log};

// ANCHOR: handle
thread_local! {
    /// The runtime that is running on this thread, if any.
    static RUNTIME: RefCell<Option<Runtime>> = const { RefCell::new(None) };
}

/// Lends the running runtime to `f`, for as long as `f` runs.
///
/// The loop never calls a callback while it holds this loan, so a callback
/// can call `with_runtime` itself (through `set_timeout` and the others).
/// Were that rule ever broken, `RefCell` would panic rather than hand out a
/// second `&mut Runtime`.
fn with_runtime<T>(f: impl FnOnce(&mut Runtime) -> T) -> T {
    RUNTIME.with_borrow_mut(|runtime| {
        let runtime = runtime.as_mut().expect(
            "no runtime is running on this thread: call this from the program given to \
             Runtime::run or from a callback, not from a pool task's work",
        );
        f(runtime)
    })
}
// ANCHOR_END: handle

// ANCHOR: functions
/// Runs `callback` once `ms` milliseconds have passed.
///
/// Like the functions below, it can be called from the program given to
/// [`Runtime::run`], or from any callback, on the thread that called `run`.
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
/// it sent.
pub fn register_io(stream: TcpStream, callback: impl FnOnce(Js) + 'static) {
    with_runtime(|runtime| runtime.register_io(stream, callback));
}
// ANCHOR_END: functions

// ANCHOR: run
impl Runtime {
    /// Runs `program`, then the event loop until nothing is pending; then
    /// stops and joins every thread the runtime started. Callbacks all run
    /// on the thread that calls `run`.
    ///
    /// If a callback panics, the threads are stopped and joined, and then
    /// the panic goes on, out of `run`, to its caller.
    pub fn run(self, program: impl FnOnce()) {
        let _installed = Installed::new(self);
        program();
        event_loop();
    }
}
// ANCHOR_END: run

// ANCHOR: installed
/// Keeps the runtime in `RUNTIME` while `run` runs. Dropping it takes the
/// runtime out and drops it, which stops and joins its threads; that
/// happens even if a callback panics.
struct Installed;

impl Installed {
    fn new(runtime: Runtime) -> Installed {
        let already_running = RUNTIME.with_borrow(Option::is_some);
        // If this fails, `runtime` is dropped while nothing is borrowed.
        assert!(
            !already_running,
            "a runtime is already running on this thread"
        );
        RUNTIME.set(Some(runtime));
        Installed
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        // Take it out first: its `Drop` runs after the slot's borrow ends.
        let runtime = RUNTIME.take();
        drop(runtime);
    }
}
// ANCHOR_END: installed

// ANCHOR: event_loop
/// Tick after tick, through the phases, until nothing is pending.
fn event_loop() {
    let mut tick = 0;
    loop {
        tick += 1;
        log!("===== tick {tick} =====");

        // Timers: the callbacks of every timer that is due.
        with_runtime(Runtime::process_expired_timers);
        run_ready_callbacks();

        if with_runtime(|runtime| runtime.pending_events()) == 0 {
            log!("nothing is pending: the loop ends");
            return;
        }

        // Poll: sleep until events arrive, then run their callbacks.
        with_runtime(Runtime::wait_for_events);
        run_ready_callbacks();
    }
}

/// Runs every callback that is ready, one at a time. The runtime is lent
/// out only to take the next callback, never while one runs.
fn run_ready_callbacks() {
    while let Some((callback, value)) = with_runtime(Runtime::next_callback) {
        callback(value);
    }
}
// ANCHOR_END: event_loop
