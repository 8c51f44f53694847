//! The tutor's command line: a command it does not know, or a number that
//! names no exercise, is told so, with the usage, and exits with 2, as
//! command-line tools do for a command line that is wrong.

use std::process::Command;

fn tutor(arguments: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tutor"))
        .args(arguments)
        .output()
        .expect("the tutor runs");
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), said)
}

#[test]
fn an_unknown_command_is_named_and_exits_with_2() {
    let (code, said) = tutor(&["frobnicate"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("there is no command `frobnicate`"), "{said}");
    assert!(said.contains("usage: cargo run -p tutor"), "{said}");
}

#[test]
fn an_exercise_that_does_not_exist_is_named_and_exits_with_2() {
    let (code, said) = tutor(&["hints", "99"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("there is no exercise or challenge 99"),
        "{said}"
    );
    let (code, said) = tutor(&["check", "2", "extra"]);
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("is not how `check` goes"), "{said}");
}

#[test]
fn help_exits_with_0() {
    let (code, _) = tutor(&["help"]);
    assert_eq!(code, Some(0));
}
