//! Stage 4: timers fire in deadline order, each once, never early, and on
//! time even while the epoll thread sleeps for something else.

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::{Js, ThreadPoolTaskKind};
use common::{
    Runtime, assert_on_time, register_io, register_pool_task, run_sharing, send_get, set_timeout,
    within,
};
use slow_server::SlowServer;

type Fired = Rc<RefCell<Vec<(String, Instant)>>>;

/// A timer callback that records its name and when it ran.
fn record(fired: &Fired, name: impl Into<String>) -> impl FnOnce(Js) + 'static {
    let fired = Rc::clone(fired);
    let name = name.into();
    move |_| fired.borrow_mut().push((name, Instant::now()))
}

/// Runs `program`, whose timers record when they fire; returns the record.
fn run(program: impl FnOnce(&Fired) + 'static) -> Vec<(String, Instant)> {
    run_sharing(Runtime::new(), |fired| program(&fired))
}

/// The names of the timers that fired, in the order they fired.
fn names(fired: &[(String, Instant)]) -> Vec<&str> {
    fired.iter().map(|(name, _)| name.as_str()).collect()
}

/// Timers set for 400, 0 and 200 ms fire in the order 0, 200, 400.
#[test]
fn timers_fire_in_deadline_order() {
    within(10, || {
        let fired = run(|fired| {
            set_timeout(400, record(fired, "400"));
            set_timeout(0, record(fired, "0"));
            set_timeout(200, record(fired, "200"));
        });

        assert_eq!(names(&fired), ["0", "200", "400"]);
    });
}

/// Four timers with the same delay fire in the order they were set.
#[test]
fn timers_with_the_same_delay_fire_in_the_order_they_were_set() {
    within(10, || {
        let fired = run(|fired| {
            for name in ["a", "b", "c", "d"] {
                set_timeout(50, record(fired, name));
            }
        });

        assert_eq!(names(&fired), ["a", "b", "c", "d"]);
    });
}

/// 500 timers with delays between 0 and 99 ms each fire exactly once, never
/// before their deadline, and never one with a later deadline before one
/// with an earlier one.
#[test]
fn no_timer_is_lost_none_fires_twice_and_none_fires_early() {
    within(20, || {
        // For each timer: its delay, and the moments just before and just
        // after `set_timeout`, between which its deadline was taken.
        let set: Rc<RefCell<Vec<(Duration, Instant, Instant)>>> = Rc::default();
        let program_set = Rc::clone(&set);
        let fired = run(move |fired| {
            let mut random: u64 = 7;
            for n in 0..500 {
                // A small pseudo-random generator: delays from 0 to 99 ms, many shared.
                random = random
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let delay = Duration::from_millis((random >> 33) % 100);
                let before = Instant::now();
                set_timeout(delay.as_millis() as u64, record(fired, n.to_string()));
                program_set
                    .borrow_mut()
                    .push((delay, before, Instant::now()));
            }
        });

        let set = set.borrow();
        let mut count = vec![0; 500];
        for (name, at) in &fired {
            let n: usize = name.parse().unwrap();
            count[n] += 1;
            let (delay, before, _) = set[n];
            assert!(*at >= before + delay, "timer {n} fired before its deadline");
        }
        assert_eq!(count, vec![1; 500], "some timer was lost or fired twice");
        // A timer that fired before another cannot have had the later
        // deadline: compare the earliest its deadline can be with the
        // latest the other's can be.
        for pair in fired.windows(2) {
            let a: usize = pair[0].0.parse().unwrap();
            let b: usize = pair[1].0.parse().unwrap();
            let (delay_a, before_a, _) = set[a];
            let (delay_b, _, after_b) = set[b];
            assert!(
                before_a + delay_a <= after_b + delay_b,
                "timer {a} fired before timer {b}, whose deadline was sooner"
            );
        }
    });
}

/// A socket that answers after 3500 ms and a timer of 3000 ms: the epoll
/// thread sleeps until the timer's deadline. Then a timer of 100 ms is
/// set, and fires on time, before both.
#[test]
fn a_timer_sooner_than_the_one_the_epoll_thread_waits_for_fires_on_time() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let slow = send_get(server.address(), "/delay/3500/slow");
        let set_at = Rc::new(Cell::new(None));
        let program_set_at = Rc::clone(&set_at);
        let fired = run(move |fired| {
            register_io(slow, record(fired, "socket"));
            set_timeout(3000, record(fired, "late timer"));
            let fired = Rc::clone(fired);
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                || Js::Undefined,
                move |_| {
                    // The epoll thread is asleep until the late timer.
                    program_set_at.set(Some(Instant::now()));
                    set_timeout(100, record(&fired, "sooner timer"));
                },
            );
        });
        let set_at = set_at.get().expect("the pool callback ran");

        // Which of the other two comes first depends on how long the
        // start took: the socket's 3500 ms began before `run`.
        assert_eq!(
            names(&fired)[0],
            "sooner timer",
            "the sooner timer did not fire first: {:?}",
            names(&fired)
        );
        assert_eq!(fired.len(), 3, "not all fired: {:?}", names(&fired));
        assert_on_time(
            fired[0].1 - set_at,
            Duration::from_millis(100),
            "the later deadline",
        );
    });
}

/// Timers of 10 and 120 ms: the loop runs until the second one has fired.
#[test]
fn timers_keep_the_loop_alive_until_the_last_one_fires() {
    within(10, || {
        let start = Instant::now();
        let fired = run(|fired| {
            set_timeout(10, record(fired, "first"));
            set_timeout(120, record(fired, "last"));
        });

        assert_eq!(names(&fired), ["first", "last"]);
        assert!(start.elapsed() >= Duration::from_millis(120));
    });
}
