//! A stage imports what it uses, and the source says so once.
//!
//! The source's imports are the last stage's. An earlier stage that lacks
//! the code using a name (a `Waker` that only stage 13 keeps, say) would
//! need a marker on the `use` that only repeats the ranges of that code,
//! and the two could drift apart. So each stage's file drops, from its
//! private `use` lines at the top of the file, the names it does not use,
//! as an editor's "remove unused imports" does; a line left with none is
//! left out. A name an earlier stage needs and the last stage lacks still
//! has its marked line (`// use std::collections::BTreeSet; //@ ..=6`).
//!
//! Only what reads plainly is touched: a private `use` at the start of a
//! line, in a file that is no module's root (whose imports its modules
//! below may use), one item on one line, with at most one level of braces and no
//! `*`. Anything else is kept as it is, marked by hand where a stage
//! needs it. A name counts as used when it appears as a whole word in the
//! file's code, outside comments; a name that a comment mentions alone is
//! not used. A trait that code uses only through its methods shows no
//! name: those in [`METHOD_TRAITS`] are always kept.

use crate::Files;

/// Traits whose methods a file calls without naming them: never dropped.
/// A trait missing here is dropped where a stage uses only its methods,
/// and that stage fails to build, naming it.
pub const METHOD_TRAITS: [&str; 6] = [
    "Read",
    "Write",
    "BufRead",
    "Seek",
    "Future",
    "ToSocketAddrs",
];

/// Drops the unused names of each top-level private `use` in the Rust
/// files of one stage's crate.
pub fn drop_unused_imports(files: &mut Files) {
    let mut changed = Vec::new();
    for (path, text) in files.iter() {
        // A private `use` in a module's root file (`lib.rs`, `mod.rs`)
        // also serves the modules below it: not this file's alone.
        if !path.ends_with(".rs") || path.ends_with("lib.rs") || path.ends_with("mod.rs") {
            continue;
        }
        let pruned = pruned(text);
        if pruned != *text {
            changed.push((path.clone(), pruned));
        }
    }
    files.extend(changed);
}

/// `text` without the names its imports bring in and its code never uses.
fn pruned(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let imports: Vec<Option<Import>> = lines.iter().map(|line| Import::parse(line)).collect();
    let code: Vec<String> = lines
        .iter()
        .zip(&imports)
        .filter(|(_, import)| import.is_none())
        .map(|(line, _)| without_comment(line).to_string())
        .collect();
    let used =
        |name: &str| METHOD_TRAITS.contains(&name) || code.iter().any(|line| has_word(line, name));
    let mut out = String::new();
    // Whether a line was dropped since the last line that is not blank:
    // a group of imports that is gone leaves its blank line behind.
    let mut dropped = false;
    let mut after_blank = false;
    for (line, import) in lines.iter().zip(&imports) {
        let kept = match import {
            None => Some(line.to_string()),
            Some(import) => import.keeping(&used),
        };
        let Some(kept) = kept else {
            dropped = true;
            continue;
        };
        let blank = kept.trim().is_empty();
        if blank && after_blank && dropped {
            continue;
        }
        if !blank {
            dropped = false;
        }
        after_blank = blank;
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// One `use` line: `use PREFIX::NAME;` or `use PREFIX::{A, B as C, self};`.
#[derive(Debug, PartialEq)]
struct Import {
    /// What comes before the names, with its `::` (empty for `use name;`).
    prefix: String,
    /// Each name as written, and the name it binds in the file.
    names: Vec<(String, String)>,
    braced: bool,
}

impl Import {
    fn parse(line: &str) -> Option<Import> {
        let tree = line.strip_prefix("use ")?.strip_suffix(';')?;
        if tree.contains('*') || tree.contains("//") {
            return None;
        }
        let (prefix, names, braced) = match tree.split_once('{') {
            Some((prefix, rest)) => {
                let inside = rest.strip_suffix('}')?;
                if inside.contains(['{', '}']) {
                    return None;
                }
                (prefix.to_string(), inside.to_string(), true)
            }
            None => match tree.rsplit_once("::") {
                Some((prefix, name)) => (format!("{prefix}::"), name.to_string(), false),
                None => (String::new(), tree.to_string(), false),
            },
        };
        let module = prefix
            .trim_end_matches("::")
            .rsplit("::")
            .next()?
            .to_string();
        let names = names
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                let binds = match name.split_once(" as ") {
                    Some((_, alias)) => alias.trim().to_string(),
                    None if name == "self" => module.clone(),
                    None => name.rsplit("::").next().unwrap_or(name).to_string(),
                };
                (name.to_string(), binds)
            })
            .collect();
        Some(Import {
            prefix,
            names,
            braced,
        })
    }

    /// The line with only the names `used` says are used, or `None` when
    /// none is. A single name left loses its braces, as rustfmt writes it.
    fn keeping(&self, used: &dyn Fn(&str) -> bool) -> Option<String> {
        let kept: Vec<&str> = self
            .names
            .iter()
            .filter(|(_, binds)| used(binds))
            .map(|(name, _)| name.as_str())
            .collect();
        match kept.as_slice() {
            [] => None,
            _ if kept.len() == self.names.len() => Some(self.line(&kept, self.braced)),
            ["self"] => Some(format!("use {};", self.prefix.trim_end_matches("::"))),
            [_] => Some(self.line(&kept, false)),
            _ => Some(self.line(&kept, true)),
        }
    }

    fn line(&self, names: &[&str], braced: bool) -> String {
        let names = names.join(", ");
        if braced {
            format!("use {}{{{names}}};", self.prefix)
        } else {
            format!("use {}{names};", self.prefix)
        }
    }
}

/// `line` up to a `//` comment, if it has one.
fn without_comment(line: &str) -> &str {
    line.find("//").map_or(line, |at| &line[..at])
}

/// Whether `word` is in `line` as a whole word: not part of a longer name.
fn has_word(line: &str, word: &str) -> bool {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    line.match_indices(word).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + word.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_file_does_not_use_are_dropped() {
        let text = "use std::collections::{BTreeMap, HashMap};\n\
                    use std::io::{self, ErrorKind};\n\
                    use std::rc::Rc;\n\
                    use crate::{Js, log};\n\
                    \n\
                    // an Rc, in a comment, is no use\n\
                    fn f(map: BTreeMap<u8, Js>) -> io::Result<()> {\n\
                    \x20   log!(\"{map:?}\");\n\
                    }\n";
        assert_eq!(
            pruned(text),
            "use std::collections::BTreeMap;\n\
             use std::io;\n\
             use crate::{Js, log};\n\
             \n\
             // an Rc, in a comment, is no use\n\
             fn f(map: BTreeMap<u8, Js>) -> io::Result<()> {\n\
             \x20   log!(\"{map:?}\");\n\
             }\n"
        );
    }

    #[test]
    fn a_group_of_imports_that_is_gone_leaves_one_blank_line() {
        let text = "//! A file.\n\nuse std::rc::Rc;\n\nuse crate::Js;\n\nfn f(_: Js) {}\n";
        assert_eq!(
            pruned(text),
            "//! A file.\n\nuse crate::Js;\n\nfn f(_: Js) {}\n"
        );
    }

    #[test]
    fn what_is_not_plain_is_kept() {
        let text = "pub use timers::TimerId;\n\
                    pub(crate) use request::Requests;\n\
                    use super::*;\n\
                    \x20   use std::rc::Rc;\n\
                    use std::{collections::{BTreeMap}};\n\
                    fn f() {}\n";
        assert_eq!(pruned(text), text);
    }

    #[test]
    fn an_alias_is_the_name_that_counts() {
        let text = "use std::fmt::{Display as Show, Debug};\nfn f(x: &dyn Show) {}\n";
        assert_eq!(
            pruned(text),
            "use std::fmt::Display as Show;\nfn f(x: &dyn Show) {}\n"
        );
    }

    #[test]
    fn a_longer_name_does_not_count() {
        assert!(!has_word("let waker_slot = Wakers::new();", "Waker"));
        assert!(has_word("fn f(w: Waker) {}", "Waker"));
        assert!(has_word("log!(\"x\")", "log"));
    }
}
