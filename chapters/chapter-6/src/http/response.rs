//! When is a response whole? When the server has closed the connection,
//! and what came is an HTTP response with all of its body.

use crate::Js;

// ANCHOR: whole_response
/// What arrived, if it is a whole HTTP response; else an error that says
/// what is wrong with it. A peer that closes without a word, or in the
/// middle of its body, has not answered.
pub(super) fn whole_response(reply: Js) -> Js {
    let Js::String(text) = reply else {
        return reply; // an error already
    };
    if text.is_empty() {
        return Js::Error("the server closed the connection without answering".to_string());
    }
    if !text.starts_with("HTTP/") {
        let why = format!("the reply is not HTTP: it begins {:?}", first_line(&text));
        return Js::Error(why);
    }
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Js::Error("the response ends in the middle of its headers".to_string());
    };
    match content_length(head) {
        Some(length) if body.len() < length => Js::Error(format!(
            "the response was cut short: {} of the {length} bytes of its body arrived",
            body.len()
        )),
        _ => Js::String(text),
    }
}

/// The first line of `text`, at most 40 characters of it (cut between
/// characters, never inside one).
fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or_default();
    line.char_indices()
        .nth(40)
        .map_or(line, |(end, _)| &line[..end])
}

/// The `Content-Length` a response's head gives, if it gives one.
fn content_length(head: &str) -> Option<usize> {
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        let named = name.trim().eq_ignore_ascii_case("content-length");
        named.then(|| value.trim().parse().ok()).flatten()
    })
}
// ANCHOR_END: whole_response

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_whole_http_response_is_one() {
        let whole = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
        assert_eq!(
            whole_response(Js::String(whole.into())),
            Js::String(whole.into())
        );
        let no_length = "HTTP/1.1 200 OK\r\n\r\nanything";
        assert_eq!(
            whole_response(Js::String(no_length.into())),
            Js::String(no_length.into())
        );
        for (reply, reason) in [
            ("", "without answering"),
            ("hello", "not HTTP"),
            (
                "<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<é not http",
                "not HTTP",
            ),
            ("HTTP/1.1 200 OK\r\nContent-Le", "middle of its headers"),
            (
                "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc",
                "3 of the 10 bytes",
            ),
        ] {
            let Js::Error(error) = whole_response(Js::String(reply.into())) else {
                panic!("{reply:?} was taken for a response");
            };
            assert!(error.contains(reason), "{reply:?}: {error}");
        }
        let error = Js::Error("cannot connect".into());
        assert_eq!(whole_response(error.clone()), error);
    }
}
