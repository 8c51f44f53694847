//! Each program, run by Node and by the last stage: both must print the
//! same lines in the same order.
//!
//! Without `node` on the `PATH`, this says it was skipped and passes,
//! unless `NODE_ORDER_NEEDS_NODE` is set, as CI sets it where `node` is
//! installed.

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

use node_order::programs::PROGRAMS;
use node_order::{programs_folder, run};

fn node_is_installed() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// What `node programs/NAME.js` prints, line by line; within 10 s, as
/// our side must.
fn run_in_node(name: &'static str) -> Vec<String> {
    deadline::within(10, move || {
        let file = programs_folder().join(format!("{name}.js"));
        let output = Command::new("node").arg(&file).output().expect("node runs");
        assert!(
            output.status.success(),
            "node {}: {output:?}",
            file.display()
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    })
}

#[test]
fn every_program_prints_what_node_prints_in_the_same_order() {
    if !node_is_installed() {
        assert!(
            std::env::var_os("NODE_ORDER_NEEDS_NODE").is_none(),
            "node is not on the PATH, and this run needs it"
        );
        eprintln!("skipped: node is not on the PATH, so there is nothing to compare with");
        return;
    }
    let mut differences = Vec::new();
    for &(name, program) in PROGRAMS {
        let node = run_in_node(name);
        let ours = deadline::within(10, move || run(program));
        if node != ours {
            differences.push(format!("{name}:\n  node: {node:?}\n  ours: {ours:?}"));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} programs differ:\n{}",
        differences.len(),
        PROGRAMS.len(),
        differences.join("\n")
    );
}

/// Every `.js` program has its Rust twin, and every twin its program.
#[test]
fn every_program_is_written_twice() {
    let javascript: BTreeSet<String> = fs::read_dir(programs_folder())
        .unwrap()
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            Some(name.strip_suffix(".js")?.to_string())
        })
        .collect();
    let rust: BTreeSet<String> = PROGRAMS.iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(javascript, rust);
    assert!(rust.len() >= 30, "only {} programs", rust.len());
}
