//! When is a response whole? Until this stage, when the server closed the
//! connection. But a server may answer in full and keep the connection
//! open, for the next request; and a client must not mistake a connection
//! that broke for an answer that ended. HTTP/1.1 says in the response's
//! head where its body ends (RFC 9112, section 6.3), and this file reads
//! that: a length, a last chunk, or the close.

// ANCHOR: progress
/// How far a response has arrived.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Progress {
    /// Not all there yet: wait for more.
    Incomplete,
    /// All there: the head, a blank line, and the body (its chunks joined,
    /// if it came in chunks).
    Whole(String),
    /// It can never become a whole response; the message says why.
    Broken(String),
}

/// The longest head we read, as Node's `http.maxHeaderSize` is by default.
const MAX_HEAD: usize = 16 * 1024;

/// The largest response we keep. The callback gets it whole, so it must
/// fit in memory: a server that never stops sending must not fill it.
pub(crate) const MAX_RESPONSE: usize = 64 * 1024 * 1024;

/// What the bytes `received` so far are, `closed` saying whether the
/// server has closed the connection: no more will come.
pub(crate) fn progress(mut received: &[u8], closed: bool) -> Progress {
    if received.len() > MAX_RESPONSE {
        return Progress::Broken("the response is larger than 64 MiB".to_string());
    }
    loop {
        let head_end = head_end(received);
        let Some(head_end) = head_end else {
            return head_not_whole(received, closed);
        };
        let Ok(head) = std::str::from_utf8(&received[..head_end]) else {
            return Progress::Broken("the response's head is not text".to_string());
        };
        let body = &received[head_end + 4..];
        if !is_interim(head) {
            return whole_or_not(head, body, closed);
        }
        // `100 Continue` or `103 Early Hints`: the response follows it.
        received = body;
    }
}
// ANCHOR_END: progress

// ANCHOR: head
/// Where the head ends: the blank line, looked for in the first
/// [`MAX_HEAD`] bytes only.
fn head_end(received: &[u8]) -> Option<usize> {
    let searched = received.len().min(MAX_HEAD + 4);
    find(&received[..searched], b"\r\n\r\n")
}

/// The head has not ended yet. A reply that does not begin as HTTP does
/// never will; one that stops here is cut short.
fn head_not_whole(received: &[u8], closed: bool) -> Progress {
    if received.len() > MAX_HEAD {
        return Progress::Broken("the response's head is longer than 16 KiB".to_string());
    }
    let start = received.len().min(5);
    if received[..start] != b"HTTP/"[..start] {
        let text = String::from_utf8_lossy(received);
        let line = text.lines().next().unwrap_or_default();
        let begins: String = line.chars().take(40).collect();
        return Progress::Broken(format!("the reply is not HTTP: it begins {begins:?}"));
    }
    match (closed, received.is_empty()) {
        (false, _) => Progress::Incomplete,
        (true, true) => {
            Progress::Broken("the server closed the connection without answering".to_string())
        }
        (true, false) => {
            Progress::Broken("the response ends in the middle of its headers".to_string())
        }
    }
}

/// Whether a head is that of an interim response, 1xx, which another
/// follows. (101, which switches to another protocol, is not one.)
fn is_interim(head: &str) -> bool {
    let status = head.split(' ').nth(1).unwrap_or_default();
    status.len() == 3 && status.starts_with('1') && status != "101"
}
// ANCHOR_END: head

// ANCHOR: whole_or_not
/// Reads the head's framing, and says whether the body is all there.
fn whole_or_not(head: &str, body: &[u8], closed: bool) -> Progress {
    let framing = match framing(head) {
        Ok(framing) => framing,
        Err(why) => return Progress::Broken(why),
    };
    match framing.body(body, closed) {
        Body::NotYet => Progress::Incomplete,
        Body::Broken(why) => Progress::Broken(why),
        Body::Whole(body) => match String::from_utf8(body) {
            Ok(body) => Progress::Whole(format!("{head}\r\n\r\n{body}")),
            // As `Fs::read` does: a `Js::String` holds text, and bytes
            // that are not text are not made into some.
            Err(_) => Progress::Broken("the response is not UTF-8 text".to_string()),
        },
    }
}
// ANCHOR_END: whole_or_not

// ANCHOR: framing
/// Where a response's body ends, as its head says.
#[derive(Debug, PartialEq, Eq)]
enum Framing {
    /// No body at all: a 101, 204 or 304 status.
    Empty,
    /// `Content-Length`: that many bytes.
    Length(usize),
    /// `Transfer-Encoding: chunked`: chunks, each with its size, until one
    /// of size 0.
    Chunked,
    /// Neither: the body ends when the server closes the connection.
    UntilClose,
}
// ANCHOR_END: framing

// ANCHOR: read_framing
/// Reads the framing from the status line and the headers.
fn framing(head: &str) -> Result<Framing, String> {
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| format!("the status line {status_line:?} has no status code"))?;
    if matches!(status, 101 | 204 | 304) {
        return Ok(Framing::Empty);
    }
    let mut framing = Framing::UntilClose;
    for (name, value) in lines.filter_map(|line| line.split_once(':')) {
        let value = value.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            // It wins over any length; a last coding other than chunked
            // ends at the close (RFC 9112, 6.3).
            let last_coding = value.rsplit(',').next().unwrap_or_default().trim();
            if last_coding.eq_ignore_ascii_case("chunked") {
                return Ok(Framing::Chunked);
            }
            return Ok(Framing::UntilClose);
        } else if name.eq_ignore_ascii_case("content-length") {
            let length = number(value, 10)
                .ok_or_else(|| format!("the Content-Length {value:?} is not a number"))?;
            if matches!(framing, Framing::Length(earlier) if earlier != length) {
                return Err("the response gives two different lengths".to_string());
            }
            framing = Framing::Length(length);
        }
    }
    Ok(framing)
}

/// A number written in digits of `radix` and nothing else: no sign, no
/// spaces.
fn number(text: &str, radix: u32) -> Option<usize> {
    if text.is_empty() || !text.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    usize::from_str_radix(text, radix).ok()
}
// ANCHOR_END: read_framing

// ANCHOR: body
/// How far a body has arrived.
#[derive(Debug, PartialEq, Eq)]
enum Body {
    NotYet,
    Whole(Vec<u8>),
    Broken(String),
}

impl Framing {
    /// The body, if the bytes after the head hold all of it.
    fn body(&self, bytes: &[u8], closed: bool) -> Body {
        match self {
            Framing::Empty => Body::Whole(Vec::new()),
            Framing::Length(length) if bytes.len() >= *length => {
                Body::Whole(bytes[..*length].to_vec())
            }
            Framing::Length(length) if closed => Body::Broken(format!(
                "the response was cut short: {} of the {length} bytes of its body arrived",
                bytes.len()
            )),
            Framing::Length(_) => Body::NotYet,
            // A chunked body ends with a blank line. Until the bytes so
            // far do, there is no need to go through every chunk again.
            Framing::Chunked if !closed && !bytes.ends_with(b"\r\n\r\n") => Body::NotYet,
            Framing::Chunked => match join_chunks(bytes) {
                Some(body) => body,
                None if closed => Body::Broken(
                    "the response was cut short: its last chunk never came".to_string(),
                ),
                None => Body::NotYet,
            },
            Framing::UntilClose if closed => Body::Whole(bytes.to_vec()),
            Framing::UntilClose => Body::NotYet,
        }
    }
}
// ANCHOR_END: body

// ANCHOR: chunks
/// Joins the chunks of a chunked body: each is its size in hex on a line
/// of its own, then that many bytes, then a line break; a chunk of size 0
/// ends the body, after which come optional trailer lines and a blank
/// line. `None` until all of that has arrived.
fn join_chunks(mut bytes: &[u8]) -> Option<Body> {
    let mut body = Vec::new();
    loop {
        let line_end = find(bytes, b"\r\n")?;
        let line = String::from_utf8_lossy(&bytes[..line_end]);
        // A size may be followed by `;name=value` extensions: skip them.
        let size = line.split(';').next().unwrap_or_default().trim();
        let Some(size) = number(size, 16) else {
            let why = format!("a chunk's size is not a number: {line:?}");
            return Some(Body::Broken(why));
        };
        bytes = &bytes[line_end + 2..];
        if size == 0 {
            // Trailer lines, if any, then a blank line.
            let ended = bytes.starts_with(b"\r\n") || find(bytes, b"\r\n\r\n").is_some();
            return ended.then_some(Body::Whole(body));
        }
        let chunk_end = size.checked_add(2).filter(|&end| end <= bytes.len())?;
        if &bytes[size..chunk_end] != b"\r\n" {
            return Some(Body::Broken("a chunk is longer than its size".to_string()));
        }
        body.extend_from_slice(&bytes[..size]);
        bytes = &bytes[chunk_end..];
    }
}

/// Where `needle` first appears in `bytes`.
fn find(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    let mut windows = bytes.windows(needle.len());
    windows.position(|window| window == needle)
}
// ANCHOR_END: chunks

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Progress {
        Progress::Whole(text.to_string())
    }

    fn broken_because(progress: Progress, reason: &str) {
        match progress {
            Progress::Broken(why) => assert!(why.contains(reason), "{why}"),
            other => panic!("expected it broken ({reason}), got {other:?}"),
        }
    }

    #[test]
    fn a_body_of_content_length_bytes_is_whole_without_a_close() {
        let response = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc";
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n";
        assert_eq!(progress(&response[..40], false), Progress::Incomplete);
        assert_eq!(
            progress(response, false),
            whole(&format!("{head}abc")),
            "a body of Content-Length bytes is whole once they have come, closed or not"
        );
    }

    #[test]
    fn a_body_shorter_than_its_length_at_close_is_cut_short() {
        let response = b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc";
        broken_because(progress(response, true), "3 of the 10 bytes");
    }

    #[test]
    fn without_length_or_chunks_the_body_ends_at_close() {
        let response = b"HTTP/1.1 200 OK\r\n\r\nuntil the end";
        assert_eq!(
            progress(response, false),
            Progress::Incomplete,
            "a body with neither a length nor chunks ends only at the close"
        );
        assert_eq!(
            progress(response, true),
            whole("HTTP/1.1 200 OK\r\n\r\nuntil the end")
        );
    }

    #[test]
    fn chunks_are_joined_at_the_last_chunk() {
        let response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                         5\r\nhello\r\n7;note=x\r\n, world\r\n0\r\n\r\n";
        let joined = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nhello, world";
        assert_eq!(progress(response, false), whole(joined));
        // Every shorter piece of it waits for more.
        for end in 0..response.len() {
            assert_eq!(progress(&response[..end], false), Progress::Incomplete);
        }
    }

    #[test]
    fn a_chunk_whose_bytes_end_in_a_line_break_is_waited_after() {
        // A chunk of 4 bytes, `ab` and a line break: the bytes so far end
        // with a blank line, yet the last chunk has not come.
        let response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab\r\n\r\n";
        assert_eq!(
            progress(response, false),
            Progress::Incomplete,
            "chunks that have not ended yet, and may still end, are not broken"
        );
    }

    #[test]
    fn trailers_after_the_last_chunk_are_waited_for_and_skipped() {
        let response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                         2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n";
        let cut = response.len() - 2;
        assert_eq!(progress(&response[..cut], false), Progress::Incomplete);
        let joined = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nok";
        assert_eq!(progress(response, false), whole(joined));
    }

    #[test]
    fn chunks_that_stop_at_close_or_lie_are_broken() {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        let stopped = format!("{head}5\r\nhello\r\n");
        broken_because(progress(stopped.as_bytes(), true), "last chunk never came");
        let not_hex = format!("{head}five\r\nhello\r\n0\r\n\r\n");
        broken_because(progress(not_hex.as_bytes(), false), "not a number");
        let too_long = format!("{head}2\r\nhello\r\n0\r\n\r\n");
        broken_because(progress(too_long.as_bytes(), false), "longer than its size");
    }

    #[test]
    fn an_interim_response_is_skipped_for_the_one_that_follows() {
        let interim = "HTTP/1.1 100 Continue\r\n\r\n";
        assert_eq!(progress(interim.as_bytes(), false), Progress::Incomplete);
        let response = format!("{interim}HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        let last = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(progress(response.as_bytes(), false), whole(last));
    }

    #[test]
    fn a_transfer_encoding_other_than_chunked_ends_at_close() {
        let response = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 1\r\n\r\nab";
        assert_eq!(
            progress(response, false),
            Progress::Incomplete,
            "a body framed by a coding other than chunked ends only at the close"
        );
        let whole_text = String::from_utf8(response.to_vec()).unwrap();
        assert_eq!(progress(response, true), whole(&whole_text));
    }

    #[test]
    fn many_interim_responses_in_a_row_are_skipped_one_after_another() {
        let mut response = "HTTP/1.1 100 Continue\r\n\r\n".repeat(100_000);
        response.push_str("HTTP/1.1 204 No Content\r\n\r\n");
        let last = "HTTP/1.1 204 No Content\r\n\r\n";
        assert_eq!(progress(response.as_bytes(), false), whole(last));
    }

    #[test]
    fn a_head_or_a_response_too_large_to_keep_is_broken() {
        let endless_head = format!("HTTP/1.1 200 OK\r\nX: {}", "a".repeat(MAX_HEAD));
        broken_because(
            progress(endless_head.as_bytes(), false),
            "longer than 16 KiB",
        );
        let mut endless = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
        endless.resize(MAX_RESPONSE + 1, b'a');
        broken_because(progress(&endless, false), "larger than 64 MiB");
    }

    #[test]
    fn lengths_and_sizes_are_plain_digits_and_lengths_agree() {
        let signed = b"HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc";
        broken_because(progress(signed, false), "not a number");
        let two = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd";
        broken_because(progress(two, false), "two different lengths");
        let same_twice = b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na";
        assert!(matches!(progress(same_twice, false), Progress::Whole(_)));
        let not_chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: notchunked\r\n\r\n0\r\n\r\n";
        assert_eq!(progress(not_chunked, false), Progress::Incomplete);
    }

    #[test]
    fn no_content_and_not_modified_have_no_body() {
        for status in ["204 No Content", "304 Not Modified"] {
            let response = format!("HTTP/1.1 {status}\r\nContent-Length: 9\r\n\r\n");
            assert_eq!(progress(response.as_bytes(), false), whole(&response));
        }
    }

    #[test]
    fn what_is_not_a_whole_http_response_says_why() {
        broken_because(progress(b"", true), "without answering");
        assert_eq!(progress(b"", false), Progress::Incomplete);
        assert_eq!(progress(b"HTT", false), Progress::Incomplete);
        broken_because(progress(b"hello", false), "not HTTP: it begins \"hello\"");
        broken_because(progress("<é not".as_bytes(), false), "not HTTP");
        broken_because(progress(b"HTTP/1.1 200 OK\r\nContent", true), "middle");
        broken_because(progress(b"HTTP/1.1 OK\r\n\r\n", false), "no status code");
        let bad_length = b"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n";
        broken_because(progress(bad_length, false), "not a number");
        let binary = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n\xff\xfe";
        broken_because(progress(binary, false), "not UTF-8 text");
    }
}
