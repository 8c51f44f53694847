//! The challenge of stage 7: `debounce`, a function that runs a callback
//! once a burst of calls to it has died down.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::{TimerId, clear_timeout, set_timeout};

/// Returns a function that runs `callback` `ms` milliseconds after it was
/// last called: calls closer together than that run it once, `ms` after
/// the last of them. It comes in an `Rc`, so that the program can hand
/// it to several callbacks: all of them share one timer.
pub fn debounce(ms: u64, callback: impl FnMut() + 'static) -> Rc<dyn Fn()> {
    todo!(
        "challenge 7a: The function it returns, in an Rc, is a closure that owns what the calls share: the callback, in an Rc and a RefCell, since each timer's callback calls it, and the id of the timer that waits, in a Cell; each call clears that timer, if there is one, and sets a new one for ms from now, whose id it keeps. The book explains it in \"Challenges\", on the page \"Stage 7: the exercise\" (book/src/chapter-7-exercise.md), and \"Timer ids and `clear_timeout`\", on the page \"Stage 7: timers as Node has them\" (book/src/chapter-7.md)."
    )
}
