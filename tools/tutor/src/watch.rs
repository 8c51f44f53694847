//! `cargo run -p tutor -- watch`: the exercise the student is on, checked
//! again each time a file of it is saved, as rustlings' watch mode does.
//!
//! The screen shows how many exercises are done, and the current one's
//! result. Keys: `h` shows what to write, `n` moves on once it passes,
//! `q` quits, at any moment, even while a check runs.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, SystemTime};

use crate::assignment::Assignment;
use crate::check::{self, Thoroughness, describe};
use crate::exercise::{self, Exercise};
use crate::places::Places;
use crate::report::{Report, Status};
use crate::run;
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
    let keys = Keys::start();
    terminal::clear_screen();
    println!("Checking every exercise, to see where you are... (q quits)");
    let all: Vec<Assignment> = exercises.iter().map(Assignment::exercise).collect();
    let Some(reports) = unless_quit(&keys, || {
        check::check(places, &all, Thoroughness::UntilOneFails)
    })?
    else {
        return Ok(bye(places));
    };
    let mut passing: Vec<bool> = reports
        .iter()
        .map(|report| report.status == Status::Passes)
        .collect();
    let mut current = match start {
        Some(stage) => exercises
            .iter()
            .position(|e| e.stage == stage)
            .ok_or_else(|| format!("there is no exercise {stage}"))?,
        None => passing.iter().position(|passes| !passes).unwrap_or(0),
    };
    let mut show_hints = false;
    let mut note = String::new();
    loop {
        let exercise = &exercises[current];
        let folder = places.package(&exercise.package());
        let saved = saved_files(&folder);
        terminal::clear_screen();
        println!("Checking exercise {}... (q quits)", exercise.stage);
        let Some(reports) = unless_quit(&keys, || {
            check::check(
                places,
                &[Assignment::exercise(exercise)],
                Thoroughness::Every,
            )
        })?
        else {
            return Ok(bye(places));
        };
        let report = &reports[0];
        passing[current] = report.status == Status::Passes;
        loop {
            let screen = Screen {
                exercises: &exercises,
                passing: &passing,
                current,
                report,
                show_hints,
                note: &note,
            };
            screen.show(places);
            note.clear();
            match wait_for_key_or_save(&keys, &folder, &saved) {
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
                Event::Key(key) if quits(key) => return Ok(bye(places)),
                Event::Key(_) => {}
            }
        }
    }
}

fn quits(key: char) -> bool {
    // q, or Ctrl-C and Ctrl-D, which arrive as keys: the terminal is in a
    // mode where they send no signal.
    matches!(key, 'q' | '\u{3}' | '\u{4}')
}

fn bye(places: &Places) -> bool {
    println!(
        "\nBye! `{}` shows where you are.",
        check::tutor_command(places, "")
    );
    true
}

/// Runs `work` (a check) while listening for keys: a key that quits stops
/// the check's programs at once, and gives `None`.
fn unless_quit<T: Send>(
    keys: &Keys,
    work: impl FnOnce() -> Result<T, String> + Send,
) -> Result<Option<T>, String> {
    thread::scope(|scope| {
        let working = scope.spawn(work);
        while !working.is_finished() {
            if let Key::Pressed(key) = keys.next(Duration::from_millis(50)) {
                if quits(key) {
                    run::stop_everything();
                    let _ = working.join();
                    return Ok(None);
                }
            }
        }
        working
            .join()
            .map_err(|_| "the check panicked".to_string())?
            .map(Some)
    })
}

/// One screenful: progress, the current exercise's result, the keys.
struct Screen<'a> {
    exercises: &'a [Exercise],
    passing: &'a [bool],
    current: usize,
    report: &'a Report,
    show_hints: bool,
    note: &'a str,
}

impl Screen<'_> {
    fn show(&self, places: &Places) {
        let exercise = &self.exercises[self.current];
        let width = terminal::width().clamp(40, 100);
        terminal::clear_screen();
        println!("{}\n", self.progress());
        println!("Exercise {}: {}\n", exercise.stage, exercise.page);
        describe(self.report);
        if self.passing[self.current] {
            for challenge in &exercise.challenges {
                let command = check::tutor_command(places, &format!("hints {}", challenge.id));
                println!(
                    "\nA challenge, if you want more: {}, {}: `{command}`.",
                    challenge.id, challenge.title
                );
            }
        }
        if self.show_hints {
            let hints = exercise::hints(places, &Assignment::exercise(exercise));
            println!("\n{}", check::wrap(hints.trim_end(), width));
        }
        println!();
        if !self.note.is_empty() {
            println!("{}\n", self.note);
        }
        // The keys come last, with the progress again: if the result is
        // longer than the screen, this is the part that stays in view.
        let mut keys = vec!["save: check again", "h: hints", "q: quit"];
        if self.show_hints {
            keys[1] = "h: no hints";
        }
        let next;
        if self.passing[self.current] && self.current + 1 < self.exercises.len() {
            next = format!("n: exercise {}", self.exercises[self.current + 1].stage);
            keys.insert(2, &next);
        }
        println!(
            "{}",
            check::wrap(
                &format!("{} · {}", self.progress(), keys.join(" · ")),
                width
            )
        );
    }

    /// `[##------] 2/8 done`: a mark for each exercise, `#` if it passes.
    fn progress(&self) -> String {
        let bar: String = self
            .passing
            .iter()
            .map(|passes| if *passes { '#' } else { '-' })
            .collect();
        let done = self.passing.iter().filter(|passes| **passes).count();
        format!("[{bar}] {done}/{} done", self.passing.len())
    }
}

enum Event {
    Saved,
    Key(char),
}

/// Waits until a key the watch mode knows is pressed, or the exercise's
/// files change from `saved`.
fn wait_for_key_or_save(keys: &Keys, folder: &Path, saved: &[SavedFile]) -> Event {
    let mut keys_closed = false;
    loop {
        if !keys_closed {
            match keys.next(LOOK_EVERY) {
                Key::Pressed(key) => {
                    let key = key.to_ascii_lowercase();
                    if matches!(key, 'h' | 'n') || quits(key) {
                        return Event::Key(key);
                    }
                }
                Key::None => {}
                // No key will come (stdin was not a terminal, and ended):
                // watch for saves only, until stopped.
                Key::Closed => keys_closed = true,
            }
        } else {
            thread::sleep(LOOK_EVERY);
        }
        if saved_files(folder) != saved {
            return Event::Saved;
        }
    }
}

/// A file of the exercise, and when it was last saved.
type SavedFile = (PathBuf, SystemTime, u64);

/// The exercise's own files (its `.rs` files and `Cargo.toml`), with when
/// each was saved and its size. An editor's own files (`.x.swp`, `#x#`,
/// `x~`) and Cargo's `target` are left out: writing them saves nothing.
fn saved_files(folder: &Path) -> Vec<SavedFile> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(current) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.starts_with('#') || name.ends_with('~') {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                if name != "target" {
                    folders.push(path);
                }
            } else if name.ends_with(".rs") || name == "Cargo.toml" {
                let Ok(metadata) = entry.metadata() else {
                    continue;
                };
                let modified = metadata.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                files.push((path, modified, metadata.len()));
            }
        }
    }
    files.sort();
    files
}
