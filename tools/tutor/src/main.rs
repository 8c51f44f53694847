//! The tutor: checks the classroom exercises and their challenges, says
//! what to do next, and gives results a grader reads.
//!
//! Students run it from the top of the workspace:
//!
//! ```text
//! cargo run -p tutor                   which exercises pass, and which is next
//! cargo run -p tutor -- watch          check the current exercise each time you save
//! cargo run -p tutor -- watch 5        the same, from exercise 5 on
//! cargo run -p tutor -- check 2        check exercise 2 only
//! cargo run -p tutor -- check 2a       check challenge 2a, a feature the book does not show
//! cargo run -p tutor -- hints 2        what to write, and where the book explains it
//! cargo run -p tutor -- solution 2     once it passes: yours beside the reference
//! cargo run -p tutor -- reset 2        put exercise 2 back as it was handed out
//! ```
//!
//! Teachers and graders add `--format json` or `--format junit` to
//! `check N`, or to `check` for every exercise. Maintainers (and CI) run
//! `prove`, which shows that every exercise is fair: see `prove.rs`.
//!
//! The exercises are made by `cargo run -p stages -- generate`.

mod assignment;
mod check;
mod compile;
mod demo;
mod exercise;
mod formats;
mod mutants;
mod panics;
mod places;
mod prove;
mod report;
mod run;
mod solution;
mod terminal;
mod variants;
mod watch;

use std::process::ExitCode;

use assignment::Assignment;
use exercise::Exercise;
use formats::Format;
use places::Places;

/// Why a command did not do what was asked.
enum Failure {
    /// The command line was wrong: the usage says how it goes.
    Usage(String),
    /// Something else went wrong, which the message says.
    Other(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Other(message)
    }
}

fn main() -> ExitCode {
    // `tutor check 2 | head -1`: when the reader goes away, end quietly,
    // as other command-line tools do, instead of panicking on a write.
    #[cfg(unix)]
    // SAFETY: SIG_DFL is the default action, and nothing else runs yet.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    match run_command(std::env::args().skip(1).collect()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        // As command-line tools do: 2 for a command line that is wrong.
        Err(Failure::Usage(message)) => {
            eprintln!("{message}\n\n{}", usage());
            ExitCode::from(2)
        }
        Err(Failure::Other(message)) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the command in `arguments`; true if all it checked passes.
fn run_command(mut arguments: Vec<String>) -> Result<bool, Failure> {
    let format = take_option(&mut arguments, "--format")?
        .map(|name| Format::parse(&name).map_err(Failure::Usage))
        .transpose()?;
    let exercises_folder = take_option(&mut arguments, "--exercises")?;
    let workspace = stages::workspace_of(env!("CARGO_MANIFEST_DIR"));
    let places = Places::new(&workspace, exercises_folder.as_deref())?;
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let text_only = |command: &str| match format {
        None | Some(Format::Text) => Ok(()),
        Some(_) => Err(Failure::Usage(format!(
            "{command} has no --format; check and status have"
        ))),
    };
    let exercises = exercise::all_in(&places)?;
    let outcome = match arguments.as_slice() {
        [] | ["status"] => match format {
            None | Some(Format::Text) => check::status(&places),
            Some(format) => check::check_all(&places, format),
        },
        ["check"] => check::check_all(&places, format.unwrap_or(Format::Text)),
        ["check", number] => {
            let assignment = find(&exercises, number)?;
            check::check_one(&places, &assignment, format.unwrap_or(Format::Text))
        }
        ["watch"] => {
            text_only("watch")?;
            watch::watch(&places, None)
        }
        ["watch", number] => {
            text_only("watch")?;
            watch::watch(&places, Some(find_exercise(&exercises, number)?.stage))
        }
        ["help" | "--help" | "-h"] => {
            println!("{}", usage());
            Ok(true)
        }
        ["hints", number] => {
            text_only("hints")?;
            exercise::print_hints(&places, &find(&exercises, number)?)
        }
        ["reset", number] => {
            text_only("reset")?;
            exercise::reset(&places, find_exercise(&exercises, number)?)
        }
        ["solution", number] => {
            text_only("solution")?;
            solution::show(&places, &find(&exercises, number)?)
        }
        ["prove"] => {
            text_only("prove")?;
            prove::prove(&places, None)
        }
        ["prove", number] => {
            text_only("prove")?;
            let stage = find_exercise(&exercise::all(&workspace)?, number)?.stage;
            prove::prove(&places, Some(stage))
        }
        [command, ..] if !KNOWN.contains(command) => {
            return Err(Failure::Usage(format!("there is no command `{command}`")));
        }
        [command, ..] => {
            return Err(Failure::Usage(format!(
                "`{}` is not how `{command}` goes",
                arguments.join(" ")
            )));
        }
    };
    Ok(outcome?)
}

/// The tutor's commands.
const KNOWN: [&str; 9] = [
    "status", "check", "watch", "help", "hints", "reset", "solution", "prove", "--help",
];

/// Removes `--name VALUE` (or `--name=VALUE`) from `arguments`, and gives
/// the value.
fn take_option(arguments: &mut Vec<String>, name: &str) -> Result<Option<String>, Failure> {
    let Some(at) = arguments
        .iter()
        .position(|a| a == name || a.starts_with(&format!("{name}=")))
    else {
        return Ok(None);
    };
    let argument = arguments.remove(at);
    if let Some((_, value)) = argument.split_once('=') {
        return Ok(Some(value.to_string()));
    }
    if at < arguments.len() {
        return Ok(Some(arguments.remove(at)));
    }
    Err(Failure::Usage(format!("{name} needs a value")))
}

/// The exercise or challenge a student names: `2`, or `2a`.
fn find<'a>(exercises: &'a [Exercise], number: &str) -> Result<Assignment<'a>, Failure> {
    assignment::find(exercises, number).ok_or_else(|| {
        let names: Vec<String> = assignment::all(exercises)
            .iter()
            .map(Assignment::number)
            .collect();
        Failure::Usage(format!(
            "there is no exercise or challenge {number}: they are {}",
            names.join(", ")
        ))
    })
}

/// An exercise, for the commands that take an exercise only.
fn find_exercise<'a>(exercises: &'a [Exercise], number: &str) -> Result<&'a Exercise, Failure> {
    let stages: Vec<String> = exercises.iter().map(|e| e.stage.to_string()).collect();
    number
        .parse::<usize>()
        .ok()
        .and_then(|number| exercises.iter().find(|e| e.stage == number))
        .ok_or_else(|| {
            Failure::Usage(format!(
                "there is no exercise {number}: they are {}",
                stages.join(", ")
            ))
        })
}

fn usage() -> String {
    "usage: cargo run -p tutor [-- COMMAND]\n\
     \n\
     \x20 status (or nothing)   which exercises pass, and which is next\n\
     \x20 watch [N]             check the current exercise (or N) each time you save\n\
     \x20 check [N]             check exercise N, or challenge Na (without N: all of them)\n\
     \x20 hints N               what to write for N (or Na), and where the book explains it\n\
     \x20 solution N            once N (or Na) passes: your code beside the reference\n\
     \x20 reset N               put exercise N, its challenges too, back as handed out\n\
     \x20 prove [N]             (for authors and CI) every exercise is fair\n\
     \n\
     \x20 --format json|junit   results for a machine (status and check)"
        .to_string()
}
