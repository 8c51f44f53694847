//! Reading a trace file back: its events, in the order they began.

use serde_json::Value;

/// One event of a trace: a slice, which lasts from `start` to `end`, or an
/// instant, which has no `end`. Times are in microseconds since the trace
/// began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub thread: String,
    pub name: String,
    pub start: u64,
    pub end: Option<u64>,
    /// Where the event is in the file. The runtime records a slice when
    /// it ends, so a slice comes after everything recorded within it: a
    /// callback after the lines it logged, a phase after its callbacks.
    /// Times are in whole microseconds, and two events often share one,
    /// so this order is the one to trust for what happened within what.
    pub recorded: usize,
}

impl Event {
    /// Whether this is a slice that had begun and not yet ended at `at`.
    pub fn covers(&self, at: u64) -> bool {
        self.end.is_some_and(|end| self.start <= at && at <= end)
    }

    /// Whether this instant is a line the program logged, rather than one
    /// of the runtime's own marks (a timer set or fired, a socket watched,
    /// the epoll thread's wake-ups).
    pub fn is_log_line(&self) -> bool {
        self.end.is_none() && !is_runtime_mark(&self.name)
    }

    /// The tick this instant begins, if it is a tick's line.
    pub fn tick(&self) -> Option<usize> {
        let number = self.name.strip_prefix("===== tick ")?;
        number.strip_suffix(" =====")?.parse().ok()
    }
}

/// The loop's phases, as the trace names their slices.
pub const PHASES: [&str; 4] = ["timers", "pending", "poll", "check"];

/// The marks the runtime records that are not log lines. (A trace that
/// stages write now tells them apart itself, by the category `log`; the
/// demo's recorded trace is older.)
fn is_runtime_mark(name: &str) -> bool {
    let timer = name.starts_with("timer ")
        && (name.ends_with(" fired") || name.contains(" set, ") || name.ends_with(" cleared"));
    let callback = name.starts_with("callback ")
        && [
            " ready",
            " deferred",
            " runs",
            " taken away",
            " ready, first in line",
        ]
        .iter()
        .any(|end| name.ends_with(end));
    timer
        || callback
        || (name.starts_with("interval ") && name.contains(" armed again as timer "))
        || (name.starts_with("immediate ") && name.ends_with(" set"))
        || (name.starts_with("task ") && name.ends_with(" woken"))
        || name.starts_with("watching socket ")
        || name.contains(" task sent to pool")
        || name == "the deadline has passed"
        || name == "woken to read a new deadline"
        || name == "stopped"
}

/// A whole trace.
#[derive(Debug, Clone)]
pub struct Trace {
    /// Every slice and instant, in the order they began.
    pub events: Vec<Event>,
    /// The threads, the loop's first, then the epoll thread, then the
    /// pool's in the order of their numbers.
    pub threads: Vec<String>,
}

impl Trace {
    /// Reads a trace as `--trace` writes it.
    pub fn parse(json: &str) -> Result<Trace, String> {
        let value: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        let list = value["traceEvents"]
            .as_array()
            .ok_or("the trace has no traceEvents list")?;
        let mut names = Vec::new();
        for event in list.iter().filter(|event| event["ph"] == "M") {
            let name = event["args"]["name"]
                .as_str()
                .ok_or("a thread with no name")?;
            names.push((event["tid"].as_u64(), name.to_string()));
        }
        let mut events = Vec::new();
        for (recorded, event) in list
            .iter()
            .enumerate()
            .filter(|(_, event)| event["ph"] != "M")
        {
            let tid = event["tid"].as_u64();
            let (_, thread) = names
                .iter()
                .find(|(id, _)| *id == tid)
                .ok_or_else(|| format!("an event on a thread with no name: {event}"))?;
            let start = event["ts"].as_u64().ok_or("an event with no time")?;
            events.push(Event {
                thread: thread.clone(),
                name: event["name"]
                    .as_str()
                    .ok_or("an event with no name")?
                    .to_string(),
                start,
                end: event["dur"].as_u64().map(|duration| start + duration),
                recorded,
            });
        }
        events.sort_by_key(|event| event.start);
        let mut trace = Trace {
            events,
            threads: Vec::new(),
        };
        trace.threads = trace.ordered_threads(names.into_iter().map(|(_, name)| name))?;
        Ok(trace)
    }

    /// The thread that runs the loop: the one that logs the ticks.
    pub fn loop_thread(&self) -> Result<&str, String> {
        self.events
            .iter()
            .find(|event| event.tick() == Some(1))
            .map(|event| event.thread.as_str())
            .ok_or_else(|| "the trace has no tick 1: did the loop run?".to_string())
    }

    /// The slices on `thread` called `name`, in the order they ended.
    fn slices<'a>(&'a self, thread: &'a str, name: &'a str) -> Vec<&'a Event> {
        let mut slices: Vec<&Event> = self
            .on(thread)
            .filter(|event| event.end.is_some() && event.name == name)
            .collect();
        slices.sort_by_key(|slice| slice.recorded);
        slices
    }

    /// The loop's callbacks, in the order they ran.
    pub fn callbacks(&self) -> Result<Vec<&Event>, String> {
        Ok(self.slices(self.loop_thread()?, "callback"))
    }

    /// The lines a callback logged: those recorded after the callback
    /// before it ended, and before this one did.
    pub fn lines_of(&self, callback: &Event) -> Result<Vec<&Event>, String> {
        let callbacks = self.callbacks()?;
        let before = callbacks
            .iter()
            .filter(|other| other.recorded < callback.recorded)
            .map(|other| other.recorded)
            .max()
            .unwrap_or(0);
        Ok(self
            .events
            .iter()
            .filter(|line| line.thread == callback.thread)
            .filter(|line| line.is_log_line() && line.tick().is_none())
            .filter(|line| before < line.recorded && line.recorded < callback.recorded)
            .filter(|line| line.start >= callback.start)
            .collect())
    }

    /// The phase a callback ran in: the first phase to end after it.
    pub fn phase_of(&self, callback: &Event) -> Option<&str> {
        self.events
            .iter()
            .filter(|event| event.thread == callback.thread && event.end.is_some())
            .filter(|event| PHASES.contains(&event.name.as_str()))
            .filter(|phase| phase.recorded > callback.recorded)
            .min_by_key(|phase| phase.recorded)
            .map(|phase| phase.name.as_str())
    }

    /// The tick a callback ran in: the last to begin before it ended.
    pub fn tick_of(&self, callback: &Event) -> Option<usize> {
        self.on(&callback.thread)
            .filter(|event| event.recorded < callback.recorded)
            .filter_map(Event::tick)
            .last()
    }

    /// The events on one thread, in the order they began.
    pub fn on<'a>(&'a self, thread: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events
            .iter()
            .filter(move |event| event.thread == thread)
    }

    fn ordered_threads(&self, names: impl Iterator<Item = String>) -> Result<Vec<String>, String> {
        let main = self.loop_thread()?.to_string();
        let mut others: Vec<String> = names.filter(|name| *name != main).collect();
        // The epoll thread before the pool; pool threads by their number.
        others.sort_by_key(|name| (name != "epoll", name.len(), name.clone()));
        let mut threads = vec![main];
        threads.extend(others);
        Ok(threads)
    }
}
