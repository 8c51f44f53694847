//! The challenge of stage 13: a doorbell that rings once, as libuv's
//! `uv_async_send` does, until the loop has answered it.

use std::sync::atomic::{AtomicBool, Ordering};

use minimio::Waker;

/// Wakes a queue's `poll` from any thread, once: rings after the first,
/// until the loop answers, write nothing. Each write to the waker is a
/// system call, and one wake-up is all the loop needs to look.
pub struct Doorbell {
    waker: Waker,
    /// Whether it has rung since the loop last answered.
    rung: AtomicBool,
}

impl Doorbell {
    /// A doorbell that wakes the queue of `waker`, not rung yet.
    pub fn new(waker: Waker) -> Doorbell {
        Doorbell {
            waker,
            rung: AtomicBool::new(false),
        }
    }

    /// Wakes the queue, unless the doorbell has rung already and the loop
    /// has not answered yet; says whether this ring woke it. `swap` raises
    /// the flag and says what it was, in one step: of many threads that
    /// ring at once, one finds it down.
    pub fn ring(&self) -> bool {
        todo!(
            "challenge 13a: Raise the flag and learn whether it was up, in one step, so that of many threads that ring at once, one finds it down; only that one wakes the queue, and says so. The book explains it in \"Challenges\", on the page \"Stage 13: the exercise\" (book/src/chapter-13-exercise.md), and \"Waking the loop from another thread\", on the page \"Stage 13: the loop polls for itself\" (book/src/chapter-13.md)."
        )
    }

    /// The loop has looked: the next ring wakes it again. The loop calls
    /// it before it looks at what the rings were for, so that a ring that
    /// comes while it looks wakes it once more.
    pub fn answer(&self) {
        todo!(
            "challenge 13a: Lower the flag: the loop has looked, and the next ring must wake it again. The book explains it in \"Challenges\", on the page \"Stage 13: the exercise\" (book/src/chapter-13-exercise.md), and \"Waking the loop from another thread\", on the page \"Stage 13: the loop polls for itself\" (book/src/chapter-13.md)."
        )
    }
}
