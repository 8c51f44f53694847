//@ 7..
//@ 7
// //! Timers as Node has them. Each test follows behaviour that Node documents
// //! for `setTimeout`, `clearTimeout`, `setInterval` and `clearInterval`.
//@ or 8..
//! What Node has and the simple loop lacks. Each test follows
//! behaviour that Node documents for `setImmediate`, `clearTimeout`,
//! `setInterval` and the order of the loop's phases.
//@ end

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

//@ 7
// use common::stage::{
//     Fs, Js, Runtime, TIMEOUT_MAX, TimerId, clear_interval, clear_timeout, set_interval, set_timeout,
// };
//@ or 8..
use common::stage::{
    Crypto, Fs, Http, Js, Runtime, TIMEOUT_MAX, TimerId, clear_interval, clear_timeout,
    set_immediate, set_interval, set_timeout,
};
//@ end
use common::{assert_sooner_than, run_sharing, within};
use slow_server::SlowServer;

type Log = Rc<RefCell<Vec<String>>>;

fn note(log: &Log, line: &str) -> impl FnOnce(Js) + 'static {
    let log = Rc::clone(log);
    let line = line.to_string();
    move |_| log.borrow_mut().push(line)
}

/// Runs `program` with a log its callbacks write to; returns the log.
fn run(program: impl FnOnce(&Log) + 'static) -> Vec<String> {
    run_sharing(Runtime::new(), |log| program(&log))
}

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

//@ 8..
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

/// Immediates set before a check phase all run in it: a timer that the
/// first one sets, due at once, waits for the next tick.
#[test]
fn immediates_set_together_run_in_one_check_phase() {
    within(10, || {
        let log = run(|log| {
            let first_log = Rc::clone(log);
            set_immediate(move |_| {
                first_log.borrow_mut().push("first immediate".into());
                set_timeout(0, note(&first_log, "timeout"));
            });
            set_immediate(note(log, "second immediate"));
        });
        assert_eq!(
            log,
            ["first immediate", "second immediate", "timeout"],
            "the immediates set before a check phase did not all run in it"
        );
    });
}

//@ end
//@ 8..
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

//@ end
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
        assert_sooner_than(Duration::from_millis(1000), started);
    });
}

#[test]
fn clearing_a_fired_or_unknown_id_does_nothing() {
    within(10, || {
        // Ids this runtime never issued: another runtime's.
        let foreign = run_sharing::<Vec<TimerId>>(Runtime::new(), |foreign| {
            let timeout = set_timeout(10, |_| {});
            let interval = set_interval(10, |_| {});
            clear_timeout(timeout);
            clear_interval(interval);
            foreign.borrow_mut().extend([timeout, interval]);
        });
        let log = run(move |log| {
            let fired = set_timeout(0, note(log, "fired"));
            let later = Rc::clone(log);
            set_timeout(100, move |_| {
                clear_timeout(fired);
                for id in foreign {
                    clear_timeout(id);
                    clear_interval(id);
                }
                later.borrow_mut().push("cleared the fired one".into());
            });
            set_timeout(200, note(log, "still fires"));
            let interval_log = Rc::clone(log);
            let own: Rc<RefCell<Option<TimerId>>> = Rc::default();
            let own_id = Rc::clone(&own);
            let interval = set_interval(300, move |_| {
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

/// A timer's id holds its deadline as well as its number: an id from
/// another runtime, whose number an interval of this one has too, clears
/// nothing here.
#[test]
fn an_id_from_another_runtime_does_not_clear_a_timer_of_this_one() {
    within(10, || {
        let foreign = run_sharing::<Option<TimerId>>(Runtime::new(), |foreign| {
            let id = set_interval(10, |_| {});
            clear_interval(id);
            *foreign.borrow_mut() = Some(id);
        });
        let foreign = foreign.expect("the other runtime ran");
        let runs = run_sharing::<usize>(Runtime::new(), move |runs| {
            // The first id of this runtime too: the same number.
            let own: Rc<RefCell<Option<TimerId>>> = Rc::default();
            let own_id = Rc::clone(&own);
            let interval = set_interval(10, move |_| {
                assert!(
                    *runs.borrow() < 3,
                    "the interval fired after it was cleared, by its own callback"
                );
                *runs.borrow_mut() += 1;
                if *runs.borrow() == 3 {
                    clear_interval(own_id.borrow().expect("set below"));
                }
            });
            *own.borrow_mut() = Some(interval);
            clear_interval(foreign);
        });
        assert_eq!(
            runs, 3,
            "an id from another runtime cleared an interval of this one"
        );
    });
}

#[test]
fn an_interval_fires_until_its_own_callback_clears_it() {
    within(10, || {
        let started = Instant::now();
        let times = run_sharing::<Vec<Instant>>(Runtime::new(), |times| {
            let id: Rc<RefCell<Option<TimerId>>> = Rc::default();
            let own_id = Rc::clone(&id);
            let interval = set_interval(20, move |_| {
                assert!(
                    times.borrow().len() < 5,
                    "the interval fired again after its own callback cleared it"
                );
                times.borrow_mut().push(Instant::now());
                if times.borrow().len() == 5 {
                    clear_interval(own_id.borrow().expect("set below"));
                }
            });
            *id.borrow_mut() = Some(interval);
        });
        assert_eq!(times.len(), 5);
        // Each firing is armed at least 20 ms after the one before, so the
        // k-th comes no sooner than k periods after the start.
        for (k, time) in (1..).zip(times.iter()) {
            assert!(
                *time >= started + Duration::from_millis(20 * k),
                "firing {k} came early"
            );
        }
    });
}

/// Node arms an interval again only once its callback has returned. So a
/// timeout with the same delay, set in the interval's first run, is ahead
/// of the interval's second run: the same order as `node` gives, every
/// time.
#[test]
fn an_interval_is_armed_again_after_its_callback_as_node_does() {
    within(10, || {
        let log = run(|log| {
            let log = Rc::clone(log);
            let runs = Rc::new(RefCell::new(0));
            let id: Rc<RefCell<Option<TimerId>>> = Rc::default();
            let own_id = Rc::clone(&id);
            let interval = set_interval(30, move |_| {
                *runs.borrow_mut() += 1;
                let run = *runs.borrow();
                log.borrow_mut().push(format!("interval {run}"));
                if run == 1 {
                    set_timeout(30, note(&log, "timeout"));
                }
                if run == 2 {
                    clear_interval(own_id.borrow().expect("set below"));
                }
            });
            *id.borrow_mut() = Some(interval);
        });
        assert_eq!(log, ["interval 1", "timeout", "interval 2"]);
    });
}

/// Node keeps delays in 32 bits: a longer one is taken as 1 ms (with a
/// warning), so a forgotten huge delay does not keep the program alive.
#[test]
fn a_delay_too_long_for_node_is_one_millisecond() {
    within(10, || {
        let started = Instant::now();
        let log = run(|log| {
            set_timeout(u64::MAX, note(log, "huge"));
            set_timeout(TIMEOUT_MAX + 1, note(log, "just too long"));
        });
        assert_eq!(log, ["huge", "just too long"]);
        // Generous: it proves the loop did not wait for the delays given.
        assert!(started.elapsed() < Duration::from_secs(5));
    });
}

#[test]
fn an_interval_delayed_by_a_slow_tick_fires_once_not_in_a_burst() {
    within(10, || {
        let times: Rc<RefCell<Vec<Instant>>> = Rc::default();
        // When the slow callback ended, and when the interval was cleared.
        let slow_ended: Rc<RefCell<Option<Instant>>> = Rc::default();
        let cleared: Rc<RefCell<Option<Instant>>> = Rc::default();
        let (program_times, program_slow_ended, program_cleared) = (
            Rc::clone(&times),
            Rc::clone(&slow_ended),
            Rc::clone(&cleared),
        );
        Runtime::new().run(move || {
            let interval_times = Rc::clone(&program_times);
            let id = set_interval(10, move |_| {
                interval_times.borrow_mut().push(Instant::now())
            });
            // A callback that holds the loop for 200 ms: 20 periods.
            set_timeout(15, move |_| {
                std::thread::sleep(Duration::from_millis(200));
                *program_slow_ended.borrow_mut() = Some(Instant::now());
            });
            set_timeout(300, move |_| {
                *program_cleared.borrow_mut() = Some(Instant::now());
                clear_interval(id);
            });
        });
        let slow_ended = slow_ended.borrow().expect("the slow callback ran");
        let cleared = cleared.borrow().expect("the interval was cleared");
        let after = times.borrow().iter().filter(|t| **t > slow_ended).count();
        // It fires again after the slow tick; but each firing is armed a
        // whole period after the one before, so between the end of the slow
        // tick and the clearing there is room for at most this many. One
        // that caught up on the 20 missed periods would fire 20 times at
        // once.
        let room = (cleared - slow_ended).as_millis() / 10 + 1;
        assert!(after >= 1, "it never fired after the slow tick");
        assert!(
            after as u128 <= room,
            "a burst: {after} firings in room for {room}"
        );
    });
}

#[test]
fn an_interval_can_be_cleared_from_another_callback() {
    within(10, || {
        let times: Rc<RefCell<Vec<Instant>>> = Rc::default();
        let cleared: Rc<RefCell<Option<Instant>>> = Rc::default();
        let (program_times, program_cleared) = (Rc::clone(&times), Rc::clone(&cleared));
        let started = Instant::now();
        Runtime::new().run(move || {
            let interval_cleared = Rc::clone(&program_cleared);
            let id = set_interval(10, move |_| {
                assert!(
                    interval_cleared.borrow().is_none(),
                    "the interval fired after it was cleared"
                );
                program_times.borrow_mut().push(Instant::now());
            });
            set_timeout(55, move |_| {
                *program_cleared.borrow_mut() = Some(Instant::now());
                clear_interval(id);
            });
        });
        let times = times.borrow();
        let cleared = cleared.borrow().expect("the interval was cleared");
        // It fired before it was cleared, and never after; never early
        // either: the k-th firing comes k periods after the start at the
        // soonest.
        assert!(!times.is_empty(), "it never fired");
        assert!(
            times.iter().all(|time| *time <= cleared),
            "the interval fired after it was cleared"
        );
        for (k, time) in (1..).zip(times.iter()) {
            assert!(
                *time >= started + Duration::from_millis(10 * k),
                "firing {k} came early"
            );
        }
    });
}
//@ end
