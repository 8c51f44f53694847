//! The challenge of stage 9: a pool task that is tried again when it
//! fails, a panic among the ways to fail.

use std::sync::Arc;

use crate::{Js, ThreadPoolTaskKind, register_pool_task};

/// Work that can run more than once, on whichever pool thread is free.
type Work = Arc<dyn Fn() -> Js + Send + Sync>;

/// Runs `work` on a pool thread, as [`register_pool_task`] does; but while
/// it fails, with a `Js::Error` or a panic, it runs again, up to `retries`
/// more times. `callback` runs once: with the first value that is not an
/// error, or with the last error.
pub fn register_pool_task_with_retries(
    kind: ThreadPoolTaskKind,
    work: impl Fn() -> Js + Send + Sync + 'static,
    retries: usize,
    callback: impl FnOnce(Js) + 'static,
) {
    attempt(kind, Arc::new(work), retries, Box::new(callback));
}

/// One attempt: the work goes to the pool, and its callback decides, on
/// the main thread, whether to give the value on or to try again.
fn attempt(
    kind: ThreadPoolTaskKind,
    work: Work,
    retries_left: usize,
    callback: Box<dyn FnOnce(Js)>,
) {
    todo!(
        "challenge 9a: Send the work to the pool once more, with register_pool_task; its callback, on the main thread, tries again, with one retry fewer, if the value is a Js::Error and a retry is left, and otherwise hands the value to the program's callback. The book explains it in \"Challenges\" and \"In a pool task\", on the page \"Stage 9: a sturdier pool\" (book/src/chapter-9.md)."
    )
}
