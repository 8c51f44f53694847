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
pub fn chapter(workspace: &Path, stage: usize) -> Result<Files, String> {
    let last_stage = *stages(workspace)?.last().expect("at least one stage");
    let mut files = Files::new();
    let mut problems = Vec::new();
    for (path, text) in read_tree(&workspace.join("source/runtime"))? {
        if path == "STAGE.md" {
            // The source crate's own summary: a link to the last stage's.
            // Each stage has its own, from `source/stage-N`.
            continue;
        }
        let marker = match path.rsplit_once('.').map(|(_, extension)| extension) {
            Some("rs") => "//@",
            Some("toml") => "#@",
            // Anything else, such as the text file the demos read, is the
            // same in every stage.
            _ => {
                files.insert(path, text);
                continue;
            }
        };
        let name = format!("source/runtime/{path}");
        match Annotated::parse(&name, &text, marker, last_stage) {
            Ok(annotated) => {
                if let Some(text) = annotated.for_stage(stage) {
                    files.insert(path, text);
                }
            }
            // Every file's mistakes at once, not only the first file's.
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    modules::leave_out_missing_modules(&mut files);
    for (path, text) in read_tree(&workspace.join(format!("source/stage-{stage}")))? {
        if files.contains_key(&path) {
            return Err(format!(
                "{path} is in both source/runtime and source/stage-{stage}: keep it in one"
            ));
        }
        files.insert(path, text);
    }
    Ok(files)
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
