//! The challenge of stage 2: cancelling the tasks that still wait for a
//! pool thread.

use crate::{Js, Runtime, ThreadPoolTaskKind};

impl Runtime {
    /// Takes every task of `kind` that still waits for a thread out of the
    /// queue: it never runs, and its callback gets a `Js::Error` saying it
    /// was cancelled. Tasks already running finish as usual. Returns how
    /// many were cancelled.
    pub fn cancel_waiting_tasks(&mut self, kind: ThreadPoolTaskKind) -> usize {
        let cancelled = self.pool.take_waiting(kind);
        for task in &cancelled {
            let error = Js::Error(format!("the {kind} task was cancelled before it ran"));
            self.callback_ready(task.callback_id, error);
        }
        cancelled.len()
    }
}
