//! `cargo run -p timeline -- record`: records a run of the demo with
//! `--trace`, and writes from it what the book shows of that run: the
//! trace itself, the timeline picture, the replay's steps and the demo
//! page's output.
//!
//! The demo page walks through one run in words ("in this run, the third
//! read came first"), so a new recording must tell the same story, tick
//! for tick. `record` runs the demo until one run does, and says how the
//! others differed. `record --any` takes the first run, for when the
//! story itself has changed: then the page's words must change with it.
//!
//! `cargo run -p timeline -- draw` draws again from the recorded trace,
//! after a change to how things are drawn.

use std::fs;
use std::process::ExitCode;

use timeline::story::Story;
use timeline::trace::Trace;
use timeline::{paths, picture, replay, steps};

/// How many runs `record` tries before it gives up.
const ATTEMPTS: usize = 20;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let done = match words.as_slice() {
        ["record"] => record(false),
        ["record", "--any"] => record(true),
        ["draw"] => draw(),
        _ => Err("usage: cargo run -p timeline -- record [--any] | draw".to_string()),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("timeline: {error}");
            ExitCode::FAILURE
        }
    }
}

fn record(any_story: bool) -> Result<(), String> {
    let wanted = match fs::read_to_string(paths::trace()) {
        Ok(json) if !any_story => Some(Story::of(&Trace::parse(&json)?)?.lines()),
        _ => None,
    };
    for attempt in 1..=ATTEMPTS {
        let (json, output) = timeline::run_demo()?;
        let story = Story::of(&Trace::parse(&json)?)?.lines();
        if let Some(wanted) = &wanted {
            if story != *wanted {
                let (was, is) = timeline::first_difference(wanted, &story);
                println!("run {attempt} told another story: {is:?} where the page has {was:?}");
                continue;
            }
        }
        println!("run {attempt} tells the page's story: writing it");
        fs::write(paths::trace(), &json).map_err(|e| e.to_string())?;
        timeline::write_output_block(&output)?;
        return draw();
    }
    Err(format!(
        "none of {ATTEMPTS} runs told the page's story; if the story has changed, \
         `record --any`, and change the demo page's words to match"
    ))
}

fn draw() -> Result<(), String> {
    let json = fs::read_to_string(paths::trace()).map_err(|e| e.to_string())?;
    let trace = Trace::parse(&json)?;
    let steps = steps::steps(&trace)?;
    fs::write(paths::picture(), picture::svg(&trace, &steps)).map_err(|e| e.to_string())?;
    fs::write(paths::replay(), replay::script(&steps)).map_err(|e| e.to_string())?;
    println!(
        "wrote {}, {} and {}",
        paths::trace().display(),
        paths::picture().display(),
        paths::replay().display()
    );
    Ok(())
}
