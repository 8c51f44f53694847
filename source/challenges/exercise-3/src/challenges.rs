//! The challenge of stage 3: hanging up on every socket that is still
//! being read.

use crate::{Js, Runtime};

impl Runtime {
    /// Stops reading every socket that is still being read: each one is
    /// closed at once, and its callback gets a `Js::Error` saying that the
    /// read was aborted, in the order the sockets were registered. Returns
    /// how many reads were aborted.
    pub fn abort_reads(&mut self) -> usize {
        let mut callback_ids: Vec<usize> = self.epoll_streams.keys().copied().collect();
        // A map has no order of its own; ids grow, so theirs is the order
        // of registration.
        callback_ids.sort();
        for &callback_id in &callback_ids {
            // Dropping the `Reading` drops its stream, which closes the
            // socket. An event the epoll thread has already sent for it
            // finds nothing in `epoll_streams`, and is ignored.
            self.epoll_streams.remove(&callback_id);
            let error = Js::Error("the read was aborted before the peer closed".to_string());
            self.callback_ready(callback_id, error);
        }
        callback_ids.len()
    }
}
