//! What every workload shares, whichever runtime runs it: the checks that
//! each callback or task ran exactly once with the right value, the clock,
//! and the result line each run prints: `ok time_ms=... peak_kb=...
//! allocs_per_item=...` or `failed reason=...`, the same line
//! `js/workloads.js` prints for Node (which counts no allocations).

use std::fmt::Write;
use std::time::{Duration, Instant};

/// xorshift32: the same numbers as `random` in `js/common.js`.
pub struct Random(pub u32);

impl Random {
    pub fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    /// The delay of the next timer of the `timers-random` workload.
    pub fn delay_ms(&mut self) -> u64 {
        u64::from(self.next() % 101)
    }
}

/// The delay of timer `index` of `size`, spread evenly over one second.
pub fn spread_ms(index: usize, size: usize) -> u64 {
    (index * 1000 / size) as u64
}

/// Counts how often each callback ran, and notes when the last one did
/// (only then: the Node side reads its clock once too). A timer that runs
/// also says how late it was, for the lateness workload.
pub struct Tally {
    runs: Vec<u32>,
    finished: usize,
    problem: Option<String>,
    last: Option<Instant>,
    lateness_ms: Vec<f64>,
    /// The process's allocations when the tally was made, before the
    /// runtime: the run's own are those made since.
    allocations_before: u64,
}

impl Tally {
    pub fn new(size: usize) -> Tally {
        Tally {
            runs: vec![0; size],
            finished: 0,
            problem: None,
            last: None,
            lateness_ms: Vec::new(),
            allocations_before: crate::counting::allocations(),
        }
    }

    pub fn ran(&mut self, index: usize) {
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

    /// Timer `index`, due at `due`, ran now: it notes how late, or, below
    /// zero, how early.
    pub fn ran_late(&mut self, index: usize, due: Instant) {
        let now = Instant::now();
        let late = match now.checked_duration_since(due) {
            Some(late) => late.as_secs_f64(),
            None => -(due - now).as_secs_f64(),
        };
        self.lateness_ms.push(late * 1000.0);
        self.ran(index);
    }

    /// Whether every callback has run.
    pub fn all_ran(&self) -> bool {
        self.finished == self.runs.len()
    }

    pub fn wrong(&mut self, what: String) {
        self.problem.get_or_insert(what);
    }

    /// The result line, once the loop has ended.
    pub fn result(&self, start: Instant) -> String {
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
            "ok time_ms={:.2}{}{}{}",
            time.as_secs_f64() * 1000.0,
            self.lateness(),
            peak_memory(),
            self.allocations_per_item()
        )
    }

    /// ` allocs_per_item=..`: the heap allocations since the tally was
    /// made, by every thread (the runtime's start and end among them), per
    /// timer, read, GET or task.
    fn allocations_per_item(&self) -> String {
        let made = crate::counting::allocations() - self.allocations_before;
        format!(
            " allocs_per_item={:.2}",
            made as f64 / self.runs.len() as f64
        )
    }

    /// ` p50_ms=.. p99_ms=.. max_ms=..`, if timers noted their lateness.
    fn lateness(&self) -> String {
        let mut late = self.lateness_ms.clone();
        late.sort_by(f64::total_cmp);
        let Some(max) = late.last() else {
            return String::new();
        };
        let at = |q: f64| late[((q * late.len() as f64) as usize).min(late.len() - 1)];
        let mut text = String::new();
        let _ = write!(
            text,
            " p50_ms={:.3} p99_ms={:.3} max_ms={max:.3}",
            at(0.5),
            at(0.99)
        );
        text
    }
}

/// The response our server gives to `GET /item/{index}`, ending with its
/// body: the check that each GET got its own answer.
pub fn expected_body(index: usize) -> String {
    format!("\r\n\r\nitem {index}\n")
}

pub fn failed(reason: &str) -> String {
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
