//! The demo's timeline and its replay, drawn from a real run.
//!
//! `cargo run -p chapter-6 -- --trace FILE` records what every thread of
//! the demo did (the book's page "Watching a run: traces"). This crate
//! reads such a file back and makes from it what the book shows of that
//! run, so that none of it is drawn by hand and none of it can drift:
//!
//! - [`story`]: what each thread did, tick by tick, and the part of that
//!   which is the same in every run;
//! - [`steps`]: the run as a list of steps, each with what every thread is
//!   doing and what waits in each queue at that moment;
//! - [`picture`]: the timeline on the demo page, an SVG drawn from the
//!   steps;
//! - [`replay`]: the steps as data for the replay page's script.
//!
//! `cargo run -p timeline -- record` records a run and writes them all;
//! see `src/main.rs`.

pub mod paths;
pub mod picture;
pub mod replay;
pub mod steps;
pub mod story;
pub mod trace;

use std::fs;
use std::process::Command;

/// Runs the demo with `--trace`, through cargo, and returns its trace and
/// what it printed. The lines saying where the trace went and how to
/// replay it are left out: a run without `--trace` does not print them.
pub fn run_demo() -> Result<(String, String), String> {
    let file = std::env::temp_dir().join(format!("timeline-{}.json", std::process::id()));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let run = Command::new(cargo)
        .args(["run", "-q", "-p", paths::STAGE, "--", "--trace"])
        .arg(&file)
        .current_dir(paths::root())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !run.status.success() {
        let said = String::from_utf8_lossy(&run.stderr);
        return Err(format!("the demo failed ({}): {said}", run.status));
    }
    let json = fs::read_to_string(&file).map_err(|e| format!("no trace from the demo: {e}"))?;
    let _ = fs::remove_file(&file);
    let printed = String::from_utf8_lossy(&run.stdout);
    // What it prints after writing the trace (where it went, how to
    // replay it) is not in the trace, nor on the page.
    let output: Vec<&str> = printed
        .lines()
        .take_while(|line| !line.starts_with("[main] wrote the trace to "))
        .collect();
    Ok((json, output.join("\n")))
}

/// The first line where two lists differ, from each.
pub fn first_difference(a: &[String], b: &[String]) -> (String, String) {
    let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let line = |list: &[String]| {
        list.get(at)
            .cloned()
            .unwrap_or_else(|| "(the end)".to_string())
    };
    (line(a), line(b))
}

/// The marker of the demo page's output block.
const OUTPUT_MARKER: &str = "<!-- output: chapter-6 -->";

/// The output block of the demo page: its lines, and where they are.
pub fn output_block(page: &str) -> Result<(usize, usize), String> {
    let lines: Vec<&str> = page.lines().collect();
    let marker = lines
        .iter()
        .position(|line| line.trim() == OUTPUT_MARKER)
        .ok_or("the demo page has no output block")?;
    let open = (marker + 1..lines.len())
        .find(|&at| lines[at].starts_with("```"))
        .ok_or("the output block has no ``` line")?;
    let close = (open + 1..lines.len())
        .find(|&at| lines[at].starts_with("```"))
        .ok_or("the output block is never closed")?;
    Ok((open + 1, close))
}

/// Puts a run's output into the demo page's output block.
pub fn write_output_block(output: &str) -> Result<(), String> {
    let page = fs::read_to_string(paths::demo_page()).map_err(|e| e.to_string())?;
    let (first, end) = output_block(&page)?;
    let lines: Vec<&str> = page.lines().collect();
    let mut new = lines[..first].join("\n");
    new.push('\n');
    new.push_str(output);
    new.push('\n');
    new.push_str(&lines[end..].join("\n"));
    new.push('\n');
    fs::write(paths::demo_page(), new).map_err(|e| e.to_string())
}
