// Challenge 2a adds to the pool a way to take waiting tasks back. (The
// fields above are private to this file, so what reaches them is here.)
impl Pool {
    /// Takes every task of `kind` that still waits for a thread out of the
    /// queue, and hands them out, oldest first; the others keep their
    /// places.
    pub(crate) fn take_waiting(&mut self, kind: ThreadPoolTaskKind) -> Vec<Task> {
        let (taken, kept) = self
            .waiting
            .drain(..)
            .partition::<Vec<_>, _>(|task| task.kind == kind);
        self.waiting.extend(kept);
        taken
    }
}
