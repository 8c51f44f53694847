//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code, unused_imports)]

use std::cell::RefCell;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

/// The stage these tests check. Every test file reaches it through this
/// one name, so that a test file is the same in every stage that has it.
pub use chapter_10 as stage;

use stage::Js;

use minimio::TcpStream;

/// The program's side of the runtime, as the tests use it: from stage 5
/// on, the stage's own.
pub use stage::{Runtime, register_io, register_pool_task, set_timeout};

/// Runs a test under a time limit, so that a hang fails instead of
/// stalling the run; and quietly: the runtime's log lines would bury the
/// test results.
#[track_caller]
pub fn within<T: Send + 'static>(seconds: u64, test: impl FnOnce() -> T + Send + 'static) -> T {
    stage::set_logging(false);
    deadline::within(seconds, test)
}

/// Asserts that less than `limit` has passed since `started`. The bound
/// is generous: it only shows that a run did not wait for what it should
/// not have waited for, such as a timer of seconds. How fast the runtime
/// is, the bench measures; a test never does.
#[track_caller]
pub fn assert_sooner_than(limit: Duration, started: Instant) {
    let took = started.elapsed();
    assert!(took < limit, "took {took:?}, not less than {limit:?}");
}

/// Runs `run`, which must panic, and gives the panic's message.
#[track_caller]
pub fn panic_message(run: impl FnOnce()) -> String {
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
        .expect_err("the panic should come out of run");
    let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
    message.to_string()
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

/// A socket whose peer has sent `bytes` and closed the connection: ready
/// at once, with all it will ever get.
pub fn socket_whose_peer_sent(bytes: &[u8]) -> TcpStream {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut peer, _) = listener.accept().unwrap();
    peer.write_all(bytes).unwrap();
    stream
}

/// Checks that a timer set for `delay` fired `waited` after it was set: not
/// before its deadline, and within two seconds, so not as late as
/// `waited_for`, which the epoll thread was waiting for, three seconds or
/// more away. The bound is that generous so that a machine busy with
/// other work does not fail a right answer; a wrong one waits a second
/// longer still.
pub fn assert_on_time(waited: Duration, delay: Duration, waited_for: &str) {
    assert!(
        waited >= delay,
        "fired after {waited:?}, before its deadline"
    );
    assert!(
        waited < Duration::from_millis(2000),
        "fired after {waited:?}: it waited for {waited_for}"
    );
}

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
    run_sharing(Runtime::new(), |results| program(&results))
}

/// Runs `program` on `runtime`, with a `T` that the program and its
/// callbacks share (each clones the `Rc` it needs); gives the `T` back
/// once the run is over, for the test to check.
pub fn run_sharing<T: Default + 'static>(
    runtime: Runtime,
    program: impl FnOnce(Rc<RefCell<T>>) + 'static,
) -> T {
    let shared: Rc<RefCell<T>> = Rc::default();
    let for_program = Rc::clone(&shared);
    runtime.run(move || program(for_program));
    shared.take()
}

/// How long this thread has run on a CPU so far, if the system says
/// (Linux does, in `/proc/thread-self/schedstat`).
pub fn cpu_time_of_this_thread() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanoseconds))
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
