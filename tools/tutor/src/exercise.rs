//! Resetting an exercise, and its hints. The exercises themselves, and
//! what each leaves for the student, are made by the `stages` crate from
//! `source/`: there is one generator, and the tutor uses it.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::places::Places;

pub use stages::exercises::{Exercise, Gap, Open};

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
/// then puts the exercise back as it was handed out.
pub fn reset(places: &Places, exercise: &Exercise) -> Result<bool, String> {
    let folder = places.package(&exercise.package());
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup = places
        .exercises
        .join(format!(".backup/{}-{seconds}", exercise.package()));
    for (path, text) in stages::read_tree(&folder)? {
        if !path.starts_with("target/") {
            stages::write(&backup.join(&path), &text)?;
        }
    }
    let files = stages::exercises::files(&places.workspace, exercise, Open::All)?;
    write_files(&folder, &files)?;
    println!("exercise {} is back as it was handed out.", exercise.stage);
    println!("Your version is kept in {}.", places.show(&backup));
    Ok(true)
}

/// Writes `files` into `folder`, whose `src/` it first empties.
pub fn write_files(folder: &Path, files: &stages::Files) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(folder.join("src"));
    for (path, text) in files {
        stages::write(&folder.join(path), text)?;
    }
    Ok(())
}

/// `cargo run -p tutor -- hints N`.
pub fn print_hints(places: &Places, exercise: &Exercise) -> Result<bool, String> {
    print!("{}", hints(places, exercise));
    Ok(true)
}

/// What to write for `exercise`, gap by gap, and where the book explains
/// each.
pub fn hints(places: &Places, exercise: &Exercise) -> String {
    let mut text = format!(
        "Exercise {}: {} ({})\nWrite the body of:\n",
        exercise.stage,
        exercise.page,
        places.show(&places.workspace.join(&exercise.page_file))
    );
    for gap in &exercise.gaps {
        let file = places.package(&exercise.package()).join(&gap.file);
        text.push_str(&format!(
            "- {} in {}: {} (the book: {})\n",
            gap.function,
            places.show(&file),
            gap.hint,
            gap.sections_quoted()
        ));
    }
    text
}
