//! What GitHub Classroom reads to grade the exercises, made from the list
//! of exercises so that it always names every one:
//!
//! - `.github/classroom/autograding.json`: one test per exercise, and one
//!   per challenge, each a command with a timeout (in minutes) and points,
//!   in the format of GitHub Classroom's autograding;
//! - `.github/workflows/classroom.yml`: the workflow that runs those tests
//!   on every push to a student's copy, reports the points, and publishes
//!   the tutor's JUnit report.

use crate::Files;
use crate::exercises::Exercise;

pub const AUTOGRADING: &str = ".github/classroom/autograding.json";
pub const WORKFLOW: &str = ".github/workflows/classroom.yml";

/// Points for each exercise that passes.
const POINTS: usize = 10;
/// Points for each challenge that passes: fewer, since a challenge is for
/// those who want more, and a course may leave them out.
const CHALLENGE_POINTS: usize = 5;
/// Minutes a check may take: the first one also builds the tutor and the
/// exercises, on a fresh machine.
const TIMEOUT_MINUTES: usize = 10;

pub fn files(exercises: &[Exercise]) -> Files {
    let graded = graded(exercises);
    let mut files = Files::new();
    files.insert(AUTOGRADING.to_string(), autograding(&graded));
    files.insert(WORKFLOW.to_string(), workflow(&graded));
    files
}

/// One test that GitHub Classroom runs and gives points for: an exercise,
/// or a challenge.
struct Graded {
    /// Its name in Classroom, such as "Exercise 2: Stage 2: the thread pool".
    name: String,
    /// The workflow step's id, such as `exercise-2` or `challenge-2a`.
    id: String,
    /// The tutor's check, such as `cargo run -q -p tutor -- check 2`.
    command: String,
    points: usize,
}

/// Every exercise, each followed by its challenges.
fn graded(exercises: &[Exercise]) -> Vec<Graded> {
    let mut graded = Vec::new();
    for exercise in exercises {
        graded.push(Graded {
            name: format!("Exercise {}: {}", exercise.stage, exercise.page),
            id: exercise.package(),
            command: format!("cargo run -q -p tutor -- check {}", exercise.stage),
            points: POINTS,
        });
        for challenge in &exercise.challenges {
            graded.push(Graded {
                name: format!("Challenge {}: {}", challenge.id, challenge.title),
                id: format!("challenge-{}", challenge.id),
                command: format!("cargo run -q -p tutor -- check {}", challenge.id),
                points: CHALLENGE_POINTS,
            });
        }
    }
    graded
}

fn autograding(graded: &[Graded]) -> String {
    let tests: Vec<String> = graded
        .iter()
        .map(|test| {
            format!(
                "    {{\n      \"name\": \"{}\",\n      \"setup\": \"\",\n      \"run\": \"{}\",\n      \"input\": \"\",\n      \"output\": \"\",\n      \"comparison\": \"included\",\n      \"timeout\": {TIMEOUT_MINUTES},\n      \"points\": {}\n    }}",
                json_text(&test.name),
                json_text(&test.command),
                test.points
            )
        })
        .collect();
    format!("{{\n  \"tests\": [\n{}\n  ]\n}}\n", tests.join(",\n"))
}

/// `text` inside a JSON string.
fn json_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn workflow(graded: &[Graded]) -> String {
    let mut yaml = String::from(
        "# Made by `cargo run -p stages -- generate`, from the list of exercises in\n\
         # source/exercises/gaps.md and their challenges: never edit it by hand.\n\
         #\n\
         # GitHub Classroom: on every push to a student's copy of this repository,\n\
         # checks each exercise and challenge with the tutor, gives its points if it\n\
         # passes, and publishes the tutor's JUnit report. The tests are the same\n\
         # as in .github/classroom/autograding.json.\n\
         name: Autograding\n\
         'on': [push, repository_dispatch, workflow_dispatch]\n\
         permissions:\n\
         \x20 checks: write\n\
         \x20 actions: read\n\
         \x20 contents: read\n\
         jobs:\n\
         \x20 autograding:\n\
         \x20   runs-on: ubuntu-latest\n\
         \x20   if: github.actor != 'github-classroom[bot]'\n\
         \x20   env:\n\
         \x20     CARGO_TERM_COLOR: never\n\
         \x20   steps:\n\
         \x20     - uses: actions/checkout@v4\n\
         \x20     - name: Build the tutor and the exercises\n\
         \x20       # Code that does not compile is graded too, by the steps below.\n\
         \x20       continue-on-error: true\n\
         \x20       run: |\n\
         \x20         cargo build -q -p tutor\n\
         \x20         cargo build -q --tests --manifest-path exercises/Cargo.toml\n",
    );
    for test in graded {
        yaml.push_str(&format!(
            "      - name: \"{name}\"\n\
             \x20       id: {id}\n\
             \x20       uses: classroom-resources/autograding-command-grader@v1\n\
             \x20       with:\n\
             \x20         test-name: \"{name}\"\n\
             \x20         command: {command}\n\
             \x20         timeout: {TIMEOUT_MINUTES}\n\
             \x20         max-score: {points}\n",
            name = test.name,
            id = test.id,
            command = test.command,
            points = test.points,
        ));
    }
    let ids: Vec<&str> = graded.iter().map(|test| test.id.as_str()).collect();
    yaml.push_str(
        "      - name: Report the points\n\
         \x20       uses: classroom-resources/autograding-grading-reporter@v1\n\
         \x20       env:\n",
    );
    for id in &ids {
        yaml.push_str(&format!(
            "          {}_RESULTS: \"${{{{ steps.{id}.outputs.result }}}}\"\n",
            id.to_uppercase()
        ));
    }
    yaml.push_str(&format!(
        "        with:\n\
         \x20         runners: {}\n\
         \x20     - name: Write the JUnit report\n\
         \x20       if: success() || failure()\n\
         \x20       run: cargo run -q -p tutor -- check --format junit > tutor-report.xml || true\n\
         \x20     - name: Publish the JUnit report as a check\n\
         \x20       if: success() || failure()\n\
         \x20       uses: mikepenz/action-junit-report@v5\n\
         \x20       with:\n\
         \x20         report_paths: tutor-report.xml\n\
         \x20     - name: Keep the JUnit report\n\
         \x20       if: success() || failure()\n\
         \x20       uses: actions/upload-artifact@v4\n\
         \x20       with:\n\
         \x20         name: tutor-report\n\
         \x20         path: tutor-report.xml\n",
        ids.join(",")
    ));
    yaml
}
