//! Our side of each workload, run on the final stage's runtime. Each runs
//! in a process of its own (so that its peak memory is its own) and prints
//! one line: `ok time_ms=... peak_kb=...` or `failed reason=...`, the same
//! line `js/workloads.js` prints for Node.

use std::cell::RefCell;
use std::fmt::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};

use chapter_10::{Fs, Http, Js, Runtime, set_logging, set_timeout};

/// xorshift32: the same numbers as `random` in `js/common.js`.
struct Random(u32);

impl Random {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

/// Counts how often each callback ran, and notes when the last one did
/// (only then: the Node side reads its clock once too).
struct Tally {
    runs: Vec<u32>,
    finished: usize,
    problem: Option<String>,
    last: Option<Instant>,
}

impl Tally {
    fn new(size: usize) -> Rc<RefCell<Tally>> {
        Rc::new(RefCell::new(Tally {
            runs: vec![0; size],
            finished: 0,
            problem: None,
            last: None,
        }))
    }

    fn ran(&mut self, index: usize) {
        self.runs[index] += 1;
        if self.runs[index] == 1 {
            self.finished += 1;
            if self.finished == self.runs.len() {
                self.last = Some(Instant::now());
            }
        } else {
            self.problem
                .get_or_insert(format!("callback {index} ran twice"));
        }
    }

    fn wrong(&mut self, what: String) {
        self.problem.get_or_insert(what);
    }

    /// The result line, once the loop has ended.
    fn result(&self, start: Instant, extra: &str) -> String {
        if let Some(problem) = &self.problem {
            return failed(problem);
        }
        if self.finished < self.runs.len() {
            return failed(&format!(
                "only {} of {} callbacks ran",
                self.finished,
                self.runs.len()
            ));
        }
        let time = self.last.map_or(Duration::ZERO, |last| last - start);
        format!(
            "ok time_ms={:.2}{extra}{}",
            time.as_secs_f64() * 1000.0,
            peak_memory()
        )
    }
}

fn failed(reason: &str) -> String {
    let reason = reason.replace(char::is_whitespace, "_");
    format!("failed reason={reason}{}", peak_memory())
}

/// ` peak_kb=N`: the most memory this process has held, in kilobytes. On
/// Linux only, where `getrusage` counts in kilobytes; elsewhere nothing,
/// and the table shows no peak.
#[cfg(target_os = "linux")]
fn peak_memory() -> String {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we give it, nothing else.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    format!(" peak_kb={}", usage.ru_maxrss)
}

#[cfg(not(target_os = "linux"))]
fn peak_memory() -> String {
    String::new()
}

/// What this system cannot measure, to say so before the results.
pub fn limits() -> Vec<&'static str> {
    let mut limits = Vec::new();
    if cfg!(not(target_os = "linux")) {
        limits.push("peak memory is measured on Linux only: the table shows none here");
    }
    limits.extend(crate::server::limits());
    limits
}

/// Runs the workload `name` and returns its result line.
pub fn run(name: &str, size: usize, target: &str) -> String {
    set_logging(false);
    let tally = Tally::new(size);
    let start = Instant::now();
    let program_tally = Rc::clone(&tally);
    let target = target.to_string();
    let mut extra = String::new();
    let lateness: Rc<RefCell<Vec<f64>>> = Rc::default();
    let program_lateness = Rc::clone(&lateness);
    Runtime::new().run(move || match name {
        "timers-random" => timers_random(size, &program_tally),
        "timers-zero" => timers_zero(size, &program_tally),
        "reads" => reads(size, &target, &program_tally),
        "http" => http(size, &target, &program_tally),
        "lateness" => timers_spread(size, start, &program_tally, &program_lateness),
        other => program_tally
            .borrow_mut()
            .wrong(format!("no workload {other}")),
    });
    if name == "lateness" {
        let mut late = lateness.take();
        late.sort_by(f64::total_cmp);
        if let (Some(max), false) = (late.last(), late.is_empty()) {
            let at = |q: f64| late[((q * late.len() as f64) as usize).min(late.len() - 1)];
            let _ = write!(
                extra,
                " p50_ms={:.3} p99_ms={:.3} max_ms={max:.3}",
                at(0.5),
                at(0.99)
            );
        }
    }
    tally.borrow().result(start, &extra)
}

fn timers_random(size: usize, tally: &Rc<RefCell<Tally>>) {
    let mut random = Random(7);
    for index in 0..size {
        let tally = Rc::clone(tally);
        set_timeout(u64::from(random.next() % 101), move |_| {
            tally.borrow_mut().ran(index)
        });
    }
}

// ANCHOR: timers_zero
fn timers_zero(size: usize, tally: &Rc<RefCell<Tally>>) {
    for index in 0..size {
        let tally = Rc::clone(tally);
        set_timeout(0, move |_| tally.borrow_mut().ran(index));
    }
}
// ANCHOR_END: timers_zero

fn reads(size: usize, file: &str, tally: &Rc<RefCell<Tally>>) {
    let expected = Rc::new(std::fs::read_to_string(file).expect("the bench made this file"));
    for index in 0..size {
        let (tally, expected) = (Rc::clone(tally), Rc::clone(&expected));
        Fs::read(file, move |text| {
            let mut tally = tally.borrow_mut();
            match text {
                Js::String(text) if text == *expected => {}
                Js::Error(error) => tally.wrong(format!("read {index} failed: {error}")),
                other => tally.wrong(format!("read {index} gave {other:?}")),
            }
            tally.ran(index);
        });
    }
}

fn http(size: usize, url: &str, tally: &Rc<RefCell<Tally>>) {
    for index in 0..size {
        let tally = Rc::clone(tally);
        Http::get(&format!("{url}/item/{index}"), move |response| {
            let mut tally = tally.borrow_mut();
            let expected = format!("item {index}\n");
            match response {
                Js::String(text) if text.ends_with(&format!("\r\n\r\n{expected}")) => {}
                other => tally.wrong(format!("request {index} got {other:?}")),
            }
            tally.ran(index);
        });
    }
}

/// Timers spread evenly over one second; each notes how late it ran.
fn timers_spread(
    size: usize,
    start: Instant,
    tally: &Rc<RefCell<Tally>>,
    lateness: &Rc<RefCell<Vec<f64>>>,
) {
    for index in 0..size {
        let delay = (index * 1000 / size) as u64;
        let (tally, lateness) = (Rc::clone(tally), Rc::clone(lateness));
        set_timeout(delay, move |_| {
            let due = start + Duration::from_millis(delay);
            lateness
                .borrow_mut()
                .push((Instant::now() - due).as_secs_f64() * 1000.0);
            tally.borrow_mut().ran(index);
        });
    }
}
