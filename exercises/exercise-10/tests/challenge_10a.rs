//! Challenge 10a: a GET that follows redirects, as `fetch` does.

#[path = "../../../chapters/chapter-10/tests/common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use common::stage::Js;
use common::stage::challenges::{MAX_REDIRECTS, get_following_redirects};
use common::{body, error_of, record, run, within};

/// The paths a server was asked for, in order.
type Asked = Arc<Mutex<Vec<String>>>;

/// A server on a free port of 127.0.0.1 that answers each GET with what
/// `answer` makes of its own address and the path, and keeps every
/// connection open, as a server may: each response is whole at its
/// `Content-Length`. Returns its address, and the paths it was asked for.
fn server(answer: impl Fn(&str, &str) -> String + Send + 'static) -> (String, Asked) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let asked = Asked::default();
    let (server_address, server_asked) = (address.clone(), Arc::clone(&asked));
    thread::spawn(move || {
        let mut kept_open = Vec::new();
        for connection in listener.incoming() {
            let mut connection = connection.unwrap();
            let path = path_asked(&mut connection);
            server_asked.lock().unwrap().push(path.clone());
            let response = answer(&server_address, &path);
            connection.write_all(response.as_bytes()).unwrap();
            kept_open.push(connection);
        }
    });
    (address, asked)
}

/// Reads a request's head, and returns the path of its request line.
fn path_asked(connection: &mut TcpStream) -> String {
    let mut request = Vec::new();
    let mut buffer = [0; 4096];
    while !request.ends_with(b"\r\n\r\n") {
        match connection.read(&mut buffer).unwrap() {
            0 => break,
            count => request.extend_from_slice(&buffer[..count]),
        }
    }
    let request = String::from_utf8(request).unwrap();
    request.split(' ').nth(1).unwrap_or_default().to_string()
}

/// A response with `status`, a header `name: value` and a short body.
fn response(status: u16, name: &str, value: &str) -> String {
    let body = format!("status {status}");
    let length = body.len();
    format!("HTTP/1.1 {status} Status\r\n{name}: {value}\r\nContent-Length: {length}\r\n\r\n{body}")
}

/// A page that does not redirect.
fn page(body: &str) -> String {
    let length = body.len();
    format!("HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n{body}")
}

fn asked(asked: &Asked) -> Vec<String> {
    asked.lock().unwrap().clone()
}

/// A 302 to a path on the same server: the GET goes on there, and the
/// callback gets that page, and only that page.
#[test]
fn a_redirect_to_a_path_is_followed_on_the_same_server() {
    within(20, || {
        let (address, paths) = server(|_, path| match path {
            "/" => response(302, "Location", "/next"),
            _ => page("arrived"),
        });
        let results = run(move |results| {
            get_following_redirects(&format!("http://{address}/"), record(results, "get"))
        });
        assert_eq!(
            asked(&paths),
            ["/", "/next"],
            "the redirect to /next, a path on the same server, was not followed"
        );
        assert_eq!(
            results.len(),
            1,
            "the callback should run once: {results:?}"
        );
        assert_eq!(body(&results[0].1), "arrived");
    });
}

/// 300 and 304 are not redirects, and a 302 without a `Location` cannot
/// be followed: each response is handed to the callback as it is.
#[test]
fn a_response_that_does_not_redirect_is_handed_over_as_it_is() {
    within(20, || {
        let (address, paths) = server(|_, path| match path {
            "/300" => response(300, "Location", "/elsewhere"),
            "/304" => response(304, "Location", "/elsewhere"),
            "/302" => response(302, "Server", "ours"),
            _ => page("should not be asked for"),
        });
        let results = run(move |results| {
            for status in ["300", "304", "302"] {
                let url = format!("http://{address}/{status}");
                get_following_redirects(&url, record(results, status));
            }
        });
        let mut paths = asked(&paths);
        paths.sort();
        assert_eq!(
            paths,
            ["/300", "/302", "/304"],
            "only 301, 302, 303, 307 and 308 redirect, and only with a Location: \
             a 300, a 304, and a 302 without a Location should reach the callback as they are"
        );
        for (status, value) in &results {
            let Js::String(text) = value else {
                panic!("the {status} response should reach the callback, not {value:?}");
            };
            assert!(text.starts_with(&format!("HTTP/1.1 {status} ")), "{text}");
        }
        assert_eq!(
            results.len(),
            3,
            "each callback should run once: {results:?}"
        );
    });
}

/// Every status that redirects, to a full URL or a path, with its header
/// written `Location` or `location`: the GET goes through them all.
#[test]
fn every_redirect_status_is_followed_to_a_full_url_or_a_path() {
    within(20, || {
        let (address, paths) = server(|address, path| match path {
            "/301" => response(301, "Location", "/302"),
            "/302" => response(302, "location", &format!("http://{address}/303")),
            "/303" => response(303, "LOCATION", " /307 "),
            "/307" => response(307, "Location", &format!("http://{address}/308")),
            "/308" => response(308, "location", "/done"),
            _ => page("done"),
        });
        let results = run(move |results| {
            get_following_redirects(&format!("http://{address}/301"), record(results, "get"))
        });
        assert_eq!(
            asked(&paths),
            ["/301", "/302", "/303", "/307", "/308", "/done"],
            "each redirect should be followed, whatever its status (301, 302, 303, 307, 308), \
             whatever the case of its Location header, to a full URL or to a path"
        );
        assert_eq!(body(&results[0].1), "done");
    });
}

/// A chain of `hops` redirects, `/hop/N` to `/hop/N-1`, and `/hop/0` is
/// a page. Returns what the callback got, and how many GETs were made.
fn chain_of(hops: usize) -> (Js, usize) {
    let (address, paths) = server(|_, path| {
        let n: usize = path.trim_start_matches("/hop/").parse().unwrap();
        match n {
            0 => page("the end of the chain"),
            n => response(307, "Location", &format!("/hop/{}", n - 1)),
        }
    });
    let mut results = run(move |results| {
        let url = format!("http://{address}/hop/{hops}");
        get_following_redirects(&url, record(results, "get"));
    });
    assert_eq!(
        results.len(),
        1,
        "the callback should run once: {results:?}"
    );
    let count = asked(&paths).len();
    (results.remove(0).1, count)
}

/// `fetch` follows 20 redirects, and fails at the 21st.
#[test]
fn twenty_redirects_are_followed_and_the_twenty_first_is_an_error() {
    within(30, || {
        let (value, gets) = chain_of(MAX_REDIRECTS);
        assert!(
            matches!(&value, Js::String(text) if text.ends_with("the end of the chain")),
            "20 redirects in a row should be followed, to the page at the end: got {value:?}"
        );
        assert_eq!(gets, 21, "a GET, then one for each of 20 redirects");

        let (value, gets) = chain_of(MAX_REDIRECTS + 1);
        assert!(
            matches!(&value, Js::Error(_)),
            "the 21st redirect in a row should give an error, too many redirects: got {value:?}"
        );
        assert!(error_of(&value).contains("too many redirects"), "{value:?}");
        assert_eq!(
            gets, 21,
            "after 20 redirects, the 21st should not be followed"
        );
    });
}
