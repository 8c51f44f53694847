//! `cargo run -p tutor -- solution N`: once exercise N passes, the
//! student's functions beside the reference ones, as rustlings shows its
//! solution after each exercise. Another way to write it is worth seeing
//! only once one's own works.

use crate::assignment::Assignment;
use crate::check::{self, Thoroughness, tutor_command};
use crate::places::Places;
use crate::report::Status;
use crate::terminal;

pub fn show(places: &Places, assignment: &Assignment) -> Result<bool, String> {
    let [report] = &check::check(places, &[*assignment], Thoroughness::Every)?[..] else {
        unreachable!("one assignment checked, one report");
    };
    let (name, number) = (assignment.name(), assignment.number());
    if report.status != Status::Passes {
        println!(
            "{name} does not pass yet: `solution` shows the reference once it does.\n\
             What it needs now: `{}`.",
            tutor_command(places, &format!("check {number}"))
        );
        return Ok(false);
    }
    let exercise = assignment.exercise;
    // The exercise's reference is its chapter; a challenge's is kept in
    // source/challenges, out of the chapters and out of the book.
    let (reference, folder) = match assignment.challenge {
        None => (
            stages::chapter(&places.workspace, exercise.stage)?,
            places
                .workspace
                .join(format!("chapters/chapter-{}", exercise.stage)),
        ),
        Some(_) => (
            stages::exercises::challenge_files(&places.workspace, exercise)?,
            places.workspace.join(format!(
                "{}/{}",
                stages::exercises::CHALLENGES,
                exercise.package()
            )),
        ),
    };
    println!("{name} passes. Here is each function you wrote, and the reference's, to compare.");
    for gap in assignment.gaps() {
        let yours_file = places.package(&exercise.package()).join(&gap.file);
        let yours = std::fs::read_to_string(&yours_file)
            .ok()
            .and_then(|text| function_text(&text, &gap.function))
            .map(|code| dedent(&code))
            .unwrap_or_else(|| format!("(no fn {} found)", gap.function));
        let theirs = reference
            .get(&gap.file)
            .and_then(|text| function_text(text, &gap.function))
            .map(|code| dedent(&code))
            .unwrap_or_default();
        println!("\n== {} ==\n", gap.function);
        let yours_title = format!("Yours ({})", places.show(&yours_file));
        let theirs_title = format!("The reference ({})", places.show(&folder.join(&gap.file)));
        if normalized(&yours) == normalized(&theirs) {
            println!("{yours_title}: the same as the reference.\n\n{theirs}");
        } else {
            print!(
                "{}",
                beside(
                    (&yours_title, &yours),
                    (&theirs_title, &theirs),
                    terminal::width()
                )
            );
        }
    }
    Ok(true)
}

/// Two texts in two columns, if they fit in `width`; else one after the
/// other.
fn beside(left: (&str, &str), right: (&str, &str), width: usize) -> String {
    let widest = |(title, text): (&str, &str)| {
        text.lines()
            .chain([title])
            .map(|line| line.chars().count())
            .max()
            .unwrap_or(0)
    };
    let column = widest(left);
    if column + 3 + widest(right) > width {
        return format!("{}:\n\n{}\n\n{}:\n\n{}\n", left.0, left.1, right.0, right.1);
    }
    let lefts: Vec<&str> = [left.0, ""].into_iter().chain(left.1.lines()).collect();
    let rights: Vec<&str> = [right.0, ""].into_iter().chain(right.1.lines()).collect();
    let mut text = String::new();
    for row in 0..lefts.len().max(rights.len()) {
        let left = lefts.get(row).copied().unwrap_or("");
        let right = rights.get(row).copied().unwrap_or("");
        let pad = column - left.chars().count();
        text.push_str(format!("{left}{} | {right}", " ".repeat(pad)).trim_end());
        text.push('\n');
    }
    text
}

/// `code` with the indentation all its lines share taken off.
fn dedent(code: &str) -> String {
    let shared = code
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    code.lines()
        .map(|line| line.get(shared..).unwrap_or(line.trim_start()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn normalized(code: &str) -> String {
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of `fn name`, from its `fn` line to its closing brace, found
/// by counting braces outside strings, characters and comments (the
/// student's code need not be laid out as rustfmt would).
fn function_text(text: &str, name: &str) -> Option<String> {
    let start = text.lines().position(|line| declares(line, name))?;
    let from: usize = text.lines().take(start).map(|line| line.len() + 1).sum();
    let code = &text[from..];
    let mut depth = 0;
    let mut chars = code.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(code[..=at].to_string());
                }
            }
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                // A character ('x', '\n') or a lifetime ('a): only a
                // character closes with a quote.
                let rest = &code[at + 1..];
                let length = if rest.starts_with('\\') {
                    rest.find('\'').map(|end| end + 1)
                } else {
                    let mut next = rest.chars();
                    let first = next.next().map_or(0, char::len_utf8);
                    (next.next() == Some('\'')).then_some(first + 1)
                };
                for _ in 0..length.map_or(0, |length| rest[..length].chars().count()) {
                    chars.next();
                }
            }
            '/' if chars.peek().map(|(_, c)| *c) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether `line` declares `fn name`.
fn declares(line: &str, name: &str) -> bool {
    let Some((_, after)) = line.split_once("fn ") else {
        return false;
    };
    after
        .strip_prefix(name)
        .is_some_and(|rest| rest.starts_with(['(', '<', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_is_found_whole_despite_braces_in_strings_and_comments() {
        let text = "fn other() {}\n\
                    pub fn wanted<'a>(x: &'a str) -> char {\n\
                    \x20   let _ = \"}\"; // }\n\
                    \x20   if x.is_empty() { '}' } else { '\\'' }\n\
                    }\n\
                    fn after() {}\n";
        let found = function_text(text, "wanted").unwrap();
        assert!(found.starts_with("pub fn wanted<'a>"), "{found}");
        assert!(found.ends_with("'\\'' }\n}"), "{found}");
        assert_eq!(function_text(text, "missing"), None);
    }

    #[test]
    fn two_texts_sit_side_by_side_when_they_fit() {
        let text = beside(("A", "a1\na2"), ("B", "b1"), 23);
        assert_eq!(text, "A  | B\n   |\na1 | b1\na2 |\n");
        assert_eq!(
            dedent("    fn a() {\n        b\n    }"),
            "fn a() {\n    b\n}"
        );
        let narrow = beside(("A", "a long line"), ("B", "b"), 10);
        assert_eq!(narrow, "A:\n\na long line\n\nB:\n\nb\n");
    }
}
