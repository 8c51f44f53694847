//! The markers that say which stages a line of the source belongs to.
//!
//! A source file holds every stage at once. A line without a marker is in
//! every stage that has the file; the others are marked:
//!
//! ```text
//! use std::sync::mpsc;                 //@ 2..      one line, from stage 2 on
//! //@ 4..=6                                         a block, stages 4 to 6
//!     timers: BTreeSet<(Instant, usize)>,
//! //@ or 7..                                        replaced, from stage 7 on
//!     timers: BTreeMap<TimerId, Callback>,
//! //@ end
//! ```
//!
//! A range is `N` (stage N only), `N..` (N and every later stage), `..=N`
//! (up to N) or `N..=M`. Inside a block, `N..` and `..=N` go as far as the
//! block does: in a block `2..=4`, `3..` means `3..=4`. Blocks nest; an
//! inner range must lie within the one around it, and the ranges of an
//! `or` chain must not overlap, so that a mistake is an error rather than
//! a line that silently never appears. TOML files write `#@` instead of
//! `//@`.
//!
//! The source is the last stage, as Rust that compiles: a line that the
//! last stage lacks is kept in a comment (`// ` after its indentation, or
//! `# ` in TOML), which the stages that have it take off. The source is
//! the crate `source-runtime`; in each stage, that name becomes the
//! stage's, `chapter-N`. And [`whole`](crate::whole) checks that every
//! block holds whole items or statements.

use std::fmt;

/// Which stages something belongs to: `first` and every stage up to
/// `last`, or every later stage when `last` is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stages {
    first: usize,
    last: Option<usize>,
}

impl Stages {
    /// Every stage.
    pub const ALL: Stages = Stages {
        first: 1,
        last: None,
    };

    /// Reads `N`, `N..`, `..=N` or `N..=M`, where an open end is the end
    /// of the stages `around` it.
    pub fn parse(text: &str, around: Stages) -> Option<Stages> {
        let number = |text: &str| text.parse::<usize>().ok().filter(|&n| n > 0);
        let stages = if let Some(last) = text.strip_prefix("..=") {
            Stages {
                first: around.first,
                last: Some(number(last)?),
            }
        } else if let Some((first, last)) = text.split_once("..=") {
            Stages {
                first: number(first)?,
                last: Some(number(last)?),
            }
        } else if let Some(first) = text.strip_suffix("..") {
            Stages {
                first: number(first)?,
                last: around.last,
            }
        } else {
            let only = number(text)?;
            Stages {
                first: only,
                last: Some(only),
            }
        };
        stages
            .last
            .is_none_or(|last| last >= stages.first)
            .then_some(stages)
    }

    pub fn contains(self, stage: usize) -> bool {
        stage >= self.first && self.last.is_none_or(|last| stage <= last)
    }

    fn within(self, outer: Stages) -> bool {
        let last_within = match (self.last, outer.last) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(last), Some(outer_last)) => last <= outer_last,
        };
        self.first >= outer.first && last_within
    }

    fn overlaps(self, other: Stages) -> bool {
        let starts_before_other_ends = other.last.is_none_or(|last| self.first <= last);
        let other_starts_before_this_ends = self.last.is_none_or(|last| other.first <= last);
        starts_before_other_ends && other_starts_before_this_ends
    }
}

impl fmt::Display for Stages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.last {
            None => write!(f, "{}..", self.first),
            Some(last) if last == self.first => write!(f, "{last}"),
            Some(last) => write!(f, "{}..={last}", self.first),
        }
    }
}

/// A source file read line by line, each line with the stages it is in.
pub struct Annotated {
    lines: Vec<(String, Stages)>,
    /// Which lines end a marked header (see [`Annotated::for_stage`]).
    headers: Vec<bool>,
}

/// An open block while a file is read: its range, and the ranges of the
/// blocks before it in the same `or` chain.
struct Block {
    stages: Stages,
    chain: Vec<Stages>,
    opened_at: usize,
    /// Where its lines start in the file's lines.
    first: usize,
}

/// One block's lines (one arm of an `or` chain), once it is read: what
/// [`whole`](crate::whole) checks holds whole items or statements.
pub struct Arm {
    pub stages: Stages,
    /// The line of its `//@` directive, from 1.
    pub opened_at: usize,
    /// Its lines, as indexes into the file's lines.
    pub lines: std::ops::Range<usize>,
}

impl Annotated {
    /// Reads `text`, whose markers start with `marker` (`//@` or `#@`).
    /// `name` is for messages; `last_stage` is the last stage there is.
    pub fn parse(
        name: &str,
        text: &str,
        marker: &str,
        last_stage: usize,
    ) -> Result<Annotated, String> {
        let comment = marker.trim_end_matches('@');
        let mut lines = Vec::new();
        let mut numbers = Vec::new();
        let mut arms = Vec::new();
        let mut headers = Vec::new();
        let mut open: Vec<Block> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let at = format!("{name}:{}", index + 1);
            // A line that the last stage does not have is kept in a comment,
            // so that the source is the last stage, as Rust that compiles.
            let mut push = |code: &str, stages: Stages| -> Result<(), String> {
                let code = if stages.contains(last_stage) {
                    code.to_string()
                } else {
                    uncomment(code, comment).ok_or_else(|| {
                        format!(
                            "{at}: this line is in stages {stages} only, not in the last, \
                             {last_stage}: write it in a comment, `{comment} ` after its \
                             indentation, so that the source compiles as the last stage"
                        )
                    })?
                };
                lines.push((code, stages));
                numbers.push(index + 1);
                Ok(())
            };
            let around = open.last().map_or(Stages::ALL, |block| block.stages);
            let check = |stages: Stages, around: Stages| -> Result<Stages, String> {
                if stages.first > last_stage || stages.last.is_some_and(|last| last > last_stage) {
                    return Err(format!("{at}: `{stages}`: the last stage is {last_stage}"));
                }
                if !stages.within(around) {
                    return Err(format!(
                        "{at}: `{stages}` is not within the block around it, `{around}`"
                    ));
                }
                Ok(stages)
            };
            let Some(position) = line.find(marker) else {
                push(line, around)?;
                continue;
            };
            let (code, directive) = (&line[..position], line[position + marker.len()..].trim());
            let parse_range = |text: &str, around: Stages| {
                if Stages::parse(text, Stages::ALL).is_none() {
                    return Err(format!("{at}: `{text}` is not a range of stages"));
                }
                // A range that is fine on its own, but empty once its open
                // end is cut to the block around it.
                Stages::parse(text, around).ok_or_else(|| {
                    format!("{at}: `{text}` is not within the block around it, `{around}`")
                })
            };
            if !code.trim().is_empty() {
                // A marker at the end of a line of code: that line only.
                let stages = check(parse_range(directive, around)?, around)?;
                push(code.trim_end(), stages)?;
                ends_header(&mut headers, lines.len());
            } else if directive == "end" {
                let block = open
                    .pop()
                    .ok_or_else(|| format!("{at}: `end` without a block to end"))?;
                arms.push(block.arm(lines.len()));
                ends_header(&mut headers, lines.len());
            } else if let Some(range) = directive.strip_prefix("or ") {
                let block = open
                    .pop()
                    .ok_or_else(|| format!("{at}: `or` without a block before it"))?;
                arms.push(block.arm(lines.len()));
                ends_header(&mut headers, lines.len());
                let around = open.last().map_or(Stages::ALL, |block| block.stages);
                let stages = check(parse_range(range.trim(), around)?, around)?;
                let mut chain = block.chain;
                chain.push(block.stages);
                if let Some(earlier) = chain.iter().find(|earlier| earlier.overlaps(stages)) {
                    return Err(format!("{at}: `{stages}` overlaps `{earlier}` before it"));
                }
                open.push(Block {
                    stages,
                    chain,
                    opened_at: index + 1,
                    first: lines.len(),
                });
            } else {
                let stages = check(parse_range(directive, around)?, around)?;
                open.push(Block {
                    stages,
                    chain: Vec::new(),
                    opened_at: index + 1,
                    first: lines.len(),
                });
            }
        }
        if let Some(block) = open.last() {
            // The last `end` closed the innermost block: the one that lacks
            // its `end` may be any of those still open.
            let still_open: Vec<String> = open
                .iter()
                .map(|block| format!("`{}` at line {}", block.stages, block.opened_at))
                .collect();
            return Err(format!(
                "{name}:{}: the block `{}` is never ended; an `end` is missing after one of \
                 the blocks still open at the end of the file: {}",
                block.opened_at,
                block.stages,
                still_open.join(", ")
            ));
        }
        if marker == "//@" {
            crate::whole::check(name, &lines, &numbers, &arms, last_stage)?;
        }
        headers.resize(lines.len(), false);
        Ok(Annotated { lines, headers })
    }

    /// The file as stage `stage` has it, or `None` if not one line of it
    /// is in that stage.
    ///
    /// A header that differs between stages (`pub fn` up to stage 4, say,
    /// and `pub(crate) fn` from stage 5) is written as marked lines, one
    /// per version, with the body's `{` on a line of its own after them:
    /// rustfmt would move a marker that followed a `{` into the body. Each
    /// stage gets its header with the `{` back at its end, as rustfmt
    /// writes it, and the body once, for every stage.
    pub fn for_stage(&self, stage: usize) -> Option<String> {
        let mut text = String::new();
        let mut after_header = false;
        for ((line, stages), &header) in self.lines.iter().zip(&self.headers) {
            if !stages.contains(stage) {
                continue;
            }
            if after_header && line.trim() == "{" {
                text.pop();
                text.push_str(" {\n");
            } else {
                text.push_str(&named_for_stage(line, stage));
                text.push('\n');
            }
            after_header = header;
        }
        let any = self.lines.iter().any(|(_, stages)| stages.contains(stage));
        any.then_some(text)
    }
}

/// Notes that the line before `next` ends a marked line or a block, so
/// that a `{` alone on the line after it joins it.
fn ends_header(headers: &mut Vec<bool>, next: usize) {
    if next > 0 {
        headers.resize(next, false);
        headers[next - 1] = true;
    }
}

impl Block {
    /// The block's lines, now that it ends before line `end`.
    fn arm(&self, end: usize) -> Arm {
        Arm {
            stages: self.stages,
            opened_at: self.opened_at,
            lines: self.first..end,
        }
    }
}

/// The source is a crate of its own, `source-runtime`: in stage `stage`,
/// its name is that stage's, `chapter-N` (`chapter_N` in Rust code).
fn named_for_stage(line: &str, stage: usize) -> String {
    line.replace("source_runtime", &format!("chapter_{stage}"))
        .replace("\"source-runtime\"", &format!("\"chapter-{stage}\""))
}

/// The code that a line of the source keeps in a comment: `    // x`
/// is `    x`, and `    //` alone an empty line. What follows the
/// comment's `// ` is the line's own text, with any indentation beyond the
/// comment's: `    //     x` is `        x`.
fn uncomment(line: &str, comment: &str) -> Option<String> {
    let code = line.trim_start();
    let indentation = &line[..line.len() - code.len()];
    let rest = code.strip_prefix(comment)?;
    if rest.is_empty() {
        return Some(String::new());
    }
    Some(format!("{indentation}{}", rest.strip_prefix(' ')?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage_of(text: &str, stage: usize) -> Option<String> {
        Annotated::parse("a.rs", text, "//@", 9)
            .unwrap()
            .for_stage(stage)
    }

    #[test]
    fn ranges_read_the_way_rust_writes_them() {
        let read = |text| Stages::parse(text, Stages::ALL).map(|stages| stages.to_string());
        assert_eq!(read("3").as_deref(), Some("3"));
        assert_eq!(read("3..").as_deref(), Some("3.."));
        assert_eq!(read("..=4").as_deref(), Some("1..=4"));
        assert_eq!(read("2..=5").as_deref(), Some("2..=5"));
        for wrong in ["", "0", "5..=2", "x", "..", "3..4"] {
            assert_eq!(read(wrong), None, "{wrong:?}");
        }
    }

    #[test]
    fn open_ends_go_as_far_as_the_block_around_them() {
        let text = "//@ 3..\na\n// b //@ ..=5\n//@ end\n";
        assert_eq!(stage_of(text, 2), None);
        assert_eq!(stage_of(text, 4).unwrap(), "a\nb\n");
        assert_eq!(stage_of(text, 6).unwrap(), "a\n");
        let text = "//@ ..=4\n// a\n// b //@ 3..\n//@ end\nc\n";
        assert_eq!(stage_of(text, 2).unwrap(), "a\nc\n");
        assert_eq!(stage_of(text, 4).unwrap(), "a\nb\nc\n");
        assert_eq!(stage_of(text, 5).unwrap(), "c\n");
    }

    #[test]
    fn unmarked_lines_are_in_every_stage_and_marked_ones_in_theirs() {
        let text = "a\nb //@ 2..\n//@ ..=3\n// c\n//@ or 4..\nd\n//@ end\ne\n";
        assert_eq!(stage_of(text, 1).unwrap(), "a\nc\ne\n");
        assert_eq!(stage_of(text, 3).unwrap(), "a\nb\nc\ne\n");
        assert_eq!(stage_of(text, 4).unwrap(), "a\nb\nd\ne\n");
        assert_eq!(stage_of(text, 9).unwrap(), "a\nb\nd\ne\n");
    }

    #[test]
    fn a_file_with_no_line_in_a_stage_is_not_in_that_stage() {
        let text = "//@ 3..\nfn f() {}\n//@ end\n";
        assert_eq!(stage_of(text, 2), None);
        assert_eq!(stage_of(text, 3).unwrap(), "fn f() {}\n");
    }

    #[test]
    fn blocks_nest_and_the_crate_takes_the_stage_name() {
        let text = "//@ 2..\nuse source_runtime;\n//@ 5..\nfive\n//@ end\n//@ end\n";
        assert_eq!(stage_of(text, 4).unwrap(), "use chapter_4;\n");
        assert_eq!(stage_of(text, 6).unwrap(), "use chapter_6;\nfive\n");
    }

    #[test]
    fn mistakes_are_errors_that_name_the_line() {
        let error = |text: &str| Annotated::parse("a.rs", text, "//@", 9).err().unwrap();
        assert!(error("//@ 3..\n").contains("a.rs:1: the block `3..` is never ended"));
        assert!(error("x\n//@ end\n").contains("a.rs:2: `end` without"));
        assert!(error("//@ 5..\n//@ 2..=6\n//@ end\n//@ end\n").contains("a.rs:2"));
        let unclosed = error("//@ 3..\n//@ 6..=7\n// x\n");
        assert!(
            unclosed.contains("`3..` at line 1, `6..=7` at line 2"),
            "{unclosed}"
        );
        assert!(error("//@ 6..=7\n//@ 8..\n//@ end\n//@ end\n").contains("not within"));
        assert!(error("//@ 2..=6\n//@ or 5..\n//@ end\n").contains("overlaps"));
        assert!(error("x //@ 10..\n").contains("the last stage is 9"));
        assert!(error("x //@ soon\n").contains("not a range"));
    }

    #[test]
    fn a_header_marked_by_stage_takes_back_its_brace() {
        let text = "impl R {\n    // pub fn f(&self) //@ ..=4\n    pub(crate) fn f(&self) //@ 5..\n    \
                    {\n        g();\n    }\n}\n";
        let body = "        g();\n    }\n}\n";
        assert_eq!(
            stage_of(text, 4).unwrap(),
            format!("impl R {{\n    pub fn f(&self) {{\n{body}")
        );
        assert_eq!(
            stage_of(text, 5).unwrap(),
            format!("impl R {{\n    pub(crate) fn f(&self) {{\n{body}")
        );
        // A block ends a header too, for one that rustfmt breaks over lines;
        // and a `{` after an unmarked line stays where it is.
        let text = "//@ ..=4\n// fn f(a: u8)\n//@ or 5..\nfn f(\n    a: u8,\n)\n//@ end\n{\n}\n\
                    fn g<T>()\nwhere\n    T: Copy,\n{\n}\n";
        let unmarked = "fn g<T>()\nwhere\n    T: Copy,\n{\n}\n";
        assert_eq!(
            stage_of(text, 3).unwrap(),
            format!("fn f(a: u8) {{\n}}\n{unmarked}")
        );
        assert_eq!(
            stage_of(text, 6).unwrap(),
            format!("fn f(\n    a: u8,\n) {{\n}}\n{unmarked}")
        );
    }

    #[test]
    fn lines_the_last_stage_lacks_are_kept_in_comments() {
        let text = "fn f() {\n    //@ ..=3\n    // old(\n    //     1,\n    //\n    // );\n    \
                    //@ or 4..\n    new();\n    //@ end\n}\n";
        assert_eq!(
            stage_of(text, 2).unwrap(),
            "fn f() {\n    old(\n        1,\n\n    );\n}\n"
        );
        assert_eq!(stage_of(text, 9).unwrap(), "fn f() {\n    new();\n}\n");
        let error = Annotated::parse("a.rs", "a\nb //@ ..=8\n", "//@", 9)
            .err()
            .unwrap();
        assert!(
            error.starts_with("a.rs:2: this line is in stages 1..=8 only"),
            "{error}"
        );
    }
}
