//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code, unused_imports)]

use std::cell::RefCell;
use std::io::Write; //@ 3..
use std::net::{SocketAddr, TcpListener}; //@ 3..
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

/// The stage these tests check. Every test file reaches it through this
/// one name, so that a test file is the same in every stage that has it.
pub use source_runtime as stage;
//@ 2..

use stage::Js;
//@ end
//@ 3..

use minimio::TcpStream;
//@ end
//@ 5..

/// The program's side of the runtime, as the tests use it: from stage 5
/// on, the stage's own.
pub use stage::{Runtime, register_io, register_pool_task, set_timeout};
//@ end

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

/// A socket whose peer has sent `bytes` and closed the connection: ready
/// at once, with all it will ever get.
pub fn socket_whose_peer_sent(bytes: &[u8]) -> TcpStream {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let stream = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut peer, _) = listener.accept().unwrap();
    peer.write_all(bytes).unwrap();
    stream
}
//@ end
//@ 4..

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
//@ end
//@ 2..=4
//
// /// Drives the runtime the way this stage's `main.rs` does, until nothing
// /// is pending.
// pub fn run_until_done(runtime: &mut stage::Runtime) {
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
// pub fn tick(runtime: &mut stage::Runtime) -> bool {
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
//@ 2..=4
//
// // The program's side of the runtime, as the tests use it. Up to stage 4
// // a program calls the runtime's methods, and the loop is driven by hand;
// // stage 5 gives `Runtime::run` and functions that reach the running
// // runtime. These are the same, made from the early runtime, so that a
// // test is written once for every stage. One thing they cannot do is
// // what stage 5 is for: a callback cannot reach the runtime, because
// // the loop holds it while callbacks run.
//
// thread_local! {
//     /// The runtime that `Runtime::run` lends to its program.
//     static LENT: RefCell<Option<stage::Runtime>> = const { RefCell::new(None) };
// }
//
// /// The early runtime, with the later stages' `run`.
// pub struct Runtime(stage::Runtime);
//
// impl Runtime {
//     pub fn new() -> Runtime {
//         Runtime(stage::Runtime::new())
//     }
//
//     /// Lends the runtime to `program`, then drives it until nothing is
//     /// pending, and drops it, which joins its threads.
//     pub fn run(self, program: impl FnOnce()) {
//         LENT.set(Some(self.0));
//         program();
//         let mut runtime = LENT.take().expect("the runtime is lent out");
//         run_until_done(&mut runtime);
//     }
// }
//
// /// Calls `action` with the runtime lent to the running program.
// fn with_lent<T>(action: impl FnOnce(&mut stage::Runtime) -> T) -> T {
//     LENT.with_borrow_mut(|lent| {
//         let runtime = lent
//             .as_mut()
//             .expect("up to stage 4 only the program given to run reaches the runtime");
//         action(runtime)
//     })
// }
//
// pub fn register_pool_task(
//     kind: stage::ThreadPoolTaskKind,
//     work: impl FnOnce() -> Js + Send + 'static,
//     callback: impl FnOnce(Js) + 'static,
// ) {
//     with_lent(|runtime| runtime.register_pool_task(kind, work, callback));
// }
//@ 3..=4
//
// pub fn register_io(stream: TcpStream, callback: impl FnOnce(Js) + 'static) {
//     with_lent(|runtime| runtime.register_io(stream, callback));
// }
//@ end
//@ 4
//
// pub fn set_timeout(ms: u64, callback: impl FnOnce(Js) + 'static) {
//     with_lent(|runtime| runtime.set_timeout(ms, callback));
// }
//@ end
//@ end
//@ 2..

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
//@ end
//@ 6..

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
//@ end
//@ 3..

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
