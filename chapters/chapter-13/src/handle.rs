//! The handle through which program code reaches the running runtime.
//!
//! JavaScript code calls `setTimeout` without a runtime in hand, and a
//! program here calls `set_timeout` the same way. So while `Runtime::run`
//! runs, the runtime waits in a slot of the thread that runs it, and is
//! lent from there for one short call at a time.

use std::cell::RefCell;

use crate::Runtime;

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
pub(crate) fn with_runtime<T>(f: impl FnOnce(&mut Runtime) -> T) -> T {
    RUNTIME.with_borrow_mut(|runtime| {
        let runtime = runtime.as_mut().expect(
            "no runtime is running on this thread: call this from the program given to \
             Runtime::run or from a callback, not from a pool task's work",
        );
        f(runtime)
    })
}

/// Whether a runtime is running on this thread, and free to lend. A
/// future inside a callback that never runs is dropped by the runtime
/// itself: while it is lent out (a timer cleared), or once it has left its
/// slot, at the end of `run`, when everything stops with it.
pub(crate) fn runtime_is_running() -> bool {
    RUNTIME.with(|slot| slot.try_borrow().is_ok_and(|runtime| runtime.is_some()))
}
// ANCHOR_END: handle

// ANCHOR: installed
/// Keeps the runtime in `RUNTIME` while `run` runs. Dropping it takes the
/// runtime out and drops it, which stops and joins its threads; that
/// happens even if a callback panics.
pub(crate) struct Installed;

impl Installed {
    pub(crate) fn new(runtime: Runtime) -> Installed {
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
        // The tasks that are not done go first, while the runtime is still
        // in its slot: a future's `Drop` may clear a timer or give up a
        // request, at the end of a run as in the middle of one. They are
        // dropped after the slot's borrow ends, as a callback runs.
        let leftover =
            RUNTIME.with_borrow_mut(|slot| slot.as_mut().map(|runtime| runtime.tasks.take_all()));
        drop(leftover);
        // Take it out first: its `Drop` runs after the slot's borrow ends.
        let runtime = RUNTIME.take();
        drop(runtime);
    }
}
// ANCHOR_END: installed
