//! One package that holds every wrong version of an exercise's functions.
//!
//! To show that an exercise's tests tell a right answer from a wrong one,
//! `tutor prove` tries many wrong answers: each gap left open on its own,
//! each plausible mistake kept in `gaps.md`, and each mutant that `cargo
//! mutants` makes of the reference body. Built one by one, as a student's
//! answers are, that would be a build of the whole crate each, some two
//! hundred builds. So all of them go into one package instead: each gap's
//! function gets a body that asks which version to run, and runs it.
//!
//! ```text
//! fn ready_immediates(&mut self, limit: usize) {
//!     match crate::tutor_variant::active() {
//!         1 => { todo!("exercise 8: ...") }
//!         2 => { /* a wrong answer */ }
//!         3 => { /* a mutant */ }
//!         _ => { /* the reference body */ }
//!     }
//! }
//! ```
//!
//! The tests then run once per version, with `TUTOR_VARIANT` set to its
//! number. A version that does not compile (some mutants do not) is found
//! from the compiler's messages, by the lines it stands on, and left out,
//! as `cargo mutants` calls such a mutant unviable.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::exercise::{self, Exercise, Gap, WrongAnswer};
use crate::mutants::Mutant;
use crate::run::VARIANT;

/// A version of a gap's function, other than its reference body.
pub struct Variant<'a> {
    /// Its number, from 1: what `TUTOR_VARIANT` is set to, to run it.
    pub id: usize,
    pub gap: &'a Gap,
    pub kind: Kind<'a>,
    /// The function's body in this version.
    body: String,
}

pub enum Kind<'a> {
    /// The gap alone left open, the other gaps filled in: a test must
    /// reach its `todo!()`.
    Open,
    /// A plausible mistake from `gaps.md`.
    Wrong(&'a WrongAnswer),
    /// A mutant of the reference body.
    Mutant(Mutant),
}

impl Variant<'_> {
    /// What it is, for a message.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Open => format!("{} left open", self.gap.function),
            Kind::Wrong(wrong) => format!("the wrong answer \"{}\"", wrong.title),
            Kind::Mutant(mutant) => {
                format!("the mutant `{}` ({})", mutant.description, mutant.place)
            }
        }
    }
}

/// Every version of every gap of `exercise` (and of its challenges): the
/// gap left open, its wrong answers, and its mutants (from
/// `mutants_of(gap)`), numbered from 1.
pub fn all<'a>(
    exercise: &'a Exercise,
    mut mutants_of: impl FnMut(&Gap) -> Result<Vec<Mutant>, String>,
) -> Result<Vec<Variant<'a>>, String> {
    let mut variants = Vec::new();
    for gap in exercise.all_gaps() {
        let mut add = |kind: Kind<'a>, body: String| {
            variants.push(Variant {
                id: variants.len() + 1,
                gap,
                kind,
                body,
            })
        };
        add(
            Kind::Open,
            format!("todo!({:?})", exercise.todo_message(gap)),
        );
        for wrong in &gap.wrong_answers {
            add(Kind::Wrong(wrong), wrong.body.clone());
        }
        for mutant in mutants_of(gap)? {
            let (start, end, _) = stages::exercises::body_lines(&mutant.mutated, &gap.function)
                .map_err(|why| format!("{}: {why}", mutant.description))?;
            let body: Vec<&str> = mutant.mutated.lines().collect();
            add(Kind::Mutant(mutant.clone()), body[start..end].join("\n"));
        }
    }
    Ok(variants)
}

/// The package's name: the exercise's, with `-variants`.
pub fn package(exercise: &Exercise) -> String {
    format!("{}-variants", exercise.package())
}

/// Where each version's arm is in the package's files: the file, the
/// arm's first and last line (from 1), and the version's number.
type Arms = Vec<(String, usize, usize, usize)>;

/// The package's files: the solved exercise's, each gap's body made into
/// a choice between `variants` and the reference body.
fn files(
    exercise: &Exercise,
    solved: &stages::Files,
    variants: &[&Variant],
) -> Result<(stages::Files, Arms), String> {
    let mut files = solved.clone();
    let mut arms = Arms::new();
    let by_file: BTreeMap<&str, Vec<&Gap>> =
        exercise
            .all_gaps()
            .fold(BTreeMap::new(), |mut by_file, gap| {
                by_file.entry(gap.file.as_str()).or_default().push(gap);
                by_file
            });
    for (file, gaps) in by_file {
        let text = files.get(file).ok_or_else(|| format!("no file {file}"))?;
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut places: Vec<(usize, usize, String, &Gap)> = Vec::new();
        for gap in gaps {
            let (start, end, indent) = stages::exercises::body_lines(text, &gap.function)?;
            places.push((start, end, indent, gap));
        }
        places.sort_by_key(|(start, ..)| *start);
        // Each body, from the first down, grows by its arms: the lines
        // below it move down by as much.
        let mut moved = 0;
        for (start, end, indent, gap) in places {
            let (start, end) = (start + moved, end + moved);
            let reference = lines[start..end].to_vec();
            let mut choice = vec![format!(
                "{indent}    match crate::tutor_variant::active() {{"
            )];
            for variant in variants.iter().filter(|v| std::ptr::eq(v.gap, gap)) {
                let first = start + choice.len() + 1;
                choice.push(format!("{indent}        {} => {{", variant.id));
                choice.extend(variant.body.lines().map(str::to_string));
                choice.push(format!("{indent}        }}"));
                arms.push((file.to_string(), first, start + choice.len(), variant.id));
            }
            choice.push(format!("{indent}        _ => {{"));
            choice.extend(reference);
            choice.push(format!("{indent}        }}"));
            choice.push(format!("{indent}    }}"));
            moved += choice.len() - (end - start);
            lines.splice(start..end, choice);
        }
        files.insert(file.to_string(), lines.join("\n") + "\n");
    }
    let lib = files.get_mut("src/lib.rs").ok_or("no src/lib.rs")?;
    lib.push_str(&format!(
        "\n/// Which version of each function runs: see the tutor's `variants.rs`.\n\
         #[doc(hidden)]\n\
         pub mod tutor_variant {{\n\
         \x20   pub fn active() -> usize {{\n\
         \x20       static ACTIVE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();\n\
         \x20       *ACTIVE.get_or_init(|| {{\n\
         \x20           std::env::var(\"{VARIANT}\").ok().and_then(|v| v.parse().ok()).unwrap_or(0)\n\
         \x20       }})\n\
         \x20   }}\n\
         }}\n"
    ));
    let manifest = files.get_mut("Cargo.toml").ok_or("no Cargo.toml")?;
    *manifest = manifest.replacen(
        &format!("name = \"{}\"", exercise.package()),
        &format!("name = \"{}\"", package(exercise)),
        1,
    );
    Ok((files, arms))
}

/// Writes the package into `scratch`, and builds its tests, leaving out
/// each version that does not compile. Gives the numbers of the versions
/// left out. A version that must compile (a gap left open, a wrong answer)
/// and does not is an error.
pub fn write_and_build(
    scratch: &Path,
    target: &Path,
    exercise: &Exercise,
    solved: &stages::Files,
    variants: &[Variant],
) -> Result<Vec<usize>, String> {
    let mut unviable: Vec<usize> = Vec::new();
    loop {
        let viable: Vec<&Variant> = variants
            .iter()
            .filter(|v| !unviable.contains(&v.id))
            .collect();
        let (files, arms) = files(exercise, solved, &viable)?;
        let folder = scratch.join(package(exercise));
        exercise::write_files(&folder, &files)?;
        let errors = build_errors(scratch, target, &package(exercise))?;
        if errors.is_empty() {
            return Ok(unviable);
        }
        for (file, line, rendered) in errors {
            let arm = arms.iter().find(|(arm_file, first, last, _)| {
                file.ends_with(arm_file.as_str()) && (*first..=*last).contains(&line)
            });
            let Some(&(_, _, _, id)) = arm else {
                return Err(format!(
                    "{}: the versions of its functions do not compile, outside any one version:\n{rendered}",
                    package(exercise)
                ));
            };
            let variant = viable
                .iter()
                .find(|v| v.id == id)
                .expect("an arm of a version");
            if !matches!(variant.kind, Kind::Mutant(_)) {
                return Err(format!(
                    "exercise {}: {} in {} does not compile:\n{rendered}",
                    exercise.stage,
                    variant.describe(),
                    variant.gap.function
                ));
            }
            if !unviable.contains(&id) {
                unviable.push(id);
            }
        }
    }
}

/// Builds the tests of `package`, and gives the compiler's errors: each
/// one's file, line and text.
fn build_errors(
    scratch: &Path,
    target: &Path,
    package: &str,
) -> Result<Vec<(String, usize, String)>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["build", "--tests", "--message-format=json", "-p", package])
        .arg("--manifest-path")
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut errors = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let diagnostic = &message["message"];
        if message["reason"] != "compiler-message" || diagnostic["level"] != "error" {
            continue;
        }
        let spans = diagnostic["spans"].as_array().cloned().unwrap_or_default();
        let Some(span) = spans.iter().find(|span| span["is_primary"] == true) else {
            continue; // "aborting due to N previous errors"
        };
        errors.push((
            span["file_name"].as_str().unwrap_or("").to_string(),
            span["line_start"].as_u64().unwrap_or(0) as usize,
            diagnostic["rendered"].as_str().unwrap_or("").to_string(),
        ));
    }
    if errors.is_empty() && !output.status.success() {
        return Err(format!(
            "cargo could not build {package}:\n{}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    Ok(errors)
}
