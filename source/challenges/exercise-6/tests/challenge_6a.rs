//! Challenge 6a: several GETs at once, their results handed to one
//! callback, in the order of the URLs.

#[path = "../../../chapters/chapter-6/tests/common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use common::stage::{Http, Js, Runtime};
use common::{body, within};
use slow_server::SlowServer;

type Gathered = Rc<RefCell<Vec<Vec<Js>>>>;

/// Runs a program that calls `get_all` once with `urls`, and returns each
/// list its callback got (once, if all goes well).
fn get_all(urls: Vec<String>) -> Vec<Vec<Js>> {
    let gathered = Gathered::default();
    let for_callback = Rc::clone(&gathered);
    Runtime::new().run(move || {
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        Http::get_all(&urls, move |results| {
            for_callback.borrow_mut().push(results)
        });
    });
    gathered.take()
}

/// Three GETs, answered after 1000 ms, at once and after 300 ms: one
/// callback, once all three are in, with the three responses in the order
/// of the URLs.
#[test]
fn the_results_come_together_in_the_order_of_the_urls() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let paths = ["/delay/1000/slow", "/quick", "/delay/300/middle"];
        let start = Instant::now();
        let gathered = get_all(paths.iter().map(|path| server.url(path)).collect());

        assert_eq!(
            gathered.len(),
            1,
            "the callback should run once, with every result: it ran {} times",
            gathered.len()
        );
        let bodies: Vec<&str> = gathered[0].iter().map(body).collect();
        assert_eq!(
            bodies,
            [
                "You asked for /slow\n",
                "You asked for /quick\n",
                "You asked for /middle\n"
            ],
            "the results should be in the order of the URLs, not in the order they came in"
        );
        assert!(
            start.elapsed() >= Duration::from_millis(1000),
            "the callback ran before the slowest GET had answered"
        );
    });
}

/// A URL that cannot be fetched gets its error, in its place, and the
/// others their responses.
#[test]
fn a_failed_get_gets_its_error_in_its_place() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let urls = vec![
            server.url("/first"),
            "not a URL".to_string(),
            server.url("/delay/200/third"),
        ];
        let gathered = get_all(urls);

        assert_eq!(gathered.len(), 1, "the callback should run once");
        let results: Vec<String> = gathered[0].iter().map(summary).collect();
        assert_eq!(results.len(), 3, "one result for each URL: {results:?}");
        assert!(
            results[1].starts_with("error: malformed URL"),
            "the URL that cannot be fetched should get its error, in its place, in the order \
             of the URLs: {results:?}"
        );
        assert_eq!(
            [&results[0], &results[2]],
            ["You asked for /first\n", "You asked for /third\n"],
            "the others should get their responses, in the order of the URLs"
        );
    });
}

/// A response's body, or an error's message after `error: `.
fn summary(result: &Js) -> String {
    match result {
        Js::Error(message) => format!("error: {message}"),
        response => body(response).to_string(),
    }
}

/// With no URL, the callback runs once, with no result, after `get_all`
/// has returned.
#[test]
fn with_no_url_the_callback_runs_later_with_nothing() {
    within(10, || {
        let log: Rc<RefCell<Vec<String>>> = Rc::default();
        let program_log = Rc::clone(&log);
        Runtime::new().run(move || {
            let callback_log = Rc::clone(&program_log);
            Http::get_all(&[], move |results| {
                let line = format!("the callback got {} results", results.len());
                callback_log.borrow_mut().push(line);
            });
            program_log
                .borrow_mut()
                .push("get_all returned".to_string());
        });

        let log = log.take();
        assert!(
            log.contains(&"the callback got 0 results".to_string()),
            "with no URL, the callback never ran: {log:?}"
        );
        assert_eq!(
            log,
            ["get_all returned", "the callback got 0 results"],
            "with no URL, the callback ran inside the call to get_all"
        );
    });
}
