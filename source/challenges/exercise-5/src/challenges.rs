//! The challenge of stage 5: `next_tick`, Node's `process.nextTick`: a
//! callback that runs as soon as the code that queued it returns, before
//! any other callback.

use std::cell::RefCell;
use std::collections::VecDeque;

use crate::Js;
use crate::callbacks::Callback;
use crate::handle::with_runtime;

/// A tick: a callback queued with `next_tick`.
type Tick = Box<dyn FnOnce()>;

thread_local! {
    /// The ticks queued and not run yet, oldest first. Like the runtime,
    /// they live in a slot of the thread that runs the loop.
    static TICKS: RefCell<VecDeque<Tick>> = const { RefCell::new(VecDeque::new()) };
}

/// Runs `callback` as soon as the code that calls this returns (the
/// program, or a callback): before any other callback that is ready,
/// and after the ticks queued before it. Call it as you call
/// `set_timeout`, while `Runtime::run` runs.
pub fn next_tick(callback: impl FnOnce() + 'static) {
    with_runtime(|runtime| {
        // The tick's turn, at the front: the next callback to run.
        let turn: Callback = Box::new(run_next_tick);
        runtime.callbacks.run_next(turn, Js::Undefined);
    });
    TICKS.with_borrow_mut(|ticks| ticks.push_back(Box::new(callback)));
}

/// A tick's turn: runs the oldest tick that waits. The turns decide when
/// a tick runs, and the queue which one, so ticks queued by one callback
/// run in the order they were queued, although each new turn goes in
/// front of the others.
fn run_next_tick(_: Js) {
    // The borrow ends before the tick runs: it may queue another tick.
    let tick = TICKS.with_borrow_mut(VecDeque::pop_front);
    if let Some(tick) = tick {
        tick();
    }
}
