//! Stage 7 at work: timers as Node has them.
//!
//! A long timeout cleared at once, which does not keep the loop alive; an
//! interval that stops itself after three runs; and a 0 ms timeout that
//! sets another, which waits for the next tick.

use std::cell::Cell;
use std::rc::Rc;

use chapter_7::{Runtime, TimerId, clear_interval, clear_timeout, log, set_interval, set_timeout};

// ANCHOR: javascript
fn javascript() {
    log!("A 3000 ms timeout, cleared at once: it will not keep the loop alive");
    let long = set_timeout(3000, |_| log!("This line is never printed"));
    clear_timeout(long);

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

    log!("A 0 ms timeout that sets another 0 ms timeout");
    set_timeout(0, |_| {
        log!("The first 0 ms timeout");
        set_timeout(0, |_| log!("The 0 ms timeout it set, one tick later"));
    });
}
// ANCHOR_END: javascript

fn main() {
    // `cargo run -p chapter-7 -- --trace FILE` writes a trace of the run.
    let _trace = chapter_7::trace::from_command_line();
    Runtime::new().run(javascript);
}
