//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code)]

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use chapter_6::Runtime;

/// Runs `test` on a thread of its own and fails if it takes longer than
/// `seconds`, so a loop that never ends fails instead of hanging the run.
pub fn within<T: Send + 'static>(seconds: u64, test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    thread::spawn(move || done.send(test()));
    match result.recv_timeout(Duration::from_secs(seconds)) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("the test did not finish within {seconds} s")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the test panicked"),
    }
}

/// Drives the runtime the way this stage's `main.rs` does, until nothing
/// is pending.
pub fn run_until_done(runtime: &mut Runtime) {
    while tick(runtime) {}
}

/// One turn of the loop: run the timers that are due, then, if anything is
/// still pending, sleep until events arrive and run their callbacks.
/// Returns whether anything is still pending.
pub fn tick(runtime: &mut Runtime) -> bool {
    runtime.process_expired_timers();
    runtime.run_callbacks();
    if runtime.pending_events() == 0 {
        return false;
    }
    runtime.wait_for_events();
    runtime.run_callbacks();
    true
}
