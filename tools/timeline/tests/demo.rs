//! The demo's timeline and replay show the recorded run, and the recorded
//! run is what the demo still does.
//!
//! The book's picture of the demo, its replay and the demo page's output
//! all come from one recorded run, book/src/replay/demo-trace.json (see
//! `cargo run -p timeline -- record`). These tests fail when any of them
//! no longer matches that recording, or the recording no longer matches
//! what a fresh run of the demo does.

use std::fs;

use deadline::within;
use timeline::story::Story;
use timeline::trace::Trace;
use timeline::{output_block, paths, picture, replay, steps};

fn recorded() -> Trace {
    let json = fs::read_to_string(paths::trace()).expect("the recorded trace");
    Trace::parse(&json).expect("a trace that --trace wrote")
}

/// The picture and the replay's steps are what the drawing code makes of
/// the recorded trace today: nobody edited them by hand, and nobody
/// changed how they are drawn without drawing them again.
#[test]
fn the_picture_and_the_replay_are_drawn_from_the_recorded_run() {
    let trace = recorded();
    let steps = steps::steps(&trace).expect("steps");
    let again = "run `cargo run -p timeline -- draw`";
    let picture = fs::read_to_string(paths::picture()).expect("the picture");
    assert!(
        picture == picture::svg(&trace, &steps),
        "the picture is not what the trace draws: {again}"
    );
    let script = fs::read_to_string(paths::replay()).expect("the replay's steps");
    assert!(
        script == replay::script(&steps),
        "the replay is not what the trace makes: {again}"
    );
}

/// The demo page's output is the recorded run's: each thread printed the
/// same lines, in the same order, as the trace has them.
#[test]
fn the_demo_page_shows_the_output_of_the_recorded_run() {
    let page = fs::read_to_string(paths::demo_page()).expect("the demo page");
    let (first, end) = output_block(&page).expect("the output block");
    let shown: Vec<&str> = page.lines().collect::<Vec<_>>()[first..end].to_vec();
    let trace = recorded();
    for thread in &trace.threads {
        let prefix = format!("[{thread}] ");
        let on_page: Vec<&str> = shown
            .iter()
            .filter_map(|l| l.strip_prefix(&prefix))
            .collect();
        let in_trace: Vec<&str> = trace
            .on(thread)
            .filter(|event| event.is_log_line())
            .map(|event| event.name.as_str())
            .collect();
        assert_eq!(
            on_page, in_trace,
            "{thread} printed other lines than the page shows"
        );
    }
}

/// A fresh run of the demo does what the recorded one did, in the order
/// of events on each thread and in each tick, leaving out only what the
/// demo page's table says varies from run to run (see
/// `Story::what_never_changes`). It fails if, say, the timers phase came
/// after the poll phase, a callback ran in another phase, a tick began
/// to sleep where it did not, or a callback logged something else.
#[test]
fn a_fresh_run_of_the_demo_tells_the_recorded_story() {
    let wanted = Story::of(&recorded())
        .expect("a story")
        .what_never_changes();
    let (json, _) = within(120, || timeline::run_demo().expect("a run of the demo"));
    let fresh = Trace::parse(&json).expect("a trace");
    let told = Story::of(&fresh).expect("a story").what_never_changes();
    assert_eq!(
        told, wanted,
        "a fresh run of the demo differs from the recorded one beyond what varies between runs: \
         if the demo changed on purpose, `cargo run -p timeline -- record --any`, and check the \
         demo page's words"
    );
}
