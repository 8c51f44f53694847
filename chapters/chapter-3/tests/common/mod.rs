//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code, unused_imports)]

/// The stage these tests check. Every test file reaches it through this
/// one name, so that a test file is the same in every stage that has it.
pub use chapter_3 as stage;

use stage::Runtime;

/// Runs a test under a time limit: a hang fails instead of stalling the run.
pub use deadline::within;

/// Drives the runtime the way this stage's `main.rs` does, until nothing
/// is pending.
pub fn run_until_done(runtime: &mut Runtime) {
    while runtime.pending_events() > 0 {
        runtime.wait_for_events();
        runtime.run_callbacks();
    }
}
