//! Panics that a student's code typically causes, explained in the
//! runtime's terms.
//!
//! Some panics say little on their own. "RefCell already borrowed" points
//! into the standard library (`thread/local.rs`), not at the student's
//! code, and names nothing of the runtime; so does a range out of bounds
//! in a `drain`, or an `unwrap` on `None`. So for those, the tutor runs the
//! failed test again with a backtrace, finds the student's function in it,
//! and says where the panic came from, which section of the book explains
//! that function, and, for a RefCell, what went wrong.

use std::path::{Path, PathBuf};

use crate::check::wrap;
use crate::exercise::{Exercise, Gap};
use crate::places::Places;
use crate::terminal;

/// An explanation of `said`, a failed test's panic, if the tutor can add
/// to it, fitted to the terminal. `backtrace` runs the test again to say
/// where the panic came from, in `folder`, the package whose tests ran
/// (the exercise's own, or one `tutor prove` made of it); it is only
/// called for a panic that needs it: a RefCell's, or one whose place is in
/// the standard library.
pub fn explain(
    places: &Places,
    exercise: &Exercise,
    folder: &Path,
    said: &str,
    backtrace: impl FnOnce() -> Option<String>,
) -> Option<String> {
    let borrowed_twice = [
        "RefCell already borrowed",
        "RefCell already mutably borrowed",
    ]
    .iter()
    .any(|panic| said.contains(panic));
    // Rust's own code is compiled from /rustc/<commit>/library/...
    let in_the_standard_library = said.contains(" panicked at /rustc/");
    if !borrowed_twice && !in_the_standard_library {
        return None;
    }
    let frames = backtrace()
        .map(|text| frames(&text, folder))
        .unwrap_or_default();
    let runtime_lent = frames
        .iter()
        .any(|frame| frame.function.contains("with_runtime"));
    let mut explanation = match (borrowed_twice, runtime_lent) {
        (true, true) => "What it means: a callback or a task ran while the runtime was lent out. \
             The loop lends the runtime (`with_runtime`) for one short step at a time; a \
             callback that runs inside that loan, and calls `set_timeout`, `Fs::read` or the \
             like, asks for the runtime a second time, and the RefCell that holds it refuses. \
             Take what you need out of the runtime, let the loan end, and only then run the \
             callback."
            .to_string(),
        (true, false) => "What it means: a RefCell was borrowed while a borrow of it was still \
             alive (a `borrow_mut()` whose guard lives on across a call that borrows it again). \
             Let the first borrow end before the next one."
            .to_string(),
        (false, _) => {
            "The panic is in Rust's standard library, but a call of yours led there.".to_string()
        }
    };
    match student_frame(exercise, folder, &frames) {
        Some((frame, gap)) => explanation.push_str(&format!(
            "\nIt came from your `{}` ({}:{}). The book explains it in {}.",
            gap.function,
            places.show(&frame.file),
            frame.line,
            exercise.explained_in(gap, |file| places.show(&places.workspace.join(file)))
        )),
        None if runtime_lent && borrowed_twice => explanation.push_str(&format!(
            "\nThe book explains the loan in \"The handle\" and \"The loop\", on the page \
             \"Stage 5: the main loop\" ({}).",
            places.show(&places.workspace.join("book/src/chapter-5.md"))
        )),
        // Not from one of the student's functions: nothing to add.
        None if !borrowed_twice => return None,
        None => {}
    }
    Some(wrap(&explanation, terminal::width().clamp(40, 100) - 4))
}

/// One frame of a backtrace: the function, and where it is.
#[derive(Debug, PartialEq)]
struct Frame {
    function: String,
    file: PathBuf,
    line: usize,
}

/// The frames of a backtrace as Rust prints it: `  12: path::to::function`,
/// then `             at FILE:LINE:COLUMN` on the next line, the file from
/// `folder`, where the program ran. Innermost first.
fn frames(backtrace: &str, folder: &Path) -> Vec<Frame> {
    let lines: Vec<&str> = backtrace.lines().collect();
    let mut frames = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some((number, function)) = line.trim().split_once(": ") else {
            continue;
        };
        if number.parse::<usize>().is_err() {
            continue;
        }
        let Some(place) = lines
            .get(index + 1)
            .and_then(|l| l.trim().strip_prefix("at "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (_column, line, file) = (parts.next(), parts.next(), parts.next());
        if let (Some(file), Some(Ok(line))) = (file, line.map(str::parse)) {
            frames.push(Frame {
                function: function.to_string(),
                file: folder.join(file),
                line,
            });
        }
    }
    frames
}

/// The innermost frame in one of the functions the student wrote (a gap
/// of the exercise, or of its challenges), and that gap.
fn student_frame<'a>(
    exercise: &'a Exercise,
    folder: &Path,
    frames: &'a [Frame],
) -> Option<(&'a Frame, &'a Gap)> {
    frames.iter().find_map(|frame| {
        let file = crate::places::normal(frame.file.strip_prefix(folder).ok()?);
        let text = std::fs::read_to_string(&frame.file).ok()?;
        let function = enclosing_function(&text, frame.line)?;
        let gap = exercise
            .all_gaps()
            .find(|gap| gap.function == function && file == Path::new(&gap.file))?;
        Some((frame, gap))
    })
}

/// The name of the function that line `line` (from 1) of `text` is in:
/// the nearest `fn NAME` at or above it.
fn enclosing_function(text: &str, line: usize) -> Option<String> {
    text.lines()
        .take(line)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find_map(|line| {
            let after = line.split_once("fn ")?.1;
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty() && after[name.len()..].starts_with(['(', '<'])).then_some(name)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BACKTRACE: &str =
        "thread 't' panicked at /rustc/x/library/std/src/thread/local.rs:757:38:
RefCell already borrowed
stack backtrace:
   5: core::cell::RefCell<T>::borrow_mut
             at /rustc/x/library/core/src/cell.rs:1224:25
  10: chapter_5::handle::with_runtime
             at ./src/handle.rs:23:5
  11: chapter_5::event_loop::run_ready_callbacks
             at ./src/event_loop.rs:113:21
";

    #[test]
    fn frames_are_read_innermost_first() {
        let frames = frames(BACKTRACE, Path::new("/w/exercises/exercise-5"));
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[1].function, "chapter_5::handle::with_runtime");
        assert_eq!(
            crate::places::normal(&frames[2].file),
            Path::new("/w/exercises/exercise-5/src/event_loop.rs")
        );
        assert_eq!(frames[2].line, 113);
    }

    #[test]
    fn the_function_around_a_line_is_found() {
        let text = "fn a() {\n    x();\n}\n\npub(crate) fn run_ready_callbacks() {\n    let f = |x| x;\n    f(1);\n}\n";
        assert_eq!(enclosing_function(text, 2).as_deref(), Some("a"));
        assert_eq!(
            enclosing_function(text, 7).as_deref(),
            Some("run_ready_callbacks")
        );
        assert_eq!(enclosing_function("no functions\n", 1), None);
    }
}
