//! HTTP, shaped like Node's `http` module: `Http`, the front a program
//! calls, and behind it a file for each part of a GET: the URL, the
//! request and the response.

mod request;
mod response;
mod url;

use crate::Js;
use crate::handle::with_runtime;
use crate::register_io;
use request::send_request;
use response::whole_response;
use url::Url;

// ANCHOR: http
// ANCHOR: http_get
/// HTTP requests, whose sockets epoll waits for.
pub struct Http;

impl Http {
    /// GETs a plain `http://host:port/path` URL. The callback gets the
    /// whole response, status line first, as a `Js::String`; or a
    /// `Js::Error` if the URL is malformed, the connection is refused or
    /// breaks, or what comes back is not a whole HTTP response in UTF-8.
    pub fn get(url: &str, callback: impl FnOnce(Js) + 'static) {
        todo!(
            "exercise 6: Parse the URL, send the request (send_request), and let the runtime read the answer (register_io), handing the callback only a whole response (whole_response); any error reaches the callback through fail_later. The book explains it in \"`Http`: a GET through the epoll thread\", on the page \"Stage 6: the modules\" (book/src/chapter-6.md)."
        )
    }
}
// ANCHOR_END: http_get

// ANCHOR: fail_later
/// Hands `message` to `callback` as a `Js::Error`, from the loop, like any
/// other result: a callback never runs inside the call that asked for it.
fn fail_later(callback: impl FnOnce(Js) + 'static, message: String) {
    with_runtime(|runtime| {
        let callback_id = runtime.add_callback(callback);
        runtime.callback_ready(callback_id, Js::Error(message));
    });
}
// ANCHOR_END: fail_later
// ANCHOR_END: http
