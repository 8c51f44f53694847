//! A time limit for tests.
//!
//! A test of an event loop can fail by never finishing: a `poll` that is
//! never woken, a callback that is never called. Without a limit, such a
//! test stalls the whole test run. [`within`] turns that hang into a
//! failure with a clear message.

use std::panic;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs `test` on a thread of its own and returns what it returns. Fails
/// if it takes longer than `seconds`, and passes on its panic if it
/// panics, with the original message.
pub fn within<T: Send + 'static>(seconds: u64, test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    let runner = thread::spawn(move || {
        let _ = done.send(test());
    });
    match result.recv_timeout(Duration::from_secs(seconds)) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("the test did not finish within {seconds} s")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match runner.join() {
            Err(payload) => panic::resume_unwind(payload),
            Ok(()) => unreachable!("the test thread ended without a result"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_test_gives_its_result() {
        assert_eq!(within(5, || 6 * 7), 42);
    }

    #[test]
    #[should_panic(expected = "did not finish within 1 s")]
    fn a_test_that_hangs_fails() {
        within(1, || thread::sleep(Duration::from_secs(30)));
    }

    #[test]
    #[should_panic(expected = "the original message")]
    fn a_test_that_panics_fails_with_its_own_message() {
        within(5, || panic!("the original message"));
    }
}
