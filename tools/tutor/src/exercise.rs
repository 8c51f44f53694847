//! Resetting an exercise, and its hints. The exercises themselves, and
//! what each leaves for the student, are made by the `stages` crate from
//! `source/`: there is one generator, and the tutor uses it.

use std::fs;
use std::path::{Path, PathBuf};
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
    let handed_out = stages::exercises::files(&places.workspace, exercise, Open::All)?;
    if stages::read_tree(&folder)? == handed_out {
        println!(
            "exercise {} is as it was handed out already: nothing to reset.",
            exercise.stage
        );
        return Ok(true);
    }
    let backup = new_backup_folder(places, exercise);
    copy_folder(&folder, &backup)?;
    write_files(&folder, &handed_out)?;
    println!("exercise {} is back as it was handed out.", exercise.stage);
    println!("Your version is kept in {}.", places.show(&backup));
    Ok(true)
}

/// A folder in `exercises/.backup` that does not exist yet, named after
/// the exercise and the time (UTC), such as `exercise-3-2026-12-01-061502`
/// (or `...-061502-2` for a second reset within the same second).
fn new_backup_folder(places: &Places, exercise: &Exercise) -> PathBuf {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = format!("{}-{}", exercise.package(), date_and_time(seconds));
    let backups = places.exercises.join(".backup");
    let mut folder = backups.join(&name);
    let mut count = 1;
    while folder.exists() {
        count += 1;
        folder = backups.join(format!("{name}-{count}"));
    }
    folder
}

/// Copies every file under `from` (but Cargo's `target`) into `to`, byte
/// for byte: whatever the student's folder holds is kept as it is.
fn copy_folder(from: &Path, to: &Path) -> Result<(), String> {
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in entries.flatten() {
        let (path, target) = (entry.path(), to.join(entry.file_name()));
        if path.is_dir() {
            if entry.file_name() != "target" {
                copy_folder(&path, &target)?;
            }
        } else {
            fs::copy(&path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// `YYYY-MM-DD-HHMMSS` for a number of seconds since 1970, in UTC.
fn date_and_time(seconds: u64) -> String {
    let (days, time) = (seconds / 86_400, seconds % 86_400);
    // The civil calendar from a day count, as in Howard Hinnant's
    // `civil_from_days`: eras of 400 years, years that start in March.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}-{:02}{:02}{:02}",
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
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
    let width = crate::terminal::width().clamp(40, 100);
    println!(
        "{}",
        crate::check::wrap(hints(places, exercise).trim_end(), width)
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_dates() {
        assert_eq!(date_and_time(0), "1970-01-01-000000");
        assert_eq!(date_and_time(951_782_400), "2000-02-29-000000");
        assert_eq!(date_and_time(1_796_104_008), "2026-12-01-054648");
    }
}
