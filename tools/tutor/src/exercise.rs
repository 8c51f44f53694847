//! What an exercise is, and how it is made from its chapter.
//!
//! A chapter marks the bodies that its exercise leaves out:
//!
//! ```text
//! fn dispatch_waiting_tasks(&mut self) {
//!     // ANCHOR: exercise_dispatch Hand the waiting tasks to idle threads, ...
//!     ...the body...
//!     // ANCHOR_END: exercise_dispatch
//! }
//! ```
//!
//! They are anchor lines, so the book leaves them out of its listings. The
//! exercise is the chapter's crate with each marked body replaced by a
//! `todo!()` that says what belongs there and which page of the book
//! explains it. Its tests are the chapter's own test files, not copies.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

const START: &str = "// ANCHOR: exercise_";
const END: &str = "// ANCHOR_END: exercise_";

/// One exercise: a stage with at least one marked gap.
pub struct Exercise {
    pub stage: usize,
    /// The title of the stage's page in the book, such as "Stage 2: the
    /// thread pool", and its file.
    pub page: String,
    pub page_file: String,
    pub gaps: Vec<Gap>,
}

/// A function body the student writes.
pub struct Gap {
    /// The file, from the crate's folder, such as `src/thread_pool.rs`.
    pub file: String,
    pub function: String,
    pub hint: String,
}

impl Exercise {
    pub fn package(&self) -> String {
        format!("exercise-{}", self.stage)
    }

    pub fn chapter(&self, workspace: &Path) -> PathBuf {
        workspace.join(format!("chapters/chapter-{}", self.stage))
    }

    pub fn folder(&self, workspace: &Path) -> PathBuf {
        workspace.join(format!("exercises/exercise-{}", self.stage))
    }

    /// The package of the exercise with only `gap` open.
    pub fn gap_package(&self, gap: &Gap) -> String {
        format!("{}-{}", self.package(), gap.function.replace('_', "-"))
    }

    /// The message of the `todo!()` that stands for `gap`.
    pub fn todo_message(&self, gap: &Gap) -> String {
        format!(
            "exercise {}: {} The book explains it in \"{}\" ({}).",
            self.stage, gap.hint, self.page, self.page_file
        )
    }
}

/// Every exercise, in stage order: each chapter with marked gaps.
pub fn all(workspace: &Path) -> Result<Vec<Exercise>, String> {
    let summary = read(&workspace.join("book/src/SUMMARY.md"))?;
    let mut exercises = Vec::new();
    for stage in 1.. {
        let chapter = workspace.join(format!("chapters/chapter-{stage}"));
        if !chapter.is_dir() {
            break;
        }
        let mut gaps = Vec::new();
        for file in rust_files(&chapter.join("src"))? {
            let text = read(&file)?;
            let relative = relative_name(&chapter, &file);
            gaps.extend(gaps_in(&relative, &text)?);
        }
        if gaps.is_empty() {
            continue;
        }
        let page_file = format!("chapter-{stage}.md");
        let page = page_title(&summary, &page_file)
            .ok_or_else(|| format!("book/src/SUMMARY.md has no page {page_file}"))?;
        exercises.push(Exercise {
            stage,
            page,
            page_file: format!("book/src/{page_file}"),
            gaps,
        });
    }
    Ok(exercises)
}

fn gaps_in(file: &str, text: &str) -> Result<Vec<Gap>, String> {
    let mut gaps = Vec::new();
    let mut function = String::new();
    for line in text.lines() {
        if let Some(name) = function_name(line) {
            function = name;
        }
        let Some(marker) = line.trim().strip_prefix(START) else {
            continue;
        };
        let hint = hint_of(marker);
        if hint.is_empty() || hint.contains(['{', '}']) {
            return Err(format!(
                "{file}: the gap in {function} needs a hint without braces"
            ));
        }
        gaps.push(Gap {
            file: file.to_string(),
            function: function.clone(),
            hint: hint.to_string(),
        });
    }
    Ok(gaps)
}

/// What follows the gap's name on its marker line.
fn hint_of(marker: &str) -> &str {
    marker.split_once(' ').map_or("", |(_, hint)| hint).trim()
}

/// The name in a line such as `    pub(crate) fn work(thread_id: usize) {`:
/// the word after `fn`, if only qualifiers (`pub`, `const`...) come before.
fn function_name(line: &str) -> Option<String> {
    let (before, after) = line.split_once("fn ")?;
    let qualifiers = [
        "pub",
        "pub(crate)",
        "pub(super)",
        "const",
        "async",
        "unsafe",
    ];
    if !before
        .split_whitespace()
        .all(|word| qualifiers.contains(&word))
    {
        return None;
    }
    let name: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

fn page_title(summary: &str, page_file: &str) -> Option<String> {
    let line = summary
        .lines()
        .find(|line| line.contains(&format!("]({page_file})")))?;
    let title = line.split_once('[')?.1.split_once("](")?.0;
    Some(title.to_string())
}

/// The files of an exercise, by their path in its folder.
pub fn generate(workspace: &Path, exercise: &Exercise) -> Result<BTreeMap<String, String>, String> {
    generate_with(workspace, exercise, None)
}

/// The files of an exercise with every gap left open; or, given `only`,
/// with that gap open and the others filled in as in the chapter, as a
/// package of its own name (for `tutor prove`).
pub fn generate_with(
    workspace: &Path,
    exercise: &Exercise,
    only: Option<&Gap>,
) -> Result<BTreeMap<String, String>, String> {
    let chapter = exercise.chapter(workspace);
    let package = match only {
        Some(gap) => exercise.gap_package(gap),
        None => exercise.package(),
    };
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_string(),
        manifest(exercise, &chapter, &package)?,
    );
    for file in rust_files(&chapter.join("src"))? {
        let relative = relative_name(&chapter, &file);
        let mut text = with_gaps(exercise, &read(&file)?, only);
        if relative == "src/lib.rs" {
            text = text.replacen(
                "#![forbid(unsafe_code)]\n",
                "#![forbid(unsafe_code)]\n\
                 // An exercise: some functions are left for you to write. Until\n\
                 // they are, the compiler would warn about what they would use.\n\
                 // Take this line out once they are all written.\n\
                 #![allow(unused_variables, unused_imports, unused_mut, dead_code)]\n",
                1,
            );
        }
        files.insert(relative, text);
    }
    for entry in fs::read_dir(&chapter).map_err(|e| format!("{}: {e}", chapter.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if path.is_file() && name != "Cargo.toml" {
            files.insert(name, read(&path)?);
        }
    }
    Ok(files)
}

/// The chapter's code with the gaps' bodies replaced by `todo!()`s: all of
/// them, or only `only`. The marker lines go either way.
fn with_gaps(exercise: &Exercise, text: &str, only: Option<&Gap>) -> String {
    let mut output = String::new();
    let mut in_gap = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(marker) = trimmed.strip_prefix(START) {
            let hint = hint_of(marker);
            let gap = exercise
                .gaps
                .iter()
                .find(|gap| gap.hint == hint)
                .expect("found by all()");
            in_gap = only.is_none_or(|only| only.hint == gap.hint);
            if in_gap {
                let indent = &line[..line.len() - trimmed.len()];
                output.push_str(&format!(
                    "{indent}todo!({:?})\n",
                    exercise.todo_message(gap)
                ));
            }
        } else if trimmed.starts_with(END) {
            in_gap = false;
        } else if !in_gap {
            output.push_str(line);
            output.push('\n');
        }
    }
    output
}

/// The chapter's manifest, made into the exercise's: another package name,
/// the same library name (so the chapter's tests can use it), and the
/// chapter's test files.
fn manifest(exercise: &Exercise, chapter: &Path, package: &str) -> Result<String, String> {
    let original = read(&chapter.join("Cargo.toml"))?;
    let stage = exercise.stage;
    let (head, rest) = match original.split_once("\n[") {
        Some((head, rest)) => (head.to_string(), format!("\n[{rest}")),
        None => (original.clone(), String::new()),
    };
    let head = head.replace(
        &format!("name = \"chapter-{stage}\""),
        &format!("name = \"{package}\"\nautotests = false"),
    );
    let mut manifest = format!(
        "# Made from chapters/chapter-{stage} by `cargo run -p tutor -- generate`.\n\
         # Write your code in src/; `cargo run -p tutor -- reset {stage}` starts it afresh.\n\
         {head}\n\n\
         # The chapter's library name, so that the chapter's own tests run against\n\
         # this crate.\n\
         [lib]\n\
         name = \"chapter_{stage}\"\n\
         {rest}"
    );
    for test in rust_files(&chapter.join("tests"))? {
        if test.parent() != Some(&chapter.join("tests")) {
            continue; // tests/common/mod.rs is a module, not a test
        }
        let name = test.file_stem().unwrap_or_default().to_string_lossy();
        manifest.push_str(&format!(
            "\n[[test]]\nname = \"{name}\"\npath = \"../../chapters/chapter-{stage}/tests/{name}.rs\"\n"
        ));
    }
    Ok(manifest)
}

/// `cargo run -p tutor -- generate`: writes every exercise afresh. It
/// overwrites them all; a student resets one with `reset` instead.
pub fn generate_all(workspace: &Path) -> Result<bool, String> {
    let exercises = all(workspace)?;
    for exercise in &exercises {
        write_exercise(workspace, exercise)?;
        println!(
            "made exercises/{} from chapters/chapter-{}",
            exercise.package(),
            exercise.stage
        );
    }
    // An exercise whose chapter no longer marks any gap goes.
    let folders = fs::read_dir(workspace.join("exercises")).map_err(|e| e.to_string())?;
    for folder in folders.flatten().map(|entry| entry.path()) {
        let name = folder
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let made = exercises.iter().any(|exercise| exercise.package() == name);
        if name.starts_with("exercise-") && folder.is_dir() && !made {
            fs::remove_dir_all(&folder).map_err(|e| format!("cannot remove {name}: {e}"))?;
            println!("removed exercises/{name}: its chapter marks no gaps any more");
        }
    }
    Ok(true)
}

/// What differs between the exercise on disk and the one its chapter
/// makes; empty when they are the same.
pub fn differences(workspace: &Path, exercise: &Exercise) -> Result<Vec<String>, String> {
    let folder = exercise.folder(workspace);
    let expected = generate(workspace, exercise)?;
    let mut found = BTreeMap::new();
    for file in all_files(&folder)? {
        let relative = relative_name(&folder, &file);
        if !relative.starts_with("target/") {
            found.insert(relative, read(&file)?);
        }
    }
    let mut differences = Vec::new();
    for (file, text) in &expected {
        match found.get(file) {
            None => differences.push(format!("{file} is missing")),
            Some(on_disk) if on_disk != text => differences.push(format!("{file} differs")),
            Some(_) => {}
        }
    }
    for file in found.keys().filter(|file| !expected.contains_key(*file)) {
        differences.push(format!("{file} should not be there"));
    }
    Ok(differences)
}

/// `cargo run -p tutor -- reset N`: keeps a copy of the student's work,
/// then puts the exercise back as it was handed out.
pub fn reset(workspace: &Path, exercise: &Exercise) -> Result<bool, String> {
    let folder = exercise.folder(workspace);
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup = workspace.join(format!(
        "exercises/.backup/{}-{seconds}",
        exercise.package()
    ));
    for file in all_files(&folder)? {
        let relative = relative_name(&folder, &file);
        if !relative.starts_with("target/") {
            write(&backup.join(&relative), &read(&file)?)?;
        }
    }
    write_exercise(workspace, exercise)?;
    println!("exercise {} is back as it was handed out.", exercise.stage);
    println!(
        "Your version is kept in {}.",
        relative_name(workspace, &backup)
    );
    Ok(true)
}

fn write_exercise(workspace: &Path, exercise: &Exercise) -> Result<(), String> {
    write_files(&exercise.folder(workspace), &generate(workspace, exercise)?)
}

/// Writes `files` into `folder`, whose `src/` it first empties.
pub fn write_files(folder: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    let _ = fs::remove_dir_all(folder.join("src"));
    for (file, text) in files {
        write(&folder.join(file), text)?;
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
            "- {} in exercises/{}/{}: {}",
            gap.function,
            exercise.package(),
            gap.file,
            gap.hint
        );
    }
    Ok(true)
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `path` from `base`, with `/` between folders.
fn relative_name(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every `.rs` file under `folder`, sorted; none if it does not exist.
fn rust_files(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = all_files(folder)?;
    files.retain(|file| file.extension().is_some_and(|e| e == "rs"));
    Ok(files)
}

fn all_files(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_are_found_after_their_qualifiers() {
        assert_eq!(
            function_name("    pub(crate) fn work(id: usize) {").as_deref(),
            Some("work")
        );
        assert_eq!(
            function_name("pub const fn size() -> usize {").as_deref(),
            Some("size")
        );
        assert_eq!(function_name("fn main() {").as_deref(), Some("main"));
        assert_eq!(function_name("    let f = |x| fn_like(x);"), None);
        assert_eq!(function_name("// fn in a comment"), None);
    }

    #[test]
    fn gaps_are_read_from_their_markers() {
        let text = "fn a() {\n    // ANCHOR: exercise_a Do the thing.\n    body();\n    // ANCHOR_END: exercise_a\n}\n";
        let gaps = gaps_in("src/a.rs", text).unwrap();
        assert_eq!(gaps.len(), 1);
        assert_eq!(
            (gaps[0].function.as_str(), gaps[0].hint.as_str()),
            ("a", "Do the thing.")
        );
        assert!(gaps_in("src/a.rs", "fn a() {\n// ANCHOR: exercise_a\n}\n").is_err());
    }

    #[test]
    fn a_gap_becomes_a_todo_and_only_the_chosen_one_when_asked() {
        let text = "fn a() {\n    // ANCHOR: exercise_a Do a.\n    a_body();\n    // ANCHOR_END: exercise_a\n}\n\
                    fn b() {\n    // ANCHOR: exercise_b Do b.\n    b_body();\n    // ANCHOR_END: exercise_b\n}\n";
        let exercise = Exercise {
            stage: 9,
            page: "Stage 9".to_string(),
            page_file: "book/src/chapter-9.md".to_string(),
            gaps: gaps_in("src/x.rs", text).unwrap(),
        };
        let all_open = with_gaps(&exercise, text, None);
        assert!(all_open.contains("todo!(\"exercise 9: Do a."), "{all_open}");
        assert!(!all_open.contains("a_body") && !all_open.contains("b_body"));
        let one_open = with_gaps(&exercise, text, Some(&exercise.gaps[1]));
        assert!(
            one_open.contains("a_body();") && !one_open.contains("b_body"),
            "{one_open}"
        );
        assert!(!one_open.contains("ANCHOR"));
    }
}
