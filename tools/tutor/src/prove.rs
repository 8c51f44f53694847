//! `cargo run -p tutor -- prove`, for CI: the exercises are fair.
//!
//! For every exercise: it is what the source makes; as handed out, it
//! compiles and fails at one of its `todo!()`s; solved as the chapter
//! solves it, it passes. For every gap on its own (the others filled in):
//! a test reaches it. And the results a machine reads (`--format json`
//! and `--format junit`) say the right thing, for a solved exercise and
//! for one that is not.
//!
//! The solved exercises and the one-gap ones are made in a scratch
//! workspace, `.gap-proofs`, beside `exercises/`.

use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::check::{self, Thoroughness};
use crate::exercise::{self, Exercise, Gap, Open};
use crate::places::Places;
use crate::report::{Report, Status};

const SCRATCH: &str = ".gap-proofs";

pub fn prove(places: &Places) -> Result<bool, String> {
    let exercises = exercise::all(&places.workspace)?;
    let mut proven = made_from_the_source(places)?;
    let shipped = Places::new(&places.workspace, None)?;
    let all: Vec<&Exercise> = exercises.iter().collect();
    for (exercise, report) in
        exercises
            .iter()
            .zip(check::check(&shipped, &all, Thoroughness::Every)?)
    {
        proven &= fails_at_a_gap(exercise, &report);
        proven &= no_test_waited_out_its_limit(&report);
    }
    let scratch = make_scratch(places, &exercises)?;
    for (exercise, report) in
        exercises
            .iter()
            .zip(check::check(&scratch, &all, Thoroughness::Every)?)
    {
        proven &= passes_when_solved(exercise, &report);
    }
    let gaps: Vec<(&Exercise, &Gap)> = exercises
        .iter()
        .flat_map(|exercise| exercise.gaps.iter().map(move |gap| (exercise, gap)))
        .collect();
    let packages: Vec<(&Exercise, String)> = gaps
        .iter()
        .map(|(exercise, gap)| (*exercise, exercise.gap_package(gap)))
        .collect();
    let reports = check::check_packages(&scratch, &packages, Thoroughness::Every)?;
    for ((exercise, gap), report) in gaps.iter().zip(&reports) {
        let reached = report
            .reached
            .as_ref()
            .and_then(|reached| reached.function.as_deref());
        let verdict = match (report.status, reached) {
            (Status::Fails, Some(function)) if function == gap.function => {
                "is reached by the tests, which fail while it is open"
            }
            (Status::Passes, _) => "is NOT tested: the tests pass with it open",
            _ => "is NOT reached: the tests fail, but never get to it",
        };
        println!(
            "exercise {}: the gap in {} {verdict}",
            exercise.stage, gap.function
        );
        proven &= verdict.starts_with("is reached");
        proven &= no_test_waited_out_its_limit(report);
    }
    proven &= machine_results_hold(places, &exercises[0])?;
    let _ = fs::remove_dir_all(places.workspace.join(SCRATCH));
    Ok(proven)
}

fn made_from_the_source(places: &Places) -> Result<bool, String> {
    let drifted: Vec<String> = stages::check(&places.workspace)?
        .into_iter()
        .filter(|problem| problem.starts_with("exercises/") || problem.starts_with(".github/"))
        .collect();
    if drifted.is_empty() {
        return Ok(true);
    }
    println!("the exercises are not what source/ makes:");
    drifted.iter().for_each(|problem| println!("  {problem}"));
    println!("  (cargo run -p stages -- generate makes them again)");
    Ok(false)
}

fn fails_at_a_gap(exercise: &Exercise, report: &Report) -> bool {
    let gap = report
        .reached
        .as_ref()
        .and_then(|reached| reached.function.as_deref());
    match (report.status, gap) {
        (Status::Fails, Some(function)) => {
            println!(
                "exercise {}: compiles, and fails as handed out: `{}` reaches the todo!() in {function}",
                exercise.stage,
                report.test.as_deref().unwrap_or("?")
            );
            true
        }
        (Status::Passes, _) => {
            println!(
                "exercise {}: its tests pass as handed out: nothing is left to do",
                exercise.stage
            );
            false
        }
        _ => {
            println!(
                "exercise {}: as handed out, it does not fail at a gap:\n{}",
                exercise.stage, report.message
            );
            false
        }
    }
}

/// A `todo!()` ends its test at once (see the `deadline` crate): a test
/// that ran into its time limit instead makes a student wait for nothing.
fn no_test_waited_out_its_limit(report: &Report) -> bool {
    let waited: Vec<String> = report
        .tests
        .iter()
        .filter(|test| test.output.contains("did not finish"))
        .map(|test| format!("{}::{}", test.suite, test.name))
        .collect();
    if waited.is_empty() {
        return true;
    }
    println!(
        "{}: these tests waited out their time limit: {}",
        report.package,
        waited.join(", ")
    );
    false
}

fn passes_when_solved(exercise: &Exercise, report: &Report) -> bool {
    if report.status == Status::Passes {
        println!(
            "exercise {}: solved as chapter-{} solves it, all {} tests pass",
            exercise.stage,
            exercise.stage,
            report.tests.len()
        );
        return true;
    }
    println!(
        "exercise {}: solved as chapter-{} solves it, it FAILS:\n{}",
        exercise.stage, exercise.stage, report.message
    );
    false
}

/// The scratch workspace: every exercise solved, under its own name, and
/// every exercise once for each gap, with only that gap open.
fn make_scratch(places: &Places, exercises: &[Exercise]) -> Result<Places, String> {
    let scratch = places.workspace.join(SCRATCH);
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    for name in ["Cargo.toml", "Cargo.lock"] {
        fs::copy(
            places.workspace.join("exercises").join(name),
            scratch.join(name),
        )
        .map_err(|e| format!("cannot copy exercises/{name}: {e}"))?;
    }
    for exercise in exercises {
        let solved = stages::exercises::files(&places.workspace, exercise, Open::None)?;
        exercise::write_files(&scratch.join(exercise.package()), &solved)?;
        for gap in &exercise.gaps {
            let files = stages::exercises::files(&places.workspace, exercise, Open::Only(gap))?;
            exercise::write_files(&scratch.join(exercise.gap_package(gap)), &files)?;
        }
    }
    Places::new(&places.workspace, Some(&scratch.to_string_lossy()))
}

/// Runs the tutor itself, as a script or a grader would, on `exercise`
/// handed out and solved, and reads what it prints.
fn machine_results_hold(places: &Places, exercise: &Exercise) -> Result<bool, String> {
    let stage = exercise.stage.to_string();
    let mut proven = true;
    for (exercises, status) in [(None, "fails"), (Some(SCRATCH), "passes")] {
        let json = run_tutor(places, exercises, &["check", &stage, "--format", "json"])?;
        let found = json_holds(&json, exercise.stage, status);
        let junit = run_tutor(places, exercises, &["check", &stage, "--format", "junit"])?;
        let found = found.and_then(|()| junit_holds(&junit, status));
        let which = if status == "passes" {
            "solved"
        } else {
            "handed out"
        };
        match found {
            Ok(()) => println!(
                "exercise {stage}, {which}: --format json and --format junit say it {status}"
            ),
            Err(why) => {
                println!("exercise {stage}, {which}: the results for machines are wrong: {why}");
                proven = false;
            }
        }
    }
    Ok(proven)
}

fn run_tutor(
    places: &Places,
    exercises: Option<&str>,
    arguments: &[&str],
) -> Result<String, String> {
    let tutor = std::env::current_exe().map_err(|e| format!("where is the tutor? {e}"))?;
    let mut command = Command::new(tutor);
    if let Some(folder) = exercises {
        command
            .arg("--exercises")
            .arg(places.workspace.join(folder));
    }
    let output = command
        .args(arguments)
        .current_dir(&places.workspace)
        .output()
        .map_err(|e| format!("cannot run the tutor: {e}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn json_holds(printed: &str, stage: usize, status: &str) -> Result<(), String> {
    let json: Value = serde_json::from_str(printed).map_err(|e| format!("not JSON: {e}"))?;
    let passed = json["tests"]["passed"].as_u64().ok_or("no tests.passed")?;
    let failed = json["tests"]["failed"].as_u64().ok_or("no tests.failed")?;
    let message = json["message"].as_str().ok_or("no message")?;
    if json["exercise"].as_u64() != Some(stage as u64) {
        return Err(format!("exercise is {}", json["exercise"]));
    }
    if json["status"].as_str() != Some(status) {
        return Err(format!("status is {}", json["status"]));
    }
    let counts_agree = match status {
        "passes" => failed == 0 && passed > 0,
        _ => failed > 0 && json["todo"]["function"].is_string() && message.contains("todo!()"),
    };
    if !counts_agree {
        return Err(format!(
            "{passed} passed and {failed} failed, and: {message}"
        ));
    }
    Ok(())
}

fn junit_holds(printed: &str, status: &str) -> Result<(), String> {
    well_formed(printed)?;
    let cases = printed.matches("<testcase ").count();
    let failures = printed.matches("<failure ").count();
    let total = attribute(printed, "testsuites", "tests").ok_or("no tests count")?;
    let failed = attribute(printed, "testsuites", "failures").ok_or("no failures count")?;
    if total != cases || failed != failures {
        return Err(format!(
            "it counts {total} tests and {failed} failures, but has {cases} and {failures}"
        ));
    }
    match (status, failures) {
        ("passes", 0) => Ok(()),
        ("fails", 1..) => Ok(()),
        _ => Err(format!("{failures} failures for an exercise that {status}")),
    }
}

/// The number in `attribute` of the first `<element ...>`.
fn attribute(xml: &str, element: &str, attribute: &str) -> Option<usize> {
    let tag = xml
        .split(&format!("<{element}"))
        .nth(1)?
        .split('>')
        .next()?;
    let value = tag
        .split(&format!(" {attribute}=\""))
        .nth(1)?
        .split('"')
        .next()?;
    value.parse().ok()
}

/// Every element is closed, in order, and text holds no stray `<` or `&`.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = xml.trim_start();
    rest = rest
        .strip_prefix("<?xml")
        .and_then(|r| r.split_once("?>"))
        .map(|(_, after)| after)
        .ok_or("no <?xml ...?> declaration")?;
    while let Some(start) = rest.find('<') {
        check_text(&rest[..start])?;
        let end = rest[start..].find('>').ok_or("a tag is never closed")? + start;
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name) {
                return Err(format!("</{name}> closes nothing open"));
            }
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().ok_or("an empty tag")?);
        }
        rest = &rest[end + 1..];
    }
    check_text(rest)?;
    match open.last() {
        Some(name) => Err(format!("<{name}> is never closed")),
        None => Ok(()),
    }
}

fn check_text(text: &str) -> Result<(), String> {
    let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"];
    for (at, _) in text.match_indices('&') {
        if !entities.iter().any(|entity| text[at..].starts_with(entity)) {
            return Err(format!(
                "a stray & in: {}",
                &text[at..(at + 20).min(text.len())]
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_xml_is_told_from_broken() {
        let good = "<?xml version=\"1.0\"?>\n<a n=\"1\"><b/><c>x &amp; y</c></a>\n";
        assert_eq!(well_formed(good), Ok(()));
        assert!(well_formed("<?xml?><a><b></a></b>").is_err());
        assert!(well_formed("<?xml?><a>x & y</a>").is_err());
        assert!(well_formed("<?xml?><a>").is_err());
        assert_eq!(attribute(good, "a", "n"), Some(1));
    }
}
