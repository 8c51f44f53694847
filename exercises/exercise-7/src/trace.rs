//! A trace of a run: what each thread did, and when, in the trace-event
//! format that Perfetto (<https://ui.perfetto.dev>) and Chrome's
//! `chrome://tracing` open as it is.
//!
//! A program turns it on with `--trace FILE` (see [`from_command_line`]).
//! The runtime then records a *slice*, a stretch of time on one thread, for
//! each callback it runs, each task it polls, each phase of each tick,
//! each pool task and each wait for epoll; and an *instant* for each line
//! it logs (the ticks' among them), and for each change to its queues that
//! a replay shows: a timer set, fired or cleared, a callback made ready,
//! deferred, run or taken away, a task woken, and so on (the book's page
//! on traces lists them). Each thread is one track, named as its log
//! lines are: `main`, `pool0`, and in stages 3 to 12 `epoll`. When tracing
//! is off, each of those places looks at one flag and does nothing more
//! (the book's page on traces measures what that costs).

use std::fmt::Display;
use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

// ANCHOR: recording
/// Whether the runtime records a trace; off unless [`start`] is called.
static ON: AtomicBool = AtomicBool::new(false);

/// When the trace began: its times count from here.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// What has been recorded, from every thread.
static EVENTS: Mutex<Vec<Event>> = Mutex::new(Vec::new());

/// One thing that happened on one thread: a slice, or an instant if it
/// has no duration.
struct Event {
    name: String,
    thread: String,
    /// Microseconds since the trace began.
    start: u128,
    duration: Option<u128>,
    /// Whether it is a line the program printed (see [`line`]), rather
    /// than one of the runtime's own marks.
    printed: bool,
}

/// Starts recording.
pub fn start() {
    STARTED.get_or_init(Instant::now);
    ON.store(true, Ordering::Relaxed);
}

/// Whether the runtime is recording a trace.
#[inline]
pub fn is_on() -> bool {
    ON.load(Ordering::Relaxed)
}
// ANCHOR_END: recording

// ANCHOR: slice
/// Starts a slice on this thread, called `name`: it lasts until the value
/// returned is dropped. The name is only written out when tracing is on.
#[inline]
pub fn slice(name: impl Display) -> Slice {
    Slice {
        began: is_on().then(|| (name.to_string(), Instant::now())),
    }
}

/// A slice being recorded, if tracing is on; it ends when dropped.
#[must_use = "a slice ends when it is dropped"]
pub struct Slice {
    began: Option<(String, Instant)>,
}

impl Drop for Slice {
    #[inline]
    fn drop(&mut self) {
        if let Some((name, began)) = self.began.take() {
            record(name, began, Some(began.elapsed().as_micros()));
        }
    }
}

/// Records an instant on this thread, called `name`.
#[inline]
pub fn instant(name: impl Display) {
    if is_on() {
        record(name.to_string(), Instant::now(), None);
    }
}

/// Records a line that this thread prints, as an instant of the category
/// `log`: so that a replay can tell the program's output from the
/// runtime's marks, and show the output as it was printed.
#[inline]
pub fn line(text: impl Display) {
    if is_on() {
        record_event(text.to_string(), Instant::now(), None, true);
    }
}
// ANCHOR_END: slice

// ANCHOR: record
/// Records that timer `number` was set, and when it is due, counted as
/// the trace counts: so a replay of the run can show what waits in the
/// timers' queue.
#[inline]
pub fn timer_set(number: usize, deadline: Instant) {
    if is_on() {
        let due = since_start(deadline);
        let name = format!("timer {number} set, due at {due} us");
        record(name, Instant::now(), None);
    }
}

/// Records that interval `interval` was armed again, as timer `number`,
/// due at `deadline`: so that a replay knows which timer clearing the
/// interval takes away.
#[inline]
pub fn interval_armed(interval: usize, number: usize, deadline: Instant) {
    if is_on() {
        let due = since_start(deadline);
        let name = format!("interval {interval} armed again as timer {number}, due at {due} us");
        record(name, Instant::now(), None);
    }
}

/// Microseconds from the start of the trace to `moment`.
fn since_start(moment: Instant) -> u128 {
    let started = *STARTED.get_or_init(Instant::now);
    moment.saturating_duration_since(started).as_micros()
}

fn record(name: String, began: Instant, duration: Option<u128>) {
    record_event(name, began, duration, false);
}

fn record_event(name: String, began: Instant, duration: Option<u128>, printed: bool) {
    let thread = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string();
    let event = Event {
        name,
        thread,
        start: since_start(began),
        duration,
        printed,
    };
    lock_events().push(event);
}

fn lock_events() -> std::sync::MutexGuard<'static, Vec<Event>> {
    EVENTS.lock().unwrap_or_else(PoisonError::into_inner)
}
// ANCHOR_END: record

// ANCHOR: writing
/// The trace so far, as a JSON object with `traceEvents`: first one
/// `thread_name` event per thread, in the order the threads first
/// appear, then every slice and instant, in the order recorded. A printed
/// line is an instant of the category (`cat`) `log`.
pub fn to_json() -> String {
    let events = lock_events();
    let mut threads: Vec<&str> = Vec::new();
    for event in events.iter() {
        if !threads.contains(&event.thread.as_str()) {
            threads.push(&event.thread);
        }
    }
    let thread_id = |name: &str| threads.iter().position(|t| *t == name).unwrap_or(0) + 1;
    let mut lines = Vec::new();
    for name in &threads {
        lines.push(format!(
            r#"{{"name":"thread_name","ph":"M","pid":1,"tid":{},"args":{{"name":{}}}}}"#,
            thread_id(name),
            quoted(name)
        ));
    }
    for event in events.iter() {
        let common = format!(
            r#""name":{},"pid":1,"tid":{},"ts":{}"#,
            quoted(&event.name),
            thread_id(&event.thread),
            event.start
        );
        lines.push(match (event.duration, event.printed) {
            (Some(duration), _) => format!(r#"{{{common},"ph":"X","dur":{duration}}}"#),
            (None, true) => format!(r#"{{{common},"cat":"log","ph":"i","s":"t"}}"#),
            (None, false) => format!(r#"{{{common},"ph":"i","s":"t"}}"#),
        });
    }
    format!("{{\"traceEvents\":[\n{}\n]}}\n", lines.join(",\n"))
}
// ANCHOR_END: writing

// ANCHOR: quoted
/// `text` as a JSON string.
fn quoted(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c < ' ' => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}
// ANCHOR_END: quoted

// ANCHOR: command_line
/// Where to step through a trace, said after writing one: the book's
/// replay page opens it from the reader's disk.
const REPLAY_IT: &str = "to step through it, pick the file on the book's page \
    \"Replay\": http://localhost:3000/replay.html under `mdbook serve book`, \
    or book/book/replay.html after `mdbook build book`";

/// Where a program writes its trace when it ends, if it was asked to.
pub struct TraceFile {
    path: Option<String>,
}

/// Reads `--trace FILE` from the program's arguments and, if it is there,
/// starts recording. The trace is written to FILE when the value returned
/// is dropped: keep it until the end of `main`.
pub fn from_command_line() -> TraceFile {
    let arguments: Vec<String> = std::env::args().collect();
    let path = arguments
        .iter()
        .position(|argument| argument == "--trace")
        .and_then(|at| arguments.get(at + 1))
        .cloned();
    if path.is_some() {
        start();
    }
    TraceFile { path }
}

impl Drop for TraceFile {
    fn drop(&mut self) {
        let Some(path) = &self.path else {
            return;
        };
        match fs::write(path, to_json()) {
            Ok(()) => {
                crate::log!("wrote the trace to {path}");
                crate::log!("{REPLAY_IT}");
            }
            Err(error) => crate::log!("cannot write the trace to {path}: {error}"),
        }
    }
}
// ANCHOR_END: command_line

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_as_json_strings() {
        assert_eq!(quoted("tick 1"), r#""tick 1""#);
        assert_eq!(quoted("a \"b\" \\ c\n"), r#""a \"b\" \\ c\u000a""#);
    }
}
