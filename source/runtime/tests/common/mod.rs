//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code, unused_imports)]

use std::cell::RefCell; //@ 6..
use std::io::Write; //@ 3..
use std::net::SocketAddr; //@ 3..
use std::rc::Rc; //@ 6..
use std::thread;
use std::time::{Duration, Instant};

/// The stage these tests check. Every test file reaches it through this
/// one name, so that a test file is the same in every stage that has it.
pub use source_runtime as stage;
//@ 2..=4
//
// use stage::Runtime;
//@ end
//@ 6..

use stage::{Js, Runtime};
//@ end
//@ 3..

use minimio::TcpStream;
//@ end

/// Runs a test under a time limit, so that a hang fails instead of
/// stalling the run; and quietly: the runtime's log lines would bury the
/// test results.
#[track_caller]
pub fn within<T: Send + 'static>(seconds: u64, test: impl FnOnce() -> T + Send + 'static) -> T {
    stage::set_logging(false);
    deadline::within(seconds, test)
}

/// Waits until `condition` holds, for at most `seconds`, and says whether
/// it did. A test never assumes that another thread, or the kernel, has
/// done something already: it waits for it, within a bound.
pub fn eventually(seconds: u64, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !condition() {
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}
//@ 3..

/// Connects to `address` and sends a GET for `path`; the answer is left
/// for the runtime to read.
pub fn send_get(address: SocketAddr, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).expect("connect to the slow server");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    stream
}
//@ end
//@ 2..=4
//
// /// Drives the runtime the way this stage's `main.rs` does, until nothing
// /// is pending.
// pub fn run_until_done(runtime: &mut Runtime) {
//     while tick(runtime) {}
// }
//
//@ ..=3
// /// One turn of the loop: if anything is pending, sleep until events
// /// arrive and run their callbacks. Returns whether anything was pending.
//@ or 4
// /// One turn of the loop: run the timers that are due, then, if anything is
// /// still pending, sleep until events arrive and run their callbacks.
// /// Returns whether anything was still pending.
//@ end
// pub fn tick(runtime: &mut Runtime) -> bool {
//@ 4
//     runtime.process_expired_timers();
//     runtime.run_callbacks();
//@ end
//     if runtime.pending_events() == 0 {
//         return false;
//     }
//     runtime.wait_for_events();
//     runtime.run_callbacks();
//     true
// }
//@ end
//@ 6..

/// What a program's callbacks got, each under a name, in the order they
/// ran.
pub type Results = Rc<RefCell<Vec<(String, Js)>>>;

/// A callback that records what it got, under `name`.
pub fn record(results: &Results, name: &str) -> impl FnOnce(Js) + 'static {
    let results = Rc::clone(results);
    let name = name.to_string();
    move |value| results.borrow_mut().push((name, value))
}

/// Runs `program` and returns what its callbacks recorded, in order.
pub fn run(program: impl FnOnce(&Results) + 'static) -> Vec<(String, Js)> {
    let results = Results::default();
    let for_program = Rc::clone(&results);
    Runtime::new().run(move || program(&for_program));
    results.take()
}

/// The message of an error; any other value fails the test.
pub fn error_of(value: &Js) -> &str {
    match value {
        Js::Error(message) => message,
        other => panic!("expected an error, got {other:?}"),
    }
}

/// The body of a response; any other value fails the test.
pub fn body(value: &Js) -> &str {
    let Js::String(response) = value else {
        panic!("expected a response, got {value:?}");
    };
    response
        .split_once("\r\n\r\n")
        .expect("a head and a body")
        .1
}
//@ end
