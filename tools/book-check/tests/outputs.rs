//! The output each page shows is what that stage's run prints: this runs
//! every stage a page shows the output of, and compares (see
//! `book_check::outputs` for what may differ between runs).

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use book_check::markdown_pages;
use book_check::outputs::{ShownOutput, compare, find_outputs, without_system_words};

/// Far more than any run needs (the slowest stage runs for about 4 s, and
/// `tutor check 2` first builds the exercise, which on a machine busy with
/// other builds took over a minute); only a run that hangs reaches it.
const DEADLINE: Duration = Duration::from_secs(600);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `cargo run -q -p <package>`, or `cargo run -q -p <package> --
/// <arguments>` for a marker such as `tutor check 2`, and returns what it
/// printed, or why it failed. With a `target`, the package is built for
/// it, and cargo runs it with that target's runner (for Windows, Wine).
fn run(command: &str, target: Option<&str>) -> Result<String, String> {
    let mut words = command.split_whitespace();
    let package = words.next().unwrap_or_default();
    let arguments: Vec<&str> = words.collect();
    let separator = if arguments.is_empty() {
        None
    } else {
        Some("--")
    };
    let mut child = Command::new(env!("CARGO"))
        .args(["run", "-q", "-p", package])
        .args(target.map(|target| format!("--target={target}")))
        .args(separator)
        .args(&arguments)
        // The pages show runs with the default pool of four threads.
        .env_remove("UV_THREADPOOL_SIZE")
        // And the tutor's words fitted to 80 columns, as where no terminal
        // says otherwise.
        .env("COLUMNS", "80")
        .current_dir(workspace())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = thread::spawn(move || {
        let mut printed = String::new();
        stdout.read_to_string(&mut printed).map(|_| printed)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            return Err(format!(
                "`cargo run -p {command}` did not finish within {DEADLINE:?}"
            ));
        }
        thread::sleep(Duration::from_millis(20));
    };
    let printed = reader
        .join()
        .expect("reader thread")
        .map_err(|e| e.to_string())?;
    // A command with arguments is the tutor's: it says "not yet" by
    // failing, and what it printed is what the page shows.
    if !status.success() && (arguments.is_empty() || printed.is_empty()) {
        let mut errors = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ = stderr.read_to_string(&mut errors);
        }
        return Err(format!(
            "`cargo run -p {command}` failed ({status}):\n{errors}"
        ));
    }
    Ok(printed)
}

/// Whether `exercises/` is what the source makes: no student's work in it.
fn exercises_as_handed_out() -> bool {
    stages::check(&workspace())
        .map(|problems| !problems.iter().any(|p| p.starts_with("exercises/")))
        .unwrap_or(false)
}

#[test]
fn every_output_shown_in_the_book_is_what_its_stage_prints() {
    check_outputs(None);
}

/// The same for every stage's demo built for another target, named by
/// `BOOK_OUTPUTS_TARGET`, and run by cargo's runner for it: `.ci/run`
/// runs the Windows build under Wine. A demo prints there what its page
/// shows, but for the numbers that vary between runs. (The tutor's runs
/// are left out: it is a tool for this machine, not a stage.)
#[test]
#[ignore = "needs BOOK_OUTPUTS_TARGET and a runner for it: .ci/run runs it for Windows, under Wine"]
fn every_stage_prints_on_another_target_what_its_page_shows() {
    let target = std::env::var("BOOK_OUTPUTS_TARGET")
        .expect("BOOK_OUTPUTS_TARGET names the target, such as x86_64-pc-windows-gnu");
    check_outputs(Some(&target));
}

/// Runs every package whose output a page shows, built for `target` if
/// one is given, and compares what it prints with the page.
fn check_outputs(target: Option<&str>) {
    let src = workspace().join("book/src");
    let mut shown: Vec<ShownOutput> = Vec::new();
    for page in markdown_pages(&src) {
        let markdown = fs::read_to_string(&page).unwrap();
        shown.extend(find_outputs(&page, &markdown).unwrap_or_else(|e| panic!("{e}")));
    }

    let mut printed: BTreeMap<String, Result<String, String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for output in &shown {
        if output.package.starts_with("tutor ") && target.is_some() {
            continue;
        }
        if output.package.starts_with("tutor ") && !exercises_as_handed_out() {
            // The tutor's words shown in the book are about the exercises
            // as handed out; a student's work changes them, rightly.
            eprintln!(
                "skipped {}:{}: the exercises are not as handed out",
                output.page.display(),
                output.line
            );
            continue;
        }
        let run = printed
            .entry(output.package.clone())
            .or_insert_with(|| run(&output.package, target));
        let place = format!(
            "{}:{} ({})",
            output.page.display(),
            output.line,
            output.package
        );
        match run {
            Err(error) => problems.push(format!("{place}: {error}")),
            Ok(printed) => {
                let (shown, printed) = match target {
                    // Another system words its errors its own way.
                    Some(_) => (
                        each_line(&output.text, without_system_words),
                        each_line(printed, without_system_words),
                    ),
                    None => (output.text.clone(), printed.clone()),
                };
                if let Some(report) = compare(&shown, &printed) {
                    problems.push(format!("{place}: the page differs from a run:\n{report}"));
                }
            }
        }
    }

    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `text` with `change` made to each of its lines.
fn each_line(text: &str, change: fn(&str) -> String) -> String {
    text.lines().map(change).collect::<Vec<_>>().join("\n")
}
