// Challenge 8a adds to the immediates a way to take one out. (The field
// above is private to this file, so what reaches it is here.)
impl Immediates {
    /// Takes the immediate of callback `callback_id` out, if it still
    /// waits for its check phase.
    pub(crate) fn remove(&mut self, callback_id: CallbackId) {
        self.waiting.retain(|id| *id != callback_id);
    }
}
