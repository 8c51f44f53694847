// Challenge 3a adds a way to take every socket out at once. (The field
// above is private to this file, so what reaches it is here.)
impl Sockets {
    /// Takes out every socket being read, and gives the ids of their
    /// callbacks, in the order the sockets were registered. Each `Reading`
    /// is dropped, and its stream with it, which closes the socket.
    pub(crate) fn take_all(&mut self) -> Vec<CallbackId> {
        // A map has no order of its own; ids grow, so theirs is the order
        // of registration.
        let mut callback_ids: Vec<CallbackId> = self.reading.drain().map(|(id, _)| id).collect();
        callback_ids.sort();
        callback_ids
    }
}
