//! Where the recorded run and what is drawn from it live in the book.

use std::path::PathBuf;

/// The workspace's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The recorded trace of the demo. It sits in the book's sources, so the
/// built book offers it for download, to open in Perfetto.
pub fn trace() -> PathBuf {
    root().join("book/src/replay/demo-trace.json")
}

/// The replay page's data: the steps of the recorded run.
pub fn replay() -> PathBuf {
    root().join("book/src/replay/demo-run.js")
}

/// The timeline picture on the demo page.
pub fn picture() -> PathBuf {
    root().join("book/src/img/demo-timeline.svg")
}

/// The demo page, which shows the recorded run's output.
pub fn demo_page() -> PathBuf {
    root().join("book/src/demo.md")
}

/// The stage whose demo is recorded.
pub const STAGE: &str = "chapter-6";
