//! Results: one measured run, a row of the table, the table itself, and
//! the chart.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::process::Command;

/// What one run printed: `ok time_ms=12.3 peak_kb=4567 ...` or
/// `failed reason=...`.
pub struct Measurement {
    pub values: BTreeMap<String, f64>,
    pub failure: Option<String>,
}

impl Measurement {
    pub fn failed(reason: String) -> Measurement {
        Measurement {
            values: BTreeMap::new(),
            failure: Some(reason),
        }
    }

    pub fn parse(output: &str) -> Measurement {
        let Some(line) = output
            .lines()
            .rev()
            .find(|l| l.starts_with("ok ") || l.starts_with("failed"))
        else {
            return Measurement::failed("printed no result".to_string());
        };
        let mut words = line.split_whitespace();
        let verdict = words.next().unwrap_or_default();
        let fields: BTreeMap<&str, &str> = words.filter_map(|word| word.split_once('=')).collect();
        let values = fields
            .iter()
            .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
            .collect();
        // A failed run still says how much memory it took.
        let failure = (verdict != "ok").then(|| {
            fields
                .get("reason")
                .copied()
                .unwrap_or("unknown")
                .replace('_', " ")
        });
        Measurement { values, failure }
    }
}

// ANCHOR: peers
/// The runtimes measured, in the order they take turns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Peer {
    /// The last stage, with callbacks.
    Ours,
    /// The last stage, with `async` and `.await`.
    OursAsync,
    /// tokio's current-thread runtime.
    Tokio,
    /// Node.js.
    Node,
}
// ANCHOR_END: peers

impl Peer {
    pub const ALL: [Peer; 4] = [Peer::Ours, Peer::OursAsync, Peer::Tokio, Peer::Node];

    /// Its name on the command line: `--child <name> ...`.
    pub fn name(self) -> &'static str {
        match self {
            Peer::Ours => "ours",
            Peer::OursAsync => "ours-async",
            Peer::Tokio => "tokio",
            Peer::Node => "node",
        }
    }

    pub fn from_name(name: &str) -> Option<Peer> {
        Peer::ALL.into_iter().find(|peer| peer.name() == name)
    }

    /// Its name in the table and the chart.
    pub fn label(self) -> &'static str {
        match self {
            Peer::Ours => "ours, callbacks",
            Peer::OursAsync => "ours, async",
            Peer::Tokio => "tokio",
            Peer::Node => "Node",
        }
    }

    fn color(self) -> &'static str {
        match self {
            Peer::Ours => "#3b7dd8",
            Peer::OursAsync => "#7fb0f0",
            Peer::Tokio => "#d98b2b",
            Peer::Node => "#9aa5b1",
        }
    }
}

/// One workload: all the runs of every runtime.
pub struct Row {
    pub number: usize,
    pub title: String,
    runs: Vec<(Peer, Vec<Measurement>)>,
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[middle]),
        _ => Some((values[middle - 1] + values[middle]) / 2.0),
    }
}

/// The median of one value over the runs, if every run succeeded.
fn median_of(runs: &[Measurement], key: &str) -> Option<f64> {
    if runs.is_empty() || runs.iter().any(|run| run.failure.is_some()) {
        return None;
    }
    median(
        runs.iter()
            .filter_map(|run| run.values.get(key).copied())
            .collect(),
    )
}

fn failure_of(runs: &[Measurement]) -> Option<String> {
    let failed: Vec<&String> = runs.iter().filter_map(|run| run.failure.as_ref()).collect();
    let first = failed.first()?;
    Some(format!(
        "failed in {} of {} runs: {first}",
        failed.len(),
        runs.len()
    ))
}

impl Row {
    pub fn new(number: usize, title: String) -> Row {
        let runs = Peer::ALL
            .into_iter()
            .map(|peer| (peer, Vec::new()))
            .collect();
        Row {
            number,
            title,
            runs,
        }
    }

    pub fn add(&mut self, peer: Peer, measurement: Measurement) {
        if let Some((_, runs)) = self.runs.iter_mut().find(|(p, _)| *p == peer) {
            runs.push(measurement);
        }
    }

    fn runs(&self, peer: Peer) -> &[Measurement] {
        self.runs
            .iter()
            .find(|(p, _)| *p == peer)
            .map_or(&[], |(_, runs)| runs)
    }

    /// Whether one of our two ways failed a run.
    pub fn ours_failed(&self) -> bool {
        [Peer::Ours, Peer::OursAsync]
            .into_iter()
            .any(|peer| self.runs(peer).iter().any(|run| run.failure.is_some()))
    }

    fn is_lateness(&self) -> bool {
        self.runs
            .iter()
            .flat_map(|(_, runs)| runs)
            .any(|run| run.values.contains_key("p99_ms"))
    }

    /// The value compared: the time of the workload, or for the lateness
    /// workload, the 99th percentile of lateness.
    fn key(&self) -> &'static str {
        if self.is_lateness() {
            "p99_ms"
        } else {
            "time_ms"
        }
    }

    fn value(&self, peer: Peer) -> Option<f64> {
        median_of(self.runs(peer), self.key())
    }

    fn cell(&self, peer: Peer) -> String {
        let runs = self.runs(peer);
        if runs.is_empty() {
            return "not run".to_string();
        }
        if let Some(failure) = failure_of(runs) {
            return failure;
        }
        if self.is_lateness() {
            let stat = |key| median_of(runs, key).map_or("?".to_string(), |v| format!("{v:.2}"));
            return format!(
                "{} / {} / {} ms",
                stat("p50_ms"),
                stat("p99_ms"),
                stat("max_ms")
            );
        }
        median_of(runs, "time_ms").map_or("?".to_string(), |v| format!("{v:.1} ms"))
    }

    /// `ours / theirs`, to two decimals, or `-` if either is missing.
    fn ratio(&self, ours: Peer, theirs: Peer) -> String {
        match (self.value(ours), self.value(theirs)) {
            (Some(ours), Some(theirs)) if theirs > 0.0 => format!("{:.2}", ours / theirs),
            _ => "-".to_string(),
        }
    }

    fn peak(&self, peer: Peer) -> String {
        let peaks: Vec<f64> = self
            .runs(peer)
            .iter()
            .filter_map(|run| run.values.get("peak_kb").copied())
            .collect();
        median(peaks).map_or("-".to_string(), |kb| format!("{:.1} MiB", kb / 1024.0))
    }

    fn allocations(&self, peer: Peer) -> String {
        median_of(self.runs(peer), "allocs_per_item").map_or("-".to_string(), |n| format!("{n:.1}"))
    }

    pub fn summary_line(&self) -> String {
        let cells: Vec<String> = Peer::ALL
            .into_iter()
            .map(|peer| format!("{} {}", peer.label(), self.cell(peer)))
            .collect();
        format!("{} {}: {}", self.number, self.title, cells.join("; "))
    }
}

/// A description of this machine, for the table's caption.
pub fn machine(node: Option<&str>) -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "an unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()?
                .split_whitespace()
                .nth(1)?
                .parse::<f64>()
                .ok()
        })
        .map_or("?".to_string(), |kb| {
            format!("{:.0} GiB", kb / 1024.0 / 1024.0)
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let date = command_output("date", &["-u", "+%Y-%m-%d"]);
    let rustc = command_output("rustc", &["--version"]);
    format!(
        "{date}, {cpu}, {cores} cores, {memory}, Linux {}; {rustc}; tokio {}; Node.js {}",
        kernel.trim(),
        tokio_version(),
        node.unwrap_or("not found")
    )
}

/// The version of tokio that `Cargo.lock` pins, which is the one built.
fn tokio_version() -> String {
    let lock_file = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock");
    let lock = std::fs::read_to_string(lock_file).unwrap_or_default();
    let mut lines = lock.lines();
    lines
        .find(|line| *line == "name = \"tokio\"")
        .and_then(|_| lines.next()?.strip_prefix("version = "))
        .map_or("?".to_string(), |version| {
            version.trim_matches('"').to_string()
        })
}

fn command_output(program: &str, arguments: &[&str]) -> String {
    Command::new(program)
        .args(arguments)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The tables, in Markdown: the times, the ratios, the peak memory.
pub fn table(rows: &[Row], machine: &str, runs: usize) -> String {
    let mut table = format!(
        "Measured on {machine}. Medians of {runs} run(s) each; lateness is p50 / p99 / max.\n\n"
    );
    let labels: Vec<&str> = Peer::ALL.into_iter().map(Peer::label).collect();
    header(&mut table, &labels);
    for row in rows {
        let cells: Vec<String> = Peer::ALL.into_iter().map(|peer| row.cell(peer)).collect();
        line(&mut table, row, &cells);
    }
    let ratios = [
        (Peer::Ours, Peer::Tokio),
        (Peer::OursAsync, Peer::Tokio),
        (Peer::Ours, Peer::Node),
        (Peer::OursAsync, Peer::Node),
    ];
    table.push_str("\nThe ratios (below 1: ours is faster):\n\n");
    let titles: Vec<String> = ratios
        .iter()
        .map(|(ours, theirs)| format!("{} / {}", ours.label(), theirs.label()))
        .collect();
    header(
        &mut table,
        &titles.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    for row in rows {
        let cells: Vec<String> = ratios
            .iter()
            .map(|(ours, theirs)| row.ratio(*ours, *theirs))
            .collect();
        line(&mut table, row, &cells);
    }
    table.push_str("\nThe peak memory of each run:\n\n");
    header(&mut table, &labels);
    for row in rows {
        let cells: Vec<String> = Peer::ALL.into_iter().map(|peer| row.peak(peer)).collect();
        line(&mut table, row, &cells);
    }
    table.push_str(
        "\nHeap allocations per timer, read, GET or task, counted by the bench's own \
         allocator, from before the runtime starts to after it ends (Node's are not \
         counted):\n\n",
    );
    header(&mut table, &labels);
    for row in rows {
        let cells: Vec<String> = Peer::ALL
            .into_iter()
            .map(|peer| row.allocations(peer))
            .collect();
        line(&mut table, row, &cells);
    }
    table
}

fn header(table: &mut String, columns: &[&str]) {
    let _ = writeln!(table, "| # | workload | {} |", columns.join(" | "));
    let _ = writeln!(table, "| --- | --- |{}", " --- |".repeat(columns.len()));
}

fn line(table: &mut String, row: &Row, cells: &[String]) {
    let _ = writeln!(
        table,
        "| {} | {} | {} |",
        row.number,
        row.title,
        cells.join(" | ")
    );
}

/// A bar chart: for each workload, one bar per runtime, as a fraction of
/// the slowest (the workloads have different units).
pub fn chart(rows: &[Row]) -> String {
    let (width, bar, gap, left) = (820.0, 13.0, 20.0, 300.0);
    let bars = Peer::ALL.len() as f64;
    let height = 70.0 + rows.len() as f64 * (bars * bar + gap);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"20\" y=\"26\" font-size=\"16\" font-weight=\"bold\">Median per workload, as a share of the slowest runtime (shorter is better)</text>\n"
    );
    let mut x = 20.0;
    for peer in Peer::ALL {
        let _ = writeln!(
            svg,
            "<rect x=\"{x}\" y=\"38\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"49\">{}</text>",
            peer.color(),
            x + 18.0,
            peer.label()
        );
        x += 30.0 + 7.5 * peer.label().len() as f64;
    }
    let mut y = 66.0;
    for row in rows {
        let longest = Peer::ALL
            .into_iter()
            .filter_map(|peer| row.value(peer))
            .fold(f64::MIN_POSITIVE, f64::max);
        let _ = writeln!(
            svg,
            "<text x=\"20\" y=\"{:.0}\">{}. {}</text>",
            y + bars * bar / 2.0 + 4.0,
            row.number,
            escape(&row.title)
        );
        for peer in Peer::ALL {
            let value = row.value(peer);
            let label = match value {
                Some(v) if row.is_lateness() => format!("p99 {v:.2} ms"),
                Some(v) => format!("{v:.1} ms"),
                None => row.cell(peer),
            };
            let length = value.map_or(0.0, |v| (width - left - 150.0) * v / longest);
            let _ = writeln!(
                svg,
                "<rect x=\"{left}\" y=\"{y:.0}\" width=\"{length:.1}\" height=\"{bar}\" fill=\"{}\"/>\
                 <text x=\"{:.1}\" y=\"{:.0}\" font-size=\"11\">{}</text>",
                peer.color(),
                left + length + 6.0,
                y + bar - 2.0,
                escape(&label)
            );
            y += bar;
        }
        y += gap;
    }
    svg.push_str("</svg>\n");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_lines_are_read() {
        let ok = Measurement::parse("noise\nok time_ms=12.5 peak_kb=2048\n");
        assert_eq!(ok.failure, None);
        assert_eq!(ok.values["time_ms"], 12.5);
        let failed = Measurement::parse("failed reason=30019_of_50000_reads_failed\n");
        assert_eq!(
            failed.failure.as_deref(),
            Some("30019 of 50000 reads failed")
        );
        assert!(Measurement::parse("").failure.is_some());
    }

    #[test]
    fn the_tokio_version_is_read_from_the_lock_file() {
        let version = tokio_version();
        assert!(version.starts_with("1."), "read {version:?}");
    }

    #[test]
    fn medians_are_the_middle_value() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }
}
