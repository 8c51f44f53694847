//! The challenge of stage 11: two ways for a task to let others run,
//! `yield_now`, as `await null` in JavaScript, and `yield_to_loop`, as an
//! `await` on a promise that `setImmediate` settles.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::futures::from_callback;
use crate::set_immediate;

/// The future [`yield_now`] makes: pending once, then ready.
pub struct YieldNow {
    /// Whether it has answered `Poll::Pending` once already.
    yielded: bool,
}

/// Lets the other woken tasks run, then goes on: as `await null` does in
/// JavaScript, where the other promise reactions run, but no callback,
/// no timer and no I/O.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

impl Future for YieldNow {
    type Output = ();

    /// The first poll wakes its own task and answers `Poll::Pending`: the
    /// task goes to the back of the queue of woken tasks. The second is
    /// ready.
    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        todo!(
            "challenge 11a: The first poll yields: note that it has, wake this task through the context's waker, so that the loop polls it again after the tasks woken before it, and answer Poll::Pending. Any later poll is ready. The book explains it in \"Challenges\", on the page \"Stage 11: the exercise\" (book/src/chapter-11-exercise.md), and \"Waking a task\", on the page \"Stage 11: futures on our loop\" (book/src/chapter-11.md)."
        )
    }
}

/// Lets the loop go on to its check phase, and goes on there: as
/// `await new Promise((resolve) => setImmediate(resolve))` does in Node.
/// Timers, I/O and the immediates set before it get their turn first.
pub async fn yield_to_loop() {
    todo!(
        "challenge 11a: Wait for the check phase with a callback API that runs its callback there, turned into a future by from_callback: the task goes on after whatever the loop had to do first. The book explains it in \"Challenges\", on the page \"Stage 11: the exercise\" (book/src/chapter-11-exercise.md), and \"A callback, awaited\", on the page \"Stage 11: futures on our loop\" (book/src/chapter-11.md)."
    )
}
