//! Which function bodies are answers to an exercise.
//!
//! An exercise leaves some bodies of stage N for the student to write
//! (`source/exercises/gaps.md`). The book shows those bodies in the
//! listings of stage N's page, and often again on later pages, where a
//! later stage still has the function. Each such body, as one stage has
//! it, is an [`Answer`]; the listings that show one fold it away.

use std::fs;
use std::path::Path;

/// One function body that gives an exercise away, as one stage has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The exercise whose answer it is.
    pub exercise: usize,
    /// The stage whose crate has this body: the exercise's own, or a later
    /// one whose body still holds most of the answer.
    pub stage: usize,
    /// The file, from the stage's crate folder, such as `src/epoll.rs`.
    pub file: String,
    pub function: String,
    /// The lines from the `fn` line to the one that opens the body.
    pub signature: Vec<String>,
    /// The lines between the signature and the closing line, as the book
    /// shows them: without the `ANCHOR:` lines that mdBook drops.
    pub body: Vec<String>,
    /// The line that closes the function: its indentation, then `}`.
    pub closing: String,
}

impl Answer {
    /// What the folded body's summary says, as HTML.
    pub fn summary(&self) -> String {
        let function = format!("<code>{}</code>", self.function);
        if self.stage == self.exercise {
            format!(
                "Exercise {}'s answer: the body of {function}",
                self.exercise
            )
        } else {
            format!(
                "The body of {function} as stage {} has it (it holds exercise {}'s answer)",
                self.stage, self.exercise
            )
        }
    }
}

/// A function as a file has it: its signature, body and closing line.
pub(crate) struct Function {
    pub(crate) signature: Vec<String>,
    pub(crate) body: Vec<String>,
    pub(crate) closing: String,
}

/// Every answer of every exercise: for each gap, the body of its stage,
/// and the body of each later stage that still holds most of it.
pub fn all(workspace: &Path) -> Result<Vec<Answer>, String> {
    let mut answers = Vec::new();
    for exercise in stages::exercises::all(workspace)? {
        for gap in &exercise.gaps {
            answers.extend(answers_for_gap(
                workspace,
                exercise.stage,
                &gap.file,
                &gap.function,
            )?);
        }
    }
    Ok(answers)
}

/// The answers to one gap (`file`'s `function` in `exercise`'s stage).
fn answers_for_gap(
    workspace: &Path,
    exercise: usize,
    file: &str,
    function: &str,
) -> Result<Vec<Answer>, String> {
    let path = |stage: usize| workspace.join(format!("chapters/chapter-{stage}/{file}"));
    let text = read(&path(exercise))?;
    let own = find_function(&text, function).ok_or_else(|| {
        format!(
            "chapters/chapter-{exercise}/{file} must have one fn {function}, with a body, \
             as exercise {exercise} leaves it to write"
        )
    })?;
    let answer = |stage: usize, found: &Function| Answer {
        exercise,
        stage,
        file: file.to_string(),
        function: function.to_string(),
        signature: found.signature.clone(),
        body: found.body.clone(),
        closing: found.closing.clone(),
    };
    let mut answers = vec![answer(exercise, &own)];
    for stage in later_stages(workspace, exercise) {
        let Ok(text) = fs::read_to_string(path(stage)) else {
            continue; // the file is gone by that stage
        };
        let later = find_function(&text, function);
        if let Some(later) = later.filter(|later| holds_most_of(&later.body, &own.body)) {
            answers.push(answer(stage, &later));
        }
    }
    Ok(answers)
}

/// The stages after `stage` that exist, in order.
fn later_stages(workspace: &Path, stage: usize) -> impl Iterator<Item = usize> + '_ {
    (stage + 1..)
        .take_while(move |later| workspace.join(format!("chapters/chapter-{later}")).is_dir())
}

/// Whether `later` still holds most of `answer`: at least half of the
/// answer's non-blank lines, whatever their indentation. Stage 8's
/// `event_loop` grew new phases around exercise 5's, and holds it; stage
/// 10's `Http::get` hands its work to a new function in one line, and
/// holds nothing of exercise 6's.
pub fn holds_most_of(later: &[String], answer: &[String]) -> bool {
    let later: Vec<&str> = later.iter().map(|line| line.trim()).collect();
    let lines: Vec<&str> = answer
        .iter()
        .map(|line| line.trim())
        .filter(|line| !line.is_empty())
        .collect();
    let kept = lines.iter().filter(|line| later.contains(line)).count();
    2 * kept >= lines.len()
}

/// The one `fn name` in `text`, found as `stages` opens a gap: the
/// signature runs to the first line that ends in `{`, and the body to the
/// first line that is the `fn` line's indentation and `}`. `None` when
/// there is no such function, or more than one.
pub(crate) fn find_function(text: &str, name: &str) -> Option<Function> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&index| function_name(lines[index]) == Some(name))
        .collect();
    let [start] = starts[..] else {
        return None;
    };
    let indent = &lines[start][..lines[start].len() - lines[start].trim_start().len()];
    let body_start = (start..lines.len()).find(|&index| lines[index].ends_with('{'))? + 1;
    let closing = format!("{indent}}}");
    let body_end = (body_start..lines.len()).find(|&index| lines[index] == closing)?;
    let shown = |lines: &[&str]| -> Vec<String> {
        lines
            .iter()
            .filter(|line| !is_anchor(line))
            .map(|line| line.to_string())
            .collect()
    };
    Some(Function {
        signature: shown(&lines[start..body_start]),
        body: shown(&lines[body_start..body_end]),
        closing,
    })
}

/// Whether mdBook's include drops the line: it opens or closes an anchor.
fn is_anchor(line: &str) -> bool {
    line.contains("ANCHOR:") || line.contains("ANCHOR_END:")
}

/// The name in a line such as `    pub(crate) fn work(thread_id: usize) {`:
/// the word after `fn`, if only qualifiers (`pub`, `const`...) come before.
fn function_name(line: &str) -> Option<&str> {
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
    let end = after
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(after.len());
    (end > 0).then(|| &after[..end])
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_function_is_found_with_a_long_signature_and_without_its_anchors() {
        let text = "impl A {\n    pub(crate) fn first(\n        &self,\n    ) -> usize {\n        \
                    // ANCHOR: inner\n        let x = 1;\n        // ANCHOR_END: inner\n        \
                    x\n    }\n}\n";
        let found = find_function(text, "first").unwrap();
        assert_eq!(
            found.signature,
            lines("    pub(crate) fn first(\n        &self,\n    ) -> usize {")
        );
        assert_eq!(found.body, lines("        let x = 1;\n        x"));
        assert_eq!(found.closing, "    }");
        assert!(find_function(text, "second").is_none());
        assert!(find_function("fn a() {\n}\nfn a() {\n}\n", "a").is_none());
    }

    #[test]
    fn a_later_body_holds_the_answer_if_it_keeps_half_its_lines() {
        let answer = lines("    let a = 1;\n\n    let b = 2;\n    a + b");
        let grown = lines("        let a = 1;\n        let b = 2;\n        log(a);\n        a + b");
        assert!(holds_most_of(&grown, &answer));
        let moved = lines("    other(a)");
        assert!(!holds_most_of(&moved, &answer));
    }
}
