//! `cargo run -p stages -- generate`: makes `chapters/` and `exercises/`
//! from `source/`, and GitHub Classroom's grading files in `.github/`.
//!
//! `cargo run -p stages -- check`: fails, naming each file, if anything
//! under `chapters/`, `exercises/` or `.github/` is not what `source/`
//! makes; for CI.

use std::process::ExitCode;

fn main() -> ExitCode {
    let workspace = stages::workspace_of(env!("CARGO_MANIFEST_DIR"));
    let command = std::env::args().nth(1).unwrap_or_default();
    let outcome = match command.as_str() {
        "generate" => stages::generate(&workspace).map(|changes| {
            changes.iter().for_each(|change| println!("{change}"));
            let s = if changes.len() == 1 { "" } else { "s" };
            println!(
                "chapters/, exercises/ and .github/ are what source/ makes ({} change{s})",
                changes.len()
            );
            true
        }),
        "check" => stages::check(&workspace).map(|problems| {
            if problems.is_empty() {
                println!("chapters/, exercises/ and .github/ are what source/ makes");
                return true;
            }
            problems.iter().for_each(|problem| println!("{problem}"));
            println!(
                "\nThese files are made from source/: change source/, then run\n\
                 `cargo run -p stages -- generate`. Never edit them by hand."
            );
            false
        }),
        _ => Err("usage: cargo run -p stages -- generate | check".to_string()),
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
