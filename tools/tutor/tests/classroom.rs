//! GitHub Classroom's grading files name every exercise and every
//! challenge, each graded by the tutor's check, with a timeout and points;
//! and the workflow runs the same commands as `autograding.json` says.

use serde_json::Value;

#[test]
fn every_exercise_and_challenge_is_graded_by_the_tutors_check() {
    let workspace = stages::workspace_of(env!("CARGO_MANIFEST_DIR"));
    let exercises = stages::exercises::all(&workspace).unwrap();
    let text = std::fs::read_to_string(workspace.join(".github/classroom/autograding.json"))
        .expect("the grading file");
    let grading: Value = serde_json::from_str(&text).expect("autograding.json is JSON");
    let tests = grading["tests"].as_array().expect("a list of tests");
    let workflow =
        std::fs::read_to_string(workspace.join(".github/workflows/classroom.yml")).unwrap();
    // Each exercise, then its challenges: (what is checked, step id, title).
    let graded: Vec<(String, String, String)> = exercises
        .iter()
        .flat_map(|exercise| {
            let own = (
                exercise.stage.to_string(),
                exercise.package(),
                exercise.page.clone(),
            );
            let challenges = exercise.challenges.iter().map(|challenge| {
                (
                    challenge.id.clone(),
                    format!("challenge-{}", challenge.id),
                    challenge.title.clone(),
                )
            });
            std::iter::once(own).chain(challenges)
        })
        .collect();
    assert_eq!(
        tests.len(),
        graded.len(),
        "one test per exercise and challenge"
    );
    for (test, (number, id, title)) in tests.iter().zip(&graded) {
        let command = format!("cargo run -q -p tutor -- check {number}");
        assert_eq!(test["run"], command.as_str());
        assert!(test["name"].as_str().unwrap().contains(title.as_str()));
        assert!(test["timeout"].as_u64().is_some_and(|minutes| minutes > 0));
        assert!(test["points"].as_u64().is_some_and(|points| points > 0));
        assert!(workflow.contains(&format!("id: {id}\n")));
        assert!(workflow.contains(&format!("command: {command}\n")));
    }
    assert!(workflow.contains("check --format junit"));
}
