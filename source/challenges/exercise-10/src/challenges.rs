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
    let from = url.clone();
    Http::get(&url, move |response| {
        let target = match &response {
            Js::String(text) => redirect_target(&from, text),
            _ => None,
        };
        match target {
            None => callback(response),
            Some(_) if redirects_left == 0 => {
                let message = format!("too many redirects: more than {MAX_REDIRECTS}");
                callback(Js::Error(message));
            }
            Some(target) => follow(target, redirects_left - 1, callback),
        }
    });
}

/// Where `response`, the answer to a GET of `url`, sends the GET on to, if
/// it redirects: its `Location`, a full URL, or a path on the same server.
fn redirect_target(url: &str, response: &str) -> Option<String> {
    let head = response.split("\r\n\r\n").next()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?;
    if !REDIRECTS.contains(&status) {
        return None;
    }
    let location = lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("location")
            .then_some(value.trim())
    })?;
    if !location.starts_with('/') {
        return Some(location.to_string());
    }
    let rest = url.strip_prefix("http://")?;
    let server = rest.find('/').map_or(rest, |slash| &rest[..slash]);
    Some(format!("http://{server}{location}"))
}
