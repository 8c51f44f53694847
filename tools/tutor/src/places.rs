//! Where things are: the workspace, the exercises, and the folder the
//! student ran the tutor in. Every path the tutor shows, its own or one in
//! the compiler's or a test's words, is shown from that folder, so that a
//! terminal or an editor can open it as it is.

use std::path::{Component, Path, PathBuf};

pub struct Places {
    /// The top of the workspace.
    pub workspace: PathBuf,
    /// The exercises' own Cargo workspace: `exercises/`, or a copy of it
    /// (`--exercises FOLDER`, which the tutor's own tests use).
    pub exercises: PathBuf,
    /// Where the student ran the tutor.
    pub here: PathBuf,
}

impl Places {
    pub fn new(workspace: &Path, exercises: Option<&str>) -> Result<Places, String> {
        let here = std::env::current_dir()
            .map_err(|e| format!("cannot tell which folder this is: {e}"))?;
        let workspace = normal(&here.join(workspace));
        let exercises = match exercises {
            Some(folder) => normal(&here.join(folder)),
            None => workspace.join("exercises"),
        };
        if !exercises.join("Cargo.toml").is_file() {
            return Err(format!(
                "{} is not a folder of exercises: it has no Cargo.toml",
                exercises.display()
            ));
        }
        Ok(Places {
            workspace,
            exercises,
            here: normal(&here),
        })
    }

    /// The folder of one exercise's package.
    pub fn package(&self, package: &str) -> PathBuf {
        self.exercises.join(package)
    }

    /// Cargo's build folder for the exercises: where Cargo would put it,
    /// `exercises/target` unless `CARGO_TARGET_DIR` says otherwise. A copy
    /// of the exercises (`tutor prove`'s, or a test's) never builds in the
    /// real exercises' folder: its packages have the same names and places
    /// as the real ones, and Cargo would take one's programs for the
    /// other's. So it builds in its own `target`, or, under
    /// `CARGO_TARGET_DIR`, in a folder named after it there.
    pub fn target(&self) -> PathBuf {
        let copy = self.exercises != self.workspace.join("exercises");
        match (std::env::var_os("CARGO_TARGET_DIR"), copy) {
            (Some(folder), false) => self.here.join(folder),
            (Some(folder), true) => {
                let name = self.exercises.file_name().unwrap_or_default();
                self.here.join(folder).join(name)
            }
            (None, _) => self.exercises.join("target"),
        }
    }

    /// `path` as the student would type it from where they are.
    pub fn show(&self, path: &Path) -> String {
        let path = normal(&self.here.join(path));
        let from_here = relative(&self.here, &path);
        let text = from_here.to_string_lossy().replace('\\', "/");
        if text.is_empty() {
            ".".to_string()
        } else {
            text
        }
    }

    /// `text`, with every path to a `.rs` file in it (as the compiler or a
    /// panic names them: from the exercises' workspace, where they were
    /// built) shown from where the student is.
    pub fn paths_from_here(&self, text: &str) -> String {
        let mut output = String::new();
        let mut rest = text;
        while let Some(at) = rest.find(".rs:") {
            let end = at + ".rs".len();
            let start = rest[..at]
                .rfind(|c: char| c.is_whitespace() || "(`'\"".contains(c))
                .map_or(0, |i| i + 1);
            output.push_str(&rest[..start]);
            let path = &rest[start..end];
            if path.is_empty() {
                output.push_str(&rest[start..end]);
            } else {
                output.push_str(&self.show(&self.exercises.join(path)));
            }
            rest = &rest[end..];
        }
        output.push_str(rest);
        output
    }
}

/// `path` without `.` and `..` in it (without asking the file system).
pub fn normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// The way from the folder `from` to `to`; both absolute and normal.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let only_the_root = to
        .iter()
        .take(shared)
        .all(|c| matches!(c, Component::RootDir | Component::Prefix(_)));
    if only_the_root {
        // Nothing in common but the root (or another drive): the whole
        // path says it more plainly than a climb of `..`s.
        return to.iter().collect();
    }
    let mut way = PathBuf::new();
    for _ in shared..from.len() {
        way.push("..");
    }
    for component in &to[shared..] {
        way.push(component);
    }
    way
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(here: &str) -> Places {
        Places {
            workspace: PathBuf::from("/w"),
            exercises: PathBuf::from("/w/exercises"),
            here: PathBuf::from(here),
        }
    }

    #[test]
    fn paths_are_shown_from_where_the_student_is() {
        let file = Path::new("/w/exercises/exercise-2/src/a.rs");
        assert_eq!(places("/w").show(file), "exercises/exercise-2/src/a.rs");
        assert_eq!(places("/w/exercises/exercise-2").show(file), "src/a.rs");
        assert_eq!(
            places("/w/book").show(file),
            "../exercises/exercise-2/src/a.rs"
        );
        assert_eq!(
            places("/tmp").show(file),
            "/w/exercises/exercise-2/src/a.rs"
        );
    }

    #[test]
    fn paths_in_messages_are_shown_from_where_the_student_is() {
        let from_the_top = places("/w");
        assert_eq!(
            from_the_top.paths_from_here(
                "panicked at exercise-2/src/a.rs:9:5:\n --> ../chapters/chapter-2/tests/t.rs:3:1"
            ),
            "panicked at exercises/exercise-2/src/a.rs:9:5:\n --> chapters/chapter-2/tests/t.rs:3:1"
        );
        let inside = places("/w/exercises/exercise-2");
        assert_eq!(
            inside.paths_from_here("(the todo!() at exercise-2/src/a.rs:9:5, on 'x')"),
            "(the todo!() at src/a.rs:9:5, on 'x')"
        );
        assert_eq!(inside.paths_from_here("no path: x.rs"), "no path: x.rs");
    }
}
