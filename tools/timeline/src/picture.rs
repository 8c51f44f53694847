//! The demo's timeline: one column per thread, one row per step, time
//! going down. A row is a step of the run, not a stretch of time (the
//! first milliseconds hold most of the steps, the next three seconds only
//! a few), so each row says when it happened, and a wait says how long it
//! was. Ticks are the lines across; the band at the left of the main
//! thread's column says which phase each step is in.

use std::fmt::Write;

use crate::steps::Step;
use crate::trace::Trace;

const WIDTH: usize = 880;
const ROW: usize = 17;
const TOP: usize = 62;
/// Where the columns begin: the times and ticks, then one per thread.
const GUTTER: usize = 0;
const MAIN: usize = 104;
const EPOLL: usize = 460;
const POOL: usize = 580;
const POOL_WIDTH: usize = 75;

/// The colour of each phase's band, and of everything else.
fn phase_colour(phase: &str) -> &'static str {
    match phase {
        "timers phase" => "rgb(232,163,61)",
        "pending phase" => "rgb(176,124,198)",
        "poll phase" => "rgb(74,144,217)",
        "check phase" => "rgb(91,181,133)",
        _ => "rgb(184,184,184)",
    }
}

/// Where a thread's column begins.
fn column(thread: &str) -> usize {
    match thread {
        "epoll" => EPOLL,
        _ => match thread
            .strip_prefix("pool")
            .and_then(|n| n.parse::<usize>().ok())
        {
            Some(number) => POOL + number * POOL_WIDTH,
            None => MAIN,
        },
    }
}

/// What a row says, in its thread's column: the main thread's lines as
/// printed; the others', which have less room, in a word or two.
fn label(step: &Step) -> String {
    let what = step.what.as_str();
    if let Some(kind) = what.strip_prefix("received a task of type: ") {
        return kind.to_string();
    }
    if what.starts_with("finished running a task") {
        return "done".to_string();
    }
    if let Some(id) = what.strip_prefix("the socket of callback ") {
        return format!("socket {} ready", id.trim_end_matches(" is ready"));
    }
    if what.starts_with("the deadline has passed") {
        return "deadline passed".to_string();
    }
    if what.starts_with("woken by the main thread") {
        return "new deadline".to_string();
    }
    what.to_string()
}

/// The picture, as an SVG document.
pub fn svg(trace: &Trace, steps: &[Step]) -> String {
    let height = TOP + steps.len() * ROW + 12;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="11">"#
    );
    svg.push_str("<title>The demo's run, step by step, one column per thread</title>\n");
    svg.push_str("<desc>Drawn by cargo run -p timeline, from book/src/replay/demo-trace.json: do not edit by hand.</desc>\n");
    let _ = writeln!(
        svg,
        r#"<rect width="{WIDTH}" height="{height}" fill="white"/>"#
    );
    header(&mut svg, steps);
    lanes(&mut svg, steps);
    epoll_waits(&mut svg, steps, trace);
    for (row, step) in steps.iter().enumerate() {
        draw_row(&mut svg, row, step);
    }
    svg.push_str("</svg>\n");
    svg
}

/// The columns' names, and the key to the phases' colours.
fn header(svg: &mut String, steps: &[Step]) {
    let threads = steps
        .first()
        .map(|step| step.doing.clone())
        .unwrap_or_default();
    for (thread, _) in &threads {
        let x = column(thread) + 4;
        let _ = writeln!(
            svg,
            r#"<text x="{x}" y="{}" font-weight="bold">{}</text>"#,
            TOP - 10,
            escape(thread)
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{GUTTER}" y="{}" font-weight="bold">when, tick</text>"#,
        TOP - 10
    );
    let mut x = MAIN;
    for (phase, name) in [
        ("", "outside the phases"),
        ("timers phase", "timers phase"),
        ("poll phase", "poll phase"),
    ] {
        let _ = writeln!(
            svg,
            r#"<rect x="{x}" y="12" width="6" height="12" fill="{}"/>"#,
            phase_colour(phase)
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="22" fill="rgb(85,85,85)">{name}</text>"#,
            x + 10
        );
        x += 130;
    }
    let _ = writeln!(
        svg,
        r#"<text x="{x}" y="22" fill="rgb(85,85,85)">a row is a step, not a length of time</text>"#
    );
}

/// The bars down the pool threads' columns: a task, from the line that
/// says it began to the line that says it is done.
fn lanes(svg: &mut String, steps: &[Step]) {
    let y = |row: usize| TOP + row * ROW - 12;
    let mut began: Vec<(&str, usize)> = Vec::new();
    for (row, step) in steps.iter().enumerate() {
        if step.what.starts_with("received a task") {
            began.push((&step.thread, row));
        } else if step.what.starts_with("finished running a task") {
            if let Some(at) = began.iter().position(|(thread, _)| *thread == step.thread) {
                let (_, from) = began.remove(at);
                let x = column(&step.thread) + 1;
                let _ = writeln!(
                    svg,
                    r#"<rect x="{x}" y="{}" width="4" height="{}" fill="rgb(91,181,133)"/>"#,
                    y(from) + 2,
                    y(row + 1) - y(from) - 4
                );
            }
        }
    }
}

/// The epoll thread asleep in `Poll::poll`: a dotted line for each wait,
/// from the row of the last step before it began to the row of the first
/// step after it ended.
fn epoll_waits(svg: &mut String, steps: &[Step], trace: &Trace) {
    let middle = |row: usize| TOP + row * ROW - 4;
    for wait in trace.on("epoll").filter(|event| event.name == "epoll wait") {
        let end = wait.end.unwrap_or(wait.start);
        let from = steps
            .iter()
            .rposition(|step| step.at <= wait.start)
            .unwrap_or(0);
        let to = steps
            .iter()
            .position(|step| step.at >= end)
            .unwrap_or(steps.len());
        if to > from {
            dashes(svg, middle(from), middle(to));
        }
    }
}

/// The epoll thread's column, from `from` to `to`: asleep.
fn dashes(svg: &mut String, from: usize, to: usize) {
    let x = EPOLL + 1;
    let _ = writeln!(
        svg,
        r#"<line x1="{x}" y1="{from}" x2="{x}" y2="{to}" stroke="rgb(187,187,187)" stroke-width="2" stroke-dasharray="3 3"/>"#
    );
}

fn draw_row(svg: &mut String, row: usize, step: &Step) {
    let y = TOP + row * ROW;
    if step.what.starts_with("===== tick ") {
        let _ = writeln!(
            svg,
            r#"<line x1="0" y1="{}" x2="{WIDTH}" y2="{}" stroke="rgb(136,136,136)"/>"#,
            y - 12,
            y - 12
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{y}" font-weight="bold">tick {}</text>"#,
            GUTTER + 50,
            step.tick
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{GUTTER}" y="{y}" fill="rgb(119,119,119)" font-size="10">{}</text>"#,
        escape(&step.time())
    );
    let _ = writeln!(
        svg,
        r#"<rect x="{MAIN}" y="{}" width="5" height="{ROW}" fill="{}"/>"#,
        y - 12,
        phase_colour(&step.phase)
    );
    if step.what.starts_with("===== tick ") {
        return;
    }
    let x = column(&step.thread) + 8;
    let style = if step.printed.is_some() {
        ""
    } else {
        r#" fill="rgb(102,102,102)" font-style="italic""#
    };
    let _ = writeln!(
        svg,
        r#"<text x="{x}" y="{y}"{style}>{}</text>"#,
        escape(&label(step))
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
