//! The exercises: each is a stage's crate with some function bodies left
//! for the student, and the challenges that go beyond it.
//!
//! `source/exercises/gaps.md` says which bodies (see [`crate::gaps`]). The
//! exercise is the stage's crate with each of them replaced by a `todo!()`
//! whose message gives the hint and the sections of the page that explain
//! it; and with its challenges' files from `source/challenges/exercise-N`,
//! their functions opened the same way. The reference code itself carries
//! no trace of the exercises.

use std::path::Path;

use crate::{Files, chapter, read_tree};

pub use crate::gaps::{Challenge, EquivalentMutant, Exercise, Gap, Page, WrongAnswer};

/// The file, in `source/exercises`, that lists the gaps.
pub const GAPS: &str = "gaps.md";

/// The folder that holds each exercise's challenges, `exercise-N/`: what
/// each asks for and its hints, in [`CHALLENGES_FILE`], their reference
/// code in `src/` and their tests in `tests/`.
pub const CHALLENGES: &str = "source/challenges";

/// The file of an exercise's challenges, written as `gaps.md` is.
pub const CHALLENGES_FILE: &str = "challenges.md";

impl Exercise {
    /// The exercise's package, and its folder in `exercises/`.
    pub fn package(&self) -> String {
        format!("exercise-{}", self.stage)
    }

    /// Every gap: the exercise's own, then its challenges'.
    pub fn all_gaps(&self) -> impl Iterator<Item = &Gap> {
        self.gaps
            .iter()
            .chain(self.challenges.iter().flat_map(|c| &c.gaps))
    }

    pub fn challenge(&self, id: &str) -> Option<&Challenge> {
        self.challenges.iter().find(|c| c.id == id)
    }

    /// The message of the `todo!()` that stands for `gap`.
    pub fn todo_message(&self, gap: &Gap) -> String {
        let whose = match &gap.challenge {
            Some(id) => format!("challenge {id}"),
            None => format!("exercise {}", self.stage),
        };
        format!(
            "{whose}: {} The book explains it in {}.",
            gap.hint,
            self.explained_in(gap, |file| file.to_string())
        )
    }

    /// The page of the stage's pages that has the section `section`: the
    /// stage's own page, or one nested under it.
    pub fn page_of(&self, section: &str) -> Option<&Page> {
        self.pages
            .iter()
            .find(|page| page.headings.iter().any(|heading| heading == section))
    }

    /// Where the book explains `gap`: its sections, each in quotes, and
    /// the page each is on, its file shown by `show`: `"A" and "B", on
    /// the page "P" (book/src/p.md)`, or, when they are on two pages,
    /// `"A", on the page "P" (...), and "B", on the page "Q" (...)`.
    pub fn explained_in(&self, gap: &Gap, show: impl Fn(&str) -> String) -> String {
        let groups: Vec<String> = self
            .sections_by_page(gap)
            .into_iter()
            .map(|(sections, title, file)| {
                format!("{sections}, on the page \"{title}\" ({})", show(&file))
            })
            .collect();
        groups.join(", and ")
    }

    /// The sections of `gap`, in quotes and joined by `and` while they
    /// are on the same page, each group with its page's title and file.
    pub fn sections_by_page(&self, gap: &Gap) -> Vec<(String, String, String)> {
        let mut groups: Vec<(Vec<String>, String, String)> = Vec::new();
        for section in &gap.sections {
            let (title, file) = match self.page_of(section) {
                Some(page) => (page.title.clone(), page.file.clone()),
                None => (self.page.clone(), self.page_file.clone()),
            };
            match groups.last_mut() {
                Some((sections, last, _)) if *last == title => {
                    sections.push(format!("\"{section}\""))
                }
                _ => groups.push((vec![format!("\"{section}\"")], title, file)),
            }
        }
        groups
            .into_iter()
            .map(|(sections, title, file)| (sections.join(" and "), title, file))
            .collect()
    }
}

impl Challenge {
    /// The test program that checks it, in the exercise's `tests/`.
    pub fn suite(&self) -> String {
        format!("challenge_{}", self.id)
    }
}

/// Every exercise in `gaps.md`, in stage order, each checked against the
/// book: its page exists, and so does every section a gap names.
pub fn all(workspace: &Path) -> Result<Vec<Exercise>, String> {
    let gaps_file = workspace.join("source/exercises").join(GAPS);
    let text = read(&gaps_file)?;
    let summary = read(&workspace.join("book/src/SUMMARY.md"))?;
    let mut exercises = crate::gaps::parse(&format!("source/exercises/{GAPS}"), &text)?;
    for exercise in &mut exercises {
        let file = format!("{CHALLENGES}/{}/{CHALLENGES_FILE}", exercise.package());
        if let Ok(text) = std::fs::read_to_string(workspace.join(&file)) {
            crate::gaps::parse_challenges(&file, &text, exercise)?;
        }
        let page_name = format!("chapter-{}.md", exercise.stage);
        let pages = stage_pages(&summary, &page_name)
            .ok_or_else(|| format!("book/src/SUMMARY.md has no page {page_name}"))?;
        exercise.pages = Vec::new();
        for (title, name) in pages {
            let file = format!("book/src/{name}");
            let text = read(&workspace.join(&file))?;
            let headings = text
                .lines()
                .filter(|line| line.starts_with('#'))
                .map(|line| line.trim_start_matches('#').trim().to_string())
                .collect();
            exercise.pages.push(Page {
                title,
                file,
                headings,
            });
        }
        exercise.page = exercise.pages[0].title.clone();
        exercise.page_file = exercise.pages[0].file.clone();
        for gap in exercise.all_gaps() {
            for section in &gap.sections {
                if exercise.page_of(section).is_none() {
                    let file = match &gap.challenge {
                        Some(_) => format!("{CHALLENGES}/{}/{CHALLENGES_FILE}", exercise.package()),
                        None => format!("source/exercises/{GAPS}"),
                    };
                    let looked: Vec<&str> = exercise
                        .pages
                        .iter()
                        .map(|page| page.file.as_str())
                        .collect();
                    return Err(format!(
                        "{file}: exercise {}, {}: no section \"{section}\" on the stage's \
                         pages (looked in {})",
                        exercise.stage,
                        gap.function,
                        looked.join(", ")
                    ));
                }
            }
        }
    }
    Ok(exercises)
}

/// The stage's page `page_file` and the pages nested under it in the
/// summary, in order, each as its title and file name: `None` if the
/// summary has no such page.
fn stage_pages(summary: &str, page_file: &str) -> Option<Vec<(String, String)>> {
    let entry = |line: &str| -> Option<(String, String)> {
        let (title, rest) = line.split_once('[')?.1.split_once("](")?;
        Some((title.to_string(), rest.split_once(')')?.0.to_string()))
    };
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut lines = summary.lines();
    let own = lines.find(|line| line.contains(&format!("]({page_file})")))?;
    let mut pages = vec![(page_title(summary, page_file)?, page_file.to_string())];
    for line in lines {
        if line.trim().is_empty() || indent(line) <= indent(own) {
            break;
        }
        pages.extend(entry(line));
    }
    Some(pages)
}

fn page_title(summary: &str, page_file: &str) -> Option<String> {
    let line = summary
        .lines()
        .find(|line| line.contains(&format!("]({page_file})")))?;
    let title = line.split_once('[')?.1.split_once("](")?.0;
    Some(title.to_string())
}

/// Whether an exercise's gaps are left open.
#[derive(Clone, Copy, PartialEq)]
pub enum Open {
    /// Every gap, the challenges' too: the exercise as it is handed out.
    All,
    /// None: the exercise solved as the chapter solves it, and its
    /// challenges as their reference code does.
    None,
}

/// The files of an exercise, by their path in its folder: the chapter's
/// crate and the challenges' files, with the gaps left `open` or not.
pub fn files(workspace: &Path, exercise: &Exercise, open: Open) -> Result<Files, String> {
    let stage = exercise.stage;
    let chapter_files = chapter(workspace, stage)?;
    let challenge_files = challenge_files(workspace, exercise)?;
    let mut files: Files = chapter_files
        .iter()
        .filter(|(path, _)| !path.starts_with("tests/")) // run in place
        .map(|(path, text)| (path.clone(), text.clone()))
        .collect();
    for (path, text) in &challenge_files {
        match files.get_mut(path) {
            // A challenge's file named as one of the stage's adds to it:
            // the challenge extends that part, whose fields are private to
            // its file.
            Some(own) => *own = add_to(own, text),
            None => {
                files.insert(path.clone(), text.clone());
            }
        }
    }
    if open == Open::All {
        for (path, text) in files.iter_mut() {
            for gap in exercise.all_gaps().filter(|gap| &gap.file == path) {
                *text = open_gap(text, gap, &exercise.todo_message(gap))
                    .map_err(|why| format!("exercise {stage}: {path}: {why}"))?;
            }
        }
    }
    let modules: Vec<String> = challenge_files
        .keys()
        .filter(|path| !chapter_files.contains_key(*path))
        .filter_map(|path| path.strip_prefix("src/")?.strip_suffix(".rs"))
        .map(str::to_string)
        .collect();
    let lib = files
        .get_mut("src/lib.rs")
        .ok_or("the chapter has no src/lib.rs")?;
    *lib = allow_unfinished_code(lib);
    if !modules.is_empty() {
        lib.push_str(&challenge_modules(exercise, &modules));
    }
    let mut tests: Vec<(String, String)> = chapter_files
        .keys()
        .filter_map(|path| {
            let name = path.strip_prefix("tests/")?.strip_suffix(".rs")?;
            Some((
                name.to_string(),
                format!("../../chapters/chapter-{stage}/{path}"),
            ))
        })
        .filter(|(name, _)| !name.contains('/')) // tests/common/mod.rs is a module
        .collect();
    tests.extend(challenge_files.keys().filter_map(|path| {
        let name = path.strip_prefix("tests/")?.strip_suffix(".rs")?;
        Some((name.to_string(), path.clone()))
    }));
    let manifest = files
        .remove("Cargo.toml")
        .ok_or("the chapter has no Cargo.toml")?;
    files.insert(
        "Cargo.toml".to_string(),
        exercise_manifest(stage, &manifest, &exercise.package(), &tests),
    );
    for gap in exercise.all_gaps() {
        if !files.contains_key(&gap.file) {
            return Err(format!(
                "exercise {stage}: there is no file {} for {}",
                gap.file, gap.function
            ));
        }
    }
    Ok(files)
}

/// The files of an exercise's challenges, from `source/challenges`: their
/// code in `src/`, and one test program each in `tests/`, named after the
/// challenge.
pub fn challenge_files(workspace: &Path, exercise: &Exercise) -> Result<Files, String> {
    let folder = format!("{CHALLENGES}/{}", exercise.package());
    let files = read_tree(&workspace.join(&folder))?;
    let suites: Vec<String> = exercise.challenges.iter().map(Challenge::suite).collect();
    let mut files = files;
    files.remove(CHALLENGES_FILE);
    for path in files.keys() {
        let known = match path.strip_prefix("tests/") {
            Some(test) => suites.iter().any(|suite| test == format!("{suite}.rs")),
            None => path.starts_with("src/") && path.ends_with(".rs") && !path[4..].contains('/'),
        };
        if !known {
            return Err(format!(
                "{folder}/{path}: a challenge's folder holds src/NAME.rs and tests/challenge_ID.rs, for a challenge of source/exercises/{GAPS}"
            ));
        }
    }
    for suite in &suites {
        if !files.contains_key(&format!("tests/{suite}.rs")) {
            return Err(format!("{folder}/tests/{suite}.rs is missing"));
        }
    }
    Ok(files)
}

/// `file` with `addition` at its end: before its unit tests, if it has
/// any, since nothing comes after a test module.
fn add_to(file: &str, addition: &str) -> String {
    let tests = "#[cfg(test)]\nmod tests {";
    match file.find(&format!("\n{tests}")) {
        Some(at) => format!("{}{addition}\n{}", &file[..=at], &file[at + 1..]),
        None => format!("{file}\n{addition}"),
    }
}

/// The lines that make a challenge's files modules of the library.
fn challenge_modules(exercise: &Exercise, modules: &[String]) -> String {
    let ids: Vec<&str> = exercise.challenges.iter().map(|c| c.id.as_str()).collect();
    let mut lines = format!(
        "\n// The challenges: features this stage's page states at its end, but does\n\
         // not show. `cargo run -p tutor -- hints {}` says what each needs.\n",
        ids[0]
    );
    for module in modules {
        lines.push_str(&format!("pub mod {module};\n"));
    }
    lines
}

/// Where the body of `fn function` is in `text`: the index of its first
/// line and of its closing line, and the `fn` line's indentation.
///
/// It relies on rustfmt's layout, which `cargo fmt --check` keeps: the
/// signature ends with the line that ends with `{`, and the body ends at
/// the first `}` indented as much as the `fn` line.
pub fn body_lines(text: &str, function: &str) -> Result<(usize, usize, String), String> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&index| function_name(lines[index]).as_deref() == Some(function))
        .collect();
    let [start] = starts[..] else {
        return Err(format!(
            "there must be one fn {function}, there are {}",
            starts.len()
        ));
    };
    let indent = &lines[start][..lines[start].len() - lines[start].trim_start().len()];
    let body_start = (start..lines.len())
        .find(|&index| lines[index].ends_with('{'))
        .ok_or_else(|| format!("fn {function} has no body"))?
        + 1;
    let closing = format!("{indent}}}");
    let body_end = (body_start..lines.len())
        .find(|&index| lines[index] == closing)
        .ok_or_else(|| format!("the body of fn {function} never ends"))?;
    Ok((body_start, body_end, indent.to_string()))
}

/// `text` with the body of `gap`'s function replaced by a `todo!()`.
fn open_gap(text: &str, gap: &Gap, message: &str) -> Result<String, String> {
    let (body_start, body_end, indent) = body_lines(text, &gap.function)?;
    let lines: Vec<&str> = text.lines().collect();
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
/// the test programs, each a name and a path: the chapter's, run where
/// they are, and the challenges'.
fn exercise_manifest(
    stage: usize,
    chapter_manifest: &str,
    package: &str,
    tests: &[(String, String)],
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
    for (name, path) in tests {
        manifest.push_str(&format!(
            "\n[[test]]\nname = \"{name}\"\npath = \"{path}\"\n"
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
    fn a_stage_has_its_page_and_the_pages_nested_under_it() {
        let summary = "# Summary\n\n- [Stage 2](chapter-2.md)\n  - [At work](chapter-2-at-work.md)\n  - [Tests](chapter-2-tests.md)\n- [Other](other.md)\n  - [Under other](other-more.md)\n";
        let pages = stage_pages(summary, "chapter-2.md").unwrap();
        let names: Vec<&str> = pages.iter().map(|(_, file)| file.as_str()).collect();
        assert_eq!(
            names,
            ["chapter-2.md", "chapter-2-at-work.md", "chapter-2-tests.md"]
        );
        assert_eq!(pages[1].0, "At work");
        assert!(stage_pages(summary, "chapter-3.md").is_none());
    }

    #[test]
    fn a_gap_is_explained_on_the_pages_that_have_its_sections() {
        let page = |title: &str, file: &str, headings: &[&str]| Page {
            title: title.into(),
            file: file.into(),
            headings: headings.iter().map(|h| h.to_string()).collect(),
        };
        let exercise = Exercise {
            stage: 2,
            page: "Stage 2".into(),
            page_file: "p.md".into(),
            pages: vec![
                page("Stage 2", "p.md", &["A", "B"]),
                page("More", "q.md", &["C"]),
            ],
            ..Exercise::default()
        };
        let gap = |sections: &[&str]| Gap {
            file: "src/a.rs".into(),
            function: "f".into(),
            challenge: None,
            hint: String::new(),
            sections: sections.iter().map(|s| s.to_string()).collect(),
            wrong_answers: Vec::new(),
            equivalent_mutants: Vec::new(),
        };
        let show = |file: &str| format!("./{file}");
        assert_eq!(
            exercise.explained_in(&gap(&["A", "B"]), show),
            "\"A\" and \"B\", on the page \"Stage 2\" (./p.md)"
        );
        assert_eq!(
            exercise.explained_in(&gap(&["C", "A"]), show),
            "\"C\", on the page \"More\" (./q.md), and \"A\", on the page \"Stage 2\" (./p.md)"
        );
    }

    #[test]
    fn a_gap_becomes_a_todo_in_place_of_the_whole_body() {
        let text = "impl A {\n    fn first(&self) -> usize {\n        let x = 1;\n        x\n    }\n\n    fn second(\n        &self,\n    ) {\n        body();\n    }\n}\n";
        let gap = |function: &str| Gap {
            file: "src/a.rs".into(),
            function: function.into(),
            challenge: None,
            hint: String::new(),
            sections: Vec::new(),
            wrong_answers: Vec::new(),
            equivalent_mutants: Vec::new(),
        };
        let opened = open_gap(text, &gap("second"), "write it").unwrap();
        assert_eq!(
            opened,
            "impl A {\n    fn first(&self) -> usize {\n        let x = 1;\n        x\n    }\n\n    fn second(\n        &self,\n    ) {\n        todo!(\"write it\")\n    }\n}\n"
        );
        assert!(open_gap(text, &gap("third"), "x").is_err());
    }
}
