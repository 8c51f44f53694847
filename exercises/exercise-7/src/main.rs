//! Stage 7 at work: the parts of Node the classic loop lacked.
//!
//! An immediate and a 0 ms timeout set by the same I/O callback; an
//! interval that stops itself; a long timeout cleared at once; and a pool
//! task that panics, whose callback gets an error instead.

use std::cell::Cell;
use std::rc::Rc;

use chapter_7::{
    Fs, Js, Runtime, ThreadPoolTaskKind, TimerId, clear_interval, clear_timeout, log,
    register_pool_task, set_immediate, set_interval, set_timeout,
};

/// The file the program reads; it sits next to this crate's Cargo.toml.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

// ANCHOR: javascript
fn javascript() {
    log!("Reading hello.txt; its callback sets a 0 ms timeout and an immediate");
    Fs::read(FILE, |_| {
        set_timeout(0, |_| log!("The 0 ms timeout set by the read callback"));
        set_immediate(|_| log!("The immediate set by the read callback"));
    });

    log!("An interval every 100 ms, which clears itself after 3 runs");
    let interval: Rc<Cell<Option<TimerId>>> = Rc::default();
    let own_id = Rc::clone(&interval);
    let mut runs = 0;
    let id = set_interval(100, move |_| {
        runs += 1;
        log!("Interval run {runs}");
        if runs == 3 {
            clear_interval(own_id.get().expect("set just below"));
        }
    });
    interval.set(Some(id));

    log!("A 3000 ms timeout, cleared at once: it will not keep the loop alive");
    let long = set_timeout(3000, |_| log!("This line is never printed"));
    clear_timeout(long);

    log!("A pool task that panics");
    let broken = || -> Js { panic!("the task broke") };
    register_pool_task(ThreadPoolTaskKind::Encrypt, broken, |result| {
        log!("The broken task's callback got {result:?}");
    });
}
// ANCHOR_END: javascript

fn main() {
    Runtime::new().run(javascript);
}
