//! Stage 8 at work: the check phase and the pending phase.
//!
//! An I/O callback sets a 0 ms timeout and an immediate: the immediate
//! runs first, in the same tick's check phase. An immediate set by an
//! immediate waits for the next tick. And three thousand errors, all ready
//! at once, take their turns in the pending phase, a budget's worth per
//! tick, while a timer still gets its turn in between.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use chapter_8::{BUDGET, Fs, Http, Runtime, log, set_immediate, set_timeout};

/// The file the program reads; it sits next to this crate's Cargo.toml.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

/// How many errors the program makes ready at once.
const ERRORS: usize = 3000;

/// Work that takes a few microseconds, as a real callback's would.
fn a_little_work() {
    let start = Instant::now();
    while start.elapsed() < Duration::from_micros(5) {}
}

// ANCHOR: javascript
fn javascript() {
    log!("Reading hello.txt; its callback sets a 0 ms timeout and an immediate");
    Fs::read(FILE, |_| {
        set_timeout(0, |_| log!("The 0 ms timeout set by the read callback"));
        set_immediate(|_| log!("The immediate set by the read callback"));
    });

    log!("An immediate that sets another");
    set_immediate(|_| {
        log!("The first immediate");
        set_immediate(|_| log!("The immediate it set, one tick later"));
    });

    log!("{ERRORS} requests for a malformed URL; a budget is {BUDGET} callbacks");
    let errors = Rc::new(Cell::new(0));
    for _ in 0..ERRORS {
        let errors = Rc::clone(&errors);
        Http::get("not a url", move |_| {
            a_little_work();
            errors.set(errors.get() + 1);
            if errors.get() == ERRORS {
                log!("The last of the {ERRORS} errors has reached its callback");
            }
        });
    }
    let seen = Rc::clone(&errors);
    set_timeout(1, move |_| {
        let waiting = ERRORS - seen.get();
        log!(
            "A 1 ms timer: errors still waiting for their turn: {}",
            waiting > 0
        );
    });
}
// ANCHOR_END: javascript

fn main() {
    // `cargo run -p chapter-8 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_8::trace::from_command_line();
    Runtime::new().run(javascript);
}
