//! `Fs`, the files module, shaped like Node's `fs`: a read is prepared
//! here and done on the pool.

use std::fs;

use crate::{Js, ThreadPoolTaskKind, register_pool_task};

// ANCHOR: fs
/// Files, read on the pool: a read may have to wait for the disk.
pub struct Fs;

impl Fs {
    /// Reads the file at `path`. The callback gets its text as a
    /// `Js::String`, or a `Js::Error` that says why it could not be read.
    pub fn read(path: &str, callback: impl FnOnce(Js) + 'static) {
        todo!(
            "exercise 6: Read the file on a pool thread (a FileRead task); the callback gets Js::String with its text, or Js::Error saying why not. The book explains it in \"`Fs`: reading a file\", on the page \"Stage 6: the modules\" (book/src/chapter-6.md)."
        )
    }
}
// ANCHOR_END: fs
