//! A module's stages are said once, by its file.
//!
//! A file of `source/runtime/src` (or of `source/until-M/src`) that begins
//! with a block and ends with its `end` exists only in that block's
//! stages. The lines that name the module, `mod epoll;` in `lib.rs` or
//! `use crate::epoll::EpollThread;` in another file, would only repeat
//! that range in a marker of their own, and the two could drift apart. So
//! a stage leaves out such a line, unmarked, when it lacks the module's
//! file. What the line names in a module that the stage has is the line's
//! own business: a private `use` drops the names its file does not use
//! (see [`imports`](crate::imports)), but a re-export (`pub use`) of an
//! item that comes later still needs its marker.

use crate::Files;

/// Leaves out, in every Rust file of one stage's crate, the lines that
/// declare or import a module of the crate that the stage lacks: one that
/// `lib.rs` declares, with no file in this stage.
pub fn leave_out_missing_modules(files: &mut Files) {
    let Some(lib) = files.get("src/lib.rs") else {
        return;
    };
    let declared: Vec<&str> = lib.lines().filter_map(declared_module).collect();
    let missing: Vec<String> = declared
        .into_iter()
        .filter(|module| {
            !files.contains_key(&format!("src/{module}.rs"))
                && !files.contains_key(&format!("src/{module}/mod.rs"))
        })
        .map(String::from)
        .collect();
    let mut changed = Vec::new();
    for (path, text) in files.iter() {
        // Only the library's own files: a test's `mod common;` is a
        // folder of `tests/`, not a module of the crate.
        if !(path.starts_with("src/") && path.ends_with(".rs")) {
            continue;
        }
        let root = path == "src/lib.rs";
        let kept: Vec<&str> = text
            .lines()
            .filter(|line| {
                named_module(line, root).is_none_or(|name| !missing.iter().any(|m| m == name))
            })
            .collect();
        if kept.len() < text.lines().count() {
            changed.push((path.clone(), kept.join("\n") + "\n"));
        }
    }
    files.extend(changed);
}

/// The module that `line`, in `lib.rs`, declares: `mod name;` or
/// `pub mod name;`.
fn declared_module(line: &str) -> Option<&str> {
    let item = without_visibility(line.trim().strip_suffix(';')?);
    let name = item.strip_prefix("mod ")?;
    is_name(name).then_some(name)
}

/// The module of the crate that `line` declares or imports from, if it is
/// one whole `mod` or `use` item on a line of its own. `root` says whether
/// the line is in `lib.rs`, where `mod name;` and `use name::...` name a
/// module of the crate; elsewhere, `mod name;` is a module inside the
/// file's own, and only `use crate::name::...` is one of the crate's.
fn named_module(line: &str, root: bool) -> Option<&str> {
    if root && let Some(name) = declared_module(line) {
        return Some(name);
    }
    let item = without_visibility(line.trim().strip_suffix(';')?);
    let path = item.strip_prefix("use ")?;
    let path = match path.strip_prefix("crate::") {
        Some(path) => path,
        None if root => path,
        None => return None,
    };
    let (name, _) = path.split_once("::")?;
    is_name(name).then_some(name)
}

fn without_visibility(item: &str) -> &str {
    ["pub ", "pub(crate) "]
        .iter()
        .find_map(|visibility| item.strip_prefix(visibility))
        .unwrap_or(item)
}

fn is_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage_with(files: &[(&str, &str)]) -> Files {
        files
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string()))
            .collect()
    }

    #[test]
    fn lines_naming_a_missing_module_are_left_out() {
        let lib = "mod epoll;\nmod timers;\npub use timers::TIMEOUT_MAX;\n\
                   pub use epoll::Poller;\npub use std::fmt;\n";
        let runtime = "use crate::timers::Timers;\nuse crate::epoll::EpollThread;\n\
                       use std::sync::mpsc;\n    pub(crate) use crate::epoll::watch;\n";
        let mut files = stage_with(&[
            ("src/lib.rs", lib),
            ("src/runtime.rs", runtime),
            ("src/timers.rs", ""),
            ("src/http/mod.rs", "mod request;\n"),
            ("tests/timers.rs", "mod common;\nuse common::stage;\n"),
            ("Cargo.toml", "mod epoll;\n"),
        ]);
        leave_out_missing_modules(&mut files);
        assert_eq!(
            files["src/lib.rs"],
            "mod timers;\npub use timers::TIMEOUT_MAX;\npub use std::fmt;\n"
        );
        assert_eq!(
            files["src/runtime.rs"],
            "use crate::timers::Timers;\nuse std::sync::mpsc;\n"
        );
        assert_eq!(files["src/http/mod.rs"], "mod request;\n");
        assert_eq!(
            files["tests/timers.rs"],
            "mod common;\nuse common::stage;\n"
        );
        assert_eq!(files["Cargo.toml"], "mod epoll;\n");
    }

    #[test]
    fn a_module_in_a_folder_is_there_too() {
        let mut files = stage_with(&[
            ("src/lib.rs", "mod http;\npub use http::Http;\n"),
            ("src/http/mod.rs", ""),
        ]);
        leave_out_missing_modules(&mut files);
        assert_eq!(files["src/lib.rs"], "mod http;\npub use http::Http;\n");
    }

    #[test]
    fn only_whole_mod_and_use_items_on_their_own_line_are_read() {
        for line in [
            "use std::sync::mpsc;",
            "use epoll::Poller;",
            "use crate::{epoll, timers};",
            "mod tests {",
            "// mod epoll;",
        ] {
            assert_eq!(named_module(line, false), None, "{line}");
        }
        assert_eq!(named_module("use epoll::Poller;", true), Some("epoll"));
        assert_eq!(named_module("use std::fmt;", true), Some("std"));
        assert_eq!(named_module("mod epoll;", false), None);
        assert_eq!(named_module("    mod epoll;", true), Some("epoll"));
    }
}
