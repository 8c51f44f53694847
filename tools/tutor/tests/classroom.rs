//! GitHub Classroom's grading files name every exercise, each graded by
//! the tutor's check, with a timeout and points; and the workflow runs the
//! same commands as `autograding.json` says.

use serde_json::Value;

#[test]
fn every_exercise_is_graded_by_the_tutors_check() {
    let workspace = stages::workspace_of(env!("CARGO_MANIFEST_DIR"));
    let exercises = stages::exercises::all(&workspace).unwrap();
    let text = std::fs::read_to_string(workspace.join(".github/classroom/autograding.json"))
        .expect("the grading file");
    let grading: Value = serde_json::from_str(&text).expect("autograding.json is JSON");
    let tests = grading["tests"].as_array().expect("a list of tests");
    assert_eq!(tests.len(), exercises.len(), "one test per exercise");
    let workflow =
        std::fs::read_to_string(workspace.join(".github/workflows/classroom.yml")).unwrap();
    for (test, exercise) in tests.iter().zip(&exercises) {
        let command = format!("cargo run -q -p tutor -- check {}", exercise.stage);
        assert_eq!(test["run"], command.as_str());
        assert!(test["name"].as_str().unwrap().contains(&exercise.page));
        assert!(test["timeout"].as_u64().is_some_and(|minutes| minutes > 0));
        assert!(test["points"].as_u64().is_some_and(|points| points > 0));
        assert!(workflow.contains(&format!("id: {}\n", exercise.package())));
        assert!(workflow.contains(&format!("command: {command}\n")));
    }
    assert!(workflow.contains("check --format junit"));
}
