//! The stages, made from one source.
//!
//! Readers see each stage of the runtime as a complete crate, in
//! `chapters/chapter-N`, and each exercise as one, in
//! `exercises/exercise-N`. Nobody keeps those copies by hand: they are all
//! made from `source/`, so a change made once there reaches every stage
//! that has the code, and every exercise made from them.
//!
//! - `source/runtime/` holds the runtime and its tests, every stage at
//!   once. Its [`markers`] say which lines belong to which stages.
//! - `source/until-M/` holds files that a later stage rewrote, as the
//!   stages up to M have them; those stages take them instead of
//!   `source/runtime/`'s.
//! - `source/stage-N/` holds what belongs to stage N alone: its demo
//!   program, `src/main.rs`.
//! - `source/exercises/` holds the exercises' workspace files, and
//!   `gaps.md`, which says which function bodies each exercise leaves for
//!   the student (see [`exercises`]).
//!
//! `cargo run -p stages -- generate` writes `chapters/` and `exercises/`,
//! and GitHub Classroom's grading files (see [`classroom`]);
//! `cargo run -p stages -- check` fails, naming the files, when what is on
//! disk is not what the source makes.

pub mod backup;
pub mod classroom;
pub mod exercises;
pub mod gaps;
pub mod imports;
pub mod markers;
pub mod modules;
pub mod whole;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use markers::Annotated;

/// Files by their path from some folder, with `/` between folders.
pub type Files = BTreeMap<String, String>;

/// What the source makes: every file under `chapters/` and `exercises/`,
/// and the grading files under `.github/`, by their path from the top of
/// the workspace.
pub fn generated(workspace: &Path) -> Result<Files, String> {
    let stages = stages(workspace)?;
    let mut files = Files::new();
    for &stage in &stages {
        let folder = format!("chapters/chapter-{stage}");
        for (path, text) in chapter(workspace, stage)? {
            files.insert(format!("{folder}/{path}"), text);
        }
    }
    let exercises = exercises::all(workspace)?;
    for exercise in &exercises {
        let folder = format!("exercises/{}", exercise.package());
        for (path, text) in exercises::files(workspace, exercise, exercises::Open::All)? {
            files.insert(format!("{folder}/{path}"), text);
        }
    }
    files.extend(classroom::files(&exercises));
    for (path, text) in read_tree(&workspace.join("source/exercises"))? {
        if path != exercises::GAPS {
            files.insert(format!("exercises/{path}"), text);
        }
    }
    Ok(files)
}

/// The numbers of the stages: one per `source/stage-N` folder, from 1 on
/// with none missing.
pub fn stages(workspace: &Path) -> Result<Vec<usize>, String> {
    let source = workspace.join("source");
    let entries =
        fs::read_dir(&source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let mut stages: Vec<usize> = entries
        .flatten()
        .filter_map(|entry| {
            entry
                .file_name()
                .to_str()?
                .strip_prefix("stage-")?
                .parse()
                .ok()
        })
        .collect();
    stages.sort();
    if stages.is_empty()
        || stages
            .iter()
            .enumerate()
            .any(|(index, &stage)| stage != index + 1)
    {
        return Err(format!(
            "source/ must have folders stage-1 to stage-N, none missing; it has {stages:?}"
        ));
    }
    Ok(stages)
}

/// The files of stage `stage`'s crate, by their path in it.
///
/// They come from `source/runtime`, but where a folder `source/until-M`
/// has a file of the same path, the stages up to M take that file
/// instead: it is the file as those stages have it, where a later stage
/// rewrote it. Its lines are stage M's, and the lines that stage M lacks
/// sit in comments, as in `source/runtime` they do for the last stage.
/// A stage up to M that the `until-M` file has no line for has no such
/// file: `source/runtime`'s does not fill in. Where two `until` folders
/// have the file, a stage takes it from the nearest: `until-4` before
/// `until-12` for stage 3.
pub fn chapter(workspace: &Path, stage: usize) -> Result<Files, String> {
    let last_stage = *stages(workspace)?.last().expect("at least one stage");
    let mut files = Files::new();
    let mut problems = Vec::new();
    let mut sources = vec![(last_stage, String::from("source/runtime"))];
    // The nearest `until-M` last, so that it wins.
    for until in earlier_versions(workspace, last_stage)?.into_iter().rev() {
        sources.push((until, format!("source/until-{until}")));
    }
    for (until, folder) in sources {
        if stage > until {
            continue;
        }
        for (path, text) in read_tree(&workspace.join(&folder))? {
            if path == "STAGE.md" {
                // The source crate's own summary, a link to the last
                // stage's, is no stage's: each has its own, from
                // `source/stage-N`.
                continue;
            }
            files.remove(&path);
            match stage_of_file(&format!("{folder}/{path}"), &text, until, stage) {
                Ok(Some(text)) => {
                    files.insert(path, text);
                }
                Ok(None) => {}
                // Every file's mistakes at once, not only the first file's.
                Err(problem) => problems.push(problem),
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    modules::leave_out_missing_modules(&mut files);
    imports::drop_unused_imports(&mut files);
    for (path, text) in read_tree(&workspace.join(format!("source/stage-{stage}")))? {
        if files.contains_key(&path) {
            return Err(format!(
                "{path} is made from the runtime's source and is in source/stage-{stage} \
                 too: keep it in one"
            ));
        }
        files.insert(path, text);
    }
    Ok(files)
}

/// The numbers M of the folders `source/until-M`, in order: each below
/// the last stage.
fn earlier_versions(workspace: &Path, last_stage: usize) -> Result<Vec<usize>, String> {
    let source = workspace.join("source");
    let entries =
        fs::read_dir(&source).map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let mut untils = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(number) = name.strip_prefix("until-") else {
            continue;
        };
        match number.parse::<usize>() {
            // `until-012` would be read as 12, and then not be found.
            Ok(until) if (1..last_stage).contains(&until) && name == format!("until-{until}") => {
                untils.push(until)
            }
            _ => {
                return Err(format!(
                    "source/{name}: an earlier version's folder is `until-M`, M a stage \
                     before the last, {last_stage}"
                ));
            }
        }
    }
    untils.sort();
    Ok(untils)
}

/// The file `name` of the source, whose last stage is `last_stage`, as
/// stage `stage` has it; `None` if it has no line in that stage.
fn stage_of_file(
    name: &str,
    text: &str,
    last_stage: usize,
    stage: usize,
) -> Result<Option<String>, String> {
    let marker = match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("rs") => "//@",
        Some("toml") => "#@",
        // Anything else, such as the text file the demos read, is the
        // same in every stage.
        _ => return Ok(Some(text.to_string())),
    };
    Ok(Annotated::parse(name, text, marker, last_stage)?.for_stage(stage))
}

/// Which files on disk are not what the source makes: each one named, with
/// what is wrong with it. Empty when everything matches.
pub fn check(workspace: &Path) -> Result<Vec<String>, String> {
    let expected = generated(workspace)?;
    let found = on_disk(workspace)?;
    let mut problems = Vec::new();
    for (path, text) in &expected {
        match found.get(path) {
            None => problems.push(format!("{path} is missing")),
            Some(on_disk) if on_disk != text => problems.push(format!(
                "{path} differs from what the source makes, from line {}",
                first_difference(on_disk, text)
            )),
            Some(_) => {}
        }
    }
    for path in found.keys().filter(|path| !expected.contains_key(*path)) {
        problems.push(format!("{path} is not made by the source"));
    }
    Ok(problems)
}

/// The number of the first line at which two texts differ, from 1.
fn first_difference(one: &str, other: &str) -> usize {
    let mut other_lines = other.lines();
    let same = one
        .lines()
        .take_while(|line| other_lines.next() == Some(*line))
        .count();
    same + 1
}

/// Writes what the source makes, and removes what it no longer makes.
/// Files that are already right are left alone, so Cargo does not rebuild
/// them. Returns what it changed.
pub fn generate(workspace: &Path) -> Result<Vec<String>, String> {
    let expected = generated(workspace)?;
    let found = on_disk(workspace)?;
    let mut changes = keep_what_will_change(workspace, &expected, &found)?;
    for (path, text) in &expected {
        if found.get(path) != Some(text) {
            write(&workspace.join(path), text)?;
            changes.push(format!("wrote {path}"));
        }
    }
    for path in found.keys().filter(|path| !expected.contains_key(*path)) {
        let file = workspace.join(path);
        fs::remove_file(&file).map_err(|e| format!("cannot remove {path}: {e}"))?;
        remove_empty_folders(workspace, file.parent());
        changes.push(format!("removed {path}"));
    }
    Ok(changes)
}

/// An exercise's folder may hold a student's work: before `generate`
/// writes over it, a copy of each exercise that is about to change is kept
/// in `exercises/.backup`, as `tutor reset` keeps one. Returns what it
/// kept. An exercise that Git has as it is on disk holds nothing Git could
/// not give back, and is not copied: an author who changes the source
/// gets no copy of every exercise it changes.
fn keep_what_will_change(
    workspace: &Path,
    expected: &Files,
    found: &Files,
) -> Result<Vec<String>, String> {
    let changing: BTreeSet<&str> = expected
        .keys()
        .chain(found.keys())
        .filter(|path| expected.get(*path) != found.get(*path))
        .filter_map(|path| path.strip_prefix("exercises/")?.split_once('/'))
        .map(|(folder, _)| folder)
        .filter(|folder| folder.starts_with("exercise-"))
        .collect();
    let mut kept = Vec::new();
    for package in changing {
        let folder = workspace.join("exercises").join(package);
        if folder.is_dir() && !git_has_it_as_it_is(workspace, &folder) {
            let backups = workspace.join("exercises/.backup");
            let copy = backup::keep_copy(&backups, package, &folder)?;
            kept.push(format!(
                "kept a copy of exercises/{package} in {}",
                relative_name(workspace, &copy)
            ));
        }
    }
    Ok(kept)
}

/// Whether `folder` is in Git's last commit exactly as it is on disk: no
/// change, no new file (Cargo's and the tutor's own folders aside). Where
/// Git cannot say (no Git, or not a repository), it is not.
fn git_has_it_as_it_is(workspace: &Path, folder: &Path) -> bool {
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain", "--"])
        .arg(folder)
        .current_dir(workspace)
        .output();
    status.is_ok_and(|output| output.status.success() && output.stdout.is_empty())
}

/// Every file under `chapters/` and `exercises/` that the source owns: all
/// of them but Cargo's own (a lock file, a build folder) and the copies
/// `tutor reset` keeps of a student's work. And GitHub Classroom's two.
fn on_disk(workspace: &Path) -> Result<Files, String> {
    let mut files = Files::new();
    for path in [classroom::AUTOGRADING, classroom::WORKFLOW] {
        if let Ok(text) = fs::read_to_string(workspace.join(path)) {
            files.insert(path.to_string(), text);
        }
    }
    for folder in ["chapters", "exercises"] {
        for (path, text) in read_tree(&workspace.join(folder))? {
            let path = format!("{folder}/{path}");
            let ignored = [
                "exercises/Cargo.lock",
                "exercises/target/",
                "exercises/.backup/",
            ];
            if !ignored.iter().any(|ignored| path.starts_with(ignored))
                && !path.contains("/target/")
            {
                files.insert(path, text);
            }
        }
    }
    Ok(files)
}

/// Every file under `folder`, by its path from there; none if it does not
/// exist. Cargo's build folders (`target`) and the tutor's copies of a
/// student's work (`.backup`) are not part of any source, and are skipped.
pub fn read_tree(folder: &Path) -> Result<Files, String> {
    let mut files = Files::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(current) = folders.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "target" && entry.file_name() != ".backup" {
                    folders.push(path);
                }
            } else {
                // A file that is not text (an editor's swap file, say) is
                // read as well as it can be, not refused: it is still a file
                // that is there, and `check` names it.
                let bytes =
                    fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                files.insert(relative_name(folder, &path), text);
            }
        }
    }
    Ok(files)
}

/// Writes `text` to `path`, making its folders first.
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `path` from `base`, with `/` between folders.
pub fn relative_name(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Removes `folder` and the folders above it while they are empty, up to
/// the workspace.
fn remove_empty_folders(workspace: &Path, mut folder: Option<&Path>) {
    while let Some(current) = folder {
        if current == workspace || fs::remove_dir(current).is_err() {
            return;
        }
        folder = current.parent();
    }
}

/// The workspace's top folder, for a crate two folders below it.
pub fn workspace_of(manifest_dir: &str) -> PathBuf {
    Path::new(manifest_dir).join("../..")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workspace in a fresh temporary folder, with `files` in it.
    fn workspace_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let top = std::env::temp_dir().join(format!("stages-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&top);
        for (path, text) in files {
            write(&top.join(path), text).expect("a temporary file can be written");
        }
        top
    }

    #[test]
    fn the_stages_up_to_m_take_the_file_from_until_m() {
        let top = workspace_with(
            "until",
            &[
                ("source/stage-1/src/main.rs", "fn main() {}\n"),
                ("source/stage-2/src/main.rs", "fn main() {}\n"),
                ("source/stage-3/src/main.rs", "fn main() {}\n"),
                ("source/runtime/src/lib.rs", "mod wait;\nmod work;\n"),
                ("source/runtime/src/wait.rs", "fn in_the_loop() {}\n"),
                (
                    "source/until-2/src/wait.rs",
                    "//@ 2\nfn on_a_thread() {}\n//@ end\n",
                ),
                ("source/runtime/src/work.rs", "fn last() {}\n"),
                (
                    "source/until-2/src/work.rs",
                    "// fn first() {} //@ 1\nfn second() {} //@ 2\n",
                ),
            ],
        );
        let file = |stage| chapter(&top, stage).expect("the source is sound");
        assert_eq!(file(3)["src/wait.rs"], "fn in_the_loop() {}\n");
        assert_eq!(file(2)["src/wait.rs"], "fn on_a_thread() {}\n");
        // Not in stage 1 at all: `until-2` says so, and `runtime/` does
        // not fill in.
        assert!(!file(1).contains_key("src/wait.rs"));
        assert_eq!(file(1)["src/lib.rs"], "mod work;\n");
        // Stage 2's lines are the live ones; stage 1's are in comments.
        assert_eq!(file(1)["src/work.rs"], "fn first() {}\n");
        assert_eq!(file(2)["src/work.rs"], "fn second() {}\n");
        assert_eq!(file(3)["src/work.rs"], "fn last() {}\n");
        let _ = fs::remove_dir_all(&top);
    }

    #[test]
    fn an_until_folder_must_name_a_stage_before_the_last() {
        let top = workspace_with(
            "until-last",
            &[
                ("source/stage-1/src/main.rs", "fn main() {}\n"),
                ("source/until-1/src/a.rs", "fn a() {}\n"),
            ],
        );
        let problem = chapter(&top, 1).expect_err("until-1 is the last stage");
        assert!(problem.contains("source/until-1"), "{problem}");
        let _ = fs::remove_dir_all(&top);
    }
}
