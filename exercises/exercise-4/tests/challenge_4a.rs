//! Challenge 4a: moving a timer to a new deadline, sooner or later.

#[path = "../../../chapters/chapter-4/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::{Js, Runtime, ThreadPoolTaskKind};
use common::{run_until_done, tick, within};

type Fired = Rc<RefCell<Vec<(&'static str, Instant)>>>;

/// A timer callback that records its name and when it ran.
fn record(fired: &Fired, name: &'static str) -> impl FnOnce(Js) + 'static {
    let fired = Rc::clone(fired);
    move |_| fired.borrow_mut().push((name, Instant::now()))
}

fn names(fired: &Fired) -> Vec<&'static str> {
    fired.borrow().iter().map(|(name, _)| *name).collect()
}

/// When `name` fired, if it has.
fn fired_at(fired: &Fired, name: &str) -> Option<Instant> {
    let fired = fired.borrow();
    fired.iter().find(|(n, _)| *n == name).map(|(_, at)| *at)
}

/// A timer due at 30 ms is moved to 200 ms: it fires at 200 ms, not
/// sooner, and after a timer due at 100 ms.
#[test]
fn a_timer_moved_later_fires_at_its_new_deadline() {
    within(10, || {
        let mut runtime = Runtime::new();
        let fired = Fired::default();
        let start = Instant::now();
        let moved = runtime
            .set_movable_timeout_at(start + Duration::from_millis(30), record(&fired, "moved"));
        runtime.set_timeout_at(start + Duration::from_millis(100), record(&fired, "other"));

        let new_deadline = start + Duration::from_millis(200);
        assert!(
            runtime.move_timer(moved, new_deadline),
            "the timer was waiting: move_timer should say that it moved it"
        );
        assert_eq!(
            runtime.pending_events(),
            2,
            "a moved timer is still one timer"
        );
        // Turns of the loop, until the moved timer has fired (or nothing
        // is pending any more).
        while fired_at(&fired, "moved").is_none() && tick(&mut runtime) {}
        let at = fired_at(&fired, "moved").expect("the moved timer never fired");
        assert!(
            at >= new_deadline,
            "the moved timer fired {:?} after it was set, before its new deadline, 200 ms: \
             is its old deadline still in the set?",
            at - start
        );
        run_until_done(&mut runtime);

        assert_eq!(
            names(&fired),
            ["other", "moved"],
            "the timers fired out of deadline order"
        );
    });
}

/// The epoll thread is asleep until a timer's deadline, 1500 ms away,
/// when the timer is moved to 100 ms from now: it fires then, not at its
/// old deadline.
#[test]
fn a_timer_moved_sooner_fires_on_time() {
    within(10, || {
        let mut runtime = Runtime::new();
        let fired = Fired::default();
        let far = Instant::now() + Duration::from_millis(3500);
        let moved = runtime.set_movable_timeout_at(far, record(&fired, "moved"));
        // A pool task's answer wakes the main thread once, after the epoll
        // thread has gone to sleep until the timer's deadline.
        let answered = Rc::new(RefCell::new(false));
        let flag = Rc::clone(&answered);
        runtime.register_pool_task(
            ThreadPoolTaskKind::Encrypt,
            || Js::Undefined,
            move |_| *flag.borrow_mut() = true,
        );
        while !*answered.borrow() {
            assert!(tick(&mut runtime), "the pool task never answered");
        }

        let moved_at = Instant::now();
        assert!(
            runtime.move_timer(moved, moved_at + Duration::from_millis(100)),
            "the timer was waiting: move_timer should say that it moved it"
        );
        run_until_done(&mut runtime);

        assert_eq!(names(&fired), ["moved"], "the moved timer fires once");
        let waited = fired_at(&fired, "moved").unwrap() - moved_at;
        assert!(
            waited >= Duration::from_millis(100),
            "the moved timer fired {waited:?} after it was moved, before its new deadline"
        );
        // Generous, so that a busy machine does not fail a right answer:
        // the old deadline is a second and a half further still.
        assert!(
            waited < Duration::from_millis(2000),
            "the moved timer fired {waited:?} after it was moved: it waited for its old deadline"
        );
    });
}

/// A timer that has fired cannot be moved, nor can an id no timer has:
/// `move_timer` says `false`, and nothing fires again.
#[test]
fn a_timer_that_has_fired_is_not_moved() {
    within(10, || {
        let mut runtime = Runtime::new();
        let fired = Fired::default();
        let early = runtime.set_movable_timeout_at(Instant::now(), record(&fired, "early"));
        run_until_done(&mut runtime);

        let soon = Instant::now() + Duration::from_millis(50);
        assert!(
            !runtime.move_timer(early, soon),
            "the timer has already fired: move_timer should say false, and not set it again"
        );
        // An id this runtime never handed out: another runtime's third.
        let mut other = Runtime::new();
        let never_here = (0..3).map(|_| other.add_callback(|_| {})).last();
        assert!(
            !runtime.move_timer(never_here.expect("three ids"), soon),
            "no timer has this id: move_timer should say false"
        );
        runtime.set_timeout(100, record(&fired, "later"));
        run_until_done(&mut runtime);

        assert_eq!(names(&fired), ["early", "later"], "each timer fires once");
        assert_eq!(runtime.pending_events(), 0);
    });
}
