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
//! line, one item on one line, with at most one level of braces, no `*`,
//! and no attribute on the line before it; and only in a file that is no
//! module's root (`lib.rs`, `mod.rs`, or a file with a folder of its own),
//! whose imports the modules below it may use. Anything else is kept as
//! it is, marked by hand where a stage needs it.
//!
//! A name counts as used when it is a whole word of the file's code,
//! outside comments and string literals, or the target of a doc link
//! (``[`Waker`]``). A trait that code uses only through its methods shows
//! no name: [`METHOD_TRAITS`] says which methods count for which trait,
//! and a trait imported `as _` is always kept. When names are dropped, the
//! `use` lines around them are sorted again as rustfmt sorts them: a list
//! cut down to one name loses its braces, and moves with that.

use crate::Files;

/// Traits whose methods a file calls without naming the trait, with the
/// methods that count as using it. A trait missing here is dropped where
/// a stage only calls its methods, and that stage fails to build, naming
/// the trait: add it here.
pub const METHOD_TRAITS: &[(&str, &[&str])] = &[
    (
        "Read",
        &["read", "read_exact", "read_to_end", "read_to_string"],
    ),
    ("Write", &["write", "writeln", "write_all", "flush"]),
    ("BufRead", &["read_line", "lines", "fill_buf"]),
    ("Seek", &["seek", "rewind"]),
    ("ToSocketAddrs", &["to_socket_addrs"]),
];

/// Drops the unused names of each top-level private `use` in the Rust
/// files of one stage's crate.
pub fn drop_unused_imports(files: &mut Files) {
    let mut changed = Vec::new();
    for (path, text) in files.iter() {
        if !path.ends_with(".rs") || is_module_root(path, files) {
            continue;
        }
        let pruned = pruned(text);
        if pruned != *text {
            changed.push((path.clone(), pruned));
        }
    }
    files.extend(changed);
}

/// Whether the file at `path` is the root of other modules: a private
/// `use` there also serves the modules below it, so it is not this file's
/// alone to judge.
fn is_module_root(path: &str, files: &Files) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if ["lib.rs", "main.rs", "mod.rs"].contains(&name) {
        return true;
    }
    let folder = format!("{}/", path.trim_end_matches(".rs"));
    files.keys().any(|other| other.starts_with(&folder))
}

/// `text` without the names its imports bring in and its code never uses.
fn pruned(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let imports: Vec<Option<Import>> = lines
        .iter()
        .enumerate()
        .map(|(at, line)| {
            let attribute_above = at > 0 && lines[at - 1].trim_start().starts_with("#[");
            if attribute_above {
                None
            } else {
                Import::parse(line)
            }
        })
        .collect();
    let mut code = String::new();
    let mut doc_links = Vec::new();
    for (line, import) in lines.iter().zip(&imports) {
        if import.is_none() {
            code.push_str(&only_code(line));
            code.push('\n');
            doc_links.extend(doc_link_targets(line));
        }
    }
    let used = |import: &Name| {
        import.binds == "_"
            || has_word(&code, &import.binds)
            || doc_links.contains(&import.binds.as_str())
            || METHOD_TRAITS.iter().any(|(name, methods)| {
                *name == import.last_segment() && methods.iter().any(|m| has_word(&code, m))
            })
    };
    let mut out: Vec<String> = Vec::new();
    // Whether a line was dropped since the last line that is not blank:
    // a group of imports that is gone would leave its blank line behind.
    let mut dropped = false;
    let mut after_blank = true;
    // Which lines of `out` are `use` lines that changed.
    let mut changed = Vec::new();
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
        if kept != *line {
            changed.push(out.len());
        }
        out.push(kept);
    }
    sort_changed_runs(&mut out, &changed);
    out.iter().map(|line| format!("{line}\n")).collect()
}

/// Sorts again, as rustfmt does, each run of `use` lines in a row in which
/// a line changed.
fn sort_changed_runs(lines: &mut [String], changed: &[usize]) {
    let is_use = |line: &String| line.starts_with("use ");
    let mut at = 0;
    while at < lines.len() {
        if !is_use(&lines[at]) {
            at += 1;
            continue;
        }
        let end = (at..lines.len())
            .find(|&end| !is_use(&lines[end]))
            .unwrap_or(lines.len());
        if changed.iter().any(|line| (at..end).contains(line)) {
            lines[at..end].sort_by_key(|line| rustfmt_order(line));
        }
        at = end;
    }
}

/// The key rustfmt sorts `use` lines by: their paths, segment by segment,
/// with a braced list after every name.
fn rustfmt_order(line: &str) -> Vec<String> {
    let path = line.trim_start_matches("use ").trim_end_matches(';');
    path.split("::")
        .map(|segment| {
            if segment.starts_with('{') {
                format!("\u{10FFFF}{segment}")
            } else {
                segment.to_string()
            }
        })
        .collect()
}

/// The code of `line`: without a `//` comment, and with the insides of its
/// string and character literals blanked, so that neither counts as a use.
fn only_code(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut code = String::new();
    let mut at = 0;
    while at < chars.len() {
        match chars[at] {
            '/' if chars.get(at + 1) == Some(&'/') => break,
            '"' => {
                at += 1;
                while at < chars.len() && chars[at] != '"' {
                    at += if chars[at] == '\\' { 2 } else { 1 };
                }
                code.push_str("\"\"");
            }
            // A character literal ('x', '\n'); a lifetime ('a) goes on.
            '\'' if chars.get(at + 2) == Some(&'\'') || chars.get(at + 1) == Some(&'\\') => {
                // After the backslash's character, if there is one.
                let from = if chars[at + 1] == '\\' {
                    at + 3
                } else {
                    at + 2
                };
                let close = (from..chars.len()).find(|&c| chars[c] == '\'');
                at = close.unwrap_or(chars.len());
                code.push_str("' '");
            }
            c => code.push(c),
        }
        at += 1;
    }
    code
}

/// The names that the doc links of `line` point at: ``[`Name`]`` and
/// ``[`path::Name`]``, by their last segment.
fn doc_link_targets(line: &str) -> Vec<&str> {
    let trimmed = line.trim_start();
    if !(trimmed.starts_with("///") || trimmed.starts_with("//!")) {
        return Vec::new();
    }
    line.split("[`")
        .skip(1)
        .filter_map(|rest| rest.split_once("`]").map(|(target, _)| target))
        .map(|target| target.rsplit("::").next().unwrap_or(target))
        .collect()
}

/// One `use` line: `use PREFIX::NAME;` or `use PREFIX::{A, B as C, self};`.
#[derive(Debug, PartialEq)]
struct Import {
    /// What comes before the names, with its `::` (empty for `use name;`).
    prefix: String,
    names: Vec<Name>,
    /// Whether the names are in braces, as a list.
    braced: bool,
}

/// One name that a `use` brings in.
#[derive(Debug, PartialEq)]
struct Name {
    /// As the line writes it: `Waker`, `io::Read as _`, `self`.
    written: String,
    /// The name it binds in the file: `Waker`, `_`, `io`.
    binds: String,
}

impl Name {
    /// The item it names, without its path or alias: `Read` for
    /// `io::Read as _`.
    fn last_segment(&self) -> &str {
        let item = self.written.split(" as ").next().unwrap_or(&self.written);
        item.rsplit("::").next().unwrap_or(item).trim()
    }
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
                Name {
                    written: name.to_string(),
                    binds,
                }
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
    fn keeping(&self, used: &dyn Fn(&Name) -> bool) -> Option<String> {
        let kept: Vec<&str> = self
            .names
            .iter()
            .filter(|name| used(name))
            .map(|name| name.written.as_str())
            .collect();
        match kept.as_slice() {
            [] => None,
            _ if kept.len() == self.names.len() => Some(self.line(&kept, self.braced)),
            // `{self}` is the module itself, `{self as x}` the module as x.
            [only] if *only == "self" || only.starts_with("self as ") => {
                let module = self.prefix.trim_end_matches("::");
                Some(format!("use {module}{};", &only["self".len()..]))
            }
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
                    \n\
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
             \n\
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
    fn strings_hide_names_and_do_not_hide_code() {
        let text = "use std::io::ErrorKind;\nuse std::rc::Rc;\n\n\
                    fn f() {\n\
                    \x20   probe(\"http://x\", ErrorKind::NotFound, \"Rc\", '\"');\n\
                    }\n";
        assert_eq!(
            pruned(text),
            text.replace("use std::rc::Rc;\n", "").as_str()
        );
    }

    #[test]
    fn a_use_under_an_attribute_is_left_alone() {
        let text = "#[cfg(test)]\nuse std::rc::Rc;\n\nfn f() {}\n";
        assert_eq!(pruned(text), text);
    }

    #[test]
    fn a_trait_counts_as_used_by_its_methods() {
        let text = "use std::io::{Read, Write};\nuse std::fmt::Write as _;\n\n\
                    fn f(s: &mut S) {\n\
                    \x20   s.write_all(b\"x\");\n\
                    }\n";
        assert_eq!(
            pruned(text),
            "use std::fmt::Write as _;\nuse std::io::Write;\n\n\
             fn f(s: &mut S) {\n\
             \x20   s.write_all(b\"x\");\n\
             }\n"
        );
    }

    #[test]
    fn the_module_itself_can_be_what_is_left() {
        let text = "use std::io::{self as sio, Read};\nfn f() -> sio::Result<()> {}\n";
        assert_eq!(
            pruned(text),
            "use std::io as sio;\nfn f() -> sio::Result<()> {}\n"
        );
    }

    #[test]
    fn a_file_does_not_begin_with_a_blank_line() {
        assert_eq!(pruned("use std::rc::Rc;\n\nfn f() {}\n"), "fn f() {}\n");
    }

    #[test]
    fn lines_that_changed_are_sorted_again_as_rustfmt_sorts_them() {
        let text = "use std::sync::mpsc::Sender;\nuse std::sync::{Arc, Mutex};\n\n\
                    fn f(a: Arc<u8>, s: Sender<u8>) {}\n";
        assert_eq!(
            pruned(text),
            "use std::sync::Arc;\nuse std::sync::mpsc::Sender;\n\n\
             fn f(a: Arc<u8>, s: Sender<u8>) {}\n"
        );
    }

    #[test]
    fn a_doc_link_is_a_use() {
        let text = "use std::task::Waker;\n\n/// Holds a [`Waker`].\nstruct S;\n";
        assert_eq!(pruned(text), text);
    }

    #[test]
    fn a_module_root_is_left_alone() {
        let files: Files = [
            "src/lib.rs",
            "src/http/mod.rs",
            "src/net.rs",
            "src/net/tcp.rs",
        ]
        .iter()
        .map(|path| (path.to_string(), String::new()))
        .collect();
        for root in ["src/lib.rs", "src/http/mod.rs", "src/net.rs"] {
            assert!(is_module_root(root, &files), "{root}");
        }
        assert!(!is_module_root("src/net/tcp.rs", &files));
    }

    #[test]
    fn a_longer_name_does_not_count() {
        assert!(!has_word("let waker_slot = Wakers::new();", "Waker"));
        assert!(has_word("fn f(w: Waker) {}", "Waker"));
        assert!(has_word("log!(\"x\")", "log"));
    }
}
