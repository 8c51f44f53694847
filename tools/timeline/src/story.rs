//! What a run did, thread by thread and tick by tick; and the part of
//! that which is the same in every run of the demo.
//!
//! Two runs of the demo never do quite the same thing. The demo page's
//! table "What changes from run to run, and what never does" says how
//! they differ, and [`Story::what_never_changes`] leaves out exactly
//! those differences. So a test can hold a fresh run against the recorded
//! one, and fail when the loop's order really changed, but never because
//! the kernel scheduled a thread a little later.

use std::collections::BTreeMap;

use crate::trace::Trace;

/// A run, thread by thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// What the program logged before the first tick.
    pub program: Vec<String>,
    pub ticks: Vec<Tick>,
    /// What the loop's thread logged after the last callback: the end.
    pub ending: Vec<String>,
    /// The tasks each pool thread ran, by kind, in order.
    pub pool: BTreeMap<String, Vec<String>>,
    /// The tasks done while the program ran, before the loop began.
    pub done_before_the_loop: Vec<String>,
    /// What the epoll thread logged.
    pub epoll: Vec<String>,
}

/// One turn of the loop: the callbacks it ran, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub number: usize,
    pub callbacks: Vec<Callback>,
}

/// One callback the loop ran: in which phase, and what it logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub phase: String,
    pub lines: Vec<String>,
}

impl Story {
    /// The story a trace tells.
    pub fn of(trace: &Trace) -> Result<Story, String> {
        let main = trace.loop_thread()?;
        let callbacks = trace.callbacks()?;
        let last_callback = callbacks.last().map_or(0, |callback| callback.recorded);
        let mut story = Story {
            program: Vec::new(),
            ticks: Vec::new(),
            ending: Vec::new(),
            pool: BTreeMap::new(),
            done_before_the_loop: Vec::new(),
            epoll: Vec::new(),
        };
        for event in trace.on(main).filter(|event| event.is_log_line()) {
            if let Some(number) = event.tick() {
                story.ticks.push(Tick {
                    number,
                    callbacks: Vec::new(),
                });
            } else if story.ticks.is_empty() {
                story.program.push(event.name.clone());
            } else if event.recorded > last_callback {
                story.ending.push(event.name.clone());
            }
        }
        for callback in callbacks {
            let number = trace
                .tick_of(callback)
                .ok_or("a callback before the first tick")?;
            let tick = story
                .ticks
                .iter_mut()
                .find(|tick| tick.number == number)
                .ok_or("a callback in a tick that never began")?;
            let lines = trace.lines_of(callback)?;
            tick.callbacks.push(Callback {
                phase: trace.phase_of(callback).unwrap_or("none").to_string(),
                lines: lines.iter().map(|line| line.name.clone()).collect(),
            });
        }
        for thread in trace.threads.iter().filter(|t| t.starts_with("pool")) {
            let tasks = trace
                .on(thread)
                .filter(|event| event.end.is_some())
                .map(|event| event.name.clone())
                .collect();
            story.pool.insert(thread.clone(), tasks);
        }
        let program = trace.on(main).find(|event| event.name == "program");
        let program_ended = program.and_then(|program| program.end).unwrap_or(0);
        for event in trace
            .events
            .iter()
            .filter(|event| event.start < program_ended)
        {
            if let Some(kind) = event.name.strip_prefix("finished running a task of type: ") {
                let done = format!("{}: {kind}", event.thread);
                story.done_before_the_loop.push(done);
            }
        }
        story.epoll = trace
            .on("epoll")
            .filter(|event| event.is_log_line())
            .map(|event| event.name.clone())
            .collect();
        Ok(story)
    }

    /// The whole story, a line for each thing that happened: two runs with
    /// the same lines went exactly alike, tick for tick and thread for
    /// thread.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .program
            .iter()
            .map(|l| format!("program: {l}"))
            .collect();
        for tick in &self.ticks {
            lines.push(format!("tick {}", tick.number));
            for callback in &tick.callbacks {
                lines.push(format!(
                    "  {}: {}",
                    callback.phase,
                    callback.lines.join(" / ")
                ));
            }
        }
        lines.extend(self.ending.iter().map(|l| format!("then: {l}")));
        for (thread, tasks) in &self.pool {
            lines.push(format!("{thread}: {}", tasks.join(", ")));
        }
        for done in &self.done_before_the_loop {
            lines.push(format!("done before the loop: {done}"));
        }
        lines.extend(self.epoll.iter().map(|l| format!("epoll: {l}")));
        lines
    }

    /// What every run of the demo has in common with this one, a line for
    /// each thing, as [`Story::lines`] but with what varies left out. It
    /// follows the demo page's table, row by row:
    ///
    /// - Where the pool's lines fall among the main thread's: each thread
    ///   is told apart here, so their mixing never shows.
    /// - Which pool thread ran which task: the pool's task lists are
    ///   compared as a set, whoever ran them.
    /// - How the pool's results group into ticks, and in which order they
    ///   come back: a tick that runs callbacks but no timer is counted as
    ///   part of the tick before it, and callbacks that follow each other
    ///   in the poll phase are compared as a set. Ticks that run nothing,
    ///   the loop asleep until a timer, are kept: they happen in every
    ///   run.
    /// - The tick numbers, which follow from the grouping.
    /// - How often the epoll thread reports the socket: once, or twice
    ///   when the answer and the end of the connection arrive apart.
    /// - The times: a story has none.
    ///
    /// Everything else must be the same: what the program logs, which
    /// timers fire together in which tick, which callbacks run in which
    /// phase, the ticks asleep between them, what each callback logs, the
    /// tasks, the sockets and the end.
    pub fn what_never_changes(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .program
            .iter()
            .map(|l| format!("program: {l}"))
            .collect();
        let mut ticks: Vec<Vec<&Callback>> = Vec::new();
        for tick in &self.ticks {
            let runs_a_timer = tick.callbacks.iter().any(|c| c.phase == "timers");
            match ticks.last_mut() {
                Some(before) if !tick.callbacks.is_empty() && !runs_a_timer => {
                    before.extend(&tick.callbacks)
                }
                _ => ticks.push(tick.callbacks.iter().collect()),
            }
        }
        for callbacks in ticks {
            lines.push("a tick".to_string());
            for group in callbacks.chunk_by(|a, b| a.phase == "poll" && b.phase == "poll") {
                let mut said: Vec<String> = group.iter().map(|c| c.lines.join(" / ")).collect();
                if group[0].phase == "poll" {
                    said.sort();
                    lines.push(format!("  poll, in any order: {}", said.join(" | ")));
                } else {
                    lines.extend(said.iter().map(|s| format!("  {}: {s}", group[0].phase)));
                }
            }
        }
        lines.extend(self.ending.iter().map(|l| format!("then: {l}")));
        let mut tasks: Vec<String> = self
            .pool
            .values()
            .filter(|tasks| !tasks.is_empty())
            .map(|tasks| format!("a pool thread: {}", tasks.join(", ")))
            .collect();
        tasks.sort();
        lines.extend(tasks);
        let mut reports = self.epoll.clone();
        reports.dedup();
        lines.extend(reports.iter().map(|l| format!("epoll: {l}")));
        lines
    }
}
