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
        match Url::parse(url).and_then(|url| send_request(&url)) {
            Ok(stream) => register_io(stream, |reply| callback(whole_response(reply))),
            Err(message) => fail_later(callback, message),
        }
    }
}
// ANCHOR_END: http_get

// ANCHOR: fail_later
/// Hands `message` to `callback` as a `Js::Error`, from the loop's next
/// pending phase: a callback never runs inside the call that asked for it.
fn fail_later(callback: impl FnOnce(Js) + 'static, message: String) {
    with_runtime(|runtime| {
        let callback_id = runtime.add_callback(callback);
        runtime.defer_callback(callback_id, Js::Error(message));
    });
}
// ANCHOR_END: fail_later
// ANCHOR_END: http
