//! HTTP, shaped like Node's `http` module: `Http`, the front a program
//! calls, and behind it a file for each part of a GET: the URL, the
//! request and the response.

mod request;
mod response;
mod url;

use crate::Js;
use crate::handle::with_runtime;
pub(crate) use request::Requests;
pub(crate) use request::cancel_request;
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
    ///
    /// Like Node's, it has no time limit: a server that never answers
    /// keeps the program waiting. [`Http::get_with_timeout`] has one.
    pub fn get(url: &str, callback: impl FnOnce(Js) + 'static) {
        start_get(url, None, callback);
    }

    /// As [`Http::get`], but gives up once `timeout_ms` milliseconds have
    /// passed without a whole response: the socket is closed, and the
    /// callback gets a `Js::Error` that begins with "timeout". As with
    /// Node's socket timeouts, 0 means no timeout, and one longer than
    /// [`TIMEOUT_MAX`](crate::TIMEOUT_MAX) is cut to it.
    pub fn get_with_timeout(url: &str, timeout_ms: u64, callback: impl FnOnce(Js) + 'static) {
        start_get(url, Some(timeout_ms), callback);
    }
}

/// Checks the URL, then leaves the request to the runtime. Returns the
/// request's id, to cancel it, if it was made.
pub(crate) fn start_get(
    url: &str,
    timeout_ms: Option<u64>,
    callback: impl FnOnce(Js) + 'static,
) -> Option<crate::CallbackId> {
    match Url::parse(url) {
        Ok(url) => Some(with_runtime(|runtime| {
            runtime.http_get(&url.host, url.port, &url.path, timeout_ms, callback)
        })),
        Err(message) => {
            fail_later(callback, message);
            None
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
