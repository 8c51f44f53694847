//@ 4..
//! Stage 4: timers fire in deadline order, each once, never early, and on
//! time even while the epoll thread sleeps for something else.

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::{Js, ThreadPoolTaskKind};
//@ 4
// use common::{
//     Runtime, assert_on_time, run_sharing, run_until_done, send_get, set_timeout, stage, tick,
//     within,
// };
//@ or 5..
use common::{
    Runtime, assert_on_time, register_io, register_pool_task, run_sharing, send_get, set_timeout,
    within,
};
//@ end
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
//@ 4
//
// /// Four timers with the very same deadline all fire, in the order they
// /// were set, after one set 10 ms earlier.
// #[test]
// fn timers_with_the_same_deadline_all_fire_in_the_order_they_were_set() {
//     within(10, || {
//         let mut runtime = stage::Runtime::new();
//         let fired = Fired::default();
//         let deadline = Instant::now() + Duration::from_millis(50);
//         for name in ["a", "b", "c", "d"] {
//             runtime.set_timeout_at(deadline, record(&fired, name));
//         }
//         runtime.set_timeout_at(
//             deadline - Duration::from_millis(10),
//             record(&fired, "earlier"),
//         );
//
//         run_until_done(&mut runtime);
//
//         assert_eq!(names(&fired.take()), ["earlier", "a", "b", "c", "d"]);
//     });
// }
//@ end

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
//@ 4
//
// /// Runs ticks until the pool task has answered; the epoll thread is then
// /// asleep in `poll`, waiting for the slow socket.
// fn tick_until_the_pool_has_answered(runtime: &mut stage::Runtime, answered: &Rc<Cell<bool>>) {
//     while !answered.get() {
//         assert!(tick(runtime), "nothing is pending");
//     }
// }
//
// /// A pool task that takes 50 ms: long enough for the epoll thread to have
// /// taken the deadline it was last given, and gone back to sleep, before
// /// the test goes on. (A wrong answer then cannot pass by luck.)
// fn pool_task_that_answers(runtime: &mut stage::Runtime) -> Rc<Cell<bool>> {
//     let answered = Rc::new(Cell::new(false));
//     let flag = Rc::clone(&answered);
//     let work = || {
//         std::thread::sleep(Duration::from_millis(50));
//         Js::Undefined
//     };
//     runtime.register_pool_task(ThreadPoolTaskKind::Encrypt, work, move |_| flag.set(true));
//     answered
// }
//
// #[test]
// fn a_timer_set_while_the_epoll_thread_waits_with_no_timeout_fires_on_time() {
//     within(20, || {
//         let server = SlowServer::start().unwrap();
//         let mut runtime = stage::Runtime::new();
//         let fired = Fired::default();
//         runtime.register_io(
//             send_get(server.address(), "/delay/3500/slow"),
//             record(&fired, "socket"),
//         );
//         let answered = pool_task_that_answers(&mut runtime);
//         tick_until_the_pool_has_answered(&mut runtime, &answered);
//
//         let set_at = Instant::now();
//         runtime.set_timeout(100, record(&fired, "timer"));
//         run_until_done(&mut runtime);
//
//         let fired = fired.take();
//         assert_eq!(
//             names(&fired),
//             ["timer", "socket"],
//             "the timer did not fire before the socket's answer: it waited for the socket"
//         );
//         assert_on_time(
//             fired[0].1 - set_at,
//             Duration::from_millis(100),
//             "the socket",
//         );
//     });
// }
//@ end

/// A socket that answers after 3500 ms and a timer of 3000 ms: the epoll
/// thread sleeps until the timer's deadline. Then a timer of 100 ms is
/// set, and fires on time, before both.
#[test]
fn a_timer_sooner_than_the_one_the_epoll_thread_waits_for_fires_on_time() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let slow = send_get(server.address(), "/delay/3500/slow");
        //@ 4
        // let mut runtime = stage::Runtime::new();
        // let fired = Fired::default();
        // runtime.register_io(slow, record(&fired, "socket"));
        // runtime.set_timeout(3000, record(&fired, "late timer"));
        // let answered = pool_task_that_answers(&mut runtime);
        // tick_until_the_pool_has_answered(&mut runtime, &answered);
        //
        // let set_at = Instant::now();
        // runtime.set_timeout(100, record(&fired, "sooner timer"));
        // run_until_done(&mut runtime);
        // let fired = fired.take();
        //@ or 5..
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
        //@ end

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
//@ 4
//
// /// One 30 ms timer takes at most three turns of the loop.
// #[test]
// fn waiting_for_a_timer_takes_a_few_ticks_not_a_spin() {
//     within(10, || {
//         let mut runtime = stage::Runtime::new();
//         let fired = Fired::default();
//         runtime.set_timeout(30, record(&fired, "timer"));
//
//         let mut ticks = 0;
//         while tick(&mut runtime) {
//             ticks += 1;
//         }
//
//         assert_eq!(names(&fired.take()), ["timer"]);
//         assert!(ticks <= 3, "the loop woke up {ticks} times for one timer");
//     });
// }
//
// /// Four timers due at the same moment take no more turns of the loop than
// /// one: every timer that is due fires in the same timer phase.
// #[test]
// fn a_few_timers_due_at_once_fire_in_the_same_tick() {
//     within(10, || {
//         let mut runtime = stage::Runtime::new();
//         let fired = Fired::default();
//         let deadline = Instant::now() + Duration::from_millis(30);
//         for name in ["a", "b", "c", "d"] {
//             runtime.set_timeout_at(deadline, record(&fired, name));
//         }
//
//         let mut ticks = 0;
//         while tick(&mut runtime) {
//             ticks += 1;
//         }
//
//         assert_eq!(names(&fired.take()), ["a", "b", "c", "d"]);
//         assert!(
//             ticks <= 3,
//             "the loop took {ticks} ticks for four timers due at the same moment: every \
//              timer that is due must fire in the same timer phase"
//         );
//     });
// }
//
// /// Two timers count as two pending events until they fire.
// #[test]
// fn timers_count_as_pending_until_they_fire() {
//     within(10, || {
//         let mut runtime = stage::Runtime::new();
//         runtime.set_timeout(10, |_| {});
//         runtime.set_timeout(120, |_| {});
//         assert_eq!(runtime.pending_events(), 2);
//
//         run_until_done(&mut runtime);
//         assert_eq!(runtime.pending_events(), 0);
//     });
// }
//@ end

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
//@ end
