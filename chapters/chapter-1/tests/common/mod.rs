//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code, unused_imports)]

/// The stage these tests check. Every test file reaches it through this
/// one name, so that a test file is the same in every stage that has it.
pub use chapter_1 as stage;
