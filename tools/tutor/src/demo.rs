//! After an exercise passes: the student's demo, held against the book.
//!
//! Each stage's page shows what its demo prints. Once a student's
//! exercise passes its tests, their stage should print the same, but for
//! what varies from run to run (which pool thread took a task, a tick's
//! number, a duration in milliseconds, the order of lines from different
//! threads). The book's own check, `book_check::outputs`, says what
//! varies; the tutor uses the same rule, and says what differs, if
//! anything: a log line left out, or one printed that the book does not
//! show.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use book_check::outputs::{compare, find_outputs};

use crate::check::wrap;
use crate::exercise::Exercise;
use crate::places::Places;
use crate::report::indent;

/// Far more than any stage's demo needs (the slowest runs for about 4 s).
const DEMO_LIMIT: Duration = Duration::from_secs(60);

/// What to tell the student about their demo, and whether it prints what
/// the book shows; or what differs. `None` if the page shows no run of
/// this stage.
pub fn compare_with_the_book(places: &Places, exercise: &Exercise) -> Option<(bool, String)> {
    let chapter = format!("chapter-{}", exercise.stage);
    let (page, shown) = stage_pages(places, exercise).into_iter().find_map(|page| {
        let markdown = std::fs::read_to_string(&page).ok()?;
        let shown = find_outputs(&page, &markdown)
            .ok()?
            .into_iter()
            .find(|output| output.package == chapter)?;
        Some((page, shown))
    })?;
    let page = places.show(&page);
    let command = format!(
        "cargo run --manifest-path {} -p {}",
        places.show(&places.exercises.join("Cargo.toml")),
        exercise.package()
    );
    let width = crate::terminal::width().clamp(40, 100);
    let same = |said: String| (true, said);
    let differs = |said: String| (false, said);
    let (as_shown, said) = match run_demo(places, exercise) {
        Err(why) => {
            let (first, rest) = why.split_once('\n').unwrap_or((&why, ""));
            let said = format!("Your demo (`{command}`) did not run to its end: {first}");
            differs(format!("{}\n{}", wrap(&said, width), indent(rest)))
        }
        Ok(printed) => match compare(&shown.text, &printed) {
            None => same(wrap(
                &format!(
                    "Your demo (`{command}`) prints what the book shows ({page}), but for \
                     what varies from run to run."
                ),
                width,
            )),
            Some(differences) => {
                let said = format!(
                    "Your exercise passes its tests, but its demo (`{command}`) does not \
                     print what the book shows ({page}, line {}). Thread ids, tick numbers, \
                     times and the order of lines may vary; these lines may not:",
                    shown.line
                );
                let lines: Vec<&str> = differences.lines().map(str::trim).collect();
                differs(format!(
                    "{}\n{}",
                    wrap(&said, width),
                    indent(&lines.join("\n"))
                ))
            }
        },
    };
    Some((as_shown, said.trim_end().to_string()))
}

/// The stage's page, then the pages nested under it in the book's summary
/// (such as "Stage N at work"): where the book may show the demo's output.
fn stage_pages(places: &Places, exercise: &Exercise) -> Vec<PathBuf> {
    exercise
        .pages
        .iter()
        .map(|page| places.workspace.join(&page.file))
        .collect()
}

/// Builds and runs the exercise's demo, and gives what it printed.
fn run_demo(places: &Places, exercise: &Exercise) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut child = Command::new(cargo)
        .args(["run", "-q", "--manifest-path"])
        .arg(places.exercises.join("Cargo.toml"))
        .args(["-p", &exercise.package()])
        .env("CARGO_TARGET_DIR", places.target())
        // The pages show runs with the default pool of four threads.
        .env_remove("UV_THREADPOOL_SIZE")
        .current_dir(places.package(&exercise.package()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let printed = thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let said = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break status;
        }
        if started.elapsed() > DEMO_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("it ran for more than {} s", DEMO_LIMIT.as_secs()));
        }
        thread::sleep(Duration::from_millis(20));
    };
    let printed = printed.join().unwrap_or_default();
    let said = said.join().unwrap_or_default();
    if !status.success() {
        let last_words: Vec<&str> = said.lines().rev().take(8).collect();
        let last_words: Vec<&str> = last_words.into_iter().rev().collect();
        return Err(format!("it failed ({status}):\n{}", last_words.join("\n")));
    }
    Ok(printed)
}
