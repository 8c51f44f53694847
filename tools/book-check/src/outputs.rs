//! The output a page shows must be output a run really prints.
//!
//! A page marks a block of output with the package whose run printed it:
//!
//! ````markdown
//! <!-- output: chapter-2 -->
//! ```text
//! [main] started 4 pool threads
//! ```
//! ````
//!
//! A marker may also give the arguments of a run, after the package:
//! `<!-- output: tutor check 2 -->` shows what `cargo run -p tutor --
//! check 2` prints (checked while `exercises/` is as handed out).
//!
//! Two runs of a stage never print quite the same thing: threads take
//! their turns in another order, a different pool thread picks up a task,
//! a timer fires a millisecond later, the loop needs one tick more. So both
//! sides are normalised before they are compared: the numbers that vary
//! (pool thread ids, tick numbers, durations in milliseconds) become `#`,
//! and the lines are compared as sets, so that neither their order nor how
//! often a line repeats matters. Everything else must match: every line
//! the page shows must be printed by a run, and every line a run prints
//! must be on the page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A block of output shown on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownOutput {
    pub page: PathBuf,
    /// The line of the marker comment, counting from 1.
    pub line: usize,
    /// The package whose run the block shows, such as `chapter-2`, and the
    /// run's arguments if it has any, such as `tutor check 2`.
    pub package: String,
    pub text: String,
}

const MARKER: &str = "<!-- output:";

/// Finds every marked output block on a page. A marker that is not
/// followed by a fenced block is reported as an error.
pub fn find_outputs(page: &Path, markdown: &str) -> Result<Vec<ShownOutput>, String> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix(MARKER) else {
            continue;
        };
        let package = rest.trim_end_matches("-->").trim().to_string();
        let where_ = format!("{}:{}", page.display(), index + 1);
        let fence = lines[index + 1..]
            .iter()
            .position(|l| !l.trim().is_empty())
            .map(|offset| index + 1 + offset)
            .filter(|&at| lines[at].trim_start().starts_with("```"))
            .ok_or_else(|| format!("{where_}: the output marker is not followed by a ``` block"))?;
        let end = lines[fence + 1..]
            .iter()
            .position(|l| l.trim_start().starts_with("```"))
            .map(|offset| fence + 1 + offset)
            .ok_or_else(|| format!("{where_}: the output block is never closed"))?;
        found.push(ShownOutput {
            page: page.to_path_buf(),
            line: index + 1,
            package,
            text: lines[fence + 1..end].join("\n"),
        });
    }
    Ok(found)
}

/// Replaces the numbers that vary between runs with `#`: a pool thread's
/// id (`pool2`), a tick's number (`tick 7`) and a duration (`1003 ms`).
pub fn normalise(line: &str) -> String {
    let mut normalised = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let length = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - start);
        let before = &rest[..start];
        let after = &rest[start + length..];
        let varies =
            before.ends_with("pool") || before.ends_with("tick ") || after.starts_with(" ms");
        normalised.push_str(before);
        normalised.push_str(if varies {
            "#"
        } else {
            &rest[start..start + length]
        });
        rest = after;
    }
    normalised.push_str(rest);
    normalised.trim_end().to_string()
}

/// Puts `<the system's words>` in place of an error message that comes
/// from the operating system: the words before `(os error N)`, from the
/// last `: `, and the number. Linux says "Connection refused (os error
/// 111)" where Windows says "Connection refused. (os error 10061)"; the
/// rest of the line is the runtime's, and must match.
pub fn without_system_words(line: &str) -> String {
    let Some(code) = line.find("(os error ") else {
        return line.to_string();
    };
    let Some(code_end) = line[code..].find(')').map(|end| code + end + 1) else {
        return line.to_string();
    };
    let words = line[..code].rfind(": ").map_or(0, |colon| colon + 2);
    format!(
        "{}<the system's words>{}",
        &line[..words],
        &line[code_end..]
    )
}

/// The normalised, non-blank lines of some output.
pub fn line_set(output: &str) -> BTreeSet<String> {
    output
        .lines()
        .map(normalise)
        .filter(|line| !line.is_empty())
        .collect()
}

/// Compares what a page shows with what a run printed. Returns a report of
/// the differences, or `None` when they match.
pub fn compare(shown: &str, printed: &str) -> Option<String> {
    let shown = line_set(shown);
    let printed = line_set(printed);
    if shown == printed {
        return None;
    }
    let mut report = String::new();
    for line in shown.difference(&printed) {
        report.push_str(&format!("  shown but not printed: {line}\n"));
    }
    for line in printed.difference(&shown) {
        report.push_str(&format!("  printed but not shown: {line}\n"));
    }
    Some(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numbers_that_vary_become_hashes() {
        assert_eq!(
            normalise("[pool3] received a task"),
            "[pool#] received a task"
        );
        assert_eq!(
            normalise("[main] ===== tick 12 ====="),
            "[main] ===== tick # ====="
        );
        assert_eq!(
            normalise("timer B (200 ms) fired after 203 ms"),
            "timer B (# ms) fired after # ms"
        );
    }

    #[test]
    fn the_systems_words_for_an_error_are_left_out() {
        let linux = r#"Error("cannot connect to 127.0.0.1:1: Connection refused (os error 111)")"#;
        let windows =
            r#"Error("cannot connect to 127.0.0.1:1: Connection refused. (os error 10061)")"#;
        let expected = r#"Error("cannot connect to 127.0.0.1:1: <the system's words>")"#;
        assert_eq!(without_system_words(linux), expected);
        assert_eq!(without_system_words(windows), expected);
        assert_eq!(without_system_words("no error here"), "no error here");
    }

    #[test]
    fn other_numbers_stay() {
        assert_eq!(
            normalise("callback 5 gave Int(832040)"),
            "callback 5 gave Int(832040)"
        );
        assert_eq!(
            normalise("fibonacci(30), 200088 bytes"),
            "fibonacci(30), 200088 bytes"
        );
    }

    #[test]
    fn order_and_repetition_do_not_matter_but_content_does() {
        let shown = "[pool0] a\n[main] b\n[epoll] c\n";
        assert_eq!(
            compare(shown, "[main] b\n[epoll] c\n[pool3] a\n[epoll] c\n"),
            None
        );
        let report = compare(shown, "[main] b\n[pool1] a\n[main] d\n").unwrap();
        assert!(
            report.contains("shown but not printed: [epoll] c"),
            "{report}"
        );
        assert!(
            report.contains("printed but not shown: [main] d"),
            "{report}"
        );
    }

    #[test]
    fn marked_blocks_are_found_with_their_package() {
        let page = "Some text.\n\n<!-- output: chapter-2 -->\n\n```text\n[main] one\n[main] two\n```\n\n```rust\nnot output\n```\n";
        let found = find_outputs(Path::new("page.md"), page).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].package, "chapter-2");
        assert_eq!(found[0].line, 3);
        assert_eq!(found[0].text, "[main] one\n[main] two");
    }

    #[test]
    fn a_marker_without_a_block_is_an_error() {
        let error = find_outputs(
            Path::new("page.md"),
            "<!-- output: chapter-1 -->\nno block\n",
        );
        assert!(error.unwrap_err().contains("page.md:1"));
    }
}
