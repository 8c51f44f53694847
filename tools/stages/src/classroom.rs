//! What GitHub Classroom reads to grade the exercises, made from the list
//! of exercises so that it always names every one:
//!
//! - `.github/classroom/autograding.json`: one test per exercise, each a
//!   command with a timeout (in minutes) and points, in the format of
//!   GitHub Classroom's autograding;
//! - `.github/workflows/classroom.yml`: the workflow that runs those tests
//!   on every push to a student's copy, reports the points, and publishes
//!   the tutor's JUnit report.

use crate::Files;
use crate::exercises::Exercise;

pub const AUTOGRADING: &str = ".github/classroom/autograding.json";
pub const WORKFLOW: &str = ".github/workflows/classroom.yml";

/// Points for each exercise that passes.
const POINTS: usize = 10;
/// Minutes a check may take: the first one also builds the tutor and the
/// exercises, on a fresh machine.
const TIMEOUT_MINUTES: usize = 10;

pub fn files(exercises: &[Exercise]) -> Files {
    let mut files = Files::new();
    files.insert(AUTOGRADING.to_string(), autograding(exercises));
    files.insert(WORKFLOW.to_string(), workflow(exercises));
    files
}

fn check_command(exercise: &Exercise) -> String {
    format!("cargo run -q -p tutor -- check {}", exercise.stage)
}

fn test_name(exercise: &Exercise) -> String {
    format!("Exercise {}: {}", exercise.stage, exercise.page)
}

fn autograding(exercises: &[Exercise]) -> String {
    let tests: Vec<String> = exercises
        .iter()
        .map(|exercise| {
            format!(
                "    {{\n      \"name\": \"{}\",\n      \"setup\": \"\",\n      \"run\": \"{}\",\n      \"input\": \"\",\n      \"output\": \"\",\n      \"comparison\": \"included\",\n      \"timeout\": {TIMEOUT_MINUTES},\n      \"points\": {POINTS}\n    }}",
                json_text(&test_name(exercise)),
                json_text(&check_command(exercise))
            )
        })
        .collect();
    format!("{{\n  \"tests\": [\n{}\n  ]\n}}\n", tests.join(",\n"))
}

/// `text` inside a JSON string.
fn json_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn workflow(exercises: &[Exercise]) -> String {
    let mut yaml = String::from(
        "# Made by `cargo run -p stages -- generate`, from the list of exercises in\n\
         # source/exercises/gaps.md: never edit it by hand.\n\
         #\n\
         # GitHub Classroom: on every push to a student's copy of this repository,\n\
         # checks each exercise with the tutor, gives its points if it passes, and\n\
         # publishes the tutor's JUnit report. The tests are the same as in\n\
         # .github/classroom/autograding.json.\n\
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
    for exercise in exercises {
        yaml.push_str(&format!(
            "      - name: \"{name}\"\n\
             \x20       id: {id}\n\
             \x20       uses: classroom-resources/autograding-command-grader@v1\n\
             \x20       with:\n\
             \x20         test-name: \"{name}\"\n\
             \x20         command: {command}\n\
             \x20         timeout: {TIMEOUT_MINUTES}\n\
             \x20         max-score: {POINTS}\n",
            name = test_name(exercise),
            id = exercise.package(),
            command = check_command(exercise),
        ));
    }
    let ids: Vec<String> = exercises.iter().map(|e| e.package()).collect();
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
