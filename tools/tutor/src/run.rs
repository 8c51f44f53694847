//! Running an exercise's test programs, and reading their results.
//!
//! Each program runs its tests one at a time (`--test-threads=1`): a
//! `todo!()` ends every test that is running (see the `deadline` crate),
//! and with one running, that is the test that reached it. The programs
//! themselves run side by side, so a whole exercise takes about as long as
//! its slowest program.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::compile::TestProgram;

/// A test program that prints nothing for this long is stopped. It
/// prints a line as each test starts and ends, and every test that runs
/// an event loop has a time limit of its own, far below this; so this is
/// for a test that hangs outside of one.
const SILENCE_LIMIT: Duration = Duration::from_secs(60);

/// Set to stop every test program at once: the student has quit.
static STOP_EVERYTHING: AtomicBool = AtomicBool::new(false);

/// Stops every test program that is running, and any that would start.
pub fn stop_everything() {
    STOP_EVERYTHING.store(true, Ordering::SeqCst);
}

pub fn stopping_everything() -> bool {
    STOP_EVERYTHING.load(Ordering::SeqCst)
}

/// One test's result.
#[derive(Clone, Debug, PartialEq)]
pub struct TestResult {
    /// The test program it is in, such as `timers`.
    pub suite: String,
    /// Its name in that program, such as `timers_fire_in_order`.
    pub name: String,
    pub passed: bool,
    /// What it printed, for a test that failed: its panic's message among
    /// it.
    pub output: String,
}

/// Which of the versions a package holds of each function to run. The
/// packages that `tutor prove` builds hold a function's reference body
/// beside its mutants and wrong answers, and the environment variable
/// `TUTOR_VARIANT` picks one; 0, or none, is the reference.
pub const VARIANT: &str = "TUTOR_VARIANT";

/// Runs every program in `programs` from `folder` (the exercise's, as
/// `cargo test` would), and gives every test's result, program by
/// program. With `stop_at_first_failure`, programs still running when a
/// test fails are stopped, and their unfinished tests left out. `variant`
/// is for `tutor prove` (see [`VARIANT`]).
pub fn run(
    programs: &[TestProgram],
    folder: &Path,
    stop_at_first_failure: bool,
    variant: Option<usize>,
) -> Vec<TestResult> {
    let failed = AtomicBool::new(false);
    thread::scope(|scope| {
        let runs: Vec<_> = programs
            .iter()
            .map(|program| {
                let failed = &failed;
                scope.spawn(move || {
                    run_program(program, folder, variant, failed, stop_at_first_failure)
                })
            })
            .collect();
        runs.into_iter()
            .flat_map(|run| run.join().unwrap_or_default())
            .collect()
    })
}

/// Runs one test program and reads its results. `failed` is set when one
/// of its tests fails; if `stop_when_failed`, the program is stopped once
/// it is set, by this program or another.
fn run_program(
    program: &TestProgram,
    folder: &Path,
    variant: Option<usize>,
    failed: &AtomicBool,
    stop_when_failed: bool,
) -> Vec<TestResult> {
    let result = |name: &str, output: String| TestResult {
        suite: program.suite.clone(),
        name: name.to_string(),
        passed: false,
        output,
    };
    let tests = list_tests(program, folder);
    let mut command = test_command(program, folder);
    if let Some(variant) = variant {
        command.env(VARIANT, variant.to_string());
    }
    let child = command
        .args(["--test-threads=1", "--color=never"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            failed.store(true, Ordering::SeqCst);
            let why = format!("cannot run {}: {e}", program.path.display());
            return vec![result("(the test program)", why)];
        }
    };
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let last_word = Mutex::new(Instant::now());
    let (printed, errors, ending) = thread::scope(|scope| {
        let reader = scope.spawn(|| read_and_watch(stdout, failed, &last_word));
        let errors = scope.spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let ending = wait(&mut child, failed, stop_when_failed, &last_word);
        (
            reader.join().unwrap_or_default(),
            errors.join().unwrap_or_default(),
            ending,
        )
    });
    let mut results = parse(&program.suite, &printed);
    if matches!(ending, Ending::Stopped) {
        // Another test failed first; what did not finish is no one's fault.
        return results;
    }
    let unfinished = unfinished_test(&printed);
    let said_why = results.iter().any(|r| !r.passed) || unfinished.is_some();
    if matches!(ending, Ending::Exited { success: false }) && !said_why {
        // It failed, and no test says why: never call that a pass.
        let why = format!("it failed, and no test said why:\n{}", errors.trim_end());
        results.push(result("(the test program)", why));
    }
    if let Some(unfinished) = unfinished {
        let why = match ending {
            Ending::TooLong => format!(
                "did not finish: it went on for {} s without a word, and the tutor stopped it",
                SILENCE_LIMIT.as_secs()
            ),
            _ => format!("its program crashed while it ran:\n{}", errors.trim_end()),
        };
        results.push(result(&unfinished, why));
    }
    // The runner prints why a test failed only at its end: a program
    // stopped before then leaves failed tests without a word.
    for test in results
        .iter_mut()
        .filter(|t| !t.passed && t.output.is_empty())
    {
        test.output = "it failed, but its program was stopped before it said why".to_string();
    }
    // And tests it never got to are not passes either.
    for name in tests {
        let ignored = printed.contains(&format!("test {name} ... ignored"));
        if !ignored && !results.iter().any(|r| r.name == name) {
            let why = "did not run: its program was stopped before it got to it";
            results.push(result(&name, why.to_string()));
        }
    }
    results
}

/// A test program, run as `cargo test` runs it.
fn test_command(program: &TestProgram, folder: &Path) -> Command {
    let mut command = Command::new(&program.path);
    command
        // A panic's message is what helps a student, not a backtrace.
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_MANIFEST_DIR", folder)
        .current_dir(folder)
        .stdin(Stdio::null());
    command
}

/// Runs one test again on its own, with a backtrace, and gives what it
/// printed (`None` if it could not be run). For a panic whose message does
/// not say where in the student's code it came from.
pub fn with_backtrace(
    program: &TestProgram,
    folder: &Path,
    variant: Option<usize>,
    test: &str,
) -> Option<String> {
    let mut command = test_command(program, folder);
    if let Some(variant) = variant {
        command.env(VARIANT, variant.to_string());
    }
    let mut child = command
        .env("RUST_BACKTRACE", "1")
        .args(["--exact", test, "--test-threads=1", "--color=never"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let reader = thread::spawn(move || {
        let mut printed = String::new();
        let _ = stdout.read_to_string(&mut printed);
        printed
    });
    let started = Instant::now();
    while child.try_wait().ok()?.is_none() {
        if started.elapsed() > SILENCE_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(5));
    }
    reader.join().ok()
}

/// The names of a program's tests, as it lists them (`NAME: test`).
fn list_tests(program: &TestProgram, folder: &Path) -> Vec<String> {
    let Ok(output) = test_command(program, folder)
        .args(["--list", "--format", "terse"])
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

/// How a test program ended.
enum Ending {
    Exited {
        success: bool,
    },
    /// Stopped because a test failed, here or in another program, or
    /// because the student quit.
    Stopped,
    /// Stopped because it went quiet for longer than `SILENCE_LIMIT`.
    TooLong,
}

fn wait(
    child: &mut Child,
    failed: &AtomicBool,
    stop_when_failed: bool,
    last_word: &Mutex<Instant>,
) -> Ending {
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Ending::Exited {
                success: status.success(),
            };
        }
        let quiet_for = last_word.lock().map_or(Duration::ZERO, |at| at.elapsed());
        let ending = if quiet_for > SILENCE_LIMIT {
            Ending::TooLong
        } else if (stop_when_failed && failed.load(Ordering::SeqCst)) || stopping_everything() {
            Ending::Stopped
        } else {
            thread::sleep(Duration::from_millis(5));
            continue;
        };
        let _ = child.kill();
        let _ = child.wait();
        return ending;
    }
}

/// Reads what a test program prints, notes when it last printed, and sets
/// `failed` as soon as a test fails. The runner prints `test NAME ... `
/// as a test starts, and the rest of that line when it ends, so this
/// reads what comes as it comes, not line by line.
fn read_and_watch(
    mut stdout: impl Read,
    failed: &AtomicBool,
    last_word: &Mutex<Instant>,
) -> String {
    let mut printed: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(read) = stdout.read(&mut chunk) {
        if read == 0 {
            break;
        }
        if let Ok(mut at) = last_word.lock() {
            *at = Instant::now();
        }
        let line_start = printed
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        printed.extend_from_slice(&chunk[..read]);
        let new_lines = String::from_utf8_lossy(&printed[line_start..]);
        if new_lines
            .lines()
            .any(|line| line.starts_with("test ") && line.trim_end().ends_with(" ... FAILED"))
        {
            failed.store(true, Ordering::SeqCst);
        }
    }
    String::from_utf8_lossy(&printed).into_owned()
}

/// The results in what the test runner printed: a line `test NAME ...
/// ok` (or `FAILED`, or `ignored`) for each test, and for each that
/// failed, what it printed, under `---- NAME stdout ----`.
fn parse(suite: &str, printed: &str) -> Vec<TestResult> {
    let mut results = Vec::new();
    for line in printed.lines() {
        let Some((name, verdict)) = line
            .strip_prefix("test ")
            .and_then(|rest| rest.split_once(" ... "))
        else {
            continue;
        };
        let passed = match verdict.trim() {
            "ok" => true,
            "FAILED" => false,
            _ => continue, // ignored: neither passed nor failed
        };
        let name = name.trim_end_matches(" - should panic").to_string();
        let output = if passed {
            String::new()
        } else {
            failure_output(printed, &name)
        };
        results.push(TestResult {
            suite: suite.to_string(),
            name,
            passed,
            output,
        });
    }
    results
}

/// What a failed test printed: the lines under its `---- NAME stdout ----`
/// heading, up to the next heading or the closing list of failures.
fn failure_output(printed: &str, name: &str) -> String {
    let heading = format!("---- {name} stdout ----\n");
    let Some((_, after)) = printed.split_once(&heading) else {
        return String::new();
    };
    let lines: Vec<&str> = after
        .lines()
        .take_while(|line| !line.starts_with("---- ") && *line != "failures:")
        .filter(|line| !line.contains("RUST_BACKTRACE"))
        .collect();
    lines.join("\n").trim().to_string()
}

/// The test that was running when the program ended, if one was: its line
/// `test NAME ... ` has no result yet.
fn unfinished_test(printed: &str) -> Option<String> {
    let last = printed
        .lines()
        .rev()
        .find(|line| line.starts_with("test "))?;
    let name = last
        .trim_end()
        .strip_prefix("test ")?
        .strip_suffix(" ...")?;
    let name = name.trim_end_matches(" - should panic");
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRINTED: &str = "\nrunning 3 tests\n\
        test a_good_one ... ok\n\
        test tasks_wait_their_turn ... FAILED\n\
        test refused - should panic ... ok\n\
        test later ... ignored\n\
        \n\
        failures:\n\
        \n\
        ---- tasks_wait_their_turn stdout ----\n\
        \n\
        thread 'x' panicked at exercise-2/src/thread_pool.rs:9:9:\n\
        not yet implemented: exercise 2: do it\n\
        note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\
        \n\
        \n\
        failures:\n\
        \x20   tasks_wait_their_turn\n\
        \n\
        test result: FAILED. 2 passed; 1 failed; 1 ignored\n";

    #[test]
    fn every_result_is_read_with_what_a_failed_test_printed() {
        let results = parse("pool", PRINTED);
        let summary: Vec<(&str, bool)> = results
            .iter()
            .map(|r| (r.name.as_str(), r.passed))
            .collect();
        assert_eq!(
            summary,
            [
                ("a_good_one", true),
                ("tasks_wait_their_turn", false),
                ("refused", true)
            ]
        );
        assert_eq!(
            results[1].output,
            "thread 'x' panicked at exercise-2/src/thread_pool.rs:9:9:\n\
             not yet implemented: exercise 2: do it"
        );
        assert!(results.iter().all(|r| r.suite == "pool"));
    }

    #[test]
    fn a_test_left_running_is_found() {
        assert_eq!(unfinished_test(PRINTED), None);
        let cut = "running 2 tests\ntest a ... ok\ntest hangs ... ";
        assert_eq!(unfinished_test(cut).as_deref(), Some("hangs"));
    }
}
