//! The book must not hand a student the answer to an exercise before they
//! have tried: every function body that an exercise leaves to write is
//! folded away wherever a listing shows it (`tools/fold-answers`, which
//! mdBook runs on every page). These tests run that folding on every
//! page, as mdBook would, and look for the answers outside the folds.
//!
//! And each stage's page says where its exercise begins, before the first
//! listing that folds its answer away.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use book_check::{Part, find_includes, included_text, markdown_pages};
use fold_answers::Answer;

/// How the folding preprocessor opens a fold, and closes it.
const FOLD: &str = "<details class=\"answer hljs\">";
const FOLD_END: &str = "</details>";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn answers() -> Vec<Answer> {
    fold_answers::answers::all(&workspace()).unwrap()
}

/// Every page of the book, by its file name, as the reader gets it: the
/// includes resolved, then the answers folded.
fn folded_pages(answers: &[Answer]) -> BTreeMap<String, String> {
    let src = workspace().join("book/src");
    markdown_pages(&src)
        .into_iter()
        .map(|page| {
            let name = page.strip_prefix(&src).unwrap().display().to_string();
            (name, fold_answers::fold(&resolved(&page), answers))
        })
        .collect()
}

/// The page with each `{{#include ...}}` replaced by what it pulls in, as
/// mdBook's `links` preprocessor does. (A broken include is `book.rs`'s
/// business; here it stays as written.)
fn resolved(page: &Path) -> String {
    let markdown = std::fs::read_to_string(page).unwrap();
    let includes = find_includes(page, &markdown);
    let mut lines: Vec<String> = markdown.lines().map(str::to_string).collect();
    for include in includes {
        let Ok(mut text) = included_text(&include) else {
            continue;
        };
        if include.part == Part::Whole && text.ends_with('\n') {
            text.pop(); // mdBook joins a whole file's lines, as it does a part's
        }
        let line = &mut lines[include.line - 1];
        *line = line.replacen(&include.directive, &text, 1);
    }
    lines.join("\n") + "\n"
}

/// A folded answer: its summary line, and the lines inside the fold.
struct Fold<'a> {
    line: usize,
    summary: &'a str,
    inside: Vec<&'a str>,
}

/// A page split into the lines outside the folds, and the folds.
fn split_folds(page: &str) -> (Vec<&str>, Vec<Fold<'_>>) {
    let mut outside = Vec::new();
    let mut folds: Vec<Fold> = Vec::new();
    let mut open = false;
    for (index, line) in page.lines().enumerate() {
        if line.starts_with(FOLD) {
            open = true;
            folds.push(Fold {
                line: index,
                summary: line,
                inside: Vec::new(),
            });
        } else if open && line == FOLD_END {
            open = false;
        } else if open {
            folds.last_mut().unwrap().inside.push(line);
        } else {
            outside.push(line);
        }
    }
    (outside, folds)
}

/// The lines of the code in a fold.
fn code_in<'a>(inside: &[&'a str]) -> Vec<&'a str> {
    // The code is the text of a `<script>` that no browser runs, which
    // mdBook leaves out of its search index (see tools/fold-answers).
    let opening = |line: &&str| line.starts_with("<script type=\"text/x-answer\"");
    let code = inside.iter().skip_while(|line| !opening(line)).skip(1);
    code.take_while(|line| **line != "</script>")
        .copied()
        .collect()
}

/// A line that could be in any function, such as `}` or `});`, tells
/// nothing about an answer.
fn telling(line: &&str) -> bool {
    line.trim().len() > 3
}

/// The telling lines of `lines`, without their indentation.
fn telling_lines<S: AsRef<str>>(lines: &[S]) -> Vec<&str> {
    lines
        .iter()
        .map(|line| line.as_ref().trim())
        .filter(telling)
        .collect()
}

/// The runs of lines that would give `answer` away: each three telling
/// lines in a row, or all of them if it has fewer. A run that the code
/// also has outside the function gives nothing away: stage 3's
/// `register_io`, which the book must show, handles a failed registration
/// with the same three lines as `wait_for_more`. Nor does a run that the
/// file had in an earlier stage, which that stage's page must show:
/// stage 13's `wait_for_events` drains the channel as stage 10's did.
fn giveaways<'a>(answer: &'a Answer, answers: &[Answer]) -> Vec<Vec<&'a str>> {
    let body = telling_lines(&answer.body);
    let runs: Vec<Vec<&str>> = if body.len() < 3 {
        vec![body]
    } else {
        body.windows(3).map(|run| run.to_vec()).collect()
    };
    let elsewhere = outside_the_function(answer, answers);
    runs.into_iter()
        .filter(|run| !elsewhere.iter().any(|lines| shows(lines, run)))
        .collect()
}

/// The telling lines of the answer's file, as each stage that has the
/// answer has it, without the function's body.
fn outside_the_function(answer: &Answer, answers: &[Answer]) -> Vec<Vec<String>> {
    let versions = answers
        .iter()
        .filter(|other| other.file == answer.file && other.function == answer.function);
    versions
        .map(|version| {
            let file = workspace().join(format!(
                "chapters/chapter-{}/{}",
                version.stage, version.file
            ));
            let text = std::fs::read_to_string(file).unwrap();
            let mut lines: Vec<String> = telling_lines(&text.lines().collect::<Vec<_>>())
                .into_iter()
                .map(str::to_string)
                .collect();
            let body = telling_lines(&version.body);
            if let Some(at) = lines.windows(body.len()).position(|lines| lines == body) {
                lines.drain(at..at + body.len());
            }
            lines
        })
        .chain(in_earlier_stages(answer))
        .collect()
}

/// The telling lines of the answer's file, whole, in each stage before the
/// answer's that has the file.
fn in_earlier_stages(answer: &Answer) -> Vec<Vec<String>> {
    (1..answer.stage)
        .filter_map(|stage| {
            let file = workspace().join(format!("chapters/chapter-{stage}/{}", answer.file));
            let text = std::fs::read_to_string(file).ok()?;
            let all: Vec<&str> = text.lines().collect();
            let lines = telling_lines(&all).into_iter().map(str::to_string);
            Some(lines.collect())
        })
        .collect()
}

/// Whether `run` appears in `lines` (telling lines, trimmed), line after
/// line.
fn shows<S: AsRef<str>>(lines: &[S], run: &[&str]) -> bool {
    !run.is_empty()
        && lines
            .windows(run.len())
            .any(|window| window.iter().map(AsRef::as_ref).eq(run.iter().copied()))
}

#[test]
fn no_page_shows_an_answer_outside_a_fold() {
    let answers = answers();
    assert!(!answers.is_empty(), "no exercise has an answer to fold");
    let giveaways: Vec<(&Answer, Vec<Vec<&str>>)> = answers
        .iter()
        .map(|answer| (answer, giveaways(answer, &answers)))
        .collect();
    let mut shown = Vec::new();
    for (page, text) in folded_pages(&answers) {
        let (outside, _) = split_folds(&text);
        let outside = telling_lines(&outside);
        for (answer, runs) in &giveaways {
            if let Some(run) = runs.iter().find(|run| shows(&outside, run)) {
                shown.push(format!(
                    "{page} shows exercise {}'s answer, {} as stage {} has it, unfolded:\n    {}",
                    answer.exercise,
                    answer.function,
                    answer.stage,
                    run.join("\n    ")
                ));
            }
        }
    }
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}

#[test]
fn every_fold_holds_an_answer_and_names_its_exercise() {
    let answers = answers();
    let mut folds = 0;
    for (page, text) in folded_pages(&answers) {
        for fold in split_folds(&text).1 {
            folds += 1;
            let code = code_in(&fold.inside);
            let answer = answers
                .iter()
                .find(|answer| answer.body == code)
                .unwrap_or_else(|| panic!("{page}: a fold holds no answer: {}", fold.summary));
            assert!(
                fold.summary
                    .contains(&format!("xercise {}'s answer", answer.exercise)),
                "{page}: the fold of {} does not name exercise {}: {}",
                answer.function,
                answer.exercise,
                fold.summary
            );
        }
    }
    assert!(folds > 0, "the book folds no answer away");
}

#[test]
fn each_stage_page_says_where_its_exercise_begins_before_its_first_answer() {
    let answers = answers();
    let pages = folded_pages(&answers);
    for exercise in stages::exercises::all(&workspace()).unwrap() {
        let n = exercise.stage;
        // The stage's page, then the pages nested under it, read in that
        // order: the note and the answers may be on any of them, and the
        // note must come first.
        let names: Vec<&str> = exercise
            .pages
            .iter()
            .map(|page| page.file.strip_prefix("book/src/").unwrap())
            .collect();
        let looked = names.join(", ");
        let note = format!("> **Exercise {n} starts here.**");
        let note_at = names
            .iter()
            .enumerate()
            .find_map(|(at, name)| {
                let line = pages[*name]
                    .lines()
                    .position(|line| line.starts_with(&note))?;
                Some((at, line))
            })
            .unwrap_or_else(|| panic!("no line starting `{note}` on stage {n}'s pages ({looked})"));
        let own = format!("Exercise {n}'s answer");
        let first_fold = names
            .iter()
            .enumerate()
            .find_map(|(at, name)| {
                let fold = split_folds(&pages[*name])
                    .1
                    .into_iter()
                    .find(|fold| fold.summary.contains(&own))?;
                Some((at, fold.line))
            })
            .unwrap_or_else(|| {
                panic!("stage {n}'s pages ({looked}) fold no answer of exercise {n}")
            });
        assert!(
            note_at < first_fold,
            "{}: `{note}` comes after the first fold of exercise {n}'s answer, in {}",
            names[note_at.0],
            names[first_fold.0]
        );
    }
}
