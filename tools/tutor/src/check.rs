//! Checking exercises: build their tests, run them, and say what came of
//! it, to a student or to a machine.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::thread;
use std::time::Instant;

use crate::compile::{self, Built};
use crate::exercise::{self, Exercise};
use crate::formats::{self, Format};
use crate::places::Places;
use crate::report::{self, Report, Status, indent};
use crate::run::{self, TestResult};
use crate::terminal;

/// How thoroughly to run an exercise's tests.
#[derive(Clone, Copy, PartialEq)]
pub enum Thoroughness {
    /// Every test, for the counts and the first failing test.
    Every,
    /// Until one test fails: enough to tell "passes" from "not yet".
    UntilOneFails,
}

/// Builds and runs the tests of `exercises`, and reports on each.
pub fn check(
    places: &Places,
    exercises: &[&Exercise],
    thoroughness: Thoroughness,
) -> Result<Vec<Report>, String> {
    let packages: Vec<(&Exercise, String)> = exercises.iter().map(|e| (*e, e.package())).collect();
    check_packages(places, &packages, thoroughness)
}

/// Checks packages made from exercises, each under a name of its own.
pub fn check_packages(
    places: &Places,
    packages: &[(&Exercise, String)],
    thoroughness: Thoroughness,
) -> Result<Vec<Report>, String> {
    let started = Instant::now();
    let names: Vec<String> = packages
        .iter()
        .map(|(_, package)| package.clone())
        .collect();
    let mut built: BTreeMap<String, Built> = compile::build(places, &names)?;
    let build_seconds = started.elapsed().as_secs_f64() / packages.len().max(1) as f64;
    let stop_at_first_failure = thoroughness == Thoroughness::UntilOneFails;
    // The exercises run side by side, as each one's programs do: their
    // tests mostly wait (for timers, for a slow server), so a machine with
    // two cores runs them all in about the time of the slowest.
    let runs: Vec<(Built, Vec<TestResult>, f64)> = thread::scope(|scope| {
        let runs: Vec<_> = names
            .iter()
            .map(|package| {
                let built = built
                    .remove(package)
                    .unwrap_or_else(|| Built::Errors(vec!["Cargo built nothing".to_string()]));
                let folder = places.package(package);
                scope.spawn(move || {
                    let started = Instant::now();
                    let tests = match &built {
                        Built::Programs(programs) => {
                            run::run(programs, &folder, stop_at_first_failure)
                        }
                        Built::Errors(_) => Vec::new(),
                    };
                    (built, tests, started.elapsed().as_secs_f64())
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("a run of tests does not panic"))
            .collect()
    });
    let reports = packages
        .iter()
        .zip(runs)
        .map(|((exercise, package), (built, tests, seconds))| {
            report::report(
                places,
                exercise,
                package,
                built,
                tests,
                build_seconds + seconds,
            )
        })
        .collect();
    Ok(reports)
}

/// `check N`: checks one exercise and tells the student what came of it,
/// or prints its results in another format. True if it passes.
pub fn check_one(places: &Places, exercise: &Exercise, format: Format) -> Result<bool, String> {
    if format == Format::Text && std::io::stderr().is_terminal() {
        eprintln!("Checking exercise {}...", exercise.stage);
    }
    let [report] = &check(places, &[exercise], Thoroughness::Every)?[..] else {
        unreachable!("one exercise checked, one report");
    };
    match format {
        Format::Text => {
            describe(report);
            println!();
            after(places, exercise, report)?;
        }
        Format::Json => println!("{:#}", formats::json_of(report)),
        Format::Junit => print!("{}", formats::junit_of(std::slice::from_ref(report))),
    }
    Ok(report.status == Status::Passes)
}

/// `check` without a number: every exercise in full, told to a student
/// as the status is, or in a format for machines.
pub fn check_all(places: &Places, format: Format) -> Result<bool, String> {
    let machine_format = match format {
        Format::Text => return overview(places, Thoroughness::Every),
        other => other,
    };
    let exercises = exercise::all_in(places)?;
    let all: Vec<&Exercise> = exercises.iter().collect();
    let reports = check(places, &all, Thoroughness::Every)?;
    if machine_format == Format::Json {
        println!("{:#}", formats::json_of_all(&reports));
    } else {
        print!("{}", formats::junit_of(&reports));
    }
    Ok(reports.iter().all(|r| r.status == Status::Passes))
}

/// `cargo run -p tutor`: which exercises pass, and what to do next.
pub fn status(places: &Places) -> Result<bool, String> {
    overview(places, Thoroughness::UntilOneFails)
}

/// Every exercise's verdict, how many are done, and the next one's report.
fn overview(places: &Places, thoroughness: Thoroughness) -> Result<bool, String> {
    let exercises = exercise::all_in(places)?;
    println!(
        "Checking the exercises (what changed is built first: the first time, that takes minutes)...\n"
    );
    let all: Vec<&Exercise> = exercises.iter().collect();
    let reports = check(places, &all, thoroughness)?;
    for (exercise, report) in exercises.iter().zip(&reports) {
        println!(
            "  exercise {}  {:<22} {}",
            exercise.stage,
            verdict(report.status),
            exercise.page
        );
    }
    let done = reports
        .iter()
        .filter(|r| r.status == Status::Passes)
        .count();
    println!("\n{done}/{} done.\n", reports.len());
    let next = exercises
        .iter()
        .zip(&reports)
        .find(|(_, report)| report.status != Status::Passes);
    let Some((exercise, report)) = next else {
        println!("Every exercise passes. Well done!");
        return Ok(true);
    };
    println!("Next: exercise {}, {}.\n", exercise.stage, exercise.page);
    // A run that stopped at the first failure it saw may name another one
    // each time; checked in full, it says the same every time.
    let full;
    let report = match thoroughness {
        Thoroughness::Every => report,
        Thoroughness::UntilOneFails => {
            full = check(places, &[exercise], Thoroughness::Every)?;
            &full[0]
        }
    };
    describe(report);
    println!();
    after(places, exercise, report)?;
    Ok(false)
}

pub fn verdict(status: Status) -> &'static str {
    match status {
        Status::Passes => "passes",
        Status::Fails => "not yet",
        Status::DoesNotCompile => "does not compile yet",
    }
}

/// The report, for a student.
pub fn describe(report: &Report) {
    let counts = match report.status {
        Status::DoesNotCompile => String::new(),
        _ => format!(
            " ({} of {} tests pass)",
            report.passed(),
            report.tests.len()
        ),
    };
    println!(
        "exercise {}: {}{counts}\n",
        report.exercise,
        verdict(report.status)
    );
    // Prose is fitted to the terminal; the compiler's and the tests' own
    // words, after the first paragraph, are laid out already.
    let width = terminal::width().clamp(40, 100) - 4;
    let message = match (report.reached.is_some(), report.message.split_once("\n\n")) {
        (true, _) => wrap(&report.message, width),
        (false, Some((prose, laid_out))) => format!("{}\n\n{laid_out}", wrap(prose, width)),
        (false, None) => wrap(&report.message, width),
    };
    println!("{}", indent(&message));
}

/// `text` with its long lines broken at spaces to fit in `width` columns
/// (a word longer than that, such as a path, is left whole).
pub fn wrap(text: &str, width: usize) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        // The lines an item of a list (`- ...`) goes on to are indented
        // under its text.
        let hang = if line.starts_with("- ") { "  " } else { "" };
        let mut current = String::new();
        for word in line.split(' ') {
            let fits = current.chars().count() + 1 + word.chars().count() <= width;
            if current.trim().is_empty() || fits {
                if !current.is_empty() && !current.ends_with(' ') {
                    current.push(' ');
                }
                current.push_str(word);
            } else {
                lines.push(std::mem::replace(&mut current, hang.to_string()));
                current.push_str(word);
            }
        }
        lines.push(current);
    }
    lines.join("\n")
}

/// What to run next, after a check.
fn after(places: &Places, exercise: &Exercise, report: &Report) -> Result<(), String> {
    let stage = exercise.stage;
    if report.status != Status::Passes {
        println!(
            "What each gap needs: `{}`.",
            tutor_command(places, &format!("hints {stage}"))
        );
        println!(
            "Check again with `{}`, or run `{}`: it checks each time you save.",
            tutor_command(places, &format!("check {stage}")),
            tutor_command(places, "watch")
        );
        return Ok(());
    }
    println!(
        "Compare yours with the reference: `{}`.",
        tutor_command(places, &format!("solution {stage}"))
    );
    let exercises = exercise::all_in(places)?;
    match exercises.iter().find(|e| e.stage > stage) {
        Some(next) => println!(
            "Next: exercise {}, {}. What to write: `{}`; or run `{}`, which checks it each time you save.",
            next.stage,
            next.page,
            tutor_command(places, &format!("hints {}", next.stage)),
            tutor_command(places, "watch")
        ),
        None => println!(
            "That was the last exercise. `{}` shows them all.",
            tutor_command(places, "")
        ),
    }
    Ok(())
}

/// The command that runs the tutor with `arguments`, as typed where the
/// student is. The exercises are a workspace of their own, so from inside
/// them Cargo must be told where the tutor's workspace is.
pub fn tutor_command(places: &Places, arguments: &str) -> String {
    let mut command = if places.here.starts_with(&places.exercises) {
        let manifest = places.show(&places.workspace.join("Cargo.toml"));
        format!("cargo run --manifest-path {manifest} -p tutor")
    } else {
        "cargo run -p tutor".to_string()
    };
    if !arguments.is_empty() {
        command.push_str(" -- ");
        command.push_str(arguments);
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_wrapped_at_spaces_and_list_items_hang() {
        assert_eq!(wrap("one two three", 7), "one two\nthree");
        assert_eq!(wrap("- one two three", 9), "- one two\n  three");
        assert_eq!(wrap("a_very_long_word x", 5), "a_very_long_word\nx");
        assert_eq!(wrap("kept\n\nas is", 20), "kept\n\nas is");
    }
}
