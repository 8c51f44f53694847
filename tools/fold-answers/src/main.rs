//! The mdBook preprocessor that folds the exercises' answers away.
//!
//! `book/book.toml` registers it, to run after mdBook's `links`
//! preprocessor, so that it sees the listings with their includes
//! resolved. mdBook first asks `fold-answers supports RENDERER`, then runs
//! `fold-answers` with `[context, book]` as JSON on standard input, and
//! reads the book back from standard output.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use serde_json::Value;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.as_slice() {
        // The folds are HTML: only the HTML renderer knows what to do with them.
        [supports, renderer] if supports == "supports" => {
            if renderer == "html" {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        [] => match preprocess() {
            Ok(()) => ExitCode::SUCCESS,
            Err(why) => {
                eprintln!("fold-answers: {why}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: fold-answers [supports RENDERER], as mdBook runs it");
            ExitCode::FAILURE
        }
    }
}

/// Reads `[context, book]`, and writes the book back with its answers
/// folded.
fn preprocess() -> Result<(), String> {
    let mut input = String::new();
    io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let input: Value =
        serde_json::from_str(&input).map_err(|e| format!("standard input is not JSON: {e}"))?;
    let mut book = input
        .get(1)
        .cloned()
        .ok_or("standard input is not mdBook's [context, book]")?;
    let workspace = stages::workspace_of(env!("CARGO_MANIFEST_DIR"));
    let answers = fold_answers::answers::all(&workspace)?;
    fold_answers::fold_book(&mut book, &answers);
    let mut output = io::stdout().lock();
    serde_json::to_writer(&mut output, &book).map_err(|e| format!("cannot write the book: {e}"))?;
    output
        .flush()
        .map_err(|e| format!("cannot write the book: {e}"))
}
