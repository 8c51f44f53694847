//! Building the exercises' tests, and reading what the compiler said.
//!
//! The tutor asks Cargo for JSON messages (`--message-format=json`): one
//! object per line, for every error the compiler reports and for every
//! test program it builds. Nothing is guessed from text meant for people.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::places::Places;
use crate::run;

/// One test program of an exercise: a file under `tests/`, or the unit
/// tests of its library or its program.
#[derive(Clone)]
pub struct TestProgram {
    /// Its name, such as `timers` or `chapter_9` (the library).
    pub suite: String,
    pub path: PathBuf,
}

/// What building an exercise's tests gave.
#[derive(Clone)]
pub enum Built {
    Programs(Vec<TestProgram>),
    /// The compiler's errors, each as it shows it, with its paths shown
    /// from where the student is.
    Errors(Vec<String>),
}

/// Builds the tests of `packages`, each on its own account: one that does
/// not compile does not keep the others from being built.
pub fn build(places: &Places, packages: &[String]) -> Result<BTreeMap<String, Built>, String> {
    let mut command = cargo();
    command
        // What `cargo test` builds; `--keep-going` is `cargo build`'s.
        .args(["build", "--tests", "--keep-going", "--message-format=json"])
        .arg("--manifest-path")
        .arg(places.exercises.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", places.target())
        .current_dir(&places.exercises);
    for package in packages {
        command.args(["-p", package]);
    }
    let progress = Progress::new(units_to_build(places, packages));
    let output = output_unless_stopped(&mut command, progress)?;
    let mut programs: BTreeMap<String, Vec<TestProgram>> = BTreeMap::new();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut finished = false;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if message["reason"] == "build-finished" {
            finished = true;
        }
        let Some(package) = package_of(&message) else {
            continue;
        };
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(program) = test_program(&message) {
                    programs.entry(package).or_default().push(program);
                }
            }
            Some("compiler-message") => {
                if let Some(error) = error_text(&message["message"]) {
                    // The library is built twice, as itself and with its
                    // unit tests, so the same error comes twice, not always
                    // in the same words: it is the same error if it has the
                    // same code at the same place.
                    let key = error_place(&message["message"]);
                    if seen.insert((package.clone(), key)) {
                        let shown = places.paths_from_here(error);
                        errors.entry(package).or_default().push(shown);
                    }
                }
            }
            _ => {}
        }
    }
    if !finished {
        // Cargo never got to build: the tutor asked it wrongly, or
        // `exercises/Cargo.toml` is broken. Not the exercise's fault.
        return Err(format!(
            "cargo could not build the exercises:\n{}",
            cargo_said(&output.stderr)
        ));
    }
    let mut built = BTreeMap::new();
    for package in packages {
        let result = match (errors.remove(package), programs.remove(package)) {
            (Some(errors), _) => Built::Errors(errors),
            (None, Some(mut programs)) if output.status.success() || !programs.is_empty() => {
                // In the same order every time, so that the first failing
                // test is always the same one.
                programs.sort_by(|a, b| a.suite.cmp(&b.suite));
                Built::Programs(programs)
            }
            _ => Built::Errors(vec![cargo_said(&output.stderr)]),
        };
        built.insert(package.clone(), result);
    }
    Ok(built)
}

/// Everything `pipe` gives until it closes.
fn read_all(pipe: Option<&mut impl Read>) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Some(pipe) = pipe {
        let _ = pipe.read_to_end(&mut bytes);
    }
    bytes
}

/// Everything Cargo prints until it is done, line by line, each line's
/// message counted by `progress` as it comes.
fn read_messages(pipe: Option<impl Read>, mut progress: Progress) -> Vec<u8> {
    let mut bytes = Vec::new();
    let Some(pipe) = pipe else {
        return bytes;
    };
    for line in BufReader::new(pipe).split(b'\n').map_while(Result::ok) {
        progress.saw(&line);
        bytes.extend_from_slice(&line);
        bytes.push(b'\n');
    }
    progress.done();
    bytes
}

/// Runs `command` to its end, as `Command::output` does, unless every
/// check is being stopped (the student quit): then it stops it too.
fn output_unless_stopped(command: &mut Command, progress: Progress) -> Result<Output, String> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let (stdout, mut stderr) = (child.stdout.take(), child.stderr.take());
    thread::scope(|scope| {
        let printed = scope.spawn(move || read_messages(stdout, progress));
        let said = scope.spawn(move || read_all(stderr.as_mut()));
        let status = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break status;
            }
            if run::stopping_everything() {
                let _ = child.kill();
                let _ = child.wait();
                return Err("the check was stopped".to_string());
            }
            thread::sleep(Duration::from_millis(10));
        };
        Ok(Output {
            status,
            stdout: printed.join().unwrap_or_default(),
            stderr: said.join().unwrap_or_default(),
        })
    })
}

/// What a first build shows, so that minutes of it are not minutes of
/// silence: how many of the crates to build are built, on one line that
/// counts up in a terminal, or a line now and then in a log. A build with
/// little to do (what changed since the last check) says nothing.
struct Progress {
    total: Option<usize>,
    built: usize,
    started: Instant,
    terminal: bool,
    /// The last count shown, or `None` before anything was shown.
    shown: Option<usize>,
}

impl Progress {
    /// How long a build runs before it shows how far it is.
    const QUIET_FOR: Duration = Duration::from_secs(2);

    fn new(total: Option<usize>) -> Progress {
        Progress {
            total,
            built: 0,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            shown: None,
        }
    }

    /// Counts a message of Cargo's if it is one of a crate built (or
    /// found built already).
    fn saw(&mut self, line: &[u8]) {
        if !line.starts_with(b"{\"reason\":\"compiler-artifact\"") {
            return;
        }
        self.built += 1;
        if self.started.elapsed() >= Self::QUIET_FOR {
            self.show();
        }
    }

    fn show(&mut self) {
        let total = self.total.unwrap_or(0).max(self.built);
        let count = if total > 0 {
            format!("{} of {total}", self.built)
        } else {
            self.built.to_string()
        };
        let mut stderr = std::io::stderr();
        if self.terminal {
            let _ = write!(stderr, "\rBuilding the exercises: {count} crates built");
        } else if self
            .shown
            .is_none_or(|shown| self.built > shown + total / 10)
        {
            let _ = writeln!(stderr, "Building the exercises: {count} crates built");
        } else {
            return;
        }
        let _ = stderr.flush();
        self.shown = Some(self.built);
    }

    fn done(&mut self) {
        if self.shown.is_some() {
            self.show();
            if self.terminal {
                let _ = writeln!(std::io::stderr());
            }
        }
    }
}

/// How many crates building the tests of `packages` takes, counted from
/// `cargo metadata`, as Cargo counts them in its messages: for each
/// package the exercises depend on, its library and its build script; for
/// each exercise, its library and its program, each built twice (as
/// themselves, and with their unit tests), and each test program.
fn units_to_build(places: &Places, packages: &[String]) -> Option<usize> {
    let host = Command::new("rustc").arg("-vV").output().ok()?;
    let host = String::from_utf8_lossy(&host.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: ").map(str::to_string))?;
    let output = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--filter-platform",
            &host,
        ])
        .arg("--manifest-path")
        .arg(places.exercises.join("Cargo.toml"))
        .output()
        .ok()?;
    let metadata: Value = serde_json::from_slice(&output.stdout).ok()?;
    let id_of = |name: &str| {
        metadata["packages"]
            .as_array()?
            .iter()
            .find(|p| p["name"] == name)?["id"]
            .as_str()
            .map(str::to_string)
    };
    let members: BTreeSet<String> = packages.iter().filter_map(|name| id_of(name)).collect();
    let nodes = metadata["resolve"]["nodes"].as_array()?;
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id);
    // Every package to build: the exercises, and what they depend on, their
    // tests' own dependencies included.
    let mut to_build = members.clone();
    let mut waiting: Vec<String> = members.iter().cloned().collect();
    while let Some(id) = waiting.pop() {
        for dependency in node(&id)?["deps"].as_array()? {
            let kinds = dependency["dep_kinds"].as_array()?;
            let needed = kinds.iter().any(|kind| kind["kind"] != "dev") || members.contains(&id);
            let dependency = dependency["pkg"].as_str()?.to_string();
            if needed && to_build.insert(dependency.clone()) {
                waiting.push(dependency);
            }
        }
    }
    let mut units = 0;
    for package in metadata["packages"].as_array()? {
        let id = package["id"].as_str()?;
        if !to_build.contains(id) {
            continue;
        }
        let member = members.contains(id);
        for target in package["targets"].as_array()? {
            units += match (target["kind"][0].as_str()?, member) {
                ("lib" | "bin", true) => 2,
                ("test" | "custom-build", true) => 1,
                ("lib" | "rlib" | "proc-macro" | "custom-build", false) => 1,
                _ => 0,
            };
        }
    }
    Some(units)
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
}

/// The package a message is about: the folder of its `Cargo.toml`.
fn package_of(message: &Value) -> Option<String> {
    let manifest = Path::new(message["manifest_path"].as_str()?);
    let folder = manifest.parent()?.file_name()?;
    Some(folder.to_string_lossy().into_owned())
}

/// A test program that Cargo built, if this artifact is one.
fn test_program(artifact: &Value) -> Option<TestProgram> {
    if artifact["profile"]["test"].as_bool() != Some(true) {
        return None;
    }
    Some(TestProgram {
        suite: artifact["target"]["name"].as_str()?.to_string(),
        path: PathBuf::from(artifact["executable"].as_str()?),
    })
}

/// The text of a compiler error, as the compiler shows it; `None` for
/// warnings, and for the closing "aborting due to N previous errors".
fn error_text(diagnostic: &Value) -> Option<&str> {
    let is_error = diagnostic["level"].as_str()? == "error";
    let about_code = diagnostic["spans"]
        .as_array()
        .is_some_and(|spans| !spans.is_empty());
    let aborting = diagnostic["message"]
        .as_str()
        .is_some_and(|text| text.starts_with("aborting due to"));
    if !is_error || (aborting && !about_code) {
        return None;
    }
    Some(diagnostic["rendered"].as_str()?.trim_end())
}

/// What tells one error from another: its code and where it is (or, for
/// an error about no place, its message).
fn error_place(diagnostic: &Value) -> String {
    let primary = diagnostic["spans"]
        .as_array()
        .and_then(|spans| spans.iter().find(|span| span["is_primary"] == true));
    match primary {
        Some(span) => format!(
            "{} {}:{}:{}",
            diagnostic["code"]["code"], span["file_name"], span["line_start"], span["column_start"]
        ),
        None => diagnostic["message"].to_string(),
    }
}

/// When Cargo fails before the compiler says anything (a broken
/// `Cargo.toml`, say), its own last words.
fn cargo_said(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_read_and_the_closing_words_left_out() {
        let error: Value = serde_json::from_str(
            r#"{"level":"error","message":"mismatched types","spans":[{"file_name":"exercise-2/src/a.rs"}],"rendered":"error[E0308]: mismatched types\n --> exercise-2/src/a.rs:1:1\n"}"#,
        )
        .unwrap();
        assert_eq!(
            error_text(&error),
            Some("error[E0308]: mismatched types\n --> exercise-2/src/a.rs:1:1")
        );
        let closing: Value = serde_json::from_str(
            r#"{"level":"error","message":"aborting due to 1 previous error","spans":[],"rendered":"error: aborting due to 1 previous error\n"}"#,
        )
        .unwrap();
        assert_eq!(error_text(&closing), None);
        let warning: Value = serde_json::from_str(
            r#"{"level":"warning","message":"unused","spans":[],"rendered":"warning: unused\n"}"#,
        )
        .unwrap();
        assert_eq!(error_text(&warning), None);
    }

    #[test]
    fn test_programs_are_told_from_other_artifacts() {
        let test: Value = serde_json::from_str(
            r#"{"reason":"compiler-artifact","manifest_path":"/w/exercises/exercise-2/Cargo.toml","target":{"name":"timers"},"profile":{"test":true},"executable":"/w/t/timers-1"}"#,
        )
        .unwrap();
        assert_eq!(package_of(&test).as_deref(), Some("exercise-2"));
        let program = test_program(&test).unwrap();
        assert_eq!(program.suite, "timers");
        assert_eq!(program.path, PathBuf::from("/w/t/timers-1"));
        let library: Value = serde_json::from_str(
            r#"{"reason":"compiler-artifact","target":{"name":"chapter_2"},"profile":{"test":false},"executable":null}"#,
        )
        .unwrap();
        assert!(test_program(&library).is_none());
    }
}
