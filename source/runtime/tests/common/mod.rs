//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code, unused_imports)]

/// The stage these tests check. Every test file reaches it through this
/// one name, so that a test file is the same in every stage that has it.
pub use chapter_{{stage}} as stage;
//@ 2..

use stage::Runtime;

/// Runs a test under a time limit: a hang fails instead of stalling the run.
pub use deadline::within;

//@ end
//@ 2..=4
/// Drives the runtime the way this stage's `main.rs` does, until nothing
/// is pending.
//@ or 5..
/// Drives the runtime by hand, the way the `main.rs` of stages 2 to 4 does,
/// until nothing is pending.
//@ end
pub fn run_until_done(runtime: &mut Runtime) { //@ 2..
//@ 2..=3
    while runtime.pending_events() > 0 {
        runtime.wait_for_events();
        runtime.run_callbacks();
//@ or 4..
    while tick(runtime) {}
}

/// One turn of the loop: run the timers that are due, then, if anything is
/// still pending, sleep until events arrive and run their callbacks.
/// Returns whether anything is still pending.
pub fn tick(runtime: &mut Runtime) -> bool {
    runtime.process_expired_timers();
//@ end
    runtime.ready_pending_callbacks(); //@ 8..
    runtime.run_callbacks(); //@ 4..
    if runtime.pending_events() == 0 { //@ 4..=7
    if runtime.is_done() { //@ 8..
        return false; //@ 4..
    } //@ 2..
//@ 4..
    runtime.wait_for_events();
    runtime.run_callbacks();
    true
//@ end
} //@ 2..
