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
    let callback = Rc::new(RefCell::new(callback));
    let waiting: Rc<Cell<Option<TimerId>>> = Rc::default();
    Rc::new(move || {
        // Clearing a timer that has fired already does nothing.
        if let Some(id) = waiting.take() {
            clear_timeout(id);
        }
        let callback = Rc::clone(&callback);
        let id = set_timeout(ms, move |_| (callback.borrow_mut())());
        waiting.set(Some(id));
    })
}
