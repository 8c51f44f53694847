//! Resetting an exercise, and its hints. The exercises themselves, and
//! what each leaves for the student, are made by the `stages` crate from
//! `source/`: there is one generator, and the tutor uses it.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

pub use stages::exercises::Exercise;

/// Every exercise, in stage order.
pub fn all(workspace: &Path) -> Result<Vec<Exercise>, String> {
    stages::exercises::all(workspace)
}

/// `cargo run -p tutor -- reset N`: keeps a copy of the student's work,
/// then puts the exercise back as it was handed out.
pub fn reset(workspace: &Path, exercise: &Exercise) -> Result<bool, String> {
    let folder = workspace.join("exercises").join(exercise.package());
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup = workspace.join(format!(
        "exercises/.backup/{}-{seconds}",
        exercise.package()
    ));
    for (path, text) in stages::read_tree(&folder)? {
        if !path.starts_with("target/") {
            stages::write(&backup.join(&path), &text)?;
        }
    }
    let files = stages::exercises::files(workspace, exercise, None)?;
    write_files(&folder, &files)?;
    println!("exercise {} is back as it was handed out.", exercise.stage);
    println!(
        "Your version is kept in {}.",
        stages::relative_name(workspace, &backup)
    );
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
pub fn print_hints(_workspace: &Path, exercise: &Exercise) -> Result<bool, String> {
    println!(
        "Exercise {}: {} ({})",
        exercise.stage, exercise.page, exercise.page_file
    );
    println!("Write the body of:");
    for gap in &exercise.gaps {
        println!(
            "- {} in exercises/{}/{}: {} (the book: {})",
            gap.function,
            exercise.package(),
            gap.file,
            gap.hint,
            gap.sections_quoted()
        );
    }
    Ok(true)
}
