//! A run as a list of steps: each line a thread logged, each long wait of
//! the loop, each wake-up of the epoll thread. At each step, what every
//! thread is doing and what waits in each of the runtime's queues, all
//! read from the trace.
//!
//! A step shows the queues as they stand when it happens, and what its
//! thread adds to them before that thread's next step: "Registering a 1000
//! ms timeout" shows the timer, though the runtime sets it a few
//! microseconds after printing the line. And a step shows the other
//! threads a moment after it happens, so that a thread that wakes and at
//! once goes back to sleep is shown asleep.

use crate::trace::{Event, PHASES, Trace};

/// A wait of the loop's thread shorter than this is not a step of its own.
const LONG_WAIT_US: u64 = 1000;

/// How long after a step the other threads are looked at, unless the next
/// step comes sooner: then halfway to it.
const A_MOMENT_US: u64 = 200;

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
    /// The phase the loop is in, or what it does outside the phases.
    pub phase: String,
    /// How many callbacks wait for their event: the loop is alive while
    /// any do.
    pub pending: usize,
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

/// A duration in microseconds, as a reader would say it.
pub fn duration(microseconds: u64) -> String {
    if microseconds >= 10_000 {
        format!("{} ms", microseconds / 1000)
    } else {
        format!("{:.1} ms", microseconds as f64 / 1000.0)
    }
}

/// Something that happened, before it is made a step.
struct Moment {
    at: u64,
    thread: String,
    what: String,
    printed: Option<String>,
}

/// The steps of a run, in order.
pub fn steps(trace: &Trace) -> Result<Vec<Step>, String> {
    let main = trace.loop_thread()?;
    let moments = moments(trace, main);
    let run = Run::of(trace, main, &moments);
    let mut steps = Vec::new();
    for (index, moment) in moments.iter().enumerate() {
        let next = moments.get(index + 1).map_or(u64::MAX, |next| next.at);
        let halfway = moment.at + next.saturating_sub(moment.at) / 2;
        let looked_at = (moment.at + A_MOMENT_US).min(halfway);
        let phase = if moment.what.starts_with("===== tick ") {
            "a new tick: is the loop still alive?".to_string()
        } else {
            phase_at(trace, main, moment.at)
        };
        steps.push(Step {
            at: moment.at,
            thread: moment.thread.clone(),
            what: moment.what.clone(),
            printed: moment.printed.clone(),
            tick: tick_at(trace, main, moment.at),
            phase,
            pending: run.pending(index, moment.at),
            doing: trace
                .threads
                .iter()
                .map(|thread| {
                    // The step's own thread is doing what the step says.
                    let at = if *thread == moment.thread {
                        moment.at
                    } else {
                        looked_at
                    };
                    (thread.clone(), run.doing(trace, thread, at))
                })
                .collect(),
            queues: run.queues(index, moment.at),
        });
    }
    Ok(steps)
}

/// Every line logged, every wake-up of the epoll thread without a socket,
/// and every long wait of the loop, in order.
fn moments(trace: &Trace, main: &str) -> Vec<Moment> {
    let mut moments = Vec::new();
    let mut add = |event: &Event, what: String, printed: Option<String>| {
        let thread = event.thread.clone();
        moments.push(Moment {
            at: event.start,
            thread,
            what,
            printed,
        });
    };
    for event in &trace.events {
        if event.is_log_line() {
            let printed = format!("[{}] {}", event.thread, event.name);
            add(event, event.name.clone(), Some(printed));
        } else if event.name == "the deadline has passed" {
            add(
                event,
                "the deadline has passed: it wakes the main thread".to_string(),
                None,
            );
        } else if event.name == "woken to read a new deadline" {
            add(
                event,
                "woken by the main thread: it reads the new deadline".to_string(),
                None,
            );
        } else if event.thread == main && event.name == "poll" {
            if let Some(woke) = long_wait(trace, main, event) {
                let waited = duration(woke - event.start);
                let what = format!("waits {waited} for news, until {}", duration(woke));
                add(event, what, None);
            }
        }
    }
    moments.sort_by_key(|moment| moment.at);
    moments
}

/// When the loop's thread woke from a wait at the start of a poll phase,
/// if the wait was long enough to be a step: at its first callback, or at
/// the phase's end.
fn long_wait(trace: &Trace, main: &str, poll: &Event) -> Option<u64> {
    let woke = first_callback_in(trace, main, poll).map_or(poll.end, |c| Some(c.start))?;
    (woke - poll.start >= LONG_WAIT_US).then_some(woke)
}

fn first_callback_in<'a>(trace: &'a Trace, main: &'a str, phase: &Event) -> Option<&'a Event> {
    trace
        .on(main)
        .find(|event| event.name == "callback" && phase.covers(event.start))
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

/// The phase the loop is in at `at`. One phase ends in the microsecond
/// the next begins: the later counts.
fn phase_covering<'a>(trace: &'a Trace, main: &'a str, at: u64) -> Option<&'a Event> {
    phases(trace, main).filter(|phase| phase.covers(at)).last()
}

/// Which phase the loop is in at `at`, or where it is outside them.
fn phase_at(trace: &Trace, main: &str, at: u64) -> String {
    if let Some(phase) = phase_covering(trace, main, at) {
        return format!("{} phase", phase.name);
    }
    if tick_at(trace, main, at) == 0 {
        "before the loop: the program runs".to_string()
    } else if phases(trace, main).any(|phase| phase.start > at) {
        "between two phases".to_string()
    } else {
        "after the last tick".to_string()
    }
}

/// A task of the pool: its kind, its thread, and when it was sent, began
/// and was done (its thread logs that line just before it sends the
/// result).
struct Task {
    kind: String,
    thread: String,
    /// When it was sent, by the loop's thread, and from which step on
    /// that shows.
    sent: Option<(u64, usize)>,
    began: u64,
    done: u64,
}

/// A piece of news for the loop's thread: a task's result, a socket
/// ready, or a deadline passed. It waits in the channel from when it is
/// sent until the loop takes it, in the poll phase (a deadline, until the
/// next tick begins); then its callback waits among the callbacks ready to
/// run, until it runs. A deadline has no callback.
struct News {
    what: String,
    sent: u64,
    taken: u64,
    runs: Option<u64>,
}

/// Something added to a queue, and from which step on it shows.
struct Added {
    what: String,
    shown_from: usize,
}

/// What the steps need to know of the whole run.
struct Run {
    tasks: Vec<Task>,
    news: Vec<News>,
    /// Each timer set, with when it is due; each fired timer's number,
    /// when it fired and when its callback ran.
    timers_set: Vec<(Added, String, u64)>,
    timers_fired: Vec<(String, u64, u64)>,
    /// The sockets the epoll thread is given to watch, by callback id.
    sockets: Vec<(Added, String)>,
    /// The callbacks the loop runs, when each begins.
    callbacks_run: Vec<u64>,
}

impl Run {
    fn of(trace: &Trace, main: &str, moments: &[Moment]) -> Run {
        let shown_from = |event: &Event| shown_from(moments, event);
        let tasks = tasks(trace, moments);
        let callbacks = trace.callbacks().unwrap_or_default();
        let mut timers_set = Vec::new();
        let mut fired = Vec::new();
        let mut sockets = Vec::new();
        for event in &trace.events {
            let Some(rest) = event.name.strip_prefix("timer ") else {
                if let Some(id) = event.name.strip_prefix("watching socket ") {
                    let added = Added {
                        what: format!("socket {id}, for callback {id}"),
                        shown_from: shown_from(event),
                    };
                    sockets.push((added, id.to_string()));
                }
                continue;
            };
            if let Some((number, due)) = rest.split_once(" set, due at ") {
                let due: u64 = due.trim_end_matches(" us").parse().unwrap_or(0);
                let added = Added {
                    what: format!("timer {number}, due at {}", duration(due)),
                    shown_from: shown_from(event),
                };
                timers_set.push((added, number.to_string(), due));
            } else if let Some(number) = rest.strip_suffix(" fired") {
                fired.push((number.to_string(), event.start));
            }
        }
        // Timers fire in the timers phase, and their callbacks run there
        // in the same order: they pair up, first with first.
        let in_phase = |name: &str| {
            let phase = name.to_string();
            callbacks
                .iter()
                .filter(move |callback| trace.phase_of(callback) == Some(phase.as_str()))
                .copied()
                .collect::<Vec<&Event>>()
        };
        let timers_fired = fired
            .into_iter()
            .zip(in_phase("timers"))
            .map(|((number, at), callback)| (number, at, callback.start))
            .collect();
        let news = news(trace, main, &tasks, &in_phase("poll"));
        Run {
            tasks,
            news,
            timers_set,
            timers_fired,
            sockets,
            callbacks_run: callbacks.iter().map(|callback| callback.start).collect(),
        }
    }

    /// How many callbacks wait at step `index`: one for each timer set,
    /// task sent and socket watched so far, less those that have run.
    fn pending(&self, index: usize, at: u64) -> usize {
        let timers = self
            .timers_set
            .iter()
            .filter(|(added, ..)| added.shown_from <= index);
        let sockets = self
            .sockets
            .iter()
            .filter(|(added, _)| added.shown_from <= index);
        let tasks = self
            .tasks
            .iter()
            .filter(|task| task.sent.is_some_and(|(_, from)| from <= index));
        let asked = timers.count() + sockets.count() + tasks.count();
        let run = self
            .callbacks_run
            .iter()
            .filter(|&&start| start <= at)
            .count();
        asked.saturating_sub(run)
    }

    /// What `thread` is doing at `at`.
    fn doing(&self, trace: &Trace, thread: &str, at: u64) -> String {
        let main = trace.loop_thread().unwrap_or_default();
        if thread == main {
            return main_doing(trace, main, at);
        }
        if thread == "epoll" {
            return epoll_doing(trace, at);
        }
        let working = |task: &&Task| task.thread == thread && task.began <= at && at < task.done;
        if let Some(task) = self.tasks.iter().find(working) {
            return format!("works on its {} task", task.kind);
        }
        if trace
            .on(thread)
            .any(|event| event.name == "stopped" && event.start <= at)
        {
            return "stopped".to_string();
        }
        "idle, waiting for a task".to_string()
    }

    /// What waits in each queue at step `index`, which happened at `at`.
    fn queues(&self, index: usize, at: u64) -> Vec<(String, Vec<String>)> {
        let fired_by = |number: &str| {
            let fired = self.timers_fired.iter().find(|(n, ..)| n == number);
            fired.is_some_and(|(_, fired, _)| *fired <= at)
        };
        let mut timers: Vec<(u64, String)> = self
            .timers_set
            .iter()
            .filter(|(added, number, _)| added.shown_from <= index && !fired_by(number))
            .map(|(added, _, due)| (*due, added.what.clone()))
            .collect();
        timers.sort();
        let mut tasks = Vec::new();
        for task in &self.tasks {
            if task.sent.is_some_and(|(_, from)| from <= index) && at < task.began {
                tasks.push(format!("{}, sent to {}, not begun", task.kind, task.thread));
            } else if task.began <= at && at < task.done {
                tasks.push(format!("{}, on {}", task.kind, task.thread));
            }
        }
        let sockets = self
            .sockets
            .iter()
            .filter(|(added, id)| added.shown_from <= index && !self.socket_taken(id, at))
            .map(|(added, _)| added.what.clone())
            .collect();
        let news = self
            .news
            .iter()
            .filter(|news| news.sent <= at && at < news.taken)
            .map(|news| news.what.clone())
            .collect();
        let mut ready: Vec<String> = self
            .timers_fired
            .iter()
            .filter(|(_, fired, runs)| *fired <= at && at < *runs)
            .map(|(number, ..)| format!("timer {number}'s callback"))
            .collect();
        ready.extend(
            self.news
                .iter()
                .filter(|news| news.taken <= at && news.runs.is_some_and(|runs| at < runs))
                .map(|news| format!("the callback for: {}", news.what)),
        );
        vec![
            (
                "timers".to_string(),
                timers.into_iter().map(|(_, t)| t).collect(),
            ),
            ("tasks in the pool".to_string(), tasks),
            ("sockets the epoll thread watches".to_string(), sockets),
            ("news for the main thread, in the channel".to_string(), news),
            ("callbacks ready to run".to_string(), ready),
        ]
    }

    /// Whether the loop has taken the news of socket `id` by `at`: then
    /// it reads the socket, and the epoll thread no longer watches it.
    fn socket_taken(&self, id: &str, at: u64) -> bool {
        let ready = format!("socket {id} is ready");
        self.news
            .iter()
            .any(|news| news.what == ready && news.taken <= at)
    }
}

/// The step from which something a thread did shows: its thread's last
/// step at or before it, or, if that thread has none, the first step after.
fn shown_from(moments: &[Moment], event: &Event) -> usize {
    let own = moments
        .iter()
        .rposition(|moment| moment.thread == event.thread && moment.at <= event.start);
    own.unwrap_or_else(|| {
        moments
            .iter()
            .position(|m| m.at >= event.start)
            .unwrap_or(moments.len())
    })
}

/// What the loop's thread is doing at `at`.
fn main_doing(trace: &Trace, main: &str, at: u64) -> String {
    let running = |name: &str| trace.on(main).any(|e| e.name == name && e.covers(at));
    if running("callback") {
        return "runs a callback".to_string();
    }
    if running("program") {
        return "runs the program".to_string();
    }
    match phase_covering(trace, main, at) {
        Some(poll) if poll.name == "poll" => match first_callback_in(trace, main, poll) {
            Some(callback) if at < callback.start => {
                format!("waits for news, until {}", duration(callback.start))
            }
            None if poll.end.is_some_and(|end| at < end) => {
                format!("waits for news, until {}", duration(poll.end.unwrap_or(at)))
            }
            _ => "takes the news, runs its callbacks".to_string(),
        },
        Some(phase) if phase.name == "timers" => "looks for timers that are due".to_string(),
        Some(phase) => format!("in the {} phase", phase.name),
        None if tick_at(trace, main, at) == 0 => "starts the runtime".to_string(),
        None if phases(trace, main).any(|phase| phase.start > at) => {
            "between two phases".to_string()
        }
        None => "leaves the loop, stops the threads".to_string(),
    }
}

/// What the epoll thread is doing at `at`.
fn epoll_doing(trace: &Trace, at: u64) -> String {
    let waits: Vec<&Event> = trace
        .on("epoll")
        .filter(|e| e.name == "epoll wait")
        .collect();
    if let Some(wait) = waits.iter().find(|wait| wait.covers(at)) {
        let until = duration(wait.end.unwrap_or(at));
        return format!("asleep in Poll::poll, until {until}");
    }
    let last_mark = trace
        .on("epoll")
        .filter(|event| event.end.is_none() && event.start <= at)
        .last();
    if waits.first().is_none_or(|first| at < first.start) {
        "starting".to_string()
    } else if waits
        .iter()
        .all(|wait| wait.end.is_some_and(|end| end < at))
    {
        "stopped".to_string()
    } else if last_mark.is_some_and(|mark| mark.name == "woken to read a new deadline") {
        "awake: reads the new deadline".to_string()
    } else {
        "awake: tells the main thread".to_string()
    }
}

/// The pool's tasks: each task slice on a pool thread, paired with the
/// line its thread logged when it was done, and the mark of its sending.
fn tasks(trace: &Trace, moments: &[Moment]) -> Vec<Task> {
    let mut tasks = Vec::new();
    for thread in trace
        .threads
        .iter()
        .filter(|thread| thread.starts_with("pool"))
    {
        let slices = trace.on(thread).filter(|e| e.end.is_some());
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
                sent: sent
                    .next()
                    .map(|mark| (mark.start, shown_from(moments, mark))),
                began: slice.start,
                done,
            });
        }
    }
    tasks
}

/// The news of a run. The loop takes news in the order it came, and runs
/// the callbacks in that order in the poll phase: so the news and the
/// poll phase's callbacks pair up, first with first. All the news that a
/// poll phase's callbacks answer was taken when its wait ended, just
/// before the first of them.
fn news(trace: &Trace, main: &str, tasks: &[Task], in_poll: &[&Event]) -> Vec<News> {
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
    let mut news: Vec<News> = Vec::new();
    for ((what, at), callback) in sent.into_iter().zip(in_poll) {
        let poll = phases(trace, main).find(|phase| phase.covers(callback.start));
        let first = poll.and_then(|poll| first_callback_in(trace, main, poll));
        news.push(News {
            what,
            sent: at,
            taken: first.map_or(callback.start, |first| first.start),
            runs: Some(callback.start),
        });
    }
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
        news.push(News {
            what: "a deadline has passed".to_string(),
            sent: passed.start,
            taken: next_tick.copied().unwrap_or(u64::MAX),
            runs: None,
        });
    }
    news
}
