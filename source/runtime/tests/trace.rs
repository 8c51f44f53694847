//@ 5..
//! `--trace`: a run recorded for Perfetto and `chrome://tracing`. One
//! test only, in a file of its own: tracing is on for the whole process
//! once started, and other tests must not add to this one's trace.

mod common;

use common::stage::clear_timeout; //@ 7..
use common::stage::{Js, Runtime, ThreadPoolTaskKind, log, register_pool_task, set_timeout, trace};
use common::stage::{futures, spawn}; //@ 11..
use common::within;

/// The events of the trace, one a line as `to_json` writes them: the
/// name of the thread each happened on, and its own name.
fn events(json: &str) -> Vec<(String, String)> {
    let mut threads = Vec::new();
    let mut events = Vec::new();
    for line in json.lines().filter(|line| line.contains(r#""tid":"#)) {
        let tid = value(line, "tid");
        if line.contains(r#""ph":"M""#) {
            let args = &line[line.find(r#""args""#).expect("args")..];
            threads.push((tid.to_string(), value(args, "name").to_string()));
        } else {
            let thread = threads
                .iter()
                .find(|(id, _)| id == tid)
                .expect("a named thread");
            events.push((thread.1.clone(), value(line, "name").to_string()));
        }
    }
    events
}

/// Where a JSON string ends: at its first quote that is not escaped.
fn closing_quote(text: &str) -> usize {
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' if !escaped => return at,
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
    }
    panic!("a string with no end: {text}")
}

/// What follows `"key":` in `line`: a number, or a string (without its
/// quotes, and with its escapes as they are).
fn value<'a>(line: &'a str, key: &str) -> &'a str {
    let start = line.find(&format!(r#""{key}":"#)).expect("the key") + key.len() + 3;
    let rest = &line[start..];
    match rest.strip_prefix('"') {
        Some(text) => &text[..closing_quote(text)],
        None => &rest[..rest.find([',', '}']).expect("the end of a number")],
    }
}

#[test]
fn a_traced_run_records_threads_phases_callbacks_tasks_waits_and_timers() {
    within(20, || {
        trace::start();
        Runtime::new().run(|| {
            set_timeout(10, |_| {
                log!("the timer's callback hands the pool a task");
                let work = || Js::Int(1 + 1);
                register_pool_task(ThreadPoolTaskKind::Encrypt, work, |_| {});
            });
            //@ 11..
            spawn(async {
                futures::encrypt(3).await;
            });
            //@ end
            let cleared = set_timeout(50, |_| {}); //@ 7..
            clear_timeout(cleared); //@ 7..
        });
        let json = trace::to_json();
        assert!(json.starts_with(r#"{"traceEvents":["#), "{json:.40}");
        assert!(json.trim_end().ends_with("]}"), "{json}");
        let events = events(&json);
        let on = |thread: &str, name: &str| {
            let mut events = events.iter();
            events.any(|(t, n)| t.starts_with(thread) && n.starts_with(name))
        };
        // The loop runs on the thread that called `run`: in a test, not
        // the one named `main`.
        let (looper, _) = events
            .iter()
            .find(|(_, n)| n == "===== tick 1 =====")
            .expect("a tick");
        let names = ["program", "timers", "poll", "callback"];
        for phase in names.into_iter().chain(["timer 1 set", "timer 1 fired"]) {
            assert!(on(looper, phase), "no {phase:?} on {looper}: {events:?}");
        }
        let no_task = format!("no task on a pool thread: {events:?}");
        assert!(on("pool", "Encrypt"), "{no_task}");
        // And what the program printed, on the thread that printed it.
        let said = "the timer's callback hands the pool a task";
        assert!(on(looper, said), "no log line: {events:?}");
        // A printed line is of the category `log`, so that a replay can
        // tell the output from the runtime's own marks, which are not.
        let line_of = |name: &str| {
            let named = format!("\"name\":\"{name}");
            json.lines().find(|line| line.contains(&named)).expect(name)
        };
        assert!(line_of(said).contains(r#""cat":"log""#), "{json}");
        assert!(!line_of("timer 1 set").contains(r#""cat""#), "{json}");
        // Which callback each event gets ready, and when each runs: the
        // marks a replay shows the queue of ready callbacks with.
        let is_ready =
            |(_, n): &&(String, String)| n.starts_with("callback ") && n.ends_with(" ready");
        let ready = events.iter().filter(is_ready).count();
        assert!(ready > 0, "no callback made ready: {events:?}");
        for (at, (_, name)) in events.iter().enumerate().filter(|(_, e)| is_ready(e)) {
            let runs = name.replace(" ready", " runs");
            let ran = events[at..].iter().any(|(t, n)| t == looper && *n == runs);
            assert!(ran, "{name:?}, but no {runs:?} after it: {events:?}");
        }
        let cleared = |(t, n): &(String, String)| t == looper && n.ends_with(" cleared"); //@ 7..
        assert!(events.iter().any(cleared), "no timer cleared: {events:?}"); //@ 7..

        //@ 11..
        // A task polled: a slice named after the task ("task 1").
        let is_task = |n: &str| n.strip_prefix("task ").is_some_and(|id| !id.contains(' '));
        let polled = events.iter().find(|(t, n)| t == looper && is_task(n));
        //@ end
        //@ 11..=12
        // // Stages 11 and 12 mark a task woken in `wake_by_ref`, which a
        // // student writes in exercise 11: their tests do not ask for it.
        // assert!(polled.is_some(), "no task polled: {events:?}");
        //@ or 13..
        let (_, polled) = polled.unwrap_or_else(|| panic!("no task polled: {events:?}"));
        // And woken, to be polled again.
        let woken = format!("{polled} woken");
        assert!(events.iter().any(|(_, n)| *n == woken), "{events:?}");
        //@ end
        // let no_wait = format!("no wait on the epoll thread: {events:?}"); //@ ..=12
        // assert!(on("epoll", "epoll wait"), "{no_wait}"); //@ ..=12
        let no_wait = format!("no wait for epoll on the loop's thread: {events:?}"); //@ 13
        assert!(on(looper, "epoll wait"), "{no_wait}"); //@ 13
        // Every pool thread has its track: each one records its end.
        let pool_threads: std::collections::BTreeSet<&str> = events
            .iter()
            .filter(|(t, n)| t.starts_with("pool") && n == "stopped")
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(pool_threads.len(), 4, "{events:?}");
    });
}
//@ end
