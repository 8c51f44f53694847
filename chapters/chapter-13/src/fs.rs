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
        let path = path.to_string();
        let work = move || match fs::read_to_string(&path) {
            Ok(text) => Js::String(text),
            Err(error) => Js::Error(format!("cannot read {path}: {error}")),
        };
        register_pool_task(ThreadPoolTaskKind::FileRead, work, callback);
    }
}
// ANCHOR_END: fs
