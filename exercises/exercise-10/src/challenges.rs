//! The challenge of stage 10: a GET that follows redirects, as `fetch`
//! does.

use crate::{Http, Js};

/// How many redirects a GET follows before it gives up: 20, as `fetch`
/// does.
pub const MAX_REDIRECTS: usize = 20;

/// The statuses that send a GET on to the response's `Location`. (300
/// Multiple Choices and 304 Not Modified are not among them: `fetch`
/// hands those to the program.)
const REDIRECTS: [&str; 5] = ["301", "302", "303", "307", "308"];

/// GETs `url` as [`Http::get`] does; but a response that redirects is not
/// handed to `callback`: the GET goes on to where it points, up to
/// [`MAX_REDIRECTS`] times. The callback gets the first response that
/// does not redirect, or an error, there having been too many redirects.
pub fn get_following_redirects(url: &str, callback: impl FnOnce(Js) + 'static) {
    follow(url.to_string(), MAX_REDIRECTS, Box::new(callback));
}

/// GETs `url`; its callback hands a response that does not redirect to
/// `callback`, and follows one that does, while redirects are left.
fn follow(url: String, redirects_left: usize, callback: Box<dyn FnOnce(Js)>) {
    todo!(
        "challenge 10a: GET the url with Http::get; in its callback, a response that does not redirect, or an error, goes to the program's callback; one that redirects is followed, with one redirect fewer left, or, with none left, the program's callback gets a Js::Error that says \"too many redirects\". The book explains it in \"Challenges\", on the page \"Stage 10: the exercise\" (book/src/chapter-10-exercise.md), and \"The body\", on the page \"Stage 10: bodies, names and timeouts\" (book/src/chapter-10-response.md)."
    )
}

/// Where `response`, the answer to a GET of `url`, sends the GET on to, if
/// it redirects: its `Location`, a full URL, or a path on the same server.
fn redirect_target(url: &str, response: &str) -> Option<String> {
    todo!(
        "challenge 10a: Read the status from the status line: unless it is one of REDIRECTS, there is no redirect. Then find the Location header, its name in any case, and trim its value; a path, which starts with a slash, is on the server of url, so put `http://` and that server before it. The book explains it in \"Challenges\", on the page \"Stage 10: the exercise\" (book/src/chapter-10-exercise.md), and \"The framing\", on the page \"Stage 10: bodies, names and timeouts\" (book/src/chapter-10-response.md)."
    )
}
