//! The tutor: checks the classroom exercises, says what to do next, and
//! gives results a grader reads.
//!
//! Students run it from the top of the workspace:
//!
//! ```text
//! cargo run -p tutor                   which exercises pass, and which is next
//! cargo run -p tutor -- watch          check the current exercise each time you save
//! cargo run -p tutor -- watch 5        the same, from exercise 5 on
//! cargo run -p tutor -- check 2        check exercise 2 only
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

mod check;
mod compile;
mod exercise;
mod formats;
mod places;
mod prove;
mod report;
mod run;
mod solution;
mod terminal;
mod watch;

use std::process::ExitCode;

use exercise::Exercise;
use formats::Format;
use places::Places;

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
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the command in `arguments`; true if all it checked passes.
fn run_command(mut arguments: Vec<String>) -> Result<bool, String> {
    let format = take_option(&mut arguments, "--format")?
        .map(|name| Format::parse(&name))
        .transpose()?;
    let exercises = take_option(&mut arguments, "--exercises")?;
    let workspace = stages::workspace_of(env!("CARGO_MANIFEST_DIR"));
    let places = Places::new(&workspace, exercises.as_deref())?;
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let text_only = |command: &str| match format {
        None | Some(Format::Text) => Ok(()),
        Some(_) => Err(format!(
            "{command} has no --format; check has\n\n{}",
            usage()
        )),
    };
    match arguments.as_slice() {
        [] | ["status"] => match format {
            None | Some(Format::Text) => check::status(&places),
            Some(format) => check::check_all(&places, format),
        },
        ["check"] => check::check_all(&places, format.unwrap_or(Format::Text)),
        ["check", number] => {
            let exercise = find(&places, number)?;
            check::check_one(&places, &exercise, format.unwrap_or(Format::Text))
        }
        ["watch"] => text_only("watch").and_then(|()| watch::watch(&places, None)),
        ["watch", number] => {
            text_only("watch")?;
            watch::watch(&places, Some(find(&places, number)?.stage))
        }
        ["help" | "--help" | "-h"] => {
            println!("{}", usage());
            Ok(true)
        }
        ["hints", number] => {
            text_only("hints")?;
            exercise::print_hints(&places, &find(&places, number)?)
        }
        ["reset", number] => {
            text_only("reset")?;
            exercise::reset(&places, &find(&places, number)?)
        }
        ["solution", number] => {
            text_only("solution")?;
            solution::show(&places, &find(&places, number)?)
        }
        ["prove"] => text_only("prove").and_then(|()| prove::prove(&places)),
        _ => Err(usage()),
    }
}

/// Removes `--name VALUE` (or `--name=VALUE`) from `arguments`, and gives
/// the value.
fn take_option(arguments: &mut Vec<String>, name: &str) -> Result<Option<String>, String> {
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
    Err(format!("{name} needs a value\n\n{}", usage()))
}

fn find(places: &Places, number: &str) -> Result<Exercise, String> {
    let exercises = exercise::all_in(places)?;
    let stages: Vec<String> = exercises.iter().map(|e| e.stage.to_string()).collect();
    number
        .parse::<usize>()
        .ok()
        .and_then(|number| exercises.into_iter().find(|e| e.stage == number))
        .ok_or_else(|| {
            format!(
                "there is no exercise {number}: they are {}\n\n{}",
                stages.join(", "),
                usage()
            )
        })
}

fn usage() -> String {
    "usage: cargo run -p tutor [-- COMMAND]\n\
     \n\
     \x20 status (or nothing)   which exercises pass, and which is next\n\
     \x20 watch [N]             check the current exercise (or N) each time you save\n\
     \x20 check [N]             check exercise N (without N, every exercise)\n\
     \x20 hints N               what to write for exercise N, and where the book explains it\n\
     \x20 solution N            once N passes: your code beside the reference\n\
     \x20 reset N               put exercise N back as it was handed out\n\
     \x20 prove                 (for CI) every exercise is fair\n\
     \n\
     \x20 --format json|junit   results for a machine (status and check)"
        .to_string()
}
