//! Node's order, checked: small programs written twice, once in
//! JavaScript for Node (`programs/NAME.js`) and once in Rust for the last
//! stage of the runtime (the function `NAME` in [`programs`]). Both print
//! lines; `tests/against_node.rs` runs both sides and checks that they
//! print the same lines in the same order.
//!
//! Only programs whose order Node decides by a rule are here, never by
//! how quick the machine is: each gave the same output in 20 runs of 20
//! (see `programs/README.md`).

pub mod programs;

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use runtime::Runtime;

/// What a program printed, line by line.
pub type Out = Rc<RefCell<Vec<String>>>;

/// A program: it sets things going, and prints into its `Out`.
pub type Program = fn(&Out);

/// Runs a program on a runtime of its own, quietly, and gives the lines it
/// printed.
pub fn run(program: Program) -> Vec<String> {
    runtime::set_logging(false);
    let out = Out::default();
    let for_program = Rc::clone(&out);
    Runtime::new().run(move || program(&for_program));
    out.take()
}

/// The folder of the JavaScript programs.
pub fn programs_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("programs")
}
