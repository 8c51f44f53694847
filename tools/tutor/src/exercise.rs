//! Resetting an exercise, and the hints. The exercises themselves, and
//! what each leaves for the student, are made by the `stages` crate from
//! `source/`: there is one generator, and the tutor uses it.

use std::path::Path;

use crate::assignment::Assignment;
use crate::places::Places;

pub use stages::exercises::{Challenge, EquivalentMutant, Exercise, Gap, Open, WrongAnswer};

/// Every exercise, in stage order.
pub fn all(workspace: &Path) -> Result<Vec<Exercise>, String> {
    stages::exercises::all(workspace)
}

/// Every exercise that is in the exercises' folder (all of them, but a
/// copy made for a test may hold only some).
pub fn all_in(places: &Places) -> Result<Vec<Exercise>, String> {
    let mut exercises = all(&places.workspace)?;
    exercises.retain(|exercise| places.package(&exercise.package()).is_dir());
    Ok(exercises)
}

/// `cargo run -p tutor -- reset N`: keeps a copy of the student's work,
/// then puts the exercise, its challenges' files among them, back as it
/// was handed out.
pub fn reset(places: &Places, exercise: &Exercise) -> Result<bool, String> {
    let folder = places.package(&exercise.package());
    let handed_out = stages::exercises::files(&places.workspace, exercise, Open::All)?;
    if stages::read_tree(&folder)? == handed_out {
        println!(
            "exercise {} is as it was handed out already: nothing to reset.",
            exercise.stage
        );
        return Ok(true);
    }
    let backups = places.exercises.join(".backup");
    let backup = stages::backup::keep_copy(&backups, &exercise.package(), &folder)?;
    write_files(&folder, &handed_out)?;
    println!("exercise {} is back as it was handed out.", exercise.stage);
    println!("Your version is kept in {}.", places.show(&backup));
    Ok(true)
}

/// Writes `files` into `folder`, whose `src/` and `tests/` it first
/// empties.
pub fn write_files(folder: &Path, files: &stages::Files) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(folder.join("src"));
    let _ = std::fs::remove_dir_all(folder.join("tests"));
    for (path, text) in files {
        stages::write(&folder.join(path), text)?;
    }
    Ok(())
}

/// `cargo run -p tutor -- hints N` (or `Na`, for a challenge).
pub fn print_hints(places: &Places, assignment: &Assignment) -> Result<bool, String> {
    let width = crate::terminal::width().clamp(40, 100);
    println!(
        "{}",
        crate::check::wrap(hints(places, assignment).trim_end(), width)
    );
    Ok(true)
}

/// What to write for `assignment`, gap by gap, and where the book explains
/// each.
pub fn hints(places: &Places, assignment: &Assignment) -> String {
    let exercise = assignment.exercise;
    let page = places.show(&places.workspace.join(&exercise.page_file));
    let mut text = match assignment.challenge {
        None => format!(
            "Exercise {}: {} ({page})\nWrite the body of:\n",
            exercise.stage, exercise.page
        ),
        Some(challenge) => {
            // The page that states it: the one with its heading, `### 8a: ...`.
            let heading = format!("{}:", challenge.id);
            let stated = exercise
                .pages
                .iter()
                .find(|page| page.headings.iter().any(|h| h.starts_with(&heading)));
            let (title, file) = match stated {
                Some(stated) => (stated.title.as_str(), stated.file.as_str()),
                None => (exercise.page.as_str(), exercise.page_file.as_str()),
            };
            format!(
                "Challenge {}: {} (on the page \"{title}\", {})\n{}\nWrite the body of:\n",
                challenge.id,
                challenge.title,
                places.show(&places.workspace.join(file)),
                challenge.statement
            )
        }
    };
    for gap in assignment.gaps() {
        let file = places.package(&exercise.package()).join(&gap.file);
        // The sections alone when they are on the page named above; with
        // their pages when one is on a page nested under it.
        let on_the_page = gap.sections.iter().all(|section| {
            exercise
                .page_of(section)
                .is_none_or(|page| page.file == exercise.page_file)
        });
        let book = if on_the_page {
            gap.sections_quoted()
        } else {
            let groups: Vec<String> = exercise
                .sections_by_page(gap)
                .into_iter()
                .map(|(sections, title, file)| {
                    let file = places.show(&places.workspace.join(file));
                    format!("{sections}, on the page \"{title}\", {file}")
                })
                .collect();
            groups.join("; ")
        };
        text.push_str(&format!(
            "- {} in {}: {} (the book: {})\n",
            gap.function,
            places.show(&file),
            gap.hint,
            book
        ));
    }
    text
}
