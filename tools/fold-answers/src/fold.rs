//! Folding the answers away in a page's listings.
//!
//! A listing that shows an answer's function is split in three: a code
//! block up to the signature, the body in a closed `<details>` that a
//! reader opens with one click, and a code block from the closing `}` on.
//! The doc comment, the signature and everything around the function stay
//! in sight; only the body, which is what the student writes, is hidden.

use crate::answers::Answer;

/// `markdown` with every answer that one of its code blocks shows folded
/// away. Text outside code blocks, and blocks that show no answer, are
/// left as they are.
pub fn fold(markdown: &str, answers: &[Answer]) -> String {
    let answers = by_preference(answers);
    let lines: Vec<&str> = markdown.lines().collect();
    let mut output: Vec<String> = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let Some(fence) = opening_fence(lines[at]) else {
            output.push(lines[at].to_string());
            at += 1;
            continue;
        };
        let code_start = at + 1;
        let Some(close) = (code_start..lines.len()).find(|&index| closes(lines[index], fence))
        else {
            // An unclosed block runs to the end of the page: leave it be.
            output.extend(lines[at..].iter().map(|line| line.to_string()));
            break;
        };
        output.extend(fold_block(
            lines[at],
            &lines[code_start..close],
            lines[close],
            &answers,
        ));
        at = close + 1;
    }
    let mut folded = output.join("\n");
    if markdown.ends_with('\n') {
        folded.push('\n');
    }
    folded
}

/// The answers in the order to try them, where two show the same text:
/// an exercise's own stage first, then the earliest stage.
fn by_preference(answers: &[Answer]) -> Vec<&Answer> {
    let mut sorted: Vec<&Answer> = answers.iter().collect();
    sorted.sort_by_key(|answer| {
        (
            answer.stage != answer.exercise,
            answer.stage,
            answer.exercise,
        )
    });
    sorted
}

/// The fence (` ``` ` or `~~~`, three or more) that `line` opens a code
/// block with, if it opens one.
fn opening_fence(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let mark = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.len() - trimmed.trim_start_matches(mark).len();
    (length >= 3).then(|| &trimmed[..length])
}

/// Whether `line` closes a block opened with `fence`.
fn closes(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    trimmed.starts_with(fence) && trimmed.chars().all(|c| fence.starts_with(c))
}

/// One code block, `open` and `close` being its fence lines, split around
/// each answer it shows.
fn fold_block(open: &str, code: &[&str], close: &str, answers: &[&Answer]) -> Vec<String> {
    let mut output = vec![open.to_string()];
    let mut at = 0;
    while at < code.len() {
        match answers.iter().find(|answer| shows_at(code, at, answer)) {
            Some(answer) => {
                let body_start = at + answer.signature.len();
                output.extend(code[at..body_start].iter().map(|line| line.to_string()));
                output.extend(folded_body(open, close, answer));
                // The closing line opens the block that follows.
                at = body_start + answer.body.len();
            }
            None => {
                output.push(code[at].to_string());
                at += 1;
            }
        }
    }
    output.push(close.to_string());
    output
}

/// Whether `code`, from line `at`, is `answer`'s signature, body and
/// closing line, exactly.
fn shows_at(code: &[&str], at: usize, answer: &Answer) -> bool {
    let expected = answer
        .signature
        .iter()
        .chain(&answer.body)
        .chain(std::iter::once(&answer.closing));
    let length = answer.signature.len() + answer.body.len() + 1;
    !answer.body.is_empty()
        && code.len() >= at + length
        && code[at..at + length]
            .iter()
            .zip(expected)
            .all(|(line, expected)| line == expected)
}

/// The lines that end the block before the body, fold the body away, and
/// open the block after it. The `hljs` class gives the fold the
/// background of code blocks in every theme, so that the three parts read
/// as one listing (see `book/theme/custom.css`).
///
/// The body is not a code block but the text of a `<script>` that no
/// browser runs: mdBook leaves scripts out of its search index, which
/// would otherwise hold every answer, word for word, for the search box to
/// show. `book/theme/answers.js` makes it a code block again, inside the
/// fold, when the page loads. (The blank lines around the script let the
/// Markdown parser see it as a block of HTML of its own, which ends only
/// at `</script>`, blank lines in the body or not.)
fn folded_body(open: &str, close: &str, answer: &Answer) -> Vec<String> {
    assert!(
        !answer.body.iter().any(|line| line.contains("</script")),
        "the body of {} holds `</script`, which would end its fold early",
        answer.function
    );
    let language = open
        .trim_start_matches('`')
        .split([',', ' '])
        .next()
        .unwrap_or("");
    let mut lines = vec![
        close.to_string(),
        String::new(),
        format!(
            "<details class=\"answer hljs\"><summary>{}</summary>",
            answer.summary()
        ),
        String::new(),
        format!("<script type=\"{ANSWER_TYPE}\" data-language=\"{language}\">"),
    ];
    lines.extend(answer.body.iter().cloned());
    lines.extend([
        "</script>".to_string(),
        String::new(),
        "</details>".to_string(),
        String::new(),
        open.to_string(),
    ]);
    lines
}

/// The type of the `<script>` that holds a folded body: not one a browser
/// runs, so it only keeps the text.
pub const ANSWER_TYPE: &str = "text/x-answer";

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(exercise: usize, stage: usize, function: &str, text: &str) -> Answer {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let opening = lines.iter().position(|line| line.ends_with('{')).unwrap();
        Answer {
            exercise,
            stage,
            file: "src/a.rs".to_string(),
            function: function.to_string(),
            signature: lines[..=opening].to_vec(),
            body: lines[opening + 1..lines.len() - 1].to_vec(),
            closing: lines[lines.len() - 1].clone(),
        }
    }

    const SUMMARY_2: &str = "<details class=\"answer hljs\"><summary>Exercise 2's answer: \
                             the body of <code>first</code></summary>";

    /// The script that holds a body of Rust.
    const SCRIPT: &str = "<script type=\"text/x-answer\" data-language=\"rust\">";

    #[test]
    fn a_listing_with_one_answer_is_split_around_its_body() {
        let answers = [answer(
            2,
            2,
            "first",
            "fn first() {\n    one();\n    two();\n}",
        )];
        let page = "Text.\n\n```rust\n/// Doc.\nfn first() {\n    one();\n    two();\n}\n\nfn other() {}\n```\n\nMore.\n";
        let expected = format!(
            "Text.\n\n```rust\n/// Doc.\nfn first() {{\n```\n\n{SUMMARY_2}\n\n{SCRIPT}\n    one();\n    two();\n</script>\n\n</details>\n\n```rust\n}}\n\nfn other() {{}}\n```\n\nMore.\n"
        );
        assert_eq!(fold(page, &answers), expected);
    }

    #[test]
    fn a_listing_with_two_answers_is_split_around_both() {
        let answers = [
            answer(2, 2, "first", "    fn first() {\n        one();\n    }"),
            answer(3, 4, "second", "    fn second() {\n        two();\n    }"),
        ];
        let page = "```rust\nimpl A {\n    fn first() {\n        one();\n    }\n\n    fn second() {\n        two();\n    }\n}\n```";
        let folded = fold(page, &answers);
        let summary = "<summary>The body of <code>second</code> as stage 4 has it \
                       (it holds exercise 3's answer)</summary>";
        let expected = format!(
            "```rust\nimpl A {{\n    fn first() {{\n```\n\n\
             <details class=\"answer hljs\"><summary>Exercise 2's answer: the body of <code>first</code></summary>\n\n\
             {SCRIPT}\n        one();\n</script>\n\n</details>\n\n\
             ```rust\n    }}\n\n    fn second() {{\n```\n\n\
             <details class=\"answer hljs\">{summary}\n\n\
             {SCRIPT}\n        two();\n</script>\n\n</details>\n\n\
             ```rust\n    }}\n}}\n```"
        );
        assert_eq!(folded, expected);
    }

    #[test]
    fn a_signature_on_several_lines_stays_whole() {
        let answers = [answer(
            2,
            2,
            "first",
            "fn first(\n    a: usize,\n    b: usize,\n) -> usize {\n    a + b\n}",
        )];
        let page =
            "```rust\nfn first(\n    a: usize,\n    b: usize,\n) -> usize {\n    a + b\n}\n```\n";
        let expected = format!(
            "```rust\nfn first(\n    a: usize,\n    b: usize,\n) -> usize {{\n```\n\n{}\n\n{SCRIPT}\n    a + b\n</script>\n\n</details>\n\n```rust\n}}\n```\n",
            SUMMARY_2
        );
        assert_eq!(fold(page, &answers), expected);
    }

    #[test]
    fn a_body_with_an_anchor_line_is_found_as_the_book_shows_it() {
        let file = "fn first() {\n    one();\n    // ANCHOR: inner\n    two();\n    // ANCHOR_END: inner\n}\n";
        let found = crate::answers::find_function(file, "first").unwrap();
        assert_eq!(found.body, ["    one();", "    two();"]);
        let answers = [Answer {
            exercise: 2,
            stage: 2,
            file: "src/a.rs".to_string(),
            function: "first".to_string(),
            signature: found.signature,
            body: found.body,
            closing: found.closing,
        }];
        // The page as mdBook's include leaves it: the anchor lines gone.
        let page = "```rust\nfn first() {\n    one();\n    two();\n}\n```\n";
        assert!(fold(page, &answers).contains(SUMMARY_2));
    }

    #[test]
    fn a_block_that_shows_no_answer_is_left_as_it_is() {
        let answers = [answer(2, 2, "first", "fn first() {\n    one();\n}")];
        let pages = [
            "```rust\nfn other() {\n    one();\n}\n```\n",
            // The same function with another body: not the answer.
            "```rust\nfn first() {\n    three();\n}\n```\n",
            // The answer outside a code block.
            "fn first() {\n    one();\n}\n",
            "```console\n$ cargo run\n```",
        ];
        for page in pages {
            assert_eq!(fold(page, &answers), page);
        }
    }

    #[test]
    fn fences_of_four_backticks_or_tildes_are_code_blocks_too() {
        assert_eq!(opening_fence("````rust"), Some("````"));
        assert_eq!(opening_fence("~~~"), Some("~~~"));
        assert_eq!(opening_fence("``not"), None);
        assert!(closes("````", "````"));
        assert!(!closes("```", "````"));
        assert!(!closes("```rust", "```"));
    }
}
