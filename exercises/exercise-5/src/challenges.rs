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
    todo!(
        "challenge 5a: Keep the tick at the back of TICKS, and give it a turn at the very front of the runtime's ready callbacks (callbacks.run_next, through with_runtime), so that it runs before every callback that is ready; the turn, run_next_tick, runs the oldest tick that waits, so that ticks keep the order they were queued in. The book explains it in \"Challenges\", on the page \"Stage 5: the exercise\" (book/src/chapter-5-exercise.md), and \"The handle\" and \"The loop\", on the page \"Stage 5: the main loop\" (book/src/chapter-5.md)."
    )
}

/// A tick's turn: runs the oldest tick that waits. The turns decide when
/// a tick runs, and the queue which one, so ticks queued by one callback
/// run in the order they were queued, although each new turn goes in
/// front of the others.
fn run_next_tick(_: Js) {
    todo!(
        "challenge 5a: Take the oldest tick out of TICKS, and let that borrow end before the tick runs: a tick may queue another, which borrows TICKS again. The book explains it in \"Challenges\", on the page \"Stage 5: the exercise\" (book/src/chapter-5-exercise.md), and \"The loop\", on the page \"Stage 5: the main loop\" (book/src/chapter-5.md)."
    )
}
