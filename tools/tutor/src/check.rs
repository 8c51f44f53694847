//! Running an exercise's tests, and saying what came of it.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::exercise::{self, Exercise};

/// What one run of an exercise's tests showed.
enum Outcome {
    Passes,
    /// The code does not compile: the compiler's first error.
    DoesNotCompile(String),
    /// A test failed: its name, and what it said.
    Fails {
        test: String,
        message: String,
    },
}

/// Runs the tests of `exercise` (the chapter's test files, against the
/// student's code).
fn run_tests(workspace: &Path, exercise: &Exercise) -> Result<Outcome, String> {
    let output = cargo()
        .args(["test", "--manifest-path", "exercises/Cargo.toml", "-p"])
        .arg(exercise.package())
        .args(["--no-fail-fast", "--color=never", "--", "--color=never"])
        // The panic's message is what helps here, not a backtrace.
        .env("RUST_BACKTRACE", "0")
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(Outcome::Passes);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if let Some(error) = first_compile_error(&stderr) {
        return Ok(Outcome::DoesNotCompile(error));
    }
    match first_failure(&stdout) {
        Some((test, message)) => Ok(Outcome::Fails { test, message }),
        None => Ok(Outcome::DoesNotCompile(last_lines(&stderr, 30))),
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
}

/// The compiler's first error, from its `error` line to the next blank
/// line; not Cargo's own "could not compile" at the end.
fn first_compile_error(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    // Cargo's own closing words about failures are not the compiler's.
    let cargo_says = [
        "could not compile",
        "aborting",
        "test failed",
        "target failed",
        "targets failed",
    ];
    let start = lines.iter().position(|line| {
        line.starts_with("error") && !cargo_says.iter().any(|words| line.contains(words))
    })?;
    let error: Vec<&str> = lines[start..]
        .iter()
        .copied()
        .take_while(|l| !l.trim().is_empty())
        .collect();
    Some(error.join("\n"))
}

/// The first failing test and what it said: its panic message if it
/// panicked, or else the first lines it printed. "First" in the order of
/// the test runner's summary, which is sorted, so that the same failures
/// always name the same test.
fn first_failure(stdout: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = stdout.lines().collect();
    let summary = lines
        .windows(2)
        .position(|pair| pair[0] == "failures:" && pair[1].starts_with("    "))?;
    let test = lines[summary + 1].trim().to_string();
    let header = format!("---- {test} stdout ----");
    let section: Vec<&str> = match stdout.split_once(&header) {
        Some((_, after)) => after
            .lines()
            .take_while(|line| !line.starts_with("----") && *line != "failures:")
            .collect(),
        None => Vec::new(),
    };
    let start = section
        .iter()
        .position(|line| line.contains("panicked at"))
        .unwrap_or(0);
    let message: Vec<&str> = section[start..]
        .iter()
        .copied()
        .skip_while(|line| line.trim().is_empty())
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| !line.contains("RUST_BACKTRACE"))
        .take(12)
        .collect();
    Some((test, message.join("\n")))
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// Paths in the test's messages start from `exercises/`, where the tests
/// ran; the tutor speaks from the top of the workspace.
fn from_the_top(message: &str) -> String {
    message.replace(" exercise-", " exercises/exercise-")
}

fn describe(exercise: &Exercise, outcome: &Outcome) {
    match outcome {
        Outcome::Passes => println!("exercise {}: passes", exercise.stage),
        Outcome::DoesNotCompile(error) => {
            println!("exercise {}: does not compile yet", exercise.stage);
            println!("\n{error}\n");
        }
        Outcome::Fails { test, message } => {
            println!(
                "exercise {}: not yet: the test `{test}` fails",
                exercise.stage
            );
            println!("\n{}\n", indent(&from_the_top(message)));
        }
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn hint(workspace: &Path, exercise: &Exercise) {
    let _ = exercise::print_hints(workspace, exercise);
    println!(
        "\nCheck again with `cargo run -p tutor -- check {}`.",
        exercise.stage
    );
}

/// `cargo run -p tutor`: checks every exercise, in order, and names the
/// first one that does not pass yet.
pub fn status(workspace: &Path) -> Result<bool, String> {
    let exercises = exercise::all(workspace)?;
    println!("Checking the exercises (the first run builds them, which takes a minute)...\n");
    let mut next = None;
    for exercise in &exercises {
        let outcome = run_tests(workspace, exercise)?;
        let verdict = match &outcome {
            Outcome::Passes => "passes",
            Outcome::DoesNotCompile(_) => "does not compile yet",
            Outcome::Fails { .. } => "not yet",
        };
        println!(
            "  exercise {}  {:<22} {}",
            exercise.stage, verdict, exercise.page
        );
        if next.is_none() && !matches!(outcome, Outcome::Passes) {
            next = Some((exercise, outcome));
        }
    }
    println!();
    let Some((exercise, outcome)) = next else {
        println!("Every exercise passes. Well done!");
        return Ok(true);
    };
    println!("Next: exercise {}.\n", exercise.stage);
    describe(exercise, &outcome);
    hint(workspace, exercise);
    Ok(false)
}

/// `cargo run -p tutor -- check N`.
pub fn check_one(workspace: &Path, exercise: &Exercise) -> Result<bool, String> {
    let outcome = run_tests(workspace, exercise)?;
    describe(exercise, &outcome);
    if matches!(outcome, Outcome::Passes) {
        if let Some(next) = exercise::all(workspace)?
            .iter()
            .find(|e| e.stage > exercise.stage)
        {
            println!("Next: exercise {} ({}).", next.stage, next.page);
        }
        return Ok(true);
    }
    hint(workspace, exercise);
    Ok(false)
}

/// `cargo run -p tutor -- prove`, for CI: for every exercise, that it is
/// what the source makes, that it compiles, that its tests fail as
/// shipped, and that the chapter (the solution) passes them. And for every
/// gap on its own, that the tests reach it and fail while it is open.
pub fn prove(workspace: &Path) -> Result<bool, String> {
    let exercises = exercise::all(workspace)?;
    let mut proven = true;
    let drifted: Vec<String> = stages::check(workspace)?
        .into_iter()
        .filter(|problem| problem.starts_with("exercises/"))
        .collect();
    if !drifted.is_empty() {
        println!("the exercises are not what source/ makes:");
        drifted.iter().for_each(|problem| println!("  {problem}"));
        println!("  (cargo run -p stages -- generate makes them again)");
        proven = false;
    }
    let built = cargo()
        .args([
            "build",
            "--manifest-path",
            "exercises/Cargo.toml",
            "--all-targets",
            "--locked",
        ])
        .current_dir(workspace)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        println!("the exercises do not compile as shipped");
        return Ok(false);
    }
    for exercise in &exercises {
        match run_tests(workspace, exercise)? {
            Outcome::Fails { test, .. } => {
                println!(
                    "exercise {}: compiles, and fails as shipped (`{test}`)",
                    exercise.stage
                );
            }
            Outcome::Passes => {
                println!(
                    "exercise {}: its tests pass as shipped: nothing is left to do",
                    exercise.stage
                );
                proven = false;
            }
            Outcome::DoesNotCompile(error) => {
                println!(
                    "exercise {}: its tests do not compile:\n{error}",
                    exercise.stage
                );
                proven = false;
            }
        }
        let solution = cargo()
            .args(["test", "-q", "-p"])
            .arg(format!("chapter-{}", exercise.stage))
            .current_dir(workspace)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if solution.status.success() {
            println!(
                "exercise {}: chapter-{} passes the same tests",
                exercise.stage, exercise.stage
            );
        } else {
            println!(
                "exercise {}: chapter-{} FAILS its own tests",
                exercise.stage, exercise.stage
            );
            proven = false;
        }
    }
    Ok(proven && prove_each_gap(workspace, &exercises)?)
}

/// Makes, for each gap, the exercise with only that gap open (the others
/// filled in as in the chapter), in a scratch workspace `.gap-proofs`, and
/// checks that its tests fail and that one of them reaches the gap's
/// `todo!()`: no gap goes untested.
fn prove_each_gap(workspace: &Path, exercises: &[Exercise]) -> Result<bool, String> {
    let scratch = workspace.join(".gap-proofs");
    let _ = fs::remove_dir_all(&scratch);
    for name in ["Cargo.toml", "Cargo.lock"] {
        fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
        fs::copy(workspace.join("exercises").join(name), scratch.join(name))
            .map_err(|e| format!("cannot copy exercises/{name}: {e}"))?;
    }
    let mut proven = true;
    for exercise in exercises {
        for gap in &exercise.gaps {
            let package = exercise.gap_package(gap);
            let files = stages::exercises::files(workspace, exercise, Some(gap))?;
            exercise::write_files(&scratch.join(&package), &files)?;
            let output = cargo()
                .args([
                    "test",
                    "--manifest-path",
                    ".gap-proofs/Cargo.toml",
                    "--no-fail-fast",
                    "-p",
                ])
                .arg(&package)
                .env("CARGO_TARGET_DIR", workspace.join("exercises/target"))
                .env("RUST_BACKTRACE", "0")
                .current_dir(workspace)
                .output()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            let printed =
                String::from_utf8_lossy(&output.stdout) + String::from_utf8_lossy(&output.stderr);
            let reached = printed.contains(&exercise.todo_message(gap));
            let verdict = match (output.status.success(), reached) {
                (false, true) => "is reached by the tests, which fail while it is open",
                (true, _) => "is NOT tested: the tests pass with it open",
                (false, false) => "is NOT reached: the tests fail, but never get to it",
            };
            println!(
                "exercise {}: the gap in {} {verdict}",
                exercise.stage, gap.function
            );
            proven &= !output.status.success() && reached;
        }
    }
    let _ = fs::remove_dir_all(&scratch);
    Ok(proven)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN: &str = "running 2 tests\n\
        test a_good_one ... ok\n\
        test tasks_wait_their_turn ... FAILED\n\
        \n\
        failures:\n\
        \n\
        ---- tasks_wait_their_turn stdout ----\n\
        [main] a line the test printed\n\
        \n\
        thread 'x' panicked at src/thread_pool.rs:9:9:\n\
        not yet implemented: exercise 2: do it\n\
        note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\
        \n\
        failures:\n\
        \x20   tasks_wait_their_turn\n\
        \n\
        test result: FAILED. 1 passed; 1 failed\n";

    #[test]
    fn the_first_failing_test_is_found_with_its_message() {
        let (test, message) = first_failure(RUN).unwrap();
        assert_eq!(test, "tasks_wait_their_turn");
        assert_eq!(
            message,
            "thread 'x' panicked at src/thread_pool.rs:9:9:\nnot yet implemented: exercise 2: do it"
        );
    }

    #[test]
    fn a_syntax_error_without_a_code_is_found_too() {
        let stderr = "error: expected expression, found `)`\n --> src/a.rs:3:9\n\nerror: could not compile `exercise-2`\n";
        assert_eq!(
            first_compile_error(stderr).unwrap(),
            "error: expected expression, found `)`\n --> src/a.rs:3:9"
        );
    }

    #[test]
    fn a_compile_error_is_found() {
        let stderr =
            "   Compiling exercise-2\nerror[E0308]: mismatched types\n --> src/a.rs:1:1\n\nmore\n";
        assert_eq!(
            first_compile_error(stderr).unwrap(),
            "error[E0308]: mismatched types\n --> src/a.rs:1:1"
        );
        assert_eq!(first_compile_error("   Compiling fine\n"), None);
        assert_eq!(
            first_compile_error("error: 2 targets failed:\n    `-p exercise-5 --test x`\n"),
            None
        );
    }
}
