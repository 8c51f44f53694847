//! Keeps the book honest.
//!
//! Every code block in the book is pulled in from the workspace with
//! `{{#include file:anchor}}`. mdBook is forgiving about these: a missing
//! file still builds, and a missing anchor silently gives an empty block.
//! A reader would then see a page that no longer matches the code. This
//! crate finds such includes, and `tests/book.rs` fails the test run when
//! there are any.
//!
//! The book also shows what each stage prints. [`outputs`] finds those
//! blocks, and `tests/outputs.rs` runs each stage and compares.
//!
//! And `tests/exercise_table.rs` checks the teachers' table of exercises
//! against the list the exercises are made from.

pub mod outputs;

use std::fs;
use std::path::{Path, PathBuf};

/// One `{{#include ...}}` or `{{#rustdoc_include ...}}` found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The page it is on, and the line (counting from 1).
    pub page: PathBuf,
    pub line: usize,
    /// The whole directive, as written, for messages.
    pub directive: String,
    /// The included file, resolved against the page's folder.
    pub file: PathBuf,
    pub part: Part,
}

/// Which part of the file an include pulls in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Whole,
    /// Lines `first..=last`, counting from 1; `None` is an open end.
    Lines(Option<usize>, Option<usize>),
    Anchor(String),
}

/// Finds every include on a page. Escaped ones (`\{{#include ...}}`), which
/// mdBook shows as text, are skipped.
pub fn find_includes(page: &Path, markdown: &str) -> Vec<Include> {
    let folder = page.parent().unwrap_or(Path::new(""));
    let mut found = Vec::new();
    for (index, line) in markdown.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{") {
            let escaped = rest[..start].ends_with('\\');
            let Some(length) = rest[start..].find("}}") else {
                break;
            };
            let directive = &rest[start..start + length + 2];
            rest = &rest[start + length + 2..];
            if escaped {
                continue;
            }
            if let Some((file, part)) = parse_directive(directive) {
                found.push(Include {
                    page: page.to_path_buf(),
                    line: index + 1,
                    directive: directive.to_string(),
                    file: folder.join(file),
                    part,
                });
            }
        }
    }
    found
}

/// Splits `{{#include path:selector extra}}` into its path and part, the
/// way mdBook reads it. Other directives give `None`.
fn parse_directive(directive: &str) -> Option<(&str, Part)> {
    let inner = directive
        .strip_prefix("{{")?
        .strip_suffix("}}")?
        .trim_start();
    let inner = inner.strip_prefix('#')?;
    let (kind, arguments) = inner.split_once(char::is_whitespace)?;
    if kind != "include" && kind != "rustdoc_include" {
        return None;
    }
    let target = arguments.split_whitespace().next()?;
    let (path, selector) = match target.split_once(':') {
        Some((path, selector)) => (path, selector),
        None => (target, ""),
    };
    Some((path, parse_part(selector)))
}

/// `""` is the whole file, `"name"` an anchor, and `"3"`, `"3:7"`, `"3:"`
/// or `":7"` lines.
fn parse_part(selector: &str) -> Part {
    let mut bounds = selector.splitn(2, ':');
    let first = bounds.next().unwrap_or("");
    let last = bounds.next();
    let start = first.parse::<usize>().ok();
    if start.is_none() && !first.is_empty() {
        return Part::Anchor(first.to_string());
    }
    match (start, last) {
        (None, None) => Part::Whole,
        (Some(line), None) => Part::Lines(Some(line), Some(line)),
        (start, Some(last)) => Part::Lines(start, last.parse().ok()),
    }
}

/// The anchor a line opens or closes, if any: mdBook's rule is the word
/// after `ANCHOR:` or `ANCHOR_END:`, anywhere on the line.
fn anchor_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let after = &line[line.find(marker)? + marker.len()..];
    let name = after.trim_start();
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

/// The lines an include pulls in, or what is wrong with it.
pub fn included_text(include: &Include) -> Result<String, String> {
    let text = fs::read_to_string(&include.file)
        .map_err(|e| format!("cannot read {}: {e}", include.file.display()))?;
    match &include.part {
        Part::Whole => Ok(text),
        Part::Lines(first, last) => {
            let skip = first.unwrap_or(1).saturating_sub(1);
            let take = last.map_or(usize::MAX, |last| last.saturating_sub(skip));
            Ok(text
                .lines()
                .skip(skip)
                .take(take)
                .collect::<Vec<_>>()
                .join("\n"))
        }
        Part::Anchor(name) => anchored_text(&text, name),
    }
}

fn anchored_text(text: &str, name: &str) -> Result<String, String> {
    let opened = text
        .lines()
        .filter(|l| anchor_after(l, "ANCHOR:") == Some(name))
        .count();
    match opened {
        0 => return Err(format!("the file has no anchor `{name}`")),
        1 => {}
        n => {
            return Err(format!(
                "the anchor `{name}` is defined {n} times in the file"
            ));
        }
    }
    let mut inside = false;
    let mut kept = Vec::new();
    for line in text.lines() {
        if !inside {
            inside = anchor_after(line, "ANCHOR:") == Some(name);
        } else if anchor_after(line, "ANCHOR_END:") == Some(name) {
            return Ok(kept.join("\n"));
        } else if anchor_after(line, "ANCHOR:").is_none()
            && anchor_after(line, "ANCHOR_END:").is_none()
        {
            // mdBook drops the marker lines of other anchors nested inside.
            kept.push(line);
        }
    }
    Err(format!("the anchor `{name}` has no ANCHOR_END"))
}

/// What is wrong with one include, if anything.
pub fn check_include(include: &Include) -> Result<(), String> {
    if !include.file.is_file() {
        return Err(format!("no such file: {}", include.file.display()));
    }
    let text = included_text(include)?;
    if text.trim().is_empty() {
        return Err("it pulls in nothing but blank lines".to_string());
    }
    Ok(())
}

/// Every Markdown page under `folder`, in a stable order.
pub fn markdown_pages(folder: &Path) -> Vec<PathBuf> {
    let mut pages = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
}

/// Checks every include on every page under `src`. Returns one line per
/// problem, `page:line: directive: what is wrong`; empty when all is well.
pub fn check_book(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for page in markdown_pages(src) {
        let markdown = match fs::read_to_string(&page) {
            Ok(markdown) => markdown,
            Err(e) => {
                problems.push(format!("{}: cannot read: {e}", page.display()));
                continue;
            }
        };
        for include in find_includes(&page, &markdown) {
            if let Err(problem) = check_include(&include) {
                problems.push(format!(
                    "{}:{}: {}: {problem}",
                    include.page.display(),
                    include.line,
                    include.directive
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder holding the given files, deleted when dropped.
    struct Fixture(PathBuf);

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn fixture(name: &str, files: &[(&str, &str)]) -> Fixture {
        let folder = std::env::temp_dir().join(format!("book-check-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&folder);
        for (path, text) in files {
            let path = folder.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        Fixture(folder)
    }

    const CODE: &str = "fn outside() {}\n\
        // ANCHOR: greet\n\
        fn greet() {}\n\
        // ANCHOR: inner\n\
        fn inner() {}\n\
        // ANCHOR_END: inner\n\
        // ANCHOR_END: greet\n\
        // ANCHOR: empty\n\
        \n\
        // ANCHOR_END: empty\n\
        // ANCHOR: open\n\
        fn open() {}\n\
        // ANCHOR: twice\n\
        // ANCHOR_END: twice\n\
        // ANCHOR: twice\n\
        // ANCHOR_END: twice\n";

    fn problems_with(name: &str, page: &str) -> Vec<String> {
        let book = fixture(name, &[("src/page.md", page), ("code/lib.rs", CODE)]);
        check_book(&book.0.join("src"))
    }

    #[test]
    fn good_includes_pass() {
        let page = "```rust\n{{#include ../code/lib.rs:greet}}\n```\n\
            {{#rustdoc_include ../code/lib.rs:inner}}\n\
            {{#include ../code/lib.rs}}\n\
            {{#include ../code/lib.rs:1}} and {{#include ../code/lib.rs:2:3}}\n";
        assert_eq!(problems_with("good", page), Vec::<String>::new());
    }

    #[test]
    fn a_missing_file_is_a_problem() {
        let problems = problems_with("missing-file", "{{#include ../code/gone.rs:greet}}\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("page.md:1:"), "{problems:?}");
        assert!(problems[0].contains("no such file"), "{problems:?}");
    }

    #[test]
    fn a_missing_anchor_is_a_problem() {
        let problems = problems_with("missing-anchor", "text\n{{#include ../code/lib.rs:gone}}\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("page.md:2:"), "{problems:?}");
        assert!(problems[0].contains("no anchor `gone`"), "{problems:?}");
    }

    #[test]
    fn an_anchor_without_an_end_is_a_problem() {
        let problems = problems_with("open-anchor", "{{#rustdoc_include ../code/lib.rs:open}}\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("no ANCHOR_END"), "{problems:?}");
    }

    #[test]
    fn an_include_of_blank_lines_is_a_problem() {
        let page = "{{#include ../code/lib.rs:empty}}\n{{#include ../code/lib.rs:400:500}}\n";
        let problems = problems_with("blank", page);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .all(|p| p.contains("nothing but blank lines")),
            "{problems:?}"
        );
    }

    #[test]
    fn an_anchor_defined_twice_is_a_problem() {
        let problems = problems_with("twice", "{{#include ../code/lib.rs:twice}}\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("defined 2 times"), "{problems:?}");
    }

    #[test]
    fn escaped_includes_and_other_directives_are_not_checked() {
        let page = "\\{{#include ../code/gone.rs:greet}}\n{{#title A title}}\n";
        assert_eq!(problems_with("escaped", page), Vec::<String>::new());
    }

    #[test]
    fn pages_in_sub_folders_are_checked() {
        let book = fixture(
            "nested",
            &[
                ("src/part/page.md", "{{#include ../../code/lib.rs:gone}}\n"),
                ("code/lib.rs", CODE),
            ],
        );
        assert_eq!(check_book(&book.0.join("src")).len(), 1);
    }

    #[test]
    fn anchored_text_leaves_out_nested_markers() {
        let code = fixture("nested-markers", &[("lib.rs", CODE)]);
        let include = Include {
            page: PathBuf::from("page.md"),
            line: 1,
            directive: String::new(),
            file: code.0.join("lib.rs"),
            part: Part::Anchor("greet".to_string()),
        };
        assert_eq!(
            included_text(&include).unwrap(),
            "fn greet() {}\nfn inner() {}"
        );
    }

    #[test]
    fn selectors_are_read_the_way_mdbook_reads_them() {
        assert_eq!(parse_part(""), Part::Whole);
        assert_eq!(parse_part("name"), Part::Anchor("name".to_string()));
        assert_eq!(parse_part("3"), Part::Lines(Some(3), Some(3)));
        assert_eq!(parse_part("3:7"), Part::Lines(Some(3), Some(7)));
        assert_eq!(parse_part("3:"), Part::Lines(Some(3), None));
        assert_eq!(parse_part(":7"), Part::Lines(None, Some(7)));
    }
}
