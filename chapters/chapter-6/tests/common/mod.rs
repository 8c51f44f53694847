//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code, unused_imports)]

/// The stage these tests check. Every test file reaches it through this
/// one name, so that a test file is the same in every stage that has it.
pub use chapter_6 as stage;

use stage::Runtime;

/// Runs a test under a time limit: a hang fails instead of stalling the run.
pub use deadline::within;

/// Drives the runtime by hand, the way the `main.rs` of stages 2 to 4 does,
/// until nothing is pending.
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
