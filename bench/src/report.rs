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

/// One workload: all the runs of both runtimes.
pub struct Row {
    pub number: usize,
    pub title: String,
    ours: Vec<Measurement>,
    node: Vec<Measurement>,
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
    pub fn new(
        number: usize,
        title: String,
        ours: Vec<Measurement>,
        node: Vec<Measurement>,
    ) -> Row {
        Row {
            number,
            title,
            ours,
            node,
        }
    }

    pub fn ours_failed(&self) -> bool {
        self.ours.iter().any(|run| run.failure.is_some())
    }

    fn is_lateness(&self) -> bool {
        self.ours
            .iter()
            .chain(&self.node)
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

    fn cell(&self, runs: &[Measurement]) -> String {
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

    fn ratio(&self) -> String {
        match (
            median_of(&self.ours, self.key()),
            median_of(&self.node, self.key()),
        ) {
            (Some(ours), Some(node)) if node > 0.0 => format!("{:.2}", ours / node),
            _ => "-".to_string(),
        }
    }

    fn peak(runs: &[Measurement]) -> String {
        let peaks: Vec<f64> = runs
            .iter()
            .filter_map(|run| run.values.get("peak_kb").copied())
            .collect();
        median(peaks).map_or("-".to_string(), |kb| format!("{:.1} MB", kb / 1024.0))
    }

    pub fn summary_line(&self) -> String {
        format!(
            "{} {}: ours {}, Node {}",
            self.number,
            self.title,
            self.cell(&self.ours),
            self.cell(&self.node)
        )
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
        "{date}, {cpu}, {cores} cores, {memory}, Linux {}; {rustc}; Node.js {}",
        kernel.trim(),
        node.unwrap_or("not found")
    )
}

fn command_output(program: &str, arguments: &[&str]) -> String {
    Command::new(program)
        .args(arguments)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The table, in Markdown.
pub fn table(rows: &[Row], machine: &str, runs: usize) -> String {
    let mut table = format!(
        "Measured on {machine}. Medians of {runs} run(s) each; lateness is p50 / p99 / max.\n\n"
    );
    table.push_str("| # | workload | ours | Node | ours / Node | ours peak | Node peak |\n");
    table.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for row in rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.number,
            row.title,
            row.cell(&row.ours),
            row.cell(&row.node),
            row.ratio(),
            Row::peak(&row.ours),
            Row::peak(&row.node)
        );
    }
    table
}

/// A bar chart: for each workload, ours and Node's, as a fraction of the
/// slower of the two (the workloads have different units).
pub fn chart(rows: &[Row]) -> String {
    let (width, bar, gap, left) = (820.0, 16.0, 22.0, 300.0);
    let height = 70.0 + rows.len() as f64 * (2.0 * bar + gap);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
         <text x=\"20\" y=\"26\" font-size=\"16\" font-weight=\"bold\">Median per workload, as a share of the slower runtime (shorter is better)</text>\n\
         <rect x=\"20\" y=\"38\" width=\"12\" height=\"12\" fill=\"#3b7dd8\"/><text x=\"38\" y=\"49\">ours</text>\n\
         <rect x=\"90\" y=\"38\" width=\"12\" height=\"12\" fill=\"#9aa5b1\"/><text x=\"108\" y=\"49\">Node.js</text>\n"
    );
    let mut y = 66.0;
    for row in rows {
        let ours = median_of(&row.ours, row.key());
        let node = median_of(&row.node, row.key());
        let longest = ours
            .unwrap_or(0.0)
            .max(node.unwrap_or(0.0))
            .max(f64::MIN_POSITIVE);
        let _ = writeln!(
            svg,
            "<text x=\"20\" y=\"{:.0}\">{}. {}</text>",
            y + bar + 4.0,
            row.number,
            escape(&row.title)
        );
        for (value, color, fallback) in [
            (ours, "#3b7dd8", row.cell(&row.ours)),
            (node, "#9aa5b1", row.cell(&row.node)),
        ] {
            let label = match value {
                Some(v) if row.is_lateness() => format!("p99 {v:.2} ms"),
                Some(v) => format!("{v:.1} ms"),
                None => fallback,
            };
            let length = value.map_or(0.0, |v| (width - left - 150.0) * v / longest);
            let _ = writeln!(
                svg,
                "<rect x=\"{left}\" y=\"{y:.0}\" width=\"{length:.1}\" height=\"{bar}\" fill=\"{color}\"/>\
                 <text x=\"{:.1}\" y=\"{:.0}\">{}</text>",
                left + length + 6.0,
                y + bar - 3.0,
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
    fn medians_are_the_middle_value() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
    }
}
