//! Copies of a student's work, kept before anything writes over it.
//!
//! Both `cargo run -p tutor -- reset N` and `cargo run -p stages --
//! generate` may put an exercise back as the source makes it. Whatever
//! its folder held is first copied, byte for byte, into a folder of its
//! own in `exercises/.backup` (which Git ignores), named after the
//! exercise and the time (UTC).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Copies the exercise folder `folder` (but Cargo's `target`) into a new
/// folder of `backups`, such as `exercise-3-2026-12-01-061502` (or
/// `...-061502-2` for a second copy within the same second). Returns it.
pub fn keep_copy(backups: &Path, package: &str, folder: &Path) -> Result<PathBuf, String> {
    let backup = new_backup_folder(backups, package);
    copy_folder(folder, &backup)?;
    Ok(backup)
}

/// A folder in `backups` that does not exist yet.
fn new_backup_folder(backups: &Path, package: &str) -> PathBuf {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = format!("{package}-{}", date_and_time(seconds));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_dates() {
        assert_eq!(date_and_time(0), "1970-01-01-000000");
        assert_eq!(date_and_time(951_782_400), "2000-02-29-000000");
        assert_eq!(date_and_time(1_796_104_008), "2026-12-01-054648");
    }

    #[test]
    fn a_copy_keeps_every_file_but_the_build_folder() {
        let scratch = std::env::temp_dir().join(format!("backup-test-{}", std::process::id()));
        let folder = scratch.join("exercise-2");
        fs::create_dir_all(folder.join("src")).unwrap();
        fs::create_dir_all(folder.join("target")).unwrap();
        fs::write(folder.join("src/a.rs"), "mine").unwrap();
        fs::write(folder.join("target/big"), "built").unwrap();
        let backups = scratch.join(".backup");
        let first = keep_copy(&backups, "exercise-2", &folder).unwrap();
        let second = keep_copy(&backups, "exercise-2", &folder).unwrap();
        assert_ne!(first, second, "a second copy has a folder of its own");
        assert_eq!(fs::read_to_string(first.join("src/a.rs")).unwrap(), "mine");
        assert!(!first.join("target").exists());
        fs::remove_dir_all(&scratch).unwrap();
    }
}
