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
        todo!(
            "challenge 6a: Start one Http::get per URL, each with a callback that puts its result in its own place, the URL's index, in a list shared through an Rc and a RefCell; the one that fills the last place hands the list over. The callback is FnOnce and every GET's callback holds it, so keep it in an Option to take out once. With no URL, hand the empty list over later, with set_timeout. The book explains it in \"Challenges\" and \"`Http`: a GET through the epoll thread\" and \"Errors are values, and they come later\", on the page \"Stage 6: the modules\" (book/src/chapter-6.md)."
        )
    }
}
