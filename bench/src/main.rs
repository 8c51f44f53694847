//! The benchmark: each workload on the last stage's runtime, written with
//! callbacks and with `async`/`.await`, on tokio's current-thread runtime
//! and, when `node` is on the PATH, on Node.js, side by side.
//!
//! ```text
//! cargo run --release -p bench                 the full run: 5 runs of each, taking turns
//! cargo run --release -p bench -- --quick      small sizes, one run each (what CI runs)
//! cargo run --release -p bench -- --save       also write the table and chart for the book
//! target/release/bench --child <runtime> <workload> <size> <file or url>
//!                                              one run, to profile (`--serve` starts the server)
//! ```
//!
//! Every run happens in a fresh process, whichever runtime it measures, so
//! that its peak memory is its own. A run that gives a wrong answer counts as a
//! failure, however fast it was.

mod counting;
mod ours;
mod ours_async;
mod report;
mod server;
mod tally;
mod with_tokio;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use report::{Measurement, Peer, Row};

/// One workload of the table: its number in the table, the name the
/// workload scripts know it by, and its size.
struct Workload {
    number: usize,
    name: &'static str,
    size: usize,
}

impl Workload {
    fn title(&self) -> String {
        let size = with_commas(self.size);
        match self.name {
            "timers-random" => format!("{size} timers, 0 to 100 ms"),
            "timers-zero" => format!("{size} timers, 0 ms"),
            "reads" => format!("{size} reads of a 4 KiB file"),
            "http" => format!("{size} HTTP GETs, no keep-alive"),
            "wake" => format!("{size} tasks woken by one callback"),
            _ => format!("lateness of {size} timers over 1 s"),
        }
    }
}

fn workloads(quick: bool) -> Vec<Workload> {
    let size = |full: usize, small: usize| if quick { small } else { full };
    vec![
        Workload {
            number: 1,
            name: "timers-random",
            size: size(100_000, 1_000),
        },
        Workload {
            number: 2,
            name: "timers-zero",
            size: size(100_000, 1_000),
        },
        Workload {
            number: 3,
            name: "reads",
            size: size(10_000, 200),
        },
        Workload {
            number: 4,
            name: "reads",
            size: size(50_000, 500),
        },
        Workload {
            number: 5,
            name: "http",
            size: size(1_000, 50),
        },
        Workload {
            number: 6,
            name: "lateness",
            size: size(1_000, 100),
        },
        Workload {
            number: 7,
            name: "wake",
            size: size(100_000, 1_000),
        },
    ]
}

/// 100000 as "100,000".
fn with_commas(number: usize) -> String {
    let digits = number.to_string();
    let mut text = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// The longest a single run may take before it counts as hung.
const DEADLINE: Duration = Duration::from_secs(120);

fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments.first().map(String::as_str) == Some("--child") {
        // A run of one of ours, or tokio's:
        // `--child <runtime> <workload> <size> <target>`.
        let [_, peer, name, size, target] = &arguments[..] else {
            panic!("usage: --child <ours|ours-async|tokio> <workload> <size> <target>");
        };
        let size = size.parse().expect("a size");
        let result = match Peer::from_name(peer) {
            Some(Peer::Ours) => ours::run(name, size, target),
            Some(Peer::OursAsync) => ours_async::run(name, size, target),
            Some(Peer::Tokio) => with_tokio::run(name, size, target),
            _ => panic!("no runtime {peer} to run here"),
        };
        println!("{result}");
        return;
    }
    if arguments.first().map(String::as_str) == Some("--serve") {
        // The HTTP server alone, for profiling one `--child ... http` run.
        let url = server::start(4).expect("start the HTTP server on 127.0.0.1");
        println!("{url}");
        loop {
            std::thread::park();
        }
    }
    let quick = arguments.iter().any(|a| a == "--quick");
    let save = arguments.iter().any(|a| a == "--save");
    let runs = if quick { 1 } else { 5 };

    let folder = std::env::temp_dir().join(format!("bench-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a temporary folder");
    let file = folder.join("file-4k.txt");
    std::fs::write(&file, four_kibibytes()).expect("write the file to read");
    let url = server::start(4).expect("start the HTTP server on 127.0.0.1");
    let node = node_version();
    for limit in tally::limits() {
        println!("On this system, {limit}.");
    }
    match &node {
        Some(version) => println!("Node.js {version} found."),
        None => println!("No `node` on the PATH: Node is not measured."),
    }
    println!("Each runtime runs each workload {runs} time(s), the runtimes taking turns.");

    let mut rows = Vec::new();
    for workload in workloads(quick) {
        let target = match workload.name {
            "reads" => file.display().to_string(),
            "http" => url.clone(),
            _ => String::new(),
        };
        let mut row = Row::new(workload.number, workload.title());
        for _ in 0..runs {
            for peer in Peer::ALL {
                let command = match peer {
                    Peer::Node if node.is_none() => continue,
                    Peer::Node => node_command(&workload, &target),
                    ours_or_tokio => child_command(ours_or_tokio, &workload, &target),
                };
                row.add(peer, measure(command));
            }
        }
        println!("{}", row.summary_line());
        rows.push(row);
    }
    let _ = std::fs::remove_dir_all(&folder);

    let machine = report::machine(node.as_deref());
    let table = report::table(&rows, &machine, runs);
    println!("\n{table}");
    if save {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        write(&workspace.join("bench/results/latest.md"), &table);
        write(
            &workspace.join("book/src/img/bench.svg"),
            &report::chart(&rows),
        );
        println!("saved bench/results/latest.md and book/src/img/bench.svg");
    }
    let failed = rows.iter().any(|row| row.ours_failed());
    if failed && quick {
        // In CI, our runtime must finish every workload correctly, both ways.
        std::process::exit(1);
    }
}

/// A run of ours, or of tokio: this program again, as a child.
fn child_command(peer: Peer, workload: &Workload, target: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("this program's path"));
    command.args([
        "--child",
        peer.name(),
        workload.name,
        &workload.size.to_string(),
        target,
    ]);
    command.env_remove("UV_THREADPOOL_SIZE");
    command
}

fn node_command(workload: &Workload, target: &str) -> Command {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("js/workloads.js");
    let mut command = Command::new("node");
    command
        .arg(script)
        .args([workload.name, &workload.size.to_string(), target]);
    command.env_remove("UV_THREADPOOL_SIZE");
    command
}

/// Runs one measured process and reads its result line.
fn measure(mut command: Command) -> Measurement {
    let mut child = match command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn() {
        Ok(child) => child,
        Err(error) => return Measurement::failed(format!("cannot start: {error}")),
    };
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > DEADLINE => {
                let _ = child.kill();
                return Measurement::failed(format!("did not finish within {DEADLINE:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(error) => return Measurement::failed(error.to_string()),
        }
    }
    let output = child
        .wait_with_output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    Measurement::parse(&String::from_utf8_lossy(&output))
}

fn node_version() -> Option<String> {
    let output = Command::new("node").arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// 4096 bytes of text, the same for every run.
fn four_kibibytes() -> String {
    let line = "The quick brown fox jumps over the lazy dog, 0123456789.\n";
    line.repeat(4096 / line.len() + 1)[..4096].to_string()
}

fn write(path: &PathBuf, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a folder for the results");
    }
    std::fs::write(path, text).expect("write the results");
}
