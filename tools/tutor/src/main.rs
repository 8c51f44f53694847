//! The tutor: one command for students, and a few for maintainers.
//!
//! Students run it from the top of the workspace:
//!
//! ```text
//! cargo run -p tutor                 which exercises pass, and which is next
//! cargo run -p tutor -- check 2      check exercise 2 only
//! cargo run -p tutor -- reset 2      put exercise 2 back as it was handed out
//! cargo run -p tutor -- hints 2      what to write, and where the book explains it
//! ```
//!
//! Maintainers (and CI) use:
//!
//! ```text
//! cargo run -p tutor -- prove        exercises are what source/ makes, compile,
//!                                    fail as shipped, and the chapters pass their
//!                                    tests; every gap is reached by a test
//! ```
//!
//! The exercises are made by `cargo run -p stages -- generate`.

mod check;
mod exercise;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use exercise::Exercise;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let workspace = workspace();
    let outcome = match arguments.as_slice() {
        [] | ["status"] => check::status(&workspace),
        ["check", number] => with_exercise(&workspace, number, check::check_one),
        ["reset", number] => with_exercise(&workspace, number, exercise::reset),
        ["hints", number] => with_exercise(&workspace, number, exercise::print_hints),
        ["prove"] => check::prove(&workspace),
        _ => Err(usage()),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace's top folder: two above this crate's.
fn workspace() -> PathBuf {
    stages::workspace_of(env!("CARGO_MANIFEST_DIR"))
}

fn with_exercise(
    workspace: &Path,
    number: &str,
    action: fn(&Path, &Exercise) -> Result<bool, String>,
) -> Result<bool, String> {
    let exercises = exercise::all(workspace)?;
    let exercise = number
        .parse::<usize>()
        .ok()
        .and_then(|number| exercises.into_iter().find(|e| e.stage == number))
        .ok_or_else(|| format!("there is no exercise {number}\n\n{}", usage()))?;
    action(workspace, &exercise)
}

fn usage() -> String {
    "usage: cargo run -p tutor [-- status | check N | reset N | hints N | prove]".to_string()
}
