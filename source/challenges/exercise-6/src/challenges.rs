//! The challenge of stage 6: `Http::get_all`, several GETs at once, their
//! results handed to one callback together, in the order of the URLs, as
//! JavaScript's `Promise.allSettled` hands them over.

use std::cell::RefCell;
use std::rc::Rc;

use crate::{Http, Js, set_timeout};

impl Http {
    /// GETs every URL of `urls` at once. `callback` runs once, when every
    /// one of them has answered or failed, with what `Http::get` gave
    /// each, in the order of `urls`, whatever the order they came in.
    pub fn get_all(urls: &[&str], callback: impl FnOnce(Vec<Js>) + 'static) {
        if urls.is_empty() {
            // Nothing to wait for; yet a callback never runs inside the
            // call that asked for it.
            set_timeout(0, move |_| callback(Vec::new()));
            return;
        }
        // A place for each URL's result, filled as they come in.
        let results = Rc::new(RefCell::new(vec![None; urls.len()]));
        let callback = Rc::new(RefCell::new(Some(callback)));
        for (place, url) in urls.iter().enumerate() {
            let results = Rc::clone(&results);
            let callback = Rc::clone(&callback);
            Http::get(url, move |result| {
                results.borrow_mut()[place] = Some(result);
                if results.borrow().iter().all(Option::is_some) {
                    let all: Vec<Js> = results.take().into_iter().flatten().collect();
                    if let Some(callback) = callback.take() {
                        callback(all);
                    }
                }
            });
        }
    }
}
