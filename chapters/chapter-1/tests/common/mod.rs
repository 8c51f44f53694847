//! Helpers shared by this stage's test files.

// Each test file uses only some of them.
#![allow(dead_code, unused_imports)]

use std::cell::RefCell;
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

/// The stage these tests check. Every test file reaches it through this
/// one name, so that a test file is the same in every stage that has it.
pub use chapter_1 as stage;

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
