//! The watch mode, used the way a person uses it: in a real terminal
//! (tmux), with keys typed into it and the screen read back.
//!
//! It runs on a copy of exercises 2 and 3, in `.tutor-watch-test` at the
//! top of the workspace, so a student's own work is never touched. The
//! copy is removed at the end; what it builds stays in Cargo's `target`
//! folder, as any build does, so that the next run is quick.
//!
//! tmux must be installed. Without it, this test says so and passes,
//! unless `TUTOR_TEST_NEEDS_TMUX` is set, as CI sets it: there, no tmux is
//! a failure.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread;
use std::time::{Duration, Instant};

use stages::exercises::{self, Open};

/// How long the screen may take to show what a step should show: a save
/// rebuilds the exercise first.
const LIMIT: Duration = Duration::from_secs(180);

#[test]
fn watch_checks_on_save_and_answers_its_keys() {
    if !tmux_is_installed() {
        assert!(
            std::env::var_os("TUTOR_TEST_NEEDS_TMUX").is_none(),
            "tmux is not installed, and this run needs it"
        );
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let workspace = stages::workspace_of(env!("CARGO_MANIFEST_DIR"));
    let copy = copy_of_the_exercises(&workspace, &[2, 3]);
    let target = workspace.join("target");
    build(&copy, &target);
    let terminal = Terminal::start(&copy, &target);

    terminal.wait_for(&["0/2 done", "Exercise 2: Stage 2", "not yet"]);

    terminal.press("h");
    terminal.wait_for(&["Hand the waiting tasks to idle threads", "h: no hints"]);

    terminal.press("n");
    terminal.wait_for(&["n moves on once exercise 2 passes."]);

    solve(&workspace, &copy, 2);
    terminal.wait_for(&["1/2 done", "exercise 2: passes", "n: exercise 3"]);

    terminal.press("n");
    terminal.wait_for(&["Exercise 3: Stage 3", "1/2 done"]);

    terminal.press("q");
    terminal.wait_for(&["Bye!"]);
    terminal.wait_until_ended();
}

fn tmux_is_installed() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A workspace of exercises, as handed out, beside the real one; removed
/// when dropped, even if the test fails.
fn copy_of_the_exercises(workspace: &Path, stages_wanted: &[usize]) -> Scratch {
    let copy = Scratch(workspace.join(".tutor-watch-test"));
    for name in ["Cargo.toml", "Cargo.lock"] {
        fs::create_dir_all(&*copy).unwrap();
        fs::copy(workspace.join("exercises").join(name), copy.join(name)).unwrap();
    }
    for exercise in exercises::all(workspace).unwrap() {
        let folder = copy.join(exercise.package());
        if !stages_wanted.contains(&exercise.stage) {
            let _ = fs::remove_dir_all(&folder);
            continue;
        }
        let _ = fs::remove_dir_all(folder.join("src"));
        for (path, text) in exercises::files(workspace, &exercise, Open::All).unwrap() {
            stages::write(&folder.join(path), &text).unwrap();
        }
    }
    copy
}

/// The copy's folder, removed when the test ends, however it ends.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Builds the copy's tests before the terminal starts, so that the
/// waits below are for the tutor, not for a first build. It builds where
/// the tutor will, given `target` as `CARGO_TARGET_DIR`: in a folder of
/// its own there, named after the copy.
fn build(copy: &Path, target: &Path) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let built = Command::new(cargo)
        .args(["build", "-q", "--tests", "--manifest-path"])
        .arg(copy.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target.join(".tutor-watch-test"))
        .status()
        .unwrap();
    assert!(built.success(), "the copy of the exercises does not build");
}

/// Saves the chapter's code over the exercise's, as a student would save
/// their answer.
fn solve(workspace: &Path, copy: &Path, stage: usize) {
    let exercise = exercises::all(workspace)
        .unwrap()
        .into_iter()
        .find(|e| e.stage == stage)
        .unwrap();
    for gap in &exercise.gaps {
        let solved = exercises::files(workspace, &exercise, Open::None).unwrap();
        let path = copy.join(exercise.package()).join(&gap.file);
        fs::write(path, &solved[&gap.file]).unwrap();
    }
}

/// The tutor's watch mode, running in a tmux server of this test's own.
struct Terminal {
    socket: String,
}

impl Terminal {
    fn start(copy: &Path, target: &Path) -> Terminal {
        let terminal = Terminal {
            socket: format!("tutor-watch-test-{}", std::process::id()),
        };
        let command = format!(
            "CARGO_TARGET_DIR={} {} --exercises {} watch",
            target.display(),
            env!("CARGO_BIN_EXE_tutor"),
            copy.display()
        );
        terminal.tmux(&[
            "new-session",
            "-d",
            "-s",
            "watch",
            "-x",
            "110",
            "-y",
            "50",
            &command,
        ]);
        // Keep the screen once the tutor quits, to read its last words.
        terminal.tmux(&["set-option", "-t", "watch", "remain-on-exit", "on"]);
        terminal
    }

    fn tmux(&self, arguments: &[&str]) -> Output {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(arguments)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "tmux {arguments:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn screen(&self) -> String {
        let output = self.tmux(&["capture-pane", "-p", "-t", "watch"]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn press(&self, key: &str) {
        self.tmux(&["send-keys", "-t", "watch", key]);
    }

    /// Waits until the screen shows every one of `texts`.
    fn wait_for(&self, texts: &[&str]) {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if texts.iter().all(|text| screen.contains(text)) {
                return;
            }
            assert!(
                started.elapsed() < LIMIT,
                "the screen never showed {texts:?}; it shows:\n{screen}"
            );
            thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_until_ended(&self) {
        let started = Instant::now();
        loop {
            let output = self.tmux(&["display-message", "-p", "-t", "watch", "#{pane_dead}"]);
            if String::from_utf8_lossy(&output.stdout).trim() == "1" {
                return;
            }
            assert!(started.elapsed() < LIMIT, "the tutor did not quit on q");
            thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}
