//! The mutants that `cargo mutants` makes of a function: the reference
//! body with one small change (an operator swapped, a condition negated,
//! the whole body replaced by a default value), each a wrong answer that
//! the tests must turn down.
//!
//! The tutor asks `cargo mutants --list --json` for them, and takes each
//! one's change (a span of the file and the text that replaces it); it
//! then tests them itself, all in one build (see `variants.rs`), rather
//! than letting `cargo mutants` build the crate again for each one.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The version CI installs, and the one these figures were measured with.
pub const VERSION: &str = "27.1.0";

/// One mutant of a function.
#[derive(Clone, Debug)]
pub struct Mutant {
    /// What `cargo mutants` calls it, without its place: such as `replace
    /// < with <= in Runtime::next_due_timer`.
    pub description: String,
    /// Its place, `FILE:LINE:COLUMN`, in the package.
    pub place: String,
    /// The code on the line it changes, trimmed.
    pub line_text: String,
    /// The file's text with the change made.
    pub mutated: String,
}

/// The mutants, among those `cargo mutants` listed (`listed`, see
/// [`list`]), of one function: the one in the file `file` of the package
/// `package` (whose text is `text`) that spans the line `line` (from 0).
pub fn of_function(
    listed: &[Value],
    package: &str,
    file: &str,
    text: &str,
    line: usize,
) -> Result<Vec<Mutant>, String> {
    let path = format!("{package}/{file}");
    let mut mutants = Vec::new();
    for mutant in listed {
        if mutant["file"].as_str() != Some(path.as_str()) {
            continue;
        }
        let function = &mutant["function"]["span"];
        let (first, last) = (line_of(&function["start"]), line_of(&function["end"]));
        if !(first..=last).contains(&(line + 1)) {
            continue;
        }
        let name = mutant["name"].as_str().ok_or("a mutant without a name")?;
        let (place, description) = name
            .split_once(": ")
            .ok_or_else(|| format!("a mutant named oddly: {name}"))?;
        let span = &mutant["span"];
        let replacement = mutant["replacement"]
            .as_str()
            .ok_or_else(|| format!("{name}: no replacement"))?;
        let start = (line_of(&span["start"]), column_of(&span["start"]));
        let end = (line_of(&span["end"]), column_of(&span["end"]));
        mutants.push(Mutant {
            description: description.to_string(),
            place: place
                .strip_prefix(&format!("{package}/"))
                .unwrap_or(place)
                .to_string(),
            line_text: text
                .lines()
                .nth(start.0.saturating_sub(1))
                .unwrap_or("")
                .trim()
                .to_string(),
            mutated: replace(text, start, end, replacement)
                .ok_or_else(|| format!("{name}: its span is not in the file"))?,
        });
    }
    Ok(mutants)
}

/// `cargo mutants --list --json` for one package of a workspace.
pub fn list(workspace: &Path, package: &str) -> Result<Vec<Value>, String> {
    let output = Command::new("cargo")
        .args(["mutants", "--list", "--json", "--package", package])
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("cannot run cargo mutants: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo mutants --list` failed. It is needed to prove the exercises: \
             `cargo install --locked cargo-mutants --version {VERSION}`.\n{}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    match serde_json::from_slice(&output.stdout) {
        Ok(Value::Array(mutants)) => Ok(mutants),
        _ => Err("`cargo mutants --list --json` did not print a list".to_string()),
    }
}

fn line_of(place: &Value) -> usize {
    place["line"].as_u64().unwrap_or(0) as usize
}

fn column_of(place: &Value) -> usize {
    place["column"].as_u64().unwrap_or(0) as usize
}

/// `text` with what lies from `start` to `end` (each a line and a column,
/// from 1, the column in characters; `end` not included) replaced.
fn replace(
    text: &str,
    start: (usize, usize),
    end: (usize, usize),
    replacement: &str,
) -> Option<String> {
    let offset = |(line, column): (usize, usize)| -> Option<usize> {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line.checked_sub(1)?)
            .map(str::len)
            .sum();
        let this_line = text[line_start..].split('\n').next()?;
        let within: usize = this_line
            .chars()
            .take(column.checked_sub(1)?)
            .map(char::len_utf8)
            .sum();
        Some(line_start + within)
    };
    let (from, to) = (offset(start)?, offset(end)?);
    (from <= to).then(|| format!("{}{replacement}{}", &text[..from], &text[to..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_is_replaced_by_lines_and_characters() {
        let text = "fn f() {\n    a < b\n}\n";
        assert_eq!(
            replace(text, (2, 7), (2, 8), "<="),
            Some("fn f() {\n    a <= b\n}\n".to_string())
        );
        assert_eq!(
            replace(text, (2, 5), (2, 10), "true"),
            Some("fn f() {\n    true\n}\n".to_string())
        );
        let accented = "// é\nx == y\n";
        assert_eq!(
            replace(accented, (2, 3), (2, 5), "!="),
            Some("// é\nx != y\n".to_string())
        );
    }

    #[test]
    fn mutants_are_taken_from_the_function_asked_for() {
        let text = "fn f() {\n    a < b\n}\n\nfn g() {\n    c < d\n}\n";
        let listed: Vec<Value> = serde_json::from_str(
            r#"[
              {"file": "exercise-2/src/a.rs", "name": "exercise-2/src/a.rs:2:7: replace < with <= in f",
               "replacement": "<=", "span": {"start": {"line": 2, "column": 7}, "end": {"line": 2, "column": 8}},
               "function": {"span": {"start": {"line": 1, "column": 1}, "end": {"line": 3, "column": 2}}}},
              {"file": "exercise-2/src/a.rs", "name": "exercise-2/src/a.rs:6:7: replace < with > in g",
               "replacement": ">", "span": {"start": {"line": 6, "column": 7}, "end": {"line": 6, "column": 8}},
               "function": {"span": {"start": {"line": 5, "column": 1}, "end": {"line": 7, "column": 2}}}}
            ]"#,
        )
        .unwrap();
        let mutants = of_function(&listed, "exercise-2", "src/a.rs", text, 4).unwrap();
        assert_eq!(mutants.len(), 1);
        assert_eq!(mutants[0].description, "replace < with > in g");
        assert_eq!(mutants[0].place, "src/a.rs:6:7");
        assert_eq!(mutants[0].line_text, "c < d");
        assert!(mutants[0].mutated.contains("c > d"));
    }
}
