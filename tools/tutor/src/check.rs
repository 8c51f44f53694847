//! Checking exercises: build their tests, run them, and say what came of
//! it, to a student or to a machine.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::thread;
use std::time::Instant;

use crate::assignment::{self, Assignment};
use crate::compile::{self, Built};
use crate::demo;
use crate::exercise;
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

/// What one run of tests gave: what was built, each test's result, and
/// how long it took, in seconds.
type Ran = (Built, Vec<TestResult>, f64);

/// One check to make: an assignment, in a package of the exercises'
/// workspace (the exercise's own, or one `tutor prove` made), with one of
/// the package's variants (see [`run::VARIANT`]).
pub struct Run<'a> {
    pub assignment: Assignment<'a>,
    pub package: String,
    pub variant: Option<usize>,
}

impl<'a> Run<'a> {
    /// The assignment in the exercise's own package: what a student checks.
    pub fn of(assignment: Assignment<'a>) -> Run<'a> {
        Run {
            package: assignment.exercise.package(),
            assignment,
            variant: None,
        }
    }
}

/// Builds and runs the tests of `assignments`, and reports on each.
pub fn check(
    places: &Places,
    assignments: &[Assignment],
    thoroughness: Thoroughness,
) -> Result<Vec<Report>, String> {
    let runs: Vec<Run> = assignments.iter().map(|a| Run::of(*a)).collect();
    check_runs(places, &runs, thoroughness, runs.len())
}

/// Builds the packages of `runs`, then makes the runs, `at_once` at a
/// time, and reports on each, in the order given.
pub fn check_runs(
    places: &Places,
    runs: &[Run],
    thoroughness: Thoroughness,
    at_once: usize,
) -> Result<Vec<Report>, String> {
    let started = Instant::now();
    let mut names: Vec<String> = runs.iter().map(|run| run.package.clone()).collect();
    names.sort();
    names.dedup();
    let built: BTreeMap<String, Built> = compile::build(places, &names)?;
    let build_seconds = started.elapsed().as_secs_f64() / runs.len().max(1) as f64;
    let stop_at_first_failure = thoroughness == Thoroughness::UntilOneFails;
    // The runs go side by side, as each one's programs do: their tests
    // mostly wait (for timers, for a slow server), so a machine with two
    // cores runs a few at once in about the time of the slowest.
    let next = Mutex::new(0..runs.len());
    let results: Mutex<Vec<Option<Ran>>> = Mutex::new((0..runs.len()).map(|_| None).collect());
    thread::scope(|scope| {
        for _ in 0..at_once.clamp(1, runs.len().max(1)) {
            scope.spawn(|| {
                while let Some(index) = next.lock().ok().and_then(|mut next| next.next()) {
                    let run = &runs[index];
                    let result = make_run(places, run, &built, stop_at_first_failure);
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(result);
                    }
                }
            });
        }
    });
    let results = results
        .into_inner()
        .map_err(|_| "a run of tests panicked")?;
    let reports = runs
        .iter()
        .zip(results)
        .map(|(run, result)| {
            let (built, tests, seconds) = result.expect("every run is made");
            report::report(
                places,
                &run.assignment,
                &run.package,
                run.variant,
                built,
                tests,
                build_seconds + seconds,
            )
        })
        .collect();
    Ok(reports)
}

/// Runs the test programs of one run: the package's programs that test
/// its assignment.
fn make_run(
    places: &Places,
    run: &Run,
    built: &BTreeMap<String, Built>,
    stop_at_first_failure: bool,
) -> Ran {
    let started = Instant::now();
    let built = match built.get(&run.package) {
        Some(Built::Programs(programs)) => Built::Programs(
            programs
                .iter()
                .filter(|program| run.assignment.is_tested_by(&program.suite))
                .cloned()
                .collect(),
        ),
        Some(errors) => errors.clone(),
        None => Built::Errors(vec!["Cargo built nothing".to_string()]),
    };
    let tests = match &built {
        Built::Programs(programs) => run::run(
            programs,
            &places.package(&run.package),
            stop_at_first_failure,
            run.variant,
        ),
        Built::Errors(_) => Vec::new(),
    };
    (built, tests, started.elapsed().as_secs_f64())
}

/// `check N` (or `Na`): checks one exercise or challenge and tells the
/// student what came of it, or prints its results in another format. True
/// if it passes.
pub fn check_one(places: &Places, assignment: &Assignment, format: Format) -> Result<bool, String> {
    if format == Format::Text && std::io::stderr().is_terminal() {
        eprintln!("Checking {}...", assignment.name());
    }
    let [report] = &check(places, &[*assignment], Thoroughness::Every)?[..] else {
        unreachable!("one assignment checked, one report");
    };
    match format {
        Format::Text => {
            describe(report);
            println!();
            after(places, assignment, report)?;
        }
        Format::Json => println!("{:#}", formats::json_of(report)),
        Format::Junit => print!("{}", formats::junit_of(std::slice::from_ref(report))),
    }
    Ok(report.status == Status::Passes)
}

/// `check` without a number: every exercise and challenge in full, told to
/// a student as the status is, or in a format for machines.
pub fn check_all(places: &Places, format: Format) -> Result<bool, String> {
    let machine_format = match format {
        Format::Text => return overview(places, Thoroughness::Every),
        other => other,
    };
    let exercises = exercise::all_in(places)?;
    let assignments = assignment::all(&exercises);
    let reports = check(places, &assignments, Thoroughness::Every)?;
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

/// Every exercise's verdict and its challenges', how many are done, and
/// the next exercise's report.
fn overview(places: &Places, thoroughness: Thoroughness) -> Result<bool, String> {
    let exercises = exercise::all_in(places)?;
    println!(
        "Checking the exercises (what changed is built first: the first time, that takes minutes)...\n"
    );
    let assignments = assignment::all(&exercises);
    let reports = check(places, &assignments, thoroughness)?;
    for (assignment, report) in assignments.iter().zip(&reports) {
        println!(
            "{}",
            status_line(assignment, verdict(report.status)).trim_end()
        );
    }
    let passing = |challenges: bool| {
        let of_kind = || {
            assignments
                .iter()
                .zip(&reports)
                .filter(move |(a, _)| a.challenge.is_some() == challenges)
        };
        let done = of_kind()
            .filter(|(_, r)| r.status == Status::Passes)
            .count();
        (done, of_kind().count())
    };
    let (done, total) = passing(false);
    let (challenges_done, challenges) = passing(true);
    println!("\n{done}/{total} done; challenges: {challenges_done}/{challenges}.\n");
    let next = assignments
        .iter()
        .zip(&reports)
        .find(|(assignment, report)| {
            assignment.challenge.is_none() && report.status != Status::Passes
        });
    let Some((assignment, report)) = next else {
        println!("Every exercise passes. Well done!");
        let open: Vec<String> = assignments
            .iter()
            .zip(&reports)
            .filter(|(_, report)| report.status != Status::Passes)
            .map(|(assignment, _)| assignment.number())
            .collect();
        if let Some(first) = open.first() {
            println!(
                "Challenges still open: {}. What the first asks for: `{}`.",
                open.join(", "),
                tutor_command(places, &format!("hints {first}"))
            );
        }
        return Ok(true);
    };
    println!(
        "Next: exercise {}, {}.\n",
        assignment.exercise.stage,
        assignment.title()
    );
    // A run that stopped at the first failure it saw may name another one
    // each time; checked in full, it says the same every time.
    let full;
    let report = match thoroughness {
        Thoroughness::Every => report,
        Thoroughness::UntilOneFails => {
            full = check(places, &[*assignment], Thoroughness::Every)?;
            &full[0]
        }
    };
    describe(report);
    println!();
    after(places, assignment, report)?;
    Ok(false)
}

/// A line of the status table: what it is, its verdict, and its title.
/// The columns line up for exercises 2 to 99 and their challenges.
pub fn status_line(assignment: &Assignment, verdict: &str) -> String {
    let name = match assignment.challenge {
        None => format!("  exercise {}", assignment.exercise.stage),
        Some(challenge) => format!("    challenge {}", challenge.id),
    };
    format!("{name:<18} {verdict:<22} {}", assignment.title())
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
    let name = match &report.challenge {
        Some(id) => format!("challenge {id}"),
        None => format!("exercise {}", report.exercise),
    };
    println!("{name}: {}{counts}\n", verdict(report.status));
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

/// What to run next, after a check. Once an exercise passes, its demo
/// runs, and is held against the output its page shows.
fn after(places: &Places, assignment: &Assignment, report: &Report) -> Result<(), String> {
    let number = assignment.number();
    if report.status != Status::Passes {
        println!(
            "What each gap needs: `{}`.",
            tutor_command(places, &format!("hints {number}"))
        );
        println!(
            "Check again with `{}`, or run `{}`: it checks each time you save.",
            tutor_command(places, &format!("check {number}")),
            tutor_command(places, "watch")
        );
        return Ok(());
    }
    if assignment.challenge.is_none() {
        if let Some((_, said)) = demo::compare_with_the_book(places, assignment.exercise) {
            println!("{said}\n");
        }
    }
    println!(
        "Compare yours with the reference: `{}`.",
        tutor_command(places, &format!("solution {number}"))
    );
    let exercises = exercise::all_in(places)?;
    let stage = assignment.exercise.stage;
    if let Some(exercise) = exercises.iter().find(|e| e.stage == stage) {
        for challenge in &exercise.challenges {
            if Some(challenge.id.as_str()) != assignment.challenge.map(|c| c.id.as_str()) {
                println!(
                    "A challenge, if you want more: {}, {}: `{}`.",
                    challenge.id,
                    challenge.title,
                    tutor_command(places, &format!("hints {}", challenge.id))
                );
            }
        }
    }
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
    use crate::exercise::{Challenge, Exercise};

    #[test]
    fn the_status_table_lines_up_for_two_digit_exercises_and_challenges() {
        let exercise = |stage: usize| Exercise {
            stage,
            page: format!("Stage {stage}"),
            ..Exercise::default()
        };
        let (two, twelve) = (exercise(2), exercise(12));
        let challenge = Challenge {
            id: "12a".to_string(),
            title: "More".to_string(),
            statement: String::new(),
            gaps: Vec::new(),
        };
        let rows = [
            (Assignment::exercise(&two), "passes", "Stage 2"),
            (Assignment::exercise(&twelve), "not yet", "Stage 12"),
            (
                Assignment {
                    exercise: &twelve,
                    challenge: Some(&challenge),
                },
                "does not compile yet",
                "More",
            ),
        ];
        let lines: Vec<String> = rows
            .iter()
            .map(|(assignment, verdict, _)| status_line(assignment, verdict))
            .collect();
        let column_of = |index: usize, text: &str| lines[index].find(text).unwrap();
        let verdicts: Vec<usize> = (0..3).map(|i| column_of(i, rows[i].1)).collect();
        let titles: Vec<usize> = (0..3).map(|i| column_of(i, rows[i].2)).collect();
        assert!(verdicts.iter().all(|&at| at == verdicts[0]), "{lines:#?}");
        assert!(titles.iter().all(|&at| at == titles[0]), "{lines:#?}");
    }

    #[test]
    fn long_lines_are_wrapped_at_spaces_and_list_items_hang() {
        assert_eq!(wrap("one two three", 7), "one two\nthree");
        assert_eq!(wrap("- one two three", 9), "- one two\n  three");
        assert_eq!(wrap("a_very_long_word x", 5), "a_very_long_word\nx");
        assert_eq!(wrap("kept\n\nas is", 20), "kept\n\nas is");
    }
}
