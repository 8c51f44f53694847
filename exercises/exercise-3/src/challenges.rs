//! The challenge of stage 3: hanging up on every socket that is still
//! being read.

use crate::{Js, Runtime};

impl Runtime {
    /// Stops reading every socket that is still being read: each one is
    /// closed at once, and its callback gets a `Js::Error` saying that the
    /// read was aborted, in the order the sockets were registered. Returns
    /// how many reads were aborted.
    pub fn abort_reads(&mut self) -> usize {
        todo!(
            "challenge 3a: Take every socket out of sockets; each one's callback gets Js::Error through callback_ready, or the program would wait for it for ever; return how many there were. The book explains it in \"Challenges\" and \"When a socket is ready\", on the page \"Stage 3: the epoll thread\" (book/src/chapter-3.md)."
        )
    }
}
