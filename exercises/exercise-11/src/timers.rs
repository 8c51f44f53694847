//! Timers: deadlines kept in order, each with the callback to run once it
//! has passed.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::callbacks::Callback;
use crate::handle::with_runtime;
use crate::{Js, Runtime, trace};

// ANCHOR: timer_id
/// A timer's id, for `clear_timeout` and `clear_interval`: its deadline
/// and its number. It is also the timer's key in `Timers`, so
/// clearing a timeout finds it at once; and since it sorts by deadline,
/// then by number, timers with equal deadlines run in the order set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimerId {
    deadline: Instant,
    number: usize,
}
// ANCHOR_END: timer_id

// ANCHOR: delay
/// The longest delay Node takes: 2^31 - 1 ms, about 24.8 days, since it
/// keeps delays in 32 bits.
pub const TIMEOUT_MAX: u64 = 2_147_483_647;

/// A timer's delay, as Node takes it: one longer than [`TIMEOUT_MAX`] is
/// taken as 1 ms, with a warning. A forgotten `u64::MAX` would otherwise
/// keep the program alive for ever, if the clock could even count that
/// far ahead.
fn delay(ms: u64) -> Duration {
    if ms > TIMEOUT_MAX {
        crate::log!(
            "TimeoutOverflowWarning: {ms} does not fit into a 32-bit signed integer. \
             Timeout duration was set to 1."
        );
        return Duration::from_millis(1);
    }
    Duration::from_millis(ms)
}
// ANCHOR_END: delay

// ANCHOR: timers
/// Every timer, with its callback, and the intervals that have not been
/// cleared.
#[derive(Default)]
pub(crate) struct Timers {
    /// Every timer, with its callback. Its id sorts by deadline, then in
    /// the order the timers were set.
    pending: BTreeMap<TimerId, Callback>,
    /// The intervals that have not been cleared, by number.
    intervals: HashMap<usize, Interval>,
}

impl Timers {
    /// Keeps timer `id`, which runs `callback` once its deadline passes.
    pub(crate) fn add(&mut self, id: TimerId, callback: Callback) {
        self.pending.insert(id, callback);
    }

    /// How many timers wait: each keeps the loop alive.
    pub(crate) fn len(&self) -> usize {
        self.pending.len()
    }

    /// When the next timer is due, if there is one.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.pending.first_key_value().map(|(id, _)| id.deadline)
    }

    /// Whether a timer is due already: one the timer phase left because of
    /// its budget, one set during it, or one that fell due since.
    pub(crate) fn is_due(&self) -> bool {
        self.next_deadline()
            .is_some_and(|deadline| deadline <= Instant::now())
    }
}
// ANCHOR_END: timers

// ANCHOR: set_timeout
impl Runtime {
    /// Runs `callback` on the main thread once `ms` milliseconds have
    /// passed. Returns the timer's id.
    pub(crate) fn set_timeout(&mut self, ms: u64, callback: impl FnOnce(Js) + 'static) -> TimerId {
        let deadline = Instant::now() + delay(ms);
        self.set_timeout_at(deadline, callback)
    }

    /// Runs `callback` on the main thread once `deadline` has passed.
    /// Timers with the same deadline run in the order they were set: a
    /// timer's number comes from the callbacks' ids, which only grow.
    pub(crate) fn set_timeout_at(
        &mut self,
        deadline: Instant,
        callback: impl FnOnce(Js) + 'static,
    ) -> TimerId {
        let id = TimerId {
            deadline,
            number: self.callbacks.new_id(),
        };
        self.timers.add(id, Box::new(callback));
        trace::timer_set(id.number, deadline);
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
    /// The key of its next firing among the timers.
    next: TimerId,
    /// Shared, because each firing's callback calls it.
    callback: Rc<RefCell<dyn FnMut(Js)>>,
}

impl Interval {
    /// The callback of one firing: it calls the interval's own callback,
    /// then arms the interval again, as Node does: after the callback, so
    /// a timer the callback sets with the same delay runs first, and not
    /// at all if the callback cleared the interval.
    fn firing(&self) -> Callback {
        let callback = Rc::clone(&self.callback);
        let number = self.id.number;
        Box::new(move |value| {
            (callback.borrow_mut())(value);
            with_runtime(|runtime| runtime.arm_interval_again(number));
        })
    }
}
// ANCHOR_END: interval

// ANCHOR: interval_timers
impl Timers {
    /// Keeps `interval`, with its first firing.
    fn add_interval(&mut self, interval: Interval) {
        self.pending.insert(interval.id, interval.firing());
        self.intervals.insert(interval.id.number, interval);
    }

    /// Arms interval `number` again, a whole period from now, under
    /// `new_number`, if it has not been cleared.
    fn arm_again(&mut self, number: usize, new_number: usize) {
        if let Some(interval) = self.intervals.get_mut(&number) {
            interval.next = TimerId {
                deadline: Instant::now() + interval.every,
                number: new_number,
            };
            self.pending.insert(interval.next, interval.firing());
        }
    }

    /// Cancels a timeout or an interval: it will not fire again, and it no
    /// longer keeps the loop alive. An id that has already fired, or that
    /// was never issued, is ignored.
    pub(crate) fn clear(&mut self, id: TimerId) {
        let interval = self.intervals.get(&id.number);
        if let Some(interval) = interval.filter(|interval| interval.id == id) {
            self.pending.remove(&interval.next);
            self.intervals.remove(&id.number);
        } else {
            self.pending.remove(&id);
        }
    }
}
// ANCHOR_END: interval_timers

// ANCHOR: set_interval
impl Runtime {
    /// Runs `callback` every `ms` milliseconds (at least 1), until
    /// `clear_interval` is called with the id it returns. Until then, the
    /// interval's next firing waits among the timers, and keeps the loop
    /// alive.
    pub(crate) fn set_interval(&mut self, ms: u64, callback: impl FnMut(Js) + 'static) -> TimerId {
        let every = delay(ms.max(1));
        let id = TimerId {
            deadline: Instant::now() + every,
            number: self.callbacks.new_id(),
        };
        self.timers.add_interval(Interval {
            id,
            every,
            next: id,
            callback: Rc::new(RefCell::new(callback)),
        });
        trace::timer_set(id.number, id.deadline);
        id
    }

    /// Arms interval `number` again, if it has not been cleared. Its
    /// firing gets a new number, as a timer set now would: of two timers
    /// due at the same moment, the one set first runs first.
    fn arm_interval_again(&mut self, number: usize) {
        let new_number = self.callbacks.new_id();
        self.timers.arm_again(number, new_number);
        self.timers.trace_armed_again(number);
    }

    /// Clears timer `id` (see `Timers::clear`). A trace, when one is
    /// recorded, marks it.
    pub(crate) fn clear_timer(&mut self, id: TimerId) {
        trace::instant(format_args!("timer {} cleared", id.number));
        self.timers.clear(id);
    }
}
// ANCHOR_END: set_interval

impl Timers {
    /// Marks in the trace, when one is recorded, the next firing of
    /// interval `number`, if it was armed again: under which number, and
    /// when it is due.
    fn trace_armed_again(&self, number: usize) {
        if !trace::is_on() {
            return;
        }
        if let Some(interval) = self.intervals.get(&number) {
            trace::interval_armed(number, interval.next.number, interval.next.deadline);
        }
    }
}

// ANCHOR: expired
impl Timers {
    /// Takes the next timer that is due by `now`, if there is one and it
    /// was set no later than `newest`, the last id issued before the timer
    /// phase began: a timer set during the phase waits for the next one,
    /// even at 0 ms. (An interval's callback arms it again once it has
    /// run: see `Interval::firing`.)
    pub(crate) fn next_due(&mut self, now: Instant, newest: usize) -> Option<Callback> {
        let (&id, _) = self.pending.first_key_value()?;
        if id.deadline > now || id.number > newest {
            return None;
        }
        self.fire_first()
    }

    /// Takes the first timer off the list, as it fires, and hands out its
    /// callback. A trace, when one is recorded, marks it.
    fn fire_first(&mut self) -> Option<Callback> {
        let (id, callback) = self.pending.pop_first()?;
        trace::instant(format_args!("timer {} fired", id.number));
        Some(callback)
    }
}
// ANCHOR_END: expired

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handle::{Installed, with_runtime};

    #[test]
    fn a_delay_longer_than_node_takes_is_one_millisecond() {
        crate::set_logging(false);
        assert_eq!(delay(TIMEOUT_MAX), Duration::from_millis(TIMEOUT_MAX));
        assert_eq!(delay(TIMEOUT_MAX + 1), Duration::from_millis(1));
        assert_eq!(delay(u64::MAX), Duration::from_millis(1));
    }

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
        let (now, newest) = (Instant::now(), runtime.callbacks.last_id());
        assert!(
            runtime.timers.next_due(now, newest).is_some(),
            "a timer due and set before the timer phase was not taken"
        );
        // A timer set during the phase waits, even one that is due.
        runtime.set_timeout_at(past, |_| {});
        assert!(
            runtime.timers.next_due(now, newest).is_none(),
            "a timer set during the timer phase was taken in the same phase: it waits \
             for the next one"
        );
        // The next phase runs it.
        let (now, newest) = (Instant::now(), runtime.callbacks.last_id());
        assert!(
            runtime.timers.next_due(now, newest).is_some(),
            "a timer set during a timer phase was not taken in the next one"
        );
    }

    #[test]
    fn an_interval_armed_again_is_newer_than_a_timer_its_callback_set() {
        crate::set_logging(false);
        let _installed = Installed::new(Runtime::new());
        let interval = with_runtime(|runtime| runtime.set_interval(10, |_| {}));
        // Its callback sets a timeout; then the interval is armed again.
        let timeout = with_runtime(|runtime| runtime.set_timeout(10, |_| {}));
        with_runtime(|runtime| runtime.arm_interval_again(interval.number));
        let next = with_runtime(|runtime| runtime.timers.intervals[&interval.number].next);
        assert!(
            next.number > timeout.number,
            "the interval was armed again under number {}, older than the timeout its \
             callback set ({}): of two timers due at the same moment, the one set first \
             must run first",
            next.number,
            timeout.number
        );
    }

    #[test]
    fn a_timer_due_at_this_very_moment_is_due() {
        let mut runtime = quiet_runtime();
        let deadline = Instant::now() + Duration::from_millis(5);
        runtime.set_timeout_at(deadline, |_| {});
        let newest = runtime.callbacks.last_id();
        let just_before = deadline - Duration::from_nanos(1);
        assert!(
            runtime.timers.next_due(just_before, newest).is_none(),
            "a timer was taken before its deadline"
        );
        assert!(
            runtime.timers.next_due(deadline, newest).is_some(),
            "a timer whose deadline is now was not taken: it is due"
        );
    }

    #[test]
    fn a_late_interval_fires_once_and_is_armed_a_whole_period_after_its_callback() {
        crate::set_logging(false);
        let _installed = Installed::new(Runtime::new());
        with_runtime(|runtime| runtime.set_interval(10, |_| {}));
        // The loop comes to it late, by several periods.
        std::thread::sleep(Duration::from_millis(50));

        let now = Instant::now();
        let newest = with_runtime(|runtime| runtime.callbacks.last_id());
        let due = || with_runtime(|runtime| runtime.timers.next_due(now, newest));
        let firing = due().expect("the interval is due");
        assert!(due().is_none(), "it caught up on the missed periods");
        assert!(
            with_runtime(|runtime| runtime.timers.next_deadline()).is_none(),
            "armed again before its callback ran"
        );
        firing(Js::Undefined);
        let next = with_runtime(|runtime| runtime.timers.next_deadline());
        assert!(
            next.expect("armed again") >= now + Duration::from_millis(10),
            "the interval was armed again less than a whole period after its callback ran: \
             after a late tick, it would fire in a burst"
        );
    }
}
