//! The exercises: each is a stage's crate with some function bodies left
//! for the student.
//!
//! `source/exercises/gaps.md` says which bodies, and what each `todo!()`
//! that stands in for one tells the student:
//!
//! ```text
//! ## Exercise 2
//!
//! ### src/thread_pool.rs: dispatch_waiting_tasks
//!
//! Hand the waiting tasks to idle threads, oldest task first, ...
//!
//! Book: Giving out tasks
//! ```
//!
//! Each `Book:` line names a section of the stage's page that explains
//! the function; it must be a heading on that page. The reference code
//! itself carries no trace of the exercises.

use std::path::Path;

use crate::{Files, chapter};

/// The file, in `source/exercises`, that lists the gaps.
pub const GAPS: &str = "gaps.md";

/// One exercise: a stage, and the function bodies its student writes.
pub struct Exercise {
    pub stage: usize,
    /// The title of the stage's page in the book, such as "Stage 2: the
    /// thread pool", and its file from the top of the workspace.
    pub page: String,
    pub page_file: String,
    pub gaps: Vec<Gap>,
}

/// A function body the student writes.
pub struct Gap {
    /// The file, from the crate's folder, such as `src/thread_pool.rs`.
    pub file: String,
    pub function: String,
    /// What belongs there, in a sentence or two.
    pub hint: String,
    /// The sections of the stage's page that explain it.
    pub sections: Vec<String>,
}

impl Gap {
    /// The sections, each in quotes: `"A"`, or `"A" and "B"`.
    pub fn sections_quoted(&self) -> String {
        let quoted: Vec<String> = self.sections.iter().map(|s| format!("\"{s}\"")).collect();
        quoted.join(" and ")
    }
}

impl Exercise {
    /// The exercise's package, and its folder in `exercises/`.
    pub fn package(&self) -> String {
        format!("exercise-{}", self.stage)
    }

    /// The package of the exercise with only `gap` open, which
    /// `tutor prove` builds to show that the tests reach that gap.
    pub fn gap_package(&self, gap: &Gap) -> String {
        format!("{}-{}", self.package(), gap.function.replace('_', "-"))
    }

    /// The message of the `todo!()` that stands for `gap`.
    pub fn todo_message(&self, gap: &Gap) -> String {
        format!(
            "exercise {}: {} The book explains it in {}, on the page \"{}\" ({}).",
            self.stage,
            gap.hint,
            gap.sections_quoted(),
            self.page,
            self.page_file
        )
    }
}

/// Every exercise in `gaps.md`, in stage order, each checked against the
/// book: its page exists, and so does every section a gap names.
pub fn all(workspace: &Path) -> Result<Vec<Exercise>, String> {
    let gaps_file = workspace.join("source/exercises").join(GAPS);
    let text = read(&gaps_file)?;
    let summary = read(&workspace.join("book/src/SUMMARY.md"))?;
    let mut exercises = parse(&text)?;
    for exercise in &mut exercises {
        let page_name = format!("chapter-{}.md", exercise.stage);
        exercise.page = page_title(&summary, &page_name)
            .ok_or_else(|| format!("book/src/SUMMARY.md has no page {page_name}"))?;
        exercise.page_file = format!("book/src/{page_name}");
        let page = read(&workspace.join(&exercise.page_file))?;
        for gap in &exercise.gaps {
            for section in &gap.sections {
                let heading = |line: &str| line.trim_start_matches('#').trim() == section;
                if !page
                    .lines()
                    .any(|line| line.starts_with('#') && heading(line))
                {
                    return Err(format!(
                        "source/exercises/{GAPS}: exercise {}, {}: {} has no section \"{section}\"",
                        exercise.stage, gap.function, exercise.page_file
                    ));
                }
            }
        }
    }
    Ok(exercises)
}

/// Reads the exercises and their gaps from the text of `gaps.md`; the page
/// titles are filled in by [`all`].
fn parse(text: &str) -> Result<Vec<Exercise>, String> {
    let mut exercises: Vec<Exercise> = Vec::new();
    let error = |line: usize, why: &str| format!("source/exercises/{GAPS}:{}: {why}", line + 1);
    for (number, line) in text.lines().enumerate() {
        if let Some(title) = line.strip_prefix("## Exercise ") {
            let stage = title
                .trim()
                .parse()
                .map_err(|_| error(number, "the heading must be `## Exercise N`"))?;
            exercises.push(Exercise {
                stage,
                page: String::new(),
                page_file: String::new(),
                gaps: Vec::new(),
            });
        } else if let Some(place) = line.strip_prefix("### ") {
            let exercise = exercises
                .last_mut()
                .ok_or_else(|| error(number, "a gap before any `## Exercise N`"))?;
            let (file, function) = place
                .split_once(": ")
                .ok_or_else(|| error(number, "the heading must be `### FILE: FUNCTION`"))?;
            exercise.gaps.push(Gap {
                file: file.trim().to_string(),
                function: function.trim().to_string(),
                hint: String::new(),
                sections: Vec::new(),
            });
        } else if let Some(gap) = exercises.last_mut().and_then(|e| e.gaps.last_mut()) {
            if let Some(section) = line.strip_prefix("Book: ") {
                gap.sections.push(section.trim().to_string());
            } else if !line.trim().is_empty() && gap.sections.is_empty() {
                if !gap.hint.is_empty() {
                    gap.hint.push(' ');
                }
                gap.hint.push_str(line.trim());
            }
        }
    }
    for exercise in &exercises {
        for gap in &exercise.gaps {
            let name = format!("exercise {}, {}", exercise.stage, gap.function);
            if gap.hint.is_empty() || gap.sections.is_empty() {
                return Err(format!(
                    "source/exercises/{GAPS}: {name} needs a hint and a `Book:` line"
                ));
            }
            // The hint becomes the format string of a `todo!()`.
            if gap.hint.contains(['{', '}']) {
                return Err(format!(
                    "source/exercises/{GAPS}: {name}: a hint cannot hold braces"
                ));
            }
        }
    }
    Ok(exercises)
}

fn page_title(summary: &str, page_file: &str) -> Option<String> {
    let line = summary
        .lines()
        .find(|line| line.contains(&format!("]({page_file})")))?;
    let title = line.split_once('[')?.1.split_once("](")?.0;
    Some(title.to_string())
}

/// Which gaps of an exercise are left open.
#[derive(Clone, Copy)]
pub enum Open<'a> {
    /// Every gap: the exercise as it is handed out.
    All,
    /// Only this one, the others filled in as in the chapter, under a
    /// package name of its own.
    Only(&'a Gap),
    /// None: the exercise solved as the chapter solves it.
    None,
}

impl Open<'_> {
    fn includes(&self, gap: &Gap) -> bool {
        match self {
            Open::All => true,
            Open::Only(only) => only.function == gap.function,
            Open::None => false,
        }
    }
}

/// The files of an exercise, by their path in its folder: the chapter's
/// crate with the gaps `open` left open.
pub fn files(workspace: &Path, exercise: &Exercise, open: Open) -> Result<Files, String> {
    let stage = exercise.stage;
    let mut files = Files::new();
    for (path, text) in chapter(workspace, stage)? {
        if path.starts_with("tests/") {
            continue; // the exercise runs the chapter's own tests, in place
        }
        let mut text = text;
        for gap in exercise.gaps.iter().filter(|gap| gap.file == path) {
            if open.includes(gap) {
                text = open_gap(&text, gap, &exercise.todo_message(gap))
                    .map_err(|why| format!("exercise {stage}: {path}: {why}"))?;
            }
        }
        if path == "src/lib.rs" {
            text = allow_unfinished_code(&text);
        }
        files.insert(path, text);
    }
    let package = match open {
        Open::Only(gap) => exercise.gap_package(gap),
        Open::All | Open::None => exercise.package(),
    };
    let tests = chapter(workspace, stage)?
        .into_keys()
        .filter_map(|path| {
            Some(
                path.strip_prefix("tests/")?
                    .strip_suffix(".rs")?
                    .to_string(),
            )
        })
        .filter(|name| !name.contains('/')) // tests/common/mod.rs is a module
        // The trace's test checks the runtime's `trace::` lines, some of
        // which sit in the functions a student writes: an answer without
        // them is right all the same.
        .filter(|name| name != "trace")
        .collect::<Vec<_>>();
    let manifest = files
        .remove("Cargo.toml")
        .ok_or("the chapter has no Cargo.toml")?;
    files.insert(
        "Cargo.toml".to_string(),
        exercise_manifest(stage, &manifest, &package, &tests),
    );
    for gap in &exercise.gaps {
        if !files.contains_key(&gap.file) {
            return Err(format!(
                "exercise {stage}: the chapter has no file {}",
                gap.file
            ));
        }
    }
    Ok(files)
}

/// `text` with the body of `gap`'s function replaced by a `todo!()`.
///
/// It relies on rustfmt's layout, which `cargo fmt --check` keeps: the
/// signature ends with the line that ends with `{`, and the body ends at
/// the first `}` indented as much as the `fn` line.
fn open_gap(text: &str, gap: &Gap, message: &str) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&index| function_name(lines[index]).as_deref() == Some(gap.function.as_str()))
        .collect();
    let [start] = starts[..] else {
        return Err(format!(
            "there must be one fn {}, there are {}",
            gap.function,
            starts.len()
        ));
    };
    let indent = &lines[start][..lines[start].len() - lines[start].trim_start().len()];
    let body_start = (start..lines.len())
        .find(|&index| lines[index].ends_with('{'))
        .ok_or_else(|| format!("fn {} has no body", gap.function))?
        + 1;
    let closing = format!("{indent}}}");
    let body_end = (body_start..lines.len())
        .find(|&index| lines[index] == closing)
        .ok_or_else(|| format!("the body of fn {} never ends", gap.function))?;
    let mut output: Vec<String> = lines[..body_start]
        .iter()
        .map(|line| line.to_string())
        .collect();
    // Laid out as rustfmt would: on one line if it fits in 100 columns.
    let one_line = format!("{indent}    todo!({message:?})");
    if one_line.len() <= 100 {
        output.push(one_line);
    } else {
        output.push(format!("{indent}    todo!("));
        output.push(format!("{indent}        {message:?}"));
        output.push(format!("{indent}    )"));
    }
    output.extend(lines[body_end..].iter().map(|line| line.to_string()));
    Ok(output.join("\n") + "\n")
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

/// Until the student writes the missing bodies, the compiler would warn
/// about what they would use.
fn allow_unfinished_code(lib: &str) -> String {
    lib.replacen(
        "#![forbid(unsafe_code)]\n",
        "#![forbid(unsafe_code)]\n\
         // An exercise: some functions are left for you to write. Until\n\
         // they are, the compiler would warn about what they would use.\n\
         // Take this line out once they are all written.\n\
         #![allow(unused_variables, unused_imports, unused_mut, dead_code)]\n",
        1,
    )
}

/// The chapter's manifest, made into the exercise's: another package name,
/// the same library name (so that the chapter's tests can use it), and
/// the chapter's test files, run where they are.
fn exercise_manifest(
    stage: usize,
    chapter_manifest: &str,
    package: &str,
    tests: &[String],
) -> String {
    let (head, rest) = match chapter_manifest.split_once("\n[") {
        Some((head, rest)) => (head.to_string(), format!("\n[{rest}")),
        None => (chapter_manifest.to_string(), String::new()),
    };
    let head = head.replace(
        &format!("name = \"chapter-{stage}\""),
        &format!("name = \"{package}\"\nautotests = false"),
    );
    let mut manifest = format!(
        "# Made from source/ by `cargo run -p stages -- generate`.\n\
         # Write your code in src/; `cargo run -p tutor -- reset {stage}` starts it afresh.\n\
         {head}\n\n\
         # The chapter's library name, so that the chapter's own tests run against\n\
         # this crate.\n\
         [lib]\n\
         name = \"chapter_{stage}\"\n\
         {rest}"
    );
    for name in tests {
        manifest.push_str(&format!(
            "\n[[test]]\nname = \"{name}\"\npath = \"../../chapters/chapter-{stage}/tests/{name}.rs\"\n"
        ));
    }
    manifest
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GAPS_MD: &str = "# The exercises\n\nSome words.\n\n## Exercise 2\n\n\
        ### src/a.rs: first\n\nDo the first\nthing.\n\nBook: The first\n\n\
        ### src/a.rs: second\n\nDo the second.\n\nBook: The second\n";

    #[test]
    fn gaps_are_read_with_their_hints_and_sections() {
        let exercises = parse(GAPS_MD).unwrap();
        assert_eq!(exercises.len(), 1);
        assert_eq!(exercises[0].stage, 2);
        let gaps = &exercises[0].gaps;
        assert_eq!(gaps.len(), 2);
        assert_eq!(
            (gaps[0].file.as_str(), gaps[0].function.as_str()),
            ("src/a.rs", "first")
        );
        assert_eq!(gaps[0].hint, "Do the first thing.");
        assert_eq!(gaps[0].sections, ["The first"]);
        assert_eq!(gaps[1].hint, "Do the second.");
    }

    #[test]
    fn a_gap_without_a_section_or_with_braces_is_refused() {
        let missing = "## Exercise 3\n### src/a.rs: f\nDo it.\n";
        assert!(parse(missing).err().unwrap().contains("`Book:` line"));
        let braces = "## Exercise 3\n### src/a.rs: f\nDo {it}.\nBook: X\n";
        assert!(parse(braces).err().unwrap().contains("braces"));
    }

    #[test]
    fn function_names_are_found_after_their_qualifiers() {
        assert_eq!(
            function_name("    pub(crate) fn work(id: usize) {").as_deref(),
            Some("work")
        );
        assert_eq!(function_name("fn main() {").as_deref(), Some("main"));
        assert_eq!(function_name("    let f = |x| fn_like(x);"), None);
        assert_eq!(function_name("// fn in a comment"), None);
    }

    #[test]
    fn a_gap_becomes_a_todo_in_place_of_the_whole_body() {
        let text = "impl A {\n    fn first(&self) -> usize {\n        let x = 1;\n        x\n    }\n\n    fn second(\n        &self,\n    ) {\n        body();\n    }\n}\n";
        let gap = |function: &str| Gap {
            file: "src/a.rs".into(),
            function: function.into(),
            hint: String::new(),
            sections: Vec::new(),
        };
        let opened = open_gap(text, &gap("second"), "write it").unwrap();
        assert_eq!(
            opened,
            "impl A {\n    fn first(&self) -> usize {\n        let x = 1;\n        x\n    }\n\n    fn second(\n        &self,\n    ) {\n        todo!(\"write it\")\n    }\n}\n"
        );
        assert!(open_gap(text, &gap("third"), "x").is_err());
    }
}
