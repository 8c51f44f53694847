//@ 5..
//@ ..=7
//! The main loop, and the handle through which program code reaches the
//! running runtime.
//@ or 8..
//! The main loop, its phases, and the handle through which program code
//! reaches the running runtime.
//@ end

use std::cell::RefCell;
use std::time::Instant; //@ 7..

use minimio::TcpStream;

use crate::timers::TimerId; //@ 7..
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
fn with_runtime<T>(f: impl FnOnce(&mut Runtime) -> T) -> T { //@ 5
pub(crate) fn with_runtime<T>(f: impl FnOnce(&mut Runtime) -> T) -> T { //@ 6..
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
/// Runs `callback` once `ms` milliseconds have passed. //@ ..=6
//@ 7..
/// Runs `callback` once `ms` milliseconds have passed. Returns the timer's
/// id, for [`clear_timeout`].
//@ end
///
/// Like the functions below, it can be called from the program given to
/// [`Runtime::run`], or from any callback, on the thread that called `run`.
//@ ..=6
pub fn set_timeout(ms: u64, callback: impl FnOnce(Js) + 'static) {
    with_runtime(|runtime| runtime.set_timeout(ms, callback));
//@ or 7..
pub fn set_timeout(ms: u64, callback: impl FnOnce(Js) + 'static) -> TimerId {
    with_runtime(|runtime| runtime.set_timeout(ms, callback))
//@ end
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
//@ 7..

// ANCHOR: node_functions
//@ end
//@ 8..
/// Runs `callback` in the check phase of this tick, right after the poll
/// phase: from an I/O or pool callback, before any timer.
pub fn set_immediate(callback: impl FnOnce(Js) + 'static) {
    with_runtime(|runtime| runtime.set_immediate(callback));
}

//@ end
//@ 7..
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
// ANCHOR_END: node_functions
//@ end

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

//@ 8..
// ANCHOR: budget
/// The most callbacks one phase runs in one tick. What is left waits for
/// the next tick, so that the other phases, timers and sockets among
/// them, get their turn at least once a tick, however much is ready.
pub const BUDGET: usize = 1024;
// ANCHOR_END: budget

//@ end
// ANCHOR: event_loop
/// Tick after tick, through the phases, until nothing is pending.
fn event_loop() {
    let mut tick = 0;
    loop {
        tick += 1;
        log!("===== tick {tick} =====");

//@ ..=6
        // Timers: the callbacks of every timer that is due.
        with_runtime(Runtime::process_expired_timers);
//@ or 7
        // Timers: the timers that are due, one at a time; then the
        // callbacks made ready outside any phase (errors found early).
//@ end
        // Timers: the callbacks of the timers that are due. //@ 8..
        run_due_timers(); //@ 7..
//@ 8..

        // Pending: callbacks that were ready but had to wait for this tick.
        with_runtime(Runtime::ready_pending_callbacks);
//@ end
        run_ready_callbacks();

        if with_runtime(|runtime| runtime.pending_events()) == 0 { //@ ..=7
        if with_runtime(|runtime| runtime.is_done()) { //@ 8..
            log!("nothing is pending: the loop ends");
            return;
        }

        // Poll: sleep until events arrive, then run their callbacks. //@ ..=7
//@ 8..
        // Poll: wait for events (unless callbacks are already waiting),
        // then run their callbacks.
//@ end
        with_runtime(Runtime::wait_for_events);
//@ 8..
        run_ready_callbacks();

        // Check: the immediates.
        with_runtime(Runtime::ready_immediates);
//@ end
        run_ready_callbacks();
    }
}

//@ 7
/// Runs the timers that were due when the phase began, one at a time. A
/// timer cleared by an earlier one in the same phase does not run, and a
/// timer set during the phase waits for the next one.
//@ or 8..
/// Runs the timers that were due when the phase began, one at a time, at
/// most [`BUDGET`]. A timer cleared by an earlier one in the same phase
/// does not run, and a timer set during the phase waits for the next one.
//@ end
//@ 7..
fn run_due_timers() {
    let (now, newest) = with_runtime(|runtime| (Instant::now(), runtime.identity_token));
//@ end
    while let Some(callback) = with_runtime(|runtime| runtime.next_due_timer(now, newest)) { //@ 7
//@ 8..
    for _ in 0..BUDGET {
        let Some(callback) = with_runtime(|runtime| runtime.next_due_timer(now, newest)) else {
            return;
        };
//@ end
//@ 7..
        callback(Js::Undefined);
    }
}

//@ end
/// Runs every callback that is ready, one at a time. The runtime is lent //@ ..=7
//@ 8..
/// Runs the callbacks that are ready, one at a time, at most [`BUDGET`]:
/// the rest wait for the next tick's pending phase. The runtime is lent
//@ end
/// out only to take the next callback, never while one runs.
fn run_ready_callbacks() {
    while let Some((callback, value)) = with_runtime(Runtime::next_callback) { //@ ..=7
//@ 8..
    for _ in 0..BUDGET {
        let Some((callback, value)) = with_runtime(Runtime::next_callback) else {
            return;
        };
//@ end
        callback(value);
    }
    with_runtime(Runtime::defer_ready_callbacks); //@ 8..
}
// ANCHOR_END: event_loop
//@ end
