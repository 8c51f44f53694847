//! `cargo run -p tutor -- prove`, for authors and CI: the exercises are
//! fair, and a pass means the student got it right.
//!
//! For every exercise and challenge: it is what the source makes; as
//! handed out, it compiles and fails at one of its `todo!()`s; solved as
//! the chapter solves it (a challenge, as its reference does), it passes.
//! Then, for every gap, its tests must turn down every wrong version of
//! it (see `variants.rs`):
//!
//! - the gap left open on its own, the others filled in: a test reaches
//!   its `todo!()` (without this, a gap no test reaches could hide behind
//!   another);
//! - each plausible mistake kept beside its hint in `gaps.md`: a test
//!   fails, and the tutor's message names the symptom;
//! - each mutant that `cargo mutants` makes of the reference body: a test
//!   fails, unless `gaps.md` lists it as equivalent, with the reason.
//!
//! And the results a machine reads (`--format json` and `--format junit`)
//! say the right thing, for a solved exercise and for one that is not.
//!
//! It all happens in a scratch workspace, `.gap-proofs`, beside
//! `exercises/`, removed at the end. `prove N` proves exercise N alone, in
//! `.gap-proofs-N`.

use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::assignment::{self, Assignment};
use crate::check::{self, Run, Thoroughness};
use crate::demo;
use crate::exercise::{self, EquivalentMutant, Exercise, Gap, Open};
use crate::mutants;
use crate::places::Places;
use crate::report::{Report, Status};
use crate::variants::{self, Kind, Variant};

const SCRATCH: &str = ".gap-proofs";

/// How many runs of tests go at once when wrong versions are tried: their
/// tests mostly wait, but a wrong version may also spin.
const RUNS_AT_ONCE: usize = 2;

pub fn prove(places: &Places, only: Option<usize>) -> Result<bool, String> {
    let mut exercises = exercise::all(&places.workspace)?;
    let first = exercises.first().map(|e| e.stage);
    exercises.retain(|exercise| only.is_none_or(|stage| stage == exercise.stage));
    // `prove N` has a scratch folder of its own, so that two authors'
    // proofs of two exercises do not trip over each other.
    // (`TUTOR_SCRATCH` names another, for two proofs of one exercise.) It
    // sits beside `exercises/`, as deep, for the paths in its manifests.
    let scratch_name = match (std::env::var("TUTOR_SCRATCH"), only) {
        (Ok(name), _) => format!("{SCRATCH}-{name}"),
        (_, None) => SCRATCH.to_string(),
        (_, Some(stage)) => format!("{SCRATCH}-{stage}"),
    };
    let machine_results = only.is_none() || only == first;
    let proven = prove_in(places, &scratch_name, &exercises, only, machine_results);
    // The scratch folder goes, whatever came of it.
    let _ = fs::remove_dir_all(places.workspace.join(&scratch_name));
    proven
}

/// The proofs of `exercises` (all of them, or exercise `only`), in the
/// scratch folder `scratch_name`; with those of the results for machines
/// if `machine_results`.
fn prove_in(
    places: &Places,
    scratch_name: &str,
    exercises: &[Exercise],
    only: Option<usize>,
    machine_results: bool,
) -> Result<bool, String> {
    let mut proven = made_from_the_source(places, only)?;
    proven &= every_gap_has_a_wrong_answer(exercises);
    let assignments = assignment::all(exercises);
    let shipped = Places::new(&places.workspace, None)?;
    let reports = check::check(&shipped, &assignments, Thoroughness::Every)?;
    for (assignment, report) in assignments.iter().zip(&reports) {
        proven &= fails_at_a_gap(assignment, report);
        proven &= no_test_waited_out_its_limit(report);
    }
    let scratch = make_scratch(places, scratch_name, exercises)?;
    let reports = check::check(&scratch, &assignments, Thoroughness::Every)?;
    for (assignment, report) in assignments.iter().zip(&reports) {
        proven &= passes_when_solved(assignment, report);
    }
    proven &= clippy_is_content(&scratch, exercises)?;
    for exercise in exercises {
        proven &= demo_prints_what_the_book_shows(&scratch, exercise);
    }
    let mut figures = Vec::new();
    for exercise in exercises {
        proven &= wrong_versions_fail(&scratch, exercise, &mut figures)?;
    }
    print_figures(&figures);
    if machine_results {
        let exercise = exercises.first().ok_or("there are no exercises")?;
        proven &= machine_results_hold(places, scratch_name, exercise)?;
    }
    Ok(proven)
}

/// The exercises are what the source makes now (for `prove N`, exercise N).
fn made_from_the_source(places: &Places, only: Option<usize>) -> Result<bool, String> {
    let ours = |problem: &String| match only {
        None => problem.starts_with("exercises/") || problem.starts_with(".github/"),
        Some(stage) => problem.starts_with(&format!("exercises/exercise-{stage}/")),
    };
    let drifted: Vec<String> = stages::check(&places.workspace)?
        .into_iter()
        .filter(ours)
        .collect();
    if drifted.is_empty() {
        return Ok(true);
    }
    println!("the exercises are not what source/ makes:");
    drifted.iter().for_each(|problem| println!("  {problem}"));
    println!("  (cargo run -p stages -- generate makes them again)");
    Ok(false)
}

/// As handed out, an exercise fails at one of its gaps; a challenge, at
/// one of its own or of its exercise's.
fn fails_at_a_gap(assignment: &Assignment, report: &Report) -> bool {
    let gap = report
        .reached
        .as_ref()
        .and_then(|reached| reached.function.as_deref());
    let name = assignment.name();
    match (report.status, gap) {
        (Status::Fails, Some(function)) => {
            println!(
                "{name}: compiles, and fails as handed out: `{}` reaches the todo!() in {function}",
                report.test.as_deref().unwrap_or("?")
            );
            true
        }
        (Status::Passes, _) => {
            println!("{name}: its tests pass as handed out: nothing is left to do");
            false
        }
        _ => {
            println!(
                "{name}: as handed out, it does not fail at a gap:\n{}",
                report.message
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

fn passes_when_solved(assignment: &Assignment, report: &Report) -> bool {
    let how = match assignment.challenge {
        None => format!("as chapter-{} solves it", assignment.exercise.stage),
        Some(_) => "as its reference does".to_string(),
    };
    if report.status == Status::Passes {
        println!(
            "{}: solved {how}, all {} tests pass",
            assignment.name(),
            report.tests.len()
        );
        return true;
    }
    println!(
        "{}: solved {how}, it FAILS:\n{}",
        assignment.name(),
        report.message
    );
    false
}

/// The scratch workspace, `name`: every exercise solved, under its own
/// name.
fn make_scratch(places: &Places, name: &str, exercises: &[Exercise]) -> Result<Places, String> {
    let scratch = places.workspace.join(name);
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
    }
    Places::new(&places.workspace, Some(&scratch.to_string_lossy()))
}

/// Solved, the exercise's demo prints what its page shows: the tutor says
/// so to a student once their exercise passes, and it must be true of the
/// reference.
fn demo_prints_what_the_book_shows(scratch: &Places, exercise: &Exercise) -> bool {
    match demo::compare_with_the_book(scratch, exercise) {
        Some((true, _)) => true,
        // Every stage with an exercise shows its demo's run: a page that
        // lost it would turn this check off without a word.
        None => {
            println!(
                "exercise {}: its page, and the pages under it, show no run of chapter-{}",
                exercise.stage, exercise.stage
            );
            false
        }
        Some((false, said)) => {
            println!(
                "exercise {}: solved, its demo differs from the book:\n{said}",
                exercise.stage
            );
            false
        }
    }
}

/// The solved exercises pass clippy, as every crate of the workspace must.
/// The chapters' code and tests do already; this is for the challenges'
/// reference code and tests, which live only in the exercises.
fn clippy_is_content(scratch: &Places, exercises: &[Exercise]) -> Result<bool, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command
        .args(["clippy", "-q", "--all-targets", "--manifest-path"])
        .arg(scratch.exercises.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", scratch.target());
    for exercise in exercises {
        command.args(["-p", &exercise.package()]);
    }
    let output = command
        .args(["--", "-D", "warnings"])
        .output()
        .map_err(|e| format!("cannot run cargo clippy: {e}"))?;
    if output.status.success() {
        println!("the solved exercises, their challenges' reference code among them, pass clippy");
        return Ok(true);
    }
    println!(
        "the solved exercises do not pass clippy:\n{}",
        String::from_utf8_lossy(&output.stderr).trim_end()
    );
    Ok(false)
}

/// Every gap, a challenge's too, has at least one wrong answer in
/// `gaps.md`: a mistake a student might make, that its tests must catch.
fn every_gap_has_a_wrong_answer(exercises: &[Exercise]) -> bool {
    let mut proven = true;
    for exercise in exercises {
        for gap in exercise
            .all_gaps()
            .filter(|gap| gap.wrong_answers.is_empty())
        {
            println!(
                "exercise {}: {} has no wrong answer in source/exercises/gaps.md (`#### Wrong:`)",
                exercise.stage, gap.function
            );
            proven = false;
        }
    }
    proven
}

/// What trying the wrong versions of one exercise's or challenge's gaps
/// found: gaps that a test reaches when left open alone, of all its gaps;
/// mutants caught, viable (they compile), unviable and listed as
/// equivalent; wrong answers turned down, and written.
#[derive(Default)]
struct Figures {
    name: String,
    reached: usize,
    gaps: usize,
    caught: usize,
    viable: usize,
    unviable: usize,
    equivalent: usize,
    wrong_failed: usize,
    wrong: usize,
}

/// Tries every wrong version of `exercise`'s gaps (see `variants.rs`):
/// each must fail, as the module's top says. Adds what it found to
/// `figures`, one line for the exercise and one for each challenge.
fn wrong_versions_fail(
    scratch: &Places,
    exercise: &Exercise,
    figures: &mut Vec<Figures>,
) -> Result<bool, String> {
    let solved = stages::exercises::files(&scratch.workspace, exercise, Open::None)?;
    let listed = mutants::list(&scratch.exercises, &exercise.package())?;
    let all = variants::all(exercise, |gap| {
        let text = solved
            .get(&gap.file)
            .ok_or_else(|| format!("no file {}", gap.file))?;
        let (body_start, _, _) = stages::exercises::body_lines(text, &gap.function)?;
        mutants::of_function(&listed, &exercise.package(), &gap.file, text, body_start)
    })?;
    let target = scratch.target();
    let unviable = variants::write_and_build(&scratch.exercises, &target, exercise, &solved, &all)?;
    let viable: Vec<&Variant> = all.iter().filter(|v| !unviable.contains(&v.id)).collect();
    let (tried, reports) = try_each(scratch, exercise, viable)?;
    let mut proven = true;
    let owners = std::iter::once(None).chain(exercise.challenges.iter().map(Some));
    for challenge in owners {
        let name = match challenge {
            Some(challenge) => format!("challenge {}", challenge.id),
            None => format!("exercise {}", exercise.stage),
        };
        let mine = |gap: &Gap| gap.challenge == challenge.map(|c| c.id.clone());
        let mut found = Figures {
            name: name.clone(),
            unviable: all
                .iter()
                .filter(|v| unviable.contains(&v.id) && mine(v.gap))
                .count(),
            ..Figures::default()
        };
        for (variant, report) in tried.iter().zip(&reports).filter(|(v, _)| mine(v.gap)) {
            proven &= judge(&name, variant, report, &mut found);
        }
        for gap in exercise.all_gaps().filter(|gap| mine(gap)) {
            proven &= no_equivalent_is_stale(&name, gap, &tried, &reports);
        }
        println!("{name}: {}", found.summary());
        figures.push(found);
    }
    Ok(proven)
}

/// Runs the tests of each version in `variants`, and gives the versions
/// in the order tried, with a report on each. That a mutant fails is
/// enough to know. For a gap left open and a wrong answer, the tutor's
/// message is read in full, as a student would read it: it must name the
/// gap, or the symptom.
fn try_each<'v, 'a>(
    scratch: &Places,
    exercise: &'a Exercise,
    variants: Vec<&'v Variant<'a>>,
) -> Result<(Vec<&'v Variant<'a>>, Vec<Report>), String> {
    let package = variants::package(exercise);
    let run = |variant: &&Variant<'a>| Run {
        assignment: owner(exercise, variant.gap),
        package: package.clone(),
        variant: Some(variant.id),
    };
    let (read, mutants): (Vec<&Variant>, Vec<&Variant>) = variants
        .into_iter()
        .partition(|v| !matches!(v.kind, Kind::Mutant(_)));
    let quick: Vec<Run> = mutants.iter().map(run).collect();
    let full: Vec<Run> = read.iter().map(run).collect();
    let mut reports =
        check::check_runs(scratch, &quick, Thoroughness::UntilOneFails, RUNS_AT_ONCE)?;
    reports.extend(check::check_runs(
        scratch,
        &full,
        Thoroughness::Every,
        RUNS_AT_ONCE,
    )?);
    Ok((mutants.into_iter().chain(read).collect(), reports))
}

/// The exercise or challenge whose tests judge `gap`.
fn owner<'a>(exercise: &'a Exercise, gap: &Gap) -> Assignment<'a> {
    Assignment {
        exercise,
        challenge: gap
            .challenge
            .as_deref()
            .and_then(|id| exercise.challenge(id)),
    }
}

impl Figures {
    /// The figures in a line.
    fn summary(&self) -> String {
        format!(
            "gaps reached when open alone: {} of {}; wrong answers turned down, saying what \
             went wrong: {} of {}; mutants caught: {} of {} viable ({} unviable, {} equivalent)",
            self.reached,
            self.gaps,
            self.wrong_failed,
            self.wrong,
            self.caught,
            self.viable,
            self.unviable,
            self.equivalent
        )
    }
}

/// Whether the tests turned `variant` down as they must, saying why not
/// if they did not; and counts it.
fn judge(name: &str, variant: &Variant, report: &Report, found: &mut Figures) -> bool {
    let reached = report
        .reached
        .as_ref()
        .and_then(|reached| reached.function.as_deref());
    let fails = report.status == Status::Fails;
    let problem = match &variant.kind {
        // A `todo!()` ends its test at once: none may wait out its limit.
        Kind::Open if fails && reached == Some(variant.gap.function.as_str()) => {
            found.gaps += 1;
            found.reached += 1;
            return no_test_waited_out_its_limit(report);
        }
        Kind::Open => {
            found.gaps += 1;
            if fails {
                Some("the tests fail, but never reach its todo!()".to_string())
            } else {
                Some("the tests pass with it open: nothing tests it".to_string())
            }
        }
        Kind::Wrong(wrong) => {
            found.wrong += 1;
            // The message is fitted to a terminal's width: a line may break
            // anywhere among the symptom's words.
            let words = |text: &str| {
                let words: Vec<&str> = text.split_whitespace().collect();
                words.join(" ").to_lowercase()
            };
            let says = words(&report.message).contains(&words(&wrong.symptom));
            match (fails, says) {
                (true, true) => {
                    found.wrong_failed += 1;
                    None
                }
                (true, false) => Some(format!(
                    "fails, but the tutor's message does not say \"{}\"; it says:\n{}",
                    wrong.symptom, report.message
                )),
                (false, _) => {
                    Some("passes: the tests cannot tell it from a right answer".to_string())
                }
            }
        }
        Kind::Mutant(mutant) => {
            found.viable += 1;
            if report.status != Status::Passes {
                found.caught += 1;
                None
            } else if equivalent(variant.gap, mutant).is_some() {
                found.equivalent += 1;
                None
            } else {
                Some(format!(
                    "is NOT caught: every test passes with it. Add a test that tells it apart, \
                     or list it under its gap in source/exercises/gaps.md \
                     (`#### Equivalent: {}`, `On: {}`) with the reason no test can",
                    mutant.description, mutant.line_text
                ))
            }
        }
    };
    match problem {
        None => true,
        Some(problem) => {
            println!("{name}: {}: {problem}", variant.describe());
            false
        }
    }
}

/// The listing in `gaps.md` that says `mutant` is equivalent, if one does.
fn equivalent<'a>(gap: &'a Gap, mutant: &mutants::Mutant) -> Option<&'a EquivalentMutant> {
    gap.equivalent_mutants.iter().find(|listed| {
        listed.mutant == mutant.description
            && listed
                .on
                .as_ref()
                .is_none_or(|on| mutant.line_text.contains(on.as_str()))
    })
}

/// Every mutant `gaps.md` lists as equivalent for `gap` is one that
/// `cargo mutants` still makes, and that no test catches: a listing that
/// no longer holds would excuse nothing, and mislead.
fn no_equivalent_is_stale(name: &str, gap: &Gap, tried: &[&Variant], reports: &[Report]) -> bool {
    let mut proven = true;
    for listed in &gap.equivalent_mutants {
        let matching: Vec<&Report> = tried
            .iter()
            .zip(reports)
            .filter(|(variant, _)| match &variant.kind {
                Kind::Mutant(mutant) => {
                    std::ptr::eq(variant.gap, gap)
                        && equivalent(gap, mutant).is_some_and(|found| std::ptr::eq(found, listed))
                }
                _ => false,
            })
            .map(|(_, report)| report)
            .collect();
        let why = if matching.is_empty() {
            "cargo mutants no longer makes it"
        } else if matching
            .iter()
            .any(|report| report.status != Status::Passes)
        {
            "a test catches it now"
        } else {
            continue;
        };
        println!(
            "{name}: gaps.md lists `{}` in {} as equivalent, but {why}: take it out",
            listed.mutant, gap.function
        );
        proven = false;
    }
    proven
}

/// The mutation figures, one line per exercise and challenge.
fn print_figures(figures: &[Figures]) {
    if figures.is_empty() {
        return;
    }
    println!("\nmutants caught, of those that compile (and how many are listed as equivalent):");
    for found in figures {
        println!(
            "  {:<14} {:>3} of {:<3} caught, {} equivalent, {} unviable; wrong answers: {} of {} fail",
            found.name,
            found.caught,
            found.viable,
            found.equivalent,
            found.unviable,
            found.wrong_failed,
            found.wrong
        );
    }
    let caught: usize = figures.iter().map(|f| f.caught).sum();
    let viable: usize = figures.iter().map(|f| f.viable).sum();
    let equivalent: usize = figures.iter().map(|f| f.equivalent).sum();
    println!(
        "  {:<14} {caught:>3} of {viable:<3} caught, {equivalent} equivalent",
        "in all"
    );
}

/// Runs the tutor itself, as a script or a grader would, on `exercise`
/// handed out and solved, and reads what it prints.
fn machine_results_hold(
    places: &Places,
    scratch: &str,
    exercise: &Exercise,
) -> Result<bool, String> {
    let stage = exercise.stage.to_string();
    let mut proven = true;
    for (exercises, status) in [(None, "fails"), (Some(scratch), "passes")] {
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
