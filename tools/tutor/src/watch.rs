//! `cargo run -p tutor -- watch`: the exercise the student is on, checked
//! again each time a file of it is saved, as rustlings' watch mode does.
//!
//! The screen shows how many exercises are done, and the current one's
//! result. Keys: `h` shows what to write, `n` moves on once it passes,
//! `q` quits.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::check::{self, Thoroughness, describe};
use crate::exercise::{self, Exercise};
use crate::places::Places;
use crate::report::{Report, Status};
use crate::terminal::{self, Key, Keys};

/// How often the exercise's files are looked at for a save.
const LOOK_EVERY: Duration = Duration::from_millis(250);

/// Watches from exercise `start`, or else from the first that does not
/// pass yet.
pub fn watch(places: &Places, start: Option<usize>) -> Result<bool, String> {
    let exercises = exercise::all_in(places)?;
    if exercises.is_empty() {
        return Err(format!(
            "there are no exercises in {}",
            places.show(&places.exercises)
        ));
    }
    terminal::clear_screen();
    println!("Checking every exercise, to see where you are...");
    let all: Vec<&Exercise> = exercises.iter().collect();
    let mut passing: Vec<bool> = check::check(places, &all, Thoroughness::UntilOneFails)?
        .iter()
        .map(|report| report.status == Status::Passes)
        .collect();
    let first_to_do = passing.iter().position(|passes| !passes).unwrap_or(0);
    let mut current = match start {
        Some(stage) => exercises
            .iter()
            .position(|e| e.stage == stage)
            .ok_or_else(|| format!("there is no exercise {stage}"))?,
        None => first_to_do,
    };
    let keys = Keys::start();
    let mut show_hints = false;
    let mut note = String::new();
    loop {
        let exercise = &exercises[current];
        let folder = places.package(&exercise.package());
        let saved = last_saved(&folder);
        terminal::clear_screen();
        println!("Checking exercise {}...", exercise.stage);
        let [report] = &check::check(places, &[exercise], Thoroughness::Every)?[..] else {
            unreachable!("one exercise checked, one report");
        };
        passing[current] = report.status == Status::Passes;
        loop {
            show(
                places, &exercises, &passing, current, report, show_hints, &note,
            );
            note.clear();
            match wait_for_key_or_save(&keys, &folder, saved) {
                Event::Saved => break,
                Event::Key('h') => show_hints = !show_hints,
                Event::Key('n') if passing[current] => {
                    if current + 1 < exercises.len() {
                        current += 1;
                        show_hints = false;
                        break;
                    }
                    note = "That was the last exercise.".to_string();
                }
                Event::Key('n') => {
                    note = format!("n moves on once exercise {} passes.", exercise.stage);
                }
                Event::Key('q' | '\u{3}' | '\u{4}') => {
                    println!(
                        "\nBye! `{}` shows where you are.",
                        check::tutor_command(places, "")
                    );
                    return Ok(passing.iter().all(|passes| *passes));
                }
                Event::Key(_) => {}
            }
        }
    }
}

/// One screenful: progress, the current exercise's result, the keys.
fn show(
    places: &Places,
    exercises: &[Exercise],
    passing: &[bool],
    current: usize,
    report: &Report,
    show_hints: bool,
    note: &str,
) {
    let done = passing.iter().filter(|passes| **passes).count();
    let bar: String = passing.iter().map(|p| if *p { '#' } else { '-' }).collect();
    let exercise = &exercises[current];
    terminal::clear_screen();
    println!("[{bar}] {done}/{} done\n", exercises.len());
    println!("Exercise {}: {}\n", exercise.stage, exercise.page);
    describe(report);
    if show_hints {
        let hints = exercise::hints(places, exercise);
        println!(
            "\n{}",
            check::wrap(hints.trim_end(), terminal::width().clamp(40, 100))
        );
    }
    println!();
    if !note.is_empty() {
        println!("{note}\n");
    }
    let next = if report.status == Status::Passes && current + 1 < exercises.len() {
        format!(" · n: on to exercise {}", exercises[current + 1].stage)
    } else {
        String::new()
    };
    let hints = if show_hints {
        "h: hide hints"
    } else {
        "h: hints"
    };
    println!("Saving a file of it checks it again · {hints}{next} · q: quit");
}

enum Event {
    Saved,
    Key(char),
}

/// Waits until a key is pressed, or a file under `folder` is saved after
/// `saved`.
fn wait_for_key_or_save(keys: &Keys, folder: &Path, saved: SystemTime) -> Event {
    let mut keys_closed = false;
    loop {
        if !keys_closed {
            match keys.next(LOOK_EVERY) {
                Key::Pressed(key) => return Event::Key(key.to_ascii_lowercase()),
                Key::None => {}
                // No key will come (stdin was not a terminal, and ended):
                // watch for saves only, until stopped.
                Key::Closed => keys_closed = true,
            }
        } else {
            std::thread::sleep(LOOK_EVERY);
        }
        if last_saved(folder) != saved {
            return Event::Saved;
        }
    }
}

/// When a file under `folder` (but not in Cargo's `target`) was last
/// changed, added or removed: the latest time among them, and the folder's
/// own times (a file removed changes its folder's time).
fn last_saved(folder: &Path) -> SystemTime {
    let mut latest = SystemTime::UNIX_EPOCH;
    let mut folders = vec![folder.to_path_buf()];
    while let Some(current) = folders.pop() {
        let times = std::fs::metadata(&current).and_then(|m| m.modified());
        latest = latest.max(times.unwrap_or(SystemTime::UNIX_EPOCH));
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "target" {
                    folders.push(path);
                }
            } else if let Ok(modified) = entry.metadata().and_then(|m| m.modified()) {
                latest = latest.max(modified);
            }
        }
    }
    latest
}
