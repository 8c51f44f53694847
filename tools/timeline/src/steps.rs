//! A run as a list of steps: each line a thread logged, each long wait of
//! the loop, each wake-up of the epoll thread. At each step, what every
//! thread is doing and what waits in each of the runtime's queues, all
//! read from the trace.

use crate::trace::{Event, PHASES, Trace};

/// A wait of the loop's thread shorter than this is not a step of its own.
const LONG_WAIT_US: u64 = 1000;

/// One step of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Microseconds since the trace began.
    pub at: u64,
    pub thread: String,
    /// What happened, in a few words.
    pub what: String,
    /// The line the thread printed, as the run printed it, if it did.
    pub printed: Option<String>,
    /// The tick the loop is in, 0 before the first.
    pub tick: usize,
    /// The phase the loop is in, or what it does outside the ticks.
    pub phase: String,
    /// What each thread is doing, in the trace's order of threads.
    pub doing: Vec<(String, String)>,
    /// What waits in each queue: its name, and what is in it.
    pub queues: Vec<(String, Vec<String>)>,
}

impl Step {
    /// When the step happened, as a reader would say it.
    pub fn time(&self) -> String {
        duration(self.at)
    }
}

/// The steps of a run, in order. A step shows the threads and the queues
/// as they stand when it happens, with what it adds to the queues before
/// the next step: a step that logs "Registering a timeout" shows the timer,
/// though the runtime sets it a few microseconds after the line.
pub fn steps(trace: &Trace) -> Result<Vec<Step>, String> {
    let main = trace.loop_thread()?;
    let run = Run::of(trace, main);
    let mut moments: Vec<(u64, &str, String, Option<String>)> = Vec::new();
    for event in &trace.events {
        if event.is_log_line() {
            let printed = format!("[{}] {}", event.thread, event.name);
            moments.push((
                event.start,
                &event.thread,
                event.name.clone(),
                Some(printed),
            ));
        } else if event.name == "the deadline has passed" {
            let what = "the deadline has passed: it wakes the main thread".to_string();
            moments.push((event.start, &event.thread, what, None));
        } else if event.name == "woken to read a new deadline" {
            let what = "woken by the main thread: a new deadline".to_string();
            moments.push((event.start, &event.thread, what, None));
        } else if event.thread == main && event.name == "poll" {
            if let Some(wait) = long_wait(trace, main, event) {
                let what = format!("waits for news, {}", duration(wait));
                moments.push((event.start, main, what, None));
            }
        }
    }
    moments.sort_by_key(|(at, ..)| *at);
    let mut steps = Vec::new();
    for (index, (at, thread, what, printed)) in moments.iter().enumerate() {
        let until = moments.get(index + 1).map_or(u64::MAX, |(next, ..)| *next);
        steps.push(Step {
            at: *at,
            thread: thread.to_string(),
            what: what.clone(),
            printed: printed.clone(),
            tick: tick_at(trace, main, *at),
            phase: phase_at(trace, main, *at),
            doing: trace
                .threads
                .iter()
                .map(|thread| (thread.clone(), run.doing(trace, thread, *at)))
                .collect(),
            queues: run.queues_at(trace, *at, until),
        });
    }
    Ok(steps)
}

/// How long the loop's thread waited at the start of a poll phase, if
/// long enough to be a step: until its first callback, or the phase's end.
fn long_wait(trace: &Trace, main: &str, poll: &Event) -> Option<u64> {
    let woke = trace
        .on(main)
        .filter(|event| event.name == "callback" && poll.covers(event.start))
        .map(|event| event.start)
        .next()
        .or(poll.end)?;
    let wait = woke - poll.start;
    (wait >= LONG_WAIT_US).then_some(wait)
}

/// A duration in microseconds, as a reader would say it.
pub fn duration(microseconds: u64) -> String {
    if microseconds >= 10_000 {
        format!("{} ms", microseconds / 1000)
    } else {
        format!("{:.1} ms", microseconds as f64 / 1000.0)
    }
}

/// The tick the loop is in at `at`: 0 before the first.
fn tick_at(trace: &Trace, main: &str, at: u64) -> usize {
    trace
        .on(main)
        .filter(|event| event.start <= at)
        .filter_map(Event::tick)
        .last()
        .unwrap_or(0)
}

/// The loop's phases, in the order they began.
fn phases<'a>(trace: &'a Trace, main: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
    trace
        .on(main)
        .filter(|event| event.end.is_some() && PHASES.contains(&event.name.as_str()))
}

/// Which phase the loop is in at `at`, or what its thread does outside
/// the ticks.
fn phase_at(trace: &Trace, main: &str, at: u64) -> String {
    // One phase ends in the microsecond the next begins: the later counts.
    if let Some(phase) = phases(trace, main).filter(|phase| phase.covers(at)).last() {
        return format!("{} phase", phase.name);
    }
    if trace.on(main).any(|e| e.name == "program" && e.covers(at)) {
        return "before the loop: the program runs".to_string();
    }
    if tick_at(trace, main, at) == 0 {
        "before the loop".to_string()
    } else if phases(trace, main).any(|phase| phase.start > at) {
        "between two phases".to_string()
    } else {
        "after the loop: the runtime stops its threads".to_string()
    }
}

/// A task of the pool: its kind, its thread, and when it was sent, began
/// and was done (its thread logs that line just before it sends the
/// result).
struct Task {
    kind: String,
    thread: String,
    sent: Option<u64>,
    began: u64,
    done: u64,
}

/// What the steps need to know of the whole run: the pool's tasks, and the
/// news that travels to the loop's thread: each task's result and each
/// socket the epoll thread reports, from the moment it is sent to the
/// moment its callback starts; and each deadline that passes, until the
/// next tick begins.
struct Run {
    tasks: Vec<Task>,
    /// What the news is, when it was sent, and when it was taken.
    news: Vec<(String, u64, u64)>,
}

impl Run {
    fn of(trace: &Trace, main: &str) -> Run {
        let tasks = tasks(trace);
        let mut sent: Vec<(String, u64)> = tasks
            .iter()
            .map(|task| {
                (
                    format!("{}'s result, from {}", task.kind, task.thread),
                    task.done,
                )
            })
            .collect();
        for event in trace.events.iter().filter(|event| event.is_log_line()) {
            if let Some(id) = event.name.strip_prefix("the socket of callback ") {
                let id = id.trim_end_matches(" is ready");
                sent.push((format!("socket {id} is ready"), event.start));
            }
        }
        sent.sort_by_key(|(_, at)| *at);
        // The loop takes news in the order it came, and runs its callbacks
        // in that order, in the poll phase: so the news and the poll
        // phase's callbacks pair up, first with first.
        let callbacks = trace.callbacks().unwrap_or_default();
        let taken = callbacks
            .into_iter()
            .filter(|callback| trace.phase_of(callback) == Some("poll"));
        let mut news: Vec<(String, u64, u64)> = sent
            .into_iter()
            .zip(taken)
            .map(|((what, at), callback)| (what, at, callback.start))
            .collect();
        let ticks: Vec<u64> = trace
            .on(main)
            .filter(|event| event.tick().is_some())
            .map(|event| event.start)
            .collect();
        for passed in trace
            .events
            .iter()
            .filter(|e| e.name == "the deadline has passed")
        {
            let next_tick = ticks.iter().find(|&&tick| tick > passed.start);
            let taken = next_tick.copied().unwrap_or(u64::MAX);
            news.push(("a deadline has passed".to_string(), passed.start, taken));
        }
        Run { tasks, news }
    }

    /// What `thread` is doing at `at`.
    fn doing(&self, trace: &Trace, thread: &str, at: u64) -> String {
        let covering: Vec<&Event> = trace.on(thread).filter(|event| event.covers(at)).collect();
        let has = |name: &str| covering.iter().any(|event| event.name == name);
        let main = trace.loop_thread().unwrap_or_default();
        if thread == main {
            let phase = phases(trace, main).filter(|phase| phase.covers(at)).last();
            return if has("callback") {
                "runs a callback".to_string()
            } else if has("program") {
                "runs the program".to_string()
            } else if let Some(phase) = phase {
                match phase.name.as_str() {
                    "poll" => "waits for news, or takes it".to_string(),
                    "timers" => "looks for timers that are due".to_string(),
                    other => format!("in the {other} phase"),
                }
            } else if phases(trace, main).any(|phase| phase.start > at) {
                "between two phases".to_string()
            } else {
                "stops the runtime's threads".to_string()
            };
        }
        let waits: Vec<&Event> = trace
            .on(thread)
            .filter(|e| e.name == "epoll wait")
            .collect();
        if thread == "epoll" {
            return if has("epoll wait") {
                "asleep in Poll::poll".to_string()
            } else if waits.first().is_none_or(|first| at < first.start) {
                "starting".to_string()
            } else if waits
                .iter()
                .all(|wait| wait.end.is_some_and(|end| end < at))
            {
                "stopped".to_string()
            } else {
                "awake: tells the main thread".to_string()
            };
        }
        if let Some(task) = self
            .tasks
            .iter()
            .find(|task| task.thread == thread && task.began <= at && at < task.done)
        {
            return format!("works on its {} task", task.kind);
        }
        if trace
            .on(thread)
            .any(|event| event.name == "Close" && event.start <= at)
        {
            return "stopped".to_string();
        }
        "idle, waiting for a task".to_string()
    }

    /// What waits in each queue at `at`, counting what is added to them
    /// before `until`.
    fn queues_at(&self, trace: &Trace, at: u64, until: u64) -> Vec<(String, Vec<String>)> {
        let news: Vec<String> = self
            .news
            .iter()
            .filter(|(_, sent, taken)| *sent <= at && at < *taken)
            .map(|(what, ..)| what.clone())
            .collect();
        let mut tasks = Vec::new();
        for task in &self.tasks {
            if task.sent.is_some_and(|sent| sent < until) && at < task.began {
                tasks.push(format!("{}, sent to {}, not begun", task.kind, task.thread));
            } else if task.began <= at && at < task.done {
                tasks.push(format!("{}, on {}", task.kind, task.thread));
            }
        }
        vec![
            ("timers".to_string(), timers_at(trace, at, until)),
            ("tasks in the pool".to_string(), tasks),
            (
                "sockets the epoll thread watches".to_string(),
                self.sockets_at(trace, at, until),
            ),
            ("news for the main thread".to_string(), news),
        ]
    }

    /// The sockets watched at `at`: registered before `until`, and their
    /// callback not yet started.
    fn sockets_at(&self, trace: &Trace, at: u64, until: u64) -> Vec<String> {
        trace
            .events
            .iter()
            .filter(|event| event.start < until)
            .filter_map(|event| event.name.strip_prefix("watching socket "))
            .filter(|id| {
                let ready = format!("socket {id} is ready");
                let answered = self
                    .news
                    .iter()
                    .any(|(what, _, taken)| *what == ready && *taken <= at);
                !answered
            })
            .map(|id| format!("socket {id}, for callback {id}"))
            .collect()
    }
}

/// The pool's tasks: each task slice on a pool thread, paired with the
/// line its thread logged when it was done, and the mark of its sending.
fn tasks(trace: &Trace) -> Vec<Task> {
    let mut tasks = Vec::new();
    for thread in trace
        .threads
        .iter()
        .filter(|thread| thread.starts_with("pool"))
    {
        let slices = trace
            .on(thread)
            .filter(|e| e.end.is_some() && e.name != "Close");
        let mut done = trace
            .on(thread)
            .filter(|e| e.is_log_line() && e.name.starts_with("finished running a task"));
        let sent_to = format!(" task sent to {thread}");
        let mut sent = trace.events.iter().filter(|e| e.name.ends_with(&sent_to));
        for slice in slices {
            let done = done
                .next()
                .map_or(slice.end.unwrap_or(slice.start), |line| line.start);
            tasks.push(Task {
                kind: slice.name.clone(),
                thread: thread.clone(),
                sent: sent.next().map(|mark| mark.start),
                began: slice.start,
                done,
            });
        }
    }
    tasks
}

/// The timers set before `until` that have not fired by `at`, with when
/// they are due.
fn timers_at(trace: &Trace, at: u64, until: u64) -> Vec<String> {
    let mut timers = Vec::new();
    for event in trace.events.iter().filter(|event| event.start < until) {
        let Some(rest) = event.name.strip_prefix("timer ") else {
            continue;
        };
        if let Some((number, due)) = rest.split_once(" set, due at ") {
            let due = due.trim_end_matches(" us").parse().unwrap_or(0);
            timers.push((number.to_string(), due));
        }
    }
    for event in trace.events.iter().filter(|event| event.start <= at) {
        let fired = event
            .name
            .strip_prefix("timer ")
            .and_then(|rest| rest.strip_suffix(" fired"));
        if let Some(number) = fired {
            timers.retain(|(n, _)| n != number);
        }
    }
    timers.sort_by_key(|(_, due)| *due);
    timers
        .into_iter()
        .map(|(number, due)| format!("timer {number}, due at {}", duration(due)))
        .collect()
}
