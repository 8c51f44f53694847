//! The callbacks: each one waits here, by id, until its event arrives,
//! then in line for its turn to run.
//!
//! In this crate, "pending" means one thing: awaited. A pending event is
//! one the program still waits for.
//! (Node calls one phase of the loop "pending callbacks": the callbacks it
//! runs are not awaited any more, and here they are called deferred.)

use std::collections::{HashMap, VecDeque};
use std::fmt;

use crate::{Js, trace};

// ANCHOR: callbacks
/// A callback waiting for its event.
///
/// It is not `Send`: callbacks only ever run on the main thread, so they
/// are free to hold `Rc`s and `RefCell`s, as JavaScript code would.
pub(crate) type Callback = Box<dyn FnOnce(Js)>;

/// A callback's id. The news for a callback names it by its id, and what
/// waits for that news on the callback's behalf (a socket, a request) is
/// known by the same id. Ids count up from 1, in the order callbacks are
/// given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallbackId(pub(crate) usize);

impl fmt::Display for CallbackId {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Every callback the runtime holds, from the moment it is given to the
/// moment it runs.
#[derive(Default)]
pub(crate) struct Callbacks {
    /// Those still waiting for their event, by id.
    /// Timers keep their own, in `timers`; an immediate's waits here for
    /// the check phase.
    waiting: HashMap<CallbackId, Callback>,
    /// Those whose event has arrived, with the value each receives, in
    /// the order the events arrived; each with its id, for the trace.
    ready: VecDeque<(CallbackId, Callback, Js)>,
    /// Those that are ready, but wait for the next tick's pending phase:
    /// those left over when a phase used up its budget, and errors found
    /// before any work began.
    deferred: VecDeque<(CallbackId, Callback, Js)>,
    /// The last id handed out, to a callback or a timer: they share it.
    last_id: usize,
}
// ANCHOR_END: callbacks

// ANCHOR: waiting
impl Callbacks {
    /// A new id. Ids only grow.
    pub(crate) fn new_id(&mut self) -> usize {
        self.last_id += 1;
        self.last_id
    }

    /// The last id handed out: anything with a greater one came later.
    pub(crate) fn last_id(&self) -> usize {
        self.last_id
    }

    /// Keeps `callback` until its event arrives, and returns its id. Each
    /// callback waits for exactly one event.
    pub(crate) fn add(&mut self, callback: Callback) -> CallbackId {
        let id = CallbackId(self.new_id());
        self.waiting.insert(id, callback);
        id
    }

    /// How many callbacks wait for their event.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// The event of callback `id` has arrived: the callback stops waiting,
    /// and stands in line with `value` for its turn to run. A trace, when
    /// one is recorded, marks it.
    pub(crate) fn make_ready(&mut self, id: CallbackId, value: Js) {
        let callback = self.take(id);
        trace::instant(format_args!("callback {id} ready"));
        self.ready.push_back((id, callback, value));
    }

    /// Takes callback `id` from those waiting.
    fn take(&mut self, id: CallbackId) -> Callback {
        self.waiting.remove(&id).unwrap_or_else(|| {
            panic!(
                "an event came for callback {id}, which waits for none: it was made ready \
                 already, or taken away while what answers it still ran"
            )
        })
    }

    /// Takes the next callback that is ready, with the value it receives,
    /// to run it. A trace, when one is recorded, marks it.
    pub(crate) fn next_ready(&mut self) -> Option<(Callback, Js)> {
        let (id, callback, value) = self.ready.pop_front()?;
        trace::instant(format_args!("callback {id} runs"));
        Some((callback, value))
    }

    /// Whether any callback is ready to run.
    pub(crate) fn any_ready(&self) -> bool {
        !self.ready.is_empty()
    }
}
// ANCHOR_END: waiting

// ANCHOR: pending
impl Callbacks {
    /// Gets callback `id` ready, but for the next tick's pending phase
    /// rather than for the phase that is running now.
    pub(crate) fn defer(&mut self, id: CallbackId, value: Js) {
        let callback = self.take(id);
        trace::instant(format_args!("callback {id} deferred"));
        self.deferred.push_back((id, callback, value));
    }

    /// The end of a phase that used up its budget: the callbacks still
    /// ready wait for the next tick's pending phase.
    pub(crate) fn defer_ready(&mut self) {
        self.deferred.extend(self.ready.drain(..));
    }

    /// The pending phase: gets ready the callbacks deferred from the last
    /// tick, oldest first, at most `limit` of them.
    pub(crate) fn ready_deferred(&mut self, limit: usize) {
        let count = self.deferred.len().min(limit);
        self.ready.extend(self.deferred.drain(..count));
    }

    /// Whether any callback waits for the next pending phase.
    pub(crate) fn any_deferred(&self) -> bool {
        !self.deferred.is_empty()
    }
}
// ANCHOR_END: pending

impl Callbacks {
    /// Marks in the trace, when one is recorded, each callback still
    /// ready, as deferred: what `defer_ready` is about to do to them.
    pub(crate) fn trace_deferring_ready(&self) {
        if trace::is_on() {
            for (id, ..) in &self.ready {
                trace::instant(format_args!("callback {id} deferred"));
            }
        }
    }
}

#[cfg(test)]
impl Callbacks {
    /// How many callbacks are ready, and how many deferred: what the tests
    /// of the budget look at.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (self.ready.len(), self.deferred.len())
    }
}
