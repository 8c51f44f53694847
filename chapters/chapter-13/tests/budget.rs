//! No phase runs more than `BUDGET` callbacks in a tick, so with
//! thousands of callbacks ready at once, a due timer and a ready socket
//! still get their turn within a tick or two.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::{BUDGET, Http, Js, Runtime, set_immediate, set_timeout};
use common::{run_sharing, within};
use slow_server::SlowServer;

/// Many more callbacks than one phase may run.
const READY: usize = 5 * BUDGET;

type Log = Rc<RefCell<Vec<&'static str>>>;

/// A callback that takes a little while, like real work, then notes itself.
fn busy(log: &Log, name: &'static str) -> impl FnOnce(Js) + 'static {
    let log = Rc::clone(log);
    move |_| {
        let started = Instant::now();
        while started.elapsed() < Duration::from_micros(20) {}
        log.borrow_mut().push(name);
    }
}

/// Gets `READY` callbacks ready at once: requests for a malformed URL,
/// whose errors all wait for the next pending phase.
fn flood(log: &Log) {
    for _ in 0..READY {
        Http::get("not a url", busy(log, "error"));
    }
}

/// Runs `program`, which floods the loop and sets one more callback,
/// `name`; checks that every callback ran, and that `name` ran after at
/// most `most` of the others.
fn assert_runs_within(most: usize, name: &str, program: impl FnOnce(&Log) + 'static) {
    let log = run_sharing(Runtime::new(), |log| program(&log));
    assert_eq!(
        log.len(),
        READY + 1,
        "only {} of the {} callbacks ran: the others were lost",
        log.len(),
        READY + 1
    );
    let place = log
        .iter()
        .position(|entry| *entry == name)
        .unwrap_or_else(|| panic!("{name} never ran"));
    assert!(place <= most, "{name} waited for {place} other callbacks");
}

/// Checks that the callbacks numbered `0..=last` ran once each, in that
/// order; if not, says where the order first went wrong, in the words of
/// `what`.
fn assert_in_order(ran: &[usize], last: usize, what: &str) {
    for (place, &number) in ran.iter().enumerate() {
        assert_eq!(
            number, place,
            "{what}: callback {number} ran at place {place}"
        );
    }
    assert_eq!(
        ran.len(),
        last + 1,
        "{what}: only {} of the {} callbacks ran",
        ran.len(),
        last + 1
    );
}

/// A timer due while thousands of callbacks are ready: at most one
/// pending phase (and one poll phase) before the next timer phase, not all
/// the errors first.
#[test]
fn a_due_timer_runs_within_a_tick_of_thousands_of_ready_callbacks() {
    within(30, || {
        assert_runs_within(2 * BUDGET, "timer", |log| {
            flood(log);
            set_timeout(1, busy(log, "timer"));
        });
    });
}

/// A socket that is ready while thousands of callbacks are: served within
/// a tick or so.
#[test]
fn a_ready_socket_is_served_within_a_tick_of_thousands_of_ready_callbacks() {
    within(30, || {
        let server = SlowServer::start().unwrap();
        let url = server.url("/hello");
        assert_runs_within(3 * BUDGET, "socket", move |log| {
            Http::get(&url, busy(log, "socket"));
            flood(log);
        });
    });
}

/// Asks for `READY` callbacks with `ask`; the first of them to run asks
/// for one more, numbered `READY`. Gives the numbers of the callbacks in
/// the order they ran.
fn run_in_turn(ask: fn(Box<dyn FnOnce(Js)>)) -> Vec<usize> {
    run_sharing::<Vec<usize>>(Runtime::new(), move |ran| {
        for n in 0..READY {
            let ran = Rc::clone(&ran);
            ask(Box::new(move |_| {
                ran.borrow_mut().push(n);
                if n == 0 {
                    ask(Box::new(move |_| ran.borrow_mut().push(READY)));
                }
            }));
        }
    })
}

/// Callbacks deferred to the pending phase run oldest first, at most
/// `BUDGET` a tick: one that the first of them defers, while the phase
/// runs, waits behind all those deferred before it.
#[test]
fn deferred_callbacks_run_oldest_first_and_a_new_one_waits_behind_them() {
    within(30, || {
        let ran = run_in_turn(|callback| Http::get("not a url", callback));
        assert_in_order(
            &ran,
            READY,
            "the deferred callbacks did not run oldest first",
        );
    });
}

/// Immediates run in the order they were set, at most `BUDGET` a tick: one
/// that the first of them sets waits behind all those set before it.
#[test]
fn immediates_run_in_the_order_set_and_a_new_one_waits_behind_them() {
    within(30, || {
        let ran = run_in_turn(set_immediate);
        assert_in_order(
            &ran,
            READY,
            "the immediates did not run in the order they were set (a check phase gets \
             ready at most BUDGET of them; the others wait for the next, in order, and one \
             set meanwhile waits behind them)",
        );
    });
}

/// Thousands of timers due at once all run, once each, in the order they
/// were set.
#[test]
fn thousands_of_due_timers_all_run_once_in_order() {
    within(30, || {
        let fired = run_sharing::<Vec<usize>>(Runtime::new(), |fired| {
            for n in 0..READY {
                let fired = Rc::clone(&fired);
                set_timeout(0, move |_| fired.borrow_mut().push(n));
            }
        });
        assert_eq!(fired, (0..READY).collect::<Vec<_>>());
    });
}
