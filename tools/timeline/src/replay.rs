//! The replay page's data: the steps of the recorded run, as a script
//! that sets `window.DEMO_RUN`. A script rather than a JSON file, so that
//! the page works from the built files too, where a browser does not let
//! a page fetch a file next to it.

use serde_json::{Value, json};

use crate::steps::{Step, duration};

/// The script, one step a line.
pub fn script(steps: &[Step]) -> String {
    let lines: Vec<String> = steps
        .iter()
        .map(|step| step_json(step).to_string())
        .collect();
    format!(
        "// The steps of a recorded run of the demo, for replay.js. Made by\n\
         // `cargo run -p timeline -- record` from demo-trace.json: do not edit.\n\
         window.DEMO_RUN = [\n{}\n];\n",
        lines.join(",\n")
    )
}

fn step_json(step: &Step) -> Value {
    let doing: Vec<Value> = step
        .doing
        .iter()
        .map(|(thread, doing)| json!([thread, doing]))
        .collect();
    let queues: Vec<Value> = step
        .queues
        .iter()
        .map(|(queue, items)| json!([queue, items]))
        .collect();
    json!({
        "time": duration(step.at),
        "thread": step.thread,
        "what": step.what,
        "printed": step.printed,
        "tick": step.tick,
        "phase": step.phase,
        "pending": step.pending,
        "doing": doing,
        "queues": queues,
    })
}
