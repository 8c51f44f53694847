//! A block of the source holds whole items or whole statements.
//!
//! A block that closes one function and opens the next, or two headers
//! that each open the start of a shared body, makes every stage come out
//! right, but the source
//! itself stops being Rust that a reader, rustfmt or rust-analyzer can
//! follow. So a block's lines, as each of its stages has them, must open
//! and close their own brackets; and a block does not begin or end inside
//! a doc comment's sentence, where a reader of the source would find half
//! of it in one stage and the rest in another.
//!
//! One marked line may still change part of a statement (an argument, a
//! `use` list): it is one line, read as one. So may a function's header,
//! whose body's `{` then stands on a line of its own after the headers
//! (see [`Annotated::for_stage`](crate::markers::Annotated::for_stage)).

use crate::markers::{Arm, Stages};

/// Checks every block of a Rust file: `lines` are its lines with their
/// stages, `numbers` their line numbers in the file, `arms` its blocks.
pub fn check(
    name: &str,
    lines: &[(String, Stages)],
    numbers: &[usize],
    arms: &[Arm],
    last_stage: usize,
) -> Result<(), String> {
    let mut problems = Vec::new();
    for arm in arms {
        for stage in (1..=last_stage).filter(|&stage| arm.stages.contains(stage)) {
            let text: Vec<&str> = lines[arm.lines.clone()]
                .iter()
                .filter(|(_, stages)| stages.contains(stage))
                .map(|(line, _)| line.as_str())
                .collect();
            if let Err(problem) = balanced(&text.join("\n")) {
                problems.push(format!(
                    "{name}:{}: the block `{}` does not hold whole items or statements: in \
                     stage {stage}, {problem}. Give each version its whole item, or mark \
                     its lines one by one",
                    arm.opened_at, arm.stages
                ));
                break;
            }
        }
    }
    if let Err(problem) = doc_sentences_are_whole(name, lines, numbers) {
        problems.push(problem);
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("\n")),
    }
}

/// Whether every bracket that `code` opens, it closes, in order; strings,
/// characters and comments aside.
fn balanced(code: &str) -> Result<(), String> {
    let mut open: Vec<char> = Vec::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                chars.by_ref().find(|&c| c == '\n');
            }
            '"' => skip_string(&mut chars),
            '\'' => skip_character(&mut chars),
            '(' | '[' | '{' => open.push(c),
            ')' | ']' | '}' => {
                let opener = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open.pop() != Some(opener) {
                    return Err(format!("its `{c}` closes a bracket it did not open"));
                }
            }
            _ => {}
        }
    }
    match open.last() {
        Some(c) => Err(format!("a `{c}` it opens is not closed in it")),
        None => Ok(()),
    }
}

/// Skips the rest of a string literal, escapes and all.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return,
            _ => {}
        }
    }
}

/// Skips the rest of a character literal (`'x'`, `'\n'`); a lifetime
/// (`'static`) has no closing quote, and is left as it is.
fn skip_character(chars: &mut std::iter::Peekable<std::str::Chars>) {
    let mut ahead = chars.clone();
    match ahead.next() {
        Some('\\') => {
            chars.next();
            chars.next();
            chars.by_ref().find(|&c| c == '\'');
        }
        Some(_) if ahead.next() == Some('\'') => {
            chars.next();
            chars.next();
        }
        _ => {}
    }
}

/// The text of a doc comment line, or `None` for any other line.
fn doc(line: &str) -> Option<&str> {
    let line = line.trim_start();
    line.strip_prefix("///")
        .or_else(|| line.strip_prefix("//!"))
        .map(str::trim)
}

/// Where two doc comment lines in a row belong to different stages, the
/// first ends a sentence: a block does not begin or end mid-sentence.
fn doc_sentences_are_whole(
    name: &str,
    lines: &[(String, Stages)],
    numbers: &[usize],
) -> Result<(), String> {
    for (index, pair) in lines.windows(2).enumerate() {
        let [(before, stages_before), (after, stages_after)] = pair else {
            continue;
        };
        let (Some(text), Some(_)) = (doc(before), doc(after)) else {
            continue;
        };
        // A sentence ends, and so does a list's item (`;`) or a table's row.
        let ends_a_sentence = text.is_empty()
            || text.ends_with("```")
            || [".", ":", "!", "?", ".)", ".\"", ";", "|"]
                .iter()
                .any(|end| text.ends_with(end));
        if stages_before != stages_after && !ends_a_sentence {
            return Err(format!(
                "{name}:{}: a marker inside a doc comment's sentence: the line `{}` goes on \
                 in other stages than the line after it. Give each version its whole \
                 sentence",
                numbers[index],
                before.trim()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markers::Annotated;

    fn parse(text: &str) -> Result<(), String> {
        Annotated::parse("a.rs", text, "//@", 9).map(|_| ())
    }

    #[test]
    fn brackets_balance_outside_strings_characters_and_comments() {
        assert!(balanced("fn f() { g(\"}\", '{', '\\'') } // (").is_ok());
        assert!(balanced("fn f<'a>(x: &'a str) {}").is_ok());
        assert!(balanced("fn f() {").is_err());
        assert!(balanced("}\nfn g() {").is_err());
        assert!(balanced("(]").is_err());
    }

    #[test]
    fn a_block_that_holds_whole_items_is_fine() {
        let text = "fn a() {\n    //@ ..=3\n    // one();\n    //@ or 4..\n    two(\n        \
                    1,\n    );\n    //@ end\n}\n";
        assert_eq!(parse(text), Ok(()));
    }

    #[test]
    fn a_block_that_closes_one_function_and_opens_the_next_is_refused() {
        let text = "fn a() {\n    one();\n//@ 2..\n}\n\nfn b() {\n    two();\n//@ end\n}\n";
        let error = parse(text).unwrap_err();
        assert!(error.starts_with("a.rs:3: the block `2..`"), "{error}");
        assert!(
            error.contains("closes a bracket it did not open"),
            "{error}"
        );
    }

    #[test]
    fn two_headers_that_share_a_body_are_refused() {
        let text = "//@ ..=4\n// pub fn a() {\n//@ or 5..\npub(crate) fn a() {\n//@ end\n    \
                    one();\n}\n";
        let error = parse(text).unwrap_err();
        assert!(error.starts_with("a.rs:1: the block `1..=4`"), "{error}");
        assert!(error.contains("in stage 1, a `{` it opens"), "{error}");
    }

    #[test]
    fn a_block_inside_a_doc_sentence_is_refused() {
        let text = "/// Runs the callback once `ms` have\n//@ ..=6\n// /// passed.\n//@ or 7..\n\
                    /// passed. Returns its id.\n//@ end\nfn f() {}\n";
        let error = parse(text).unwrap_err();
        assert!(
            error.starts_with("a.rs:1: a marker inside a doc"),
            "{error}"
        );
        let whole = "/// Runs the callback.\n/// It returns its id. //@ 7..\nfn f() {}\n";
        assert_eq!(parse(whole), Ok(()));
    }
}
