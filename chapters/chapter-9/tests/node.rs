//! What Node has and the simple loop lacks. Each test follows
//! behaviour that Node documents for `setImmediate`, `clearTimeout`,
//! `setInterval` and the order of the loop's phases.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::{
    Crypto, Fs, Http, Js, Runtime, TimerId, clear_interval, clear_timeout, set_immediate,
    set_interval, set_timeout,
};
use common::within;
use slow_server::SlowServer;

type Log = Rc<RefCell<Vec<String>>>;

fn note(log: &Log, line: &str) -> impl FnOnce(Js) + 'static {
    let log = Rc::clone(log);
    let line = line.to_string();
    move |_| log.borrow_mut().push(line)
}

/// Runs `program` with a log its callbacks write to; returns the log.
fn run(program: impl FnOnce(&Log) + 'static) -> Vec<String> {
    let log = Log::default();
    let for_program = Rc::clone(&log);
    Runtime::new().run(move || program(&for_program));
    log.take()
}

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

/// Sets a 0 ms timeout and an immediate, in that order, and notes which
/// runs first.
fn timeout_then_immediate(log: &Log, source: &str) {
    set_timeout(0, note(log, &format!("{source}: timeout")));
    set_immediate(note(log, &format!("{source}: immediate")));
}

#[test]
fn inside_io_and_pool_callbacks_an_immediate_runs_before_a_zero_timeout() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let url = server.url("/hello");
        let log = run(move |log| {
            let (file, number, socket) = (Rc::clone(log), Rc::clone(log), Rc::clone(log));
            Fs::read(FILE, move |_| timeout_then_immediate(&file, "file"));
            Crypto::encrypt(10, move |_| timeout_then_immediate(&number, "pool"));
            Http::get(&url, move |_| timeout_then_immediate(&socket, "socket"));
        });
        for source in ["file", "pool", "socket"] {
            let at = |what: &str| log.iter().position(|l| *l == format!("{source}: {what}"));
            assert!(at("immediate") < at("timeout"), "{source}: {log:?}");
            assert!(at("immediate").is_some(), "{source}: {log:?}");
        }
    });
}

#[test]
fn an_immediate_set_by_an_immediate_waits_for_the_next_tick() {
    within(10, || {
        let log = run(|log| {
            let log = Rc::clone(log);
            set_immediate(move |_| {
                log.borrow_mut().push("first immediate".into());
                set_immediate(note(&log, "second immediate"));
                // Due at once: it runs in the next tick's timer phase, which
                // comes before that tick's check phase.
                set_timeout(0, note(&log, "timeout"));
            });
        });
        assert_eq!(log, ["first immediate", "timeout", "second immediate"]);
    });
}

#[test]
fn a_timer_set_by_a_timer_waits_for_the_next_tick_even_at_zero_ms() {
    within(10, || {
        let log = run(|log| {
            let log = Rc::clone(log);
            set_timeout(0, move |_| {
                log.borrow_mut().push("first timeout".into());
                set_timeout(0, note(&log, "second timeout"));
                // The check phase of this tick comes before the next tick.
                set_immediate(note(&log, "immediate"));
            });
        });
        assert_eq!(log, ["first timeout", "immediate", "second timeout"]);
    });
}

#[test]
fn a_timer_that_keeps_setting_itself_does_not_starve_io_or_other_timers() {
    within(20, || {
        let rounds = Rc::new(RefCell::new(0));
        let log = Log::default();
        let (program_log, program_rounds) = (Rc::clone(&log), Rc::clone(&rounds));
        Runtime::new().run(move || {
            /// Sets itself again at 0 ms until both others have run.
            fn again(log: Log, rounds: Rc<RefCell<usize>>) {
                *rounds.borrow_mut() += 1;
                if log.borrow().len() < 2 {
                    set_timeout(0, move |_| again(log, rounds));
                }
            }
            Fs::read(FILE, note(&program_log, "file read"));
            set_timeout(30, note(&program_log, "30 ms timer"));
            let log = Rc::clone(&program_log);
            set_timeout(0, move |_| again(log, program_rounds));
        });
        let mut log = log.take();
        log.sort();
        assert_eq!(log, ["30 ms timer", "file read"]);
        assert!(*rounds.borrow() > 1, "the timer did not set itself again");
    });
}

#[test]
fn a_cleared_timeout_never_fires() {
    within(10, || {
        let log = run(|log| {
            let cleared = set_timeout(20, note(log, "cleared"));
            set_timeout(40, note(log, "kept"));
            clear_timeout(cleared);
        });
        assert_eq!(log, ["kept"]);
    });
}

#[test]
fn a_timeout_cleared_by_an_earlier_one_in_the_same_phase_never_fires() {
    within(10, || {
        let log = run(|log| {
            let deadline_log = Rc::clone(log);
            let victim: Rc<RefCell<Option<TimerId>>> = Rc::default();
            let to_clear = Rc::clone(&victim);
            // Both are due in the same timer phase; the first clears the second.
            set_timeout(10, move |_| {
                deadline_log.borrow_mut().push("first".into());
                clear_timeout(to_clear.borrow().expect("set below"));
            });
            *victim.borrow_mut() = Some(set_timeout(10, note(log, "second")));
            std::thread::sleep(Duration::from_millis(20));
        });
        assert_eq!(log, ["first"]);
    });
}

#[test]
fn a_cleared_timeout_does_not_keep_the_loop_alive() {
    within(10, || {
        let started = Instant::now();
        let log = run(|log| {
            let long = set_timeout(3000, note(log, "long"));
            clear_timeout(long);
        });
        assert!(log.is_empty());
        assert!(
            started.elapsed() < Duration::from_millis(1000),
            "run waited {:?}",
            started.elapsed()
        );
    });
}

#[test]
fn clearing_a_fired_or_unknown_id_does_nothing() {
    within(10, || {
        // Ids this runtime never issued: another runtime's.
        let mut other = Runtime::new();
        let foreign_timeout = other.set_timeout(10, |_| {});
        let foreign_interval = other.set_interval(10, |_| {});
        drop(other);
        let log = run(move |log| {
            let fired = set_timeout(0, note(log, "fired"));
            let later = Rc::clone(log);
            set_timeout(20, move |_| {
                clear_timeout(fired);
                clear_timeout(foreign_timeout);
                clear_interval(foreign_interval);
                later.borrow_mut().push("cleared the fired one".into());
            });
            set_timeout(40, note(log, "still fires"));
            let interval_log = Rc::clone(log);
            let own: Rc<RefCell<Option<TimerId>>> = Rc::default();
            let own_id = Rc::clone(&own);
            let interval = set_interval(60, move |_| {
                interval_log
                    .borrow_mut()
                    .push("the interval still runs".into());
                clear_interval(own_id.borrow().expect("set below"));
            });
            *own.borrow_mut() = Some(interval);
        });
        assert_eq!(
            log,
            [
                "fired",
                "cleared the fired one",
                "still fires",
                "the interval still runs"
            ]
        );
    });
}

#[test]
fn an_interval_fires_until_its_own_callback_clears_it() {
    within(10, || {
        let times: Rc<RefCell<Vec<Instant>>> = Rc::default();
        let program_times = Rc::clone(&times);
        let started = Instant::now();
        Runtime::new().run(move || {
            let id: Rc<RefCell<Option<TimerId>>> = Rc::default();
            let own_id = Rc::clone(&id);
            let interval = set_interval(20, move |_| {
                program_times.borrow_mut().push(Instant::now());
                if program_times.borrow().len() == 5 {
                    clear_interval(own_id.borrow().expect("set below"));
                }
            });
            *id.borrow_mut() = Some(interval);
        });
        let times = times.borrow();
        assert_eq!(times.len(), 5);
        let mut previous = started;
        for time in times.iter() {
            assert!(*time - previous >= Duration::from_millis(20), "fired early");
            previous = *time;
        }
    });
}

#[test]
fn an_interval_delayed_by_a_slow_tick_fires_once_not_in_a_burst() {
    within(10, || {
        let times: Rc<RefCell<Vec<Instant>>> = Rc::default();
        let program_times = Rc::clone(&times);
        Runtime::new().run(move || {
            let interval_times = Rc::clone(&program_times);
            let id = set_interval(10, move |_| {
                interval_times.borrow_mut().push(Instant::now())
            });
            // A callback that holds the loop for 200 ms: 20 periods.
            set_timeout(15, |_| std::thread::sleep(Duration::from_millis(200)));
            set_timeout(300, move |_| clear_interval(id));
        });
        let times = times.borrow();
        // Spacing after each firing is at least the period: no catch-up.
        for pair in times.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(
                gap >= Duration::from_millis(10),
                "a burst: fired {gap:?} after the last"
            );
        }
        assert!(
            times.len() >= 5 && times.len() <= 30,
            "fired {} times",
            times.len()
        );
    });
}

#[test]
fn an_interval_can_be_cleared_from_another_callback() {
    within(10, || {
        let count = Rc::new(RefCell::new(0));
        let program_count = Rc::clone(&count);
        Runtime::new().run(move || {
            let id = set_interval(10, move |_| *program_count.borrow_mut() += 1);
            set_timeout(55, move |_| clear_interval(id));
        });
        let count = *count.borrow();
        // It stopped, and never fired early: at most once per 10 ms.
        assert!((1..=5).contains(&count), "fired {count} times in 55 ms");
    });
}
