//! Running an exercise's test programs, and reading their results.
//!
//! Each program runs its tests one at a time (`--test-threads=1`): a
//! `todo!()` ends every test that is running (see the `deadline` crate),
//! and with one running, that is the test that reached it. The programs
//! themselves run side by side, so a whole exercise takes about as long as
//! its slowest program.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::compile::TestProgram;

/// A test program that runs longer than this is stopped. Every test that
/// runs an event loop has a limit of its own, far below it; this one is
/// for a test that hangs outside of one.
const PROGRAM_LIMIT: Duration = Duration::from_secs(60);

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

/// Runs every program in `programs` from `folder` (the exercise's, as
/// `cargo test` would), and gives every test's result, program by
/// program. With `stop_at_first_failure`, programs still running when a
/// test fails are stopped, and their unfinished tests left out.
pub fn run(
    programs: &[TestProgram],
    folder: &Path,
    stop_at_first_failure: bool,
) -> Vec<TestResult> {
    let failed = AtomicBool::new(false);
    thread::scope(|scope| {
        let runs: Vec<_> = programs
            .iter()
            .map(|program| {
                scope.spawn(|| run_program(program, folder, &failed, stop_at_first_failure))
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
    failed: &AtomicBool,
    stop_when_failed: bool,
) -> Vec<TestResult> {
    let child = Command::new(&program.path)
        .args(["--test-threads=1", "--color=never"])
        // A panic's message is what helps a student, not a backtrace.
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_MANIFEST_DIR", folder)
        .current_dir(folder)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            failed.store(true, Ordering::SeqCst);
            return vec![TestResult {
                suite: program.suite.clone(),
                name: "(the test program)".to_string(),
                passed: false,
                output: format!("cannot run {}: {e}", program.path.display()),
            }];
        }
    };
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let (printed, errors, ending) = thread::scope(|scope| {
        let reader = scope.spawn(|| read_and_watch(stdout, failed));
        let errors = scope.spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let ending = wait(&mut child, failed, stop_when_failed);
        (
            reader.join().unwrap_or_default(),
            errors.join().unwrap_or_default(),
            ending,
        )
    });
    let mut results = parse(&program.suite, &printed);
    let unfinished = unfinished_test(&printed);
    let said_why = results.iter().any(|r| !r.passed) || unfinished.is_some();
    if matches!(ending, Ending::Exited { success: false }) && !said_why {
        // It failed, and no test says why: never call that a pass.
        results.push(TestResult {
            suite: program.suite.clone(),
            name: "(the test program)".to_string(),
            passed: false,
            output: format!("it failed, and no test said why:\n{}", errors.trim_end()),
        });
    }
    if let Some(unfinished) = unfinished {
        match ending {
            Ending::Stopped => {} // another program failed first: not this test's fault
            Ending::TooLong => results.push(TestResult {
                suite: program.suite.clone(),
                name: unfinished,
                passed: false,
                output: format!(
                    "did not finish: the tutor stopped its program after {} s",
                    PROGRAM_LIMIT.as_secs()
                ),
            }),
            Ending::Exited { .. } => results.push(TestResult {
                suite: program.suite.clone(),
                name: unfinished,
                passed: false,
                output: format!("its program crashed while it ran:\n{}", errors.trim_end()),
            }),
        }
    }
    results
}

/// How a test program ended.
enum Ending {
    Exited {
        success: bool,
    },
    /// Stopped because a test failed, here or in another program.
    Stopped,
    /// Stopped because it ran longer than `PROGRAM_LIMIT`.
    TooLong,
}

fn wait(child: &mut Child, failed: &AtomicBool, stop_when_failed: bool) -> Ending {
    let started = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Ending::Exited {
                success: status.success(),
            };
        }
        let ending = if started.elapsed() > PROGRAM_LIMIT {
            Ending::TooLong
        } else if stop_when_failed && failed.load(Ordering::SeqCst) {
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

/// Reads what a test program prints, and sets `failed` as soon as a test
/// fails.
fn read_and_watch(stdout: impl Read, failed: &AtomicBool) -> String {
    let mut printed = String::new();
    let mut lines = BufReader::new(stdout);
    let mut line = String::new();
    while matches!(lines.read_line(&mut line), Ok(read) if read > 0) {
        if line.starts_with("test ") && line.trim_end().ends_with(" ... FAILED") {
            failed.store(true, Ordering::SeqCst);
        }
        printed.push_str(&line);
        line.clear();
    }
    printed
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
