//! The challenge of stage 2: cancelling the tasks that still wait for a
//! pool thread.

use crate::{Js, Runtime, ThreadPoolTaskKind};

impl Runtime {
    /// Takes every task of `kind` that still waits for a thread out of the
    /// queue: it never runs, and its callback gets a `Js::Error` saying it
    /// was cancelled. Tasks already running finish as usual. Returns how
    /// many were cancelled.
    pub fn cancel_waiting_tasks(&mut self, kind: ThreadPoolTaskKind) -> usize {
        todo!(
            "challenge 2a: Take the waiting tasks of this kind from the pool; each one's callback gets Js::Error, through callback_ready, so that the program does not wait for it for ever; return how many there were. The book explains it in \"Challenges\" and \"Giving out tasks\", on the page \"Stage 2: the thread pool\" (book/src/chapter-2.md)."
        )
    }
}
