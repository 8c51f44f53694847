//! The challenge of stage 3: hanging up on every socket that is still
//! being read.

use crate::{Js, Runtime};

impl Runtime {
    /// Stops reading every socket that is still being read: each one is
    /// closed at once, and its callback gets a `Js::Error` saying that the
    /// read was aborted, in the order the sockets were registered. Returns
    /// how many reads were aborted.
    pub fn abort_reads(&mut self) -> usize {
        let callback_ids = self.sockets.take_all();
        for &callback_id in &callback_ids {
            // An event the epoll thread has already sent for the socket
            // finds nothing in `sockets`, and is ignored.
            let error = Js::Error("the read was aborted before the peer closed".to_string());
            self.callback_ready(callback_id, error);
        }
        callback_ids.len()
    }
}
