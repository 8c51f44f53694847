//! Timers: deadlines kept in order, each with the callback to run once it
//! has passed.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::runtime::Callback;
use crate::{Js, Runtime};

// ANCHOR: timer_id
/// A timer's id, for `clear_timeout` and `clear_interval`: its deadline
/// and its number. It is also the timer's key in `Runtime::timers`, so
/// clearing a timeout finds it at once; and since it sorts by deadline,
/// then by number, timers with equal deadlines run in the order set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimerId {
    pub(crate) deadline: Instant,
    pub(crate) number: usize,
}
// ANCHOR_END: timer_id

// ANCHOR: set_timeout
impl Runtime {
    /// Runs `callback` on the main thread once `ms` milliseconds have
    /// passed. Returns the timer's id.
    pub(crate) fn set_timeout(&mut self, ms: u64, callback: impl FnOnce(Js) + 'static) -> TimerId {
        let deadline = Instant::now() + Duration::from_millis(ms);
        self.set_timeout_at(deadline, callback)
    }

    /// Runs `callback` on the main thread once `deadline` has passed.
    /// Timers with the same deadline run in the order they were set.
    pub(crate) fn set_timeout_at(
        &mut self,
        deadline: Instant,
        callback: impl FnOnce(Js) + 'static,
    ) -> TimerId {
        let id = TimerId {
            deadline,
            number: self.new_id(),
        };
        self.timers.insert(id, Box::new(callback));
        id
    }
}
// ANCHOR_END: set_timeout

// ANCHOR: interval
/// A timer that fires again and again, `every` so often.
pub(crate) struct Interval {
    /// The id `set_interval` handed out: `clear_interval` gives it back.
    id: TimerId,
    every: Duration,
    /// When it fires next.
    next: Instant,
    /// Shared, because each firing's callback calls it while the interval
    /// is already armed again for the next one.
    callback: Rc<RefCell<dyn FnMut(Js)>>,
}

impl Interval {
    /// The key of its next firing in `Runtime::timers`: the next deadline,
    /// and the interval's number.
    fn next_key(&self) -> TimerId {
        TimerId {
            deadline: self.next,
            number: self.id.number,
        }
    }

    /// The callback of one firing: it calls the interval's own callback.
    fn firing(&self) -> Callback {
        let callback = Rc::clone(&self.callback);
        Box::new(move |value| (callback.borrow_mut())(value))
    }
}

impl Runtime {
    /// Runs `callback` every `ms` milliseconds (at least 1), until
    /// `clear_interval` is called with the id it returns. Until then, the
    /// interval's next firing waits in `timers`, and keeps the loop alive.
    pub(crate) fn set_interval(&mut self, ms: u64, callback: impl FnMut(Js) + 'static) -> TimerId {
        let every = Duration::from_millis(ms.max(1));
        let id = TimerId {
            deadline: Instant::now() + every,
            number: self.new_id(),
        };
        let interval = Interval {
            id,
            every,
            next: id.deadline,
            callback: Rc::new(RefCell::new(callback)),
        };
        self.timers.insert(id, interval.firing());
        self.intervals.insert(id.number, interval);
        id
    }

    /// Cancels a timeout or an interval: it will not fire again, and it no
    /// longer keeps the loop alive. An id that has already fired, or that
    /// was never issued, is ignored.
    pub(crate) fn clear_timer(&mut self, id: TimerId) {
        todo!(
            "exercise 7: Cancel a timeout or an interval: an interval is forgotten and its next firing taken out of timers; a timeout that has not fired is taken out of timers. Ignore ids that are not waiting. The book explains it in \"Timer ids and `clear_timeout`\", on the page \"Stage 7: timers as Node has them\" (book/src/chapter-7.md)."
        )
    }
}
// ANCHOR_END: interval

// ANCHOR: expired
impl Runtime {
    /// Takes the next timer that is due by `now`, if there is one and it
    /// was set no later than `newest`, the last id issued before the timer
    /// phase began: a timer set during the phase waits for the next one,
    /// even at 0 ms. An interval is armed again, from now, before its
    /// callback runs.
    pub(crate) fn next_due_timer(&mut self, now: Instant, newest: usize) -> Option<Callback> {
        todo!(
            "exercise 7: Take the first timer if it is due by now and was set no later than newest; arm an interval again, from now, before handing out its callback. The book explains it in \"`set_interval` and `clear_interval`\" and \"A timer set during the timers phase waits\", on the page \"Stage 7: timers as Node has them\" (book/src/chapter-7.md)."
        )
    }

    /// When the next timer is due, if there is one.
    pub(crate) fn next_timer_deadline(&self) -> Option<Instant> {
        self.timers.first_key_value().map(|(id, _)| id.deadline)
    }
}
// ANCHOR_END: expired

#[cfg(test)]
mod tests {
    use super::*;

    /// A runtime for a test that calls its methods by hand, quietly.
    fn quiet_runtime() -> Runtime {
        crate::set_logging(false);
        Runtime::new()
    }

    #[test]
    fn a_timer_set_during_the_timer_phase_waits_for_the_next_one() {
        let mut runtime = quiet_runtime();
        let past = Instant::now() - Duration::from_millis(5);
        runtime.set_timeout_at(past, |_| {});

        // The phase begins: what is due by now, and set by now, runs.
        let (now, newest) = (Instant::now(), runtime.identity_token);
        assert!(runtime.next_due_timer(now, newest).is_some());
        // A timer set during the phase waits, even one that is due.
        runtime.set_timeout_at(past, |_| {});
        assert!(runtime.next_due_timer(now, newest).is_none());
        // The next phase runs it.
        let (now, newest) = (Instant::now(), runtime.identity_token);
        assert!(runtime.next_due_timer(now, newest).is_some());
    }

    #[test]
    fn a_late_interval_fires_once_and_is_armed_a_whole_period_from_then() {
        let mut runtime = quiet_runtime();
        runtime.set_interval(10, |_| {});
        // The loop comes to it late, by several periods.
        std::thread::sleep(Duration::from_millis(50));

        let (now, newest) = (Instant::now(), runtime.identity_token);
        assert!(runtime.next_due_timer(now, newest).is_some());
        assert!(
            runtime.next_due_timer(now, newest).is_none(),
            "it caught up on the missed periods"
        );
        let next = runtime.next_timer_deadline().expect("armed again");
        assert!(next >= now + Duration::from_millis(10));
    }
}
