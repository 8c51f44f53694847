//! What checking an exercise found, and the one message that tells the
//! student about it.
//!
//! The message names the most useful thing first:
//! - code that does not compile: the compiler's first error;
//! - a `todo!()` that a test reached: which one, what belongs there, and
//!   where the book explains it (even if the test also panicked on
//!   purpose: the todo is what the student has to do next);
//! - otherwise the first failing test, and what it expected.

use std::path::Path;

use crate::assignment::Assignment;
use crate::compile::{Built, TestProgram};
use crate::exercise::Gap;
use crate::panics;
use crate::places::Places;
use crate::run::{self, TestResult};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Status {
    Passes,
    Fails,
    DoesNotCompile,
}

impl Status {
    /// The word for it in the tutor's machine-readable results.
    pub fn word(self) -> &'static str {
        match self {
            Status::Passes => "passes",
            Status::Fails => "fails",
            Status::DoesNotCompile => "does not compile",
        }
    }
}

pub struct Report {
    pub exercise: usize,
    /// The challenge it is about, such as `8a`; `None` for the exercise.
    pub challenge: Option<String>,
    pub package: String,
    pub status: Status,
    pub tests: Vec<TestResult>,
    /// The compiler's errors, when it does not compile.
    pub errors: Vec<String>,
    /// The `todo!()` a test reached, if one did.
    pub reached: Option<Reached>,
    /// The test the message is about, if it is about one.
    pub test: Option<String>,
    pub message: String,
    pub seconds: f64,
}

/// A `todo!()` that a test reached.
pub struct Reached {
    /// The function it stands in: the gap's, or `None` for a `todo!()` of
    /// the student's own.
    pub function: Option<String>,
    /// Where it is, as `FILE:LINE:COLUMN` from where the student is.
    pub place: Option<String>,
    /// The book sections that explain the gap.
    pub sections: Vec<String>,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.tests.iter().filter(|t| t.passed).count()
    }

    pub fn failed(&self) -> usize {
        self.tests.iter().filter(|t| !t.passed).count()
    }
}

/// Makes the report of one check of `assignment`, whose tests ran in the
/// package `package` (with `variant`, for `tutor prove`: see
/// [`run::VARIANT`]).
pub fn report(
    places: &Places,
    assignment: &Assignment,
    package: &str,
    variant: Option<usize>,
    built: Built,
    tests: Vec<TestResult>,
    seconds: f64,
) -> Report {
    let exercise = assignment.exercise;
    // What the tests printed names files from the exercises' workspace,
    // where they ran; the student reads them from where they are.
    let tests = tests
        .into_iter()
        .map(|test| TestResult {
            output: places.paths_from_here(&test.output),
            ..test
        })
        .collect();
    let mut report = Report {
        exercise: exercise.stage,
        challenge: assignment.challenge.map(|c| c.id.clone()),
        package: package.to_string(),
        status: Status::Fails,
        tests,
        errors: Vec::new(),
        reached: None,
        test: None,
        message: String::new(),
        seconds,
    };
    let programs = match built {
        Built::Errors(errors) => {
            report.status = Status::DoesNotCompile;
            report.message = compile_message(places, package, &errors);
            report.errors = errors;
            return report;
        }
        Built::Programs(programs) => programs,
    };
    let failures: Vec<&TestResult> = report.tests.iter().filter(|t| !t.passed).collect();
    let todo = failures
        .iter()
        .find_map(|test| Some((*test, todo_reached(&test.output)?)));
    if let Some((test, (said, place))) = todo {
        let gap = exercise
            .all_gaps()
            .find(|gap| said.starts_with(&exercise.todo_message(gap)));
        let name = full_name(test);
        report.message = todo_message(places, assignment, gap, &name, place.as_deref(), &said);
        report.reached = Some(Reached {
            function: gap.map(|gap| gap.function.clone()),
            place,
            sections: gap.map(|gap| gap.sections.clone()).unwrap_or_default(),
        });
        report.test = Some(name);
    } else if let Some(test) = failures.first() {
        let name = full_name(test);
        let said = what_it_said(&test.output);
        report.message = format!("The test `{name}` fails. It says:\n\n{}", indent(&said));
        let folder = places.package(package);
        let backtrace = || backtrace_of(&programs, &folder, variant, test);
        let explained = panics::explain(places, exercise, &folder, &said, backtrace);
        if let Some(explanation) = explained {
            report.message.push_str("\n\n");
            report.message.push_str(&explanation);
        }
        report.test = Some(name);
    } else if report.tests.is_empty() {
        report.message = "No test ran, so nothing shows that it works.".to_string();
    } else {
        report.status = Status::Passes;
        report.message = format!("All {} of its tests pass.", report.tests.len());
    }
    report
}

/// The failed test run again on its own, with a backtrace, which says
/// where in the student's code the panic came from. Its paths are from
/// `folder`, where the test ran.
fn backtrace_of(
    programs: &[TestProgram],
    folder: &Path,
    variant: Option<usize>,
    test: &TestResult,
) -> Option<String> {
    let program = programs.iter().find(|p| p.suite == test.suite)?;
    run::with_backtrace(program, folder, variant, &test.name)
}

/// `suite::name`, as `cargo test` would name it to run it alone.
fn full_name(test: &TestResult) -> String {
    format!("{}::{}", test.suite, test.name)
}

fn compile_message(places: &Places, package: &str, errors: &[String]) -> String {
    let mut message = format!("The compiler says:\n\n{}", errors[0]);
    let more = match errors.len() {
        1 => None,
        2 => Some("1 more error".to_string()),
        n => Some(format!("{} more errors", n - 1)),
    };
    if let Some(more) = more {
        let manifest = places.show(&places.exercises.join("Cargo.toml"));
        message.push_str(&format!(
            "\n\n({more}: `cargo build --tests --manifest-path {manifest} -p {package}` shows them all.)"
        ));
    }
    message
}

fn todo_message(
    places: &Places,
    assignment: &Assignment,
    gap: Option<&Gap>,
    test: &str,
    place: Option<&str>,
    said: &str,
) -> String {
    let exercise = assignment.exercise;
    let place = place.map_or(String::new(), |place| format!(" ({place})"));
    let Some(gap) = gap else {
        return format!("The test `{test}` reached a todo!(){place}:\n{said}");
    };
    // A challenge builds on its exercise: the exercise's own gaps come first.
    let first = match (assignment.challenge, &gap.challenge) {
        (Some(challenge), None) => format!(
            "Challenge {} builds on exercise {}, which is not done yet. ",
            challenge.id, exercise.stage
        ),
        _ => String::new(),
    };
    format!(
        "{first}The test `{test}` reached the todo!() in `{}`{place}.\n\
         What belongs there: {}\n\
         The book explains it in {}.",
        gap.function,
        gap.hint,
        exercise.explained_in(gap, |file| places.show(&places.workspace.join(file))),
    )
}

/// The message of the first `todo!()` in what a test printed, and where
/// that `todo!()` is: the panic's `panicked at FILE:LINE:COLUMN:` line
/// just above it.
fn todo_reached(output: &str) -> Option<(String, Option<String>)> {
    let lines: Vec<&str> = output.lines().collect();
    let at = lines
        .iter()
        .position(|line| line.starts_with("not yet implemented"))?;
    let said = lines[at]
        .trim_start_matches("not yet implemented")
        .trim_start_matches(": ")
        .to_string();
    let place = at
        .checked_sub(1)
        .and_then(|above| lines[above].split_once(" panicked at "))
        .map(|(_, place)| place.trim_end_matches(':').to_string());
    Some((said, place))
}

/// What a failed test said: its panic, from `panicked at` on (an
/// assertion's expected and found values among it), or else all it
/// printed; at most 15 lines.
///
/// A test may print other panics before its own: a pool task that panics
/// on purpose, to show that the pool lives on. Those are on the runtime's
/// threads (`pool0`, `epoll`); the test's own panic is on its thread, or
/// on the thread its time limit runs it on. So the last panic on any other
/// thread is the one that says why it failed.
fn what_it_said(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let panics: Vec<usize> = (0..lines.len())
        .filter(|&at| lines[at].contains(" panicked at "))
        .collect();
    let on_the_runtimes_threads = |line: &str| {
        let thread = line.split('\'').nth(1).unwrap_or("");
        thread == "epoll"
            || thread
                .strip_prefix("pool")
                .is_some_and(|n| n.parse::<usize>().is_ok())
    };
    let start = panics
        .iter()
        .rev()
        .find(|&&at| !on_the_runtimes_threads(lines[at]))
        .or(panics.first())
        .copied()
        .unwrap_or(0);
    let said: Vec<&str> = std::iter::once(lines.get(start).copied().unwrap_or(""))
        .chain(lines.iter().skip(start + 1).copied().take_while(|line| {
            // Up to a blank line, a backtrace, or the next panic.
            !line.trim().is_empty()
                && !line.starts_with("stack backtrace:")
                && !line.contains(" panicked at ")
        }))
        .take(15)
        .collect();
    said.join("\n")
}

pub fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_todo_and_where_it_is_are_found_among_other_panics() {
        let output = "thread 'main' panicked at ../chapters/chapter-9/tests/panics.rs:20:5:\n\
            out of paper\n\
            \n\
            thread '<unnamed>' (12) panicked at exercise-9/src/thread_pool.rs:24:5:\n\
            not yet implemented: exercise 9: Read the pool size.\n\
            \n\
            thread 't' panicked at ../tools/deadline/src/lib.rs:40:5:\n\
            not yet implemented: exercise 9: Read the pool size.\n\
            (the todo!() at exercise-9/src/thread_pool.rs:24:5, reached on the thread '<unnamed>')";
        let (said, place) = todo_reached(output).unwrap();
        assert_eq!(said, "exercise 9: Read the pool size.");
        assert_eq!(place.as_deref(), Some("exercise-9/src/thread_pool.rs:24:5"));
        assert_eq!(todo_reached("thread 'a' panicked at x.rs:1:1:\nboom"), None);
    }

    #[test]
    fn a_pool_threads_panic_on_purpose_is_not_the_tests_own() {
        let output = "thread 'pool0' (7) panicked at ../chapters/chapter-9/tests/panics.rs:27:25:\n\
            task 1 broke\n\
            thread '<unnamed>' (8) panicked at ../chapters/chapter-9/tests/panics.rs:40:9:\n\
            the callback should get an error\n\
            thread 'pool1' (9) panicked at src/thread_pool.rs:1:1:\n\
            a late one";
        assert_eq!(
            what_it_said(output),
            "thread '<unnamed>' (8) panicked at ../chapters/chapter-9/tests/panics.rs:40:9:\n\
             the callback should get an error"
        );
        let only_pools = "thread 'pool2' (7) panicked at x.rs:1:1:\nbroke";
        assert_eq!(what_it_said(only_pools), only_pools);
    }

    #[test]
    fn a_failed_assertion_is_told_from_its_panic_on() {
        let output = "[main] a line the test printed\n\
            \n\
            thread 't' panicked at ../chapters/chapter-2/tests/t.rs:9:5:\n\
            assertion `left == right` failed\n\
            \x20 left: 1\n\
            \x20right: 2\n\
            \n\
            later lines";
        assert_eq!(
            what_it_said(output),
            "thread 't' panicked at ../chapters/chapter-2/tests/t.rs:9:5:\n\
             assertion `left == right` failed\n\
             \x20 left: 1\n\
             \x20right: 2"
        );
    }
}
