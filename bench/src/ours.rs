//! Each workload on the last stage's runtime, written with callbacks, as
//! the stages before the futures wrote their programs.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use chapter_13::{Fs, Http, Js, Runtime, set_immediate, set_logging, set_timeout};

use crate::tally::{Random, Tally, expected_body, spread_ms};

type Shared = Rc<RefCell<Tally>>;

/// Runs the workload `name` and returns its result line.
pub fn run(name: &str, size: usize, target: &str) -> String {
    set_logging(false);
    let tally = Rc::new(RefCell::new(Tally::new(size)));
    let start = Instant::now();
    let program_tally = Rc::clone(&tally);
    let target = target.to_string();
    Runtime::new().run(move || match name {
        "timers-random" => timers_random(size, &program_tally),
        "timers-zero" => timers_zero(size, &program_tally),
        "reads" => reads(size, &target, &program_tally),
        "http" => http(size, &target, &program_tally),
        "lateness" => lateness(size, &program_tally),
        "wake" => wake(size, &program_tally),
        other => program_tally
            .borrow_mut()
            .wrong(format!("no workload {other}")),
    });
    tally.borrow().result(start)
}

fn timers_random(size: usize, tally: &Shared) {
    let mut random = Random(7);
    for index in 0..size {
        let tally = Rc::clone(tally);
        set_timeout(random.delay_ms(), move |_| tally.borrow_mut().ran(index));
    }
}

// ANCHOR: timers_zero
fn timers_zero(size: usize, tally: &Shared) {
    for index in 0..size {
        let tally = Rc::clone(tally);
        set_timeout(0, move |_| tally.borrow_mut().ran(index));
    }
}
// ANCHOR_END: timers_zero

fn reads(size: usize, file: &str, tally: &Shared) {
    let expected = Rc::new(std::fs::read_to_string(file).expect("the bench made this file"));
    for index in 0..size {
        let (tally, expected) = (Rc::clone(tally), Rc::clone(&expected));
        Fs::read(file, move |text| {
            let mut tally = tally.borrow_mut();
            match text {
                Js::String(text) if text == *expected => {}
                other => tally.wrong(format!("read {index} gave {other:?}")),
            }
            tally.ran(index);
        });
    }
}

fn http(size: usize, url: &str, tally: &Shared) {
    for index in 0..size {
        let tally = Rc::clone(tally);
        Http::get(&format!("{url}/item/{index}"), move |response| {
            let mut tally = tally.borrow_mut();
            match response {
                Js::String(text) if text.ends_with(&expected_body(index)) => {}
                other => tally.wrong(format!("request {index} got {other:?}")),
            }
            tally.ran(index);
        });
    }
}

/// Timers spread evenly over one second; each notes how late it ran,
/// after the time it was due: `delay` after it was set.
fn lateness(size: usize, tally: &Shared) {
    for index in 0..size {
        let delay = spread_ms(index, size);
        let due = Instant::now() + Duration::from_millis(delay);
        let tally = Rc::clone(tally);
        set_timeout(delay, move |_| tally.borrow_mut().ran_late(index, due));
    }
}

/// With callbacks, there are no tasks to wake: the nearest thing is one
/// callback that gives the loop `size` callbacks to run, as immediates.
fn wake(size: usize, tally: &Shared) {
    let tally = Rc::clone(tally);
    set_timeout(0, move |_| {
        for index in 0..size {
            let tally = Rc::clone(&tally);
            set_immediate(move |_| tally.borrow_mut().ran(index));
        }
    });
}
