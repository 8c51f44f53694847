//! A time limit for tests.
//!
//! A test of an event loop can fail by never finishing: a `poll` that is
//! never woken, a callback that is never called. Without a limit, such a
//! test stalls the whole test run. [`within`] turns that hang into a
//! failure with a clear message.
//!
//! It also ends a test at once when a `todo!()` is reached, on any thread.
//! The exercises leave `todo!()`s for students to fill in, and one reached
//! on a pool thread kills only that thread: the loop would then wait for
//! its result until the time limit. A student should hear "not yet" in a
//! moment, and hear which `todo!()` it was.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, Once, PoisonError};
use std::thread;
use std::time::Duration;

/// How a test under a time limit ended, as its runner thread or the panic
/// hook reports it.
enum Ended<T> {
    Returned(T),
    Panicked(Box<dyn Any + Send>),
    ReachedTodo(String),
}

/// Runs `test` on a thread of its own and returns what it returns. Fails
/// if it takes longer than `seconds`, and passes on its panic if it
/// panics, with the original message. Fails at once, naming the
/// `todo!()`, if any thread reaches a `todo!()` while it runs.
///
/// A failure is reported at the line that called `within`, in the test.
#[track_caller]
pub fn within<T: Send + 'static>(seconds: u64, test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    let watch = TodoWatch::start(done.clone());
    thread::spawn(move || {
        let ended = match panic::catch_unwind(AssertUnwindSafe(test)) {
            Ok(value) => Ended::Returned(value),
            Err(payload) => Ended::Panicked(payload),
        };
        let _ = done.send(ended);
    });
    let ended = result.recv_timeout(Duration::from_secs(seconds));
    drop(watch);
    match ended {
        Ok(Ended::Returned(value)) => value,
        Ok(Ended::Panicked(payload)) => panic::resume_unwind(payload),
        Ok(Ended::ReachedTodo(message)) => panic!("{message}"),
        Err(_) => panic!("the test did not finish within {seconds} s"),
    }
}

// ANCHOR: todo_watch
/// The tests under a time limit right now, each with a way to end it.
/// Tests run side by side on threads of one process, and a thread the
/// runtime spawned does not say which test it belongs to; so a `todo!()`
/// ends every test running at that moment. (The tutor runs one test at a
/// time, and so knows which test reached it.)
type Enders = Vec<(u64, Box<dyn Fn(&str) + Send>)>;

static RUNNING: Mutex<Enders> = Mutex::new(Vec::new());

/// While it lives, a `todo!()` reached anywhere ends this test.
struct TodoWatch {
    id: u64,
}

impl TodoWatch {
    fn start<T: Send + 'static>(done: mpsc::Sender<Ended<T>>) -> TodoWatch {
        static HOOK: Once = Once::new();
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        HOOK.call_once(watch_for_todos);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let end = move |message: &str| {
            let _ = done.send(Ended::ReachedTodo(message.to_string()));
        };
        running().push((id, Box::new(end)));
        TodoWatch { id }
    }
}

impl Drop for TodoWatch {
    fn drop(&mut self) {
        running().retain(|(id, _)| *id != self.id);
    }
}

fn running() -> std::sync::MutexGuard<'static, Enders> {
    // A panic never happens while the list is locked, but if one did, the
    // list itself would still be whole.
    RUNNING.lock().unwrap_or_else(PoisonError::into_inner)
}
// ANCHOR_END: todo_watch

// ANCHOR: todo_hook
/// Adds to the panic hook: a panic that is a `todo!()` also ends the tests
/// that are running, with its message, where it is, and on which thread.
fn watch_for_todos() {
    let print_as_usual = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        print_as_usual(info);
        let message = panic_message(info.payload());
        if !message.starts_with("not yet implemented") {
            return;
        }
        let place = match info.location() {
            Some(location) => format!(" at {location}"),
            None => String::new(),
        };
        let thread = thread::current();
        let thread = thread.name().unwrap_or("<unnamed>");
        let message = format!("{message}\n(the todo!(){place}, reached on the thread '{thread}')");
        for (_, end) in running().iter() {
            end(&message);
        }
    }));
}
// ANCHOR_END: todo_hook

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    /// A `todo!()` ends every test running at that moment, so the tests
    /// here take turns.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

    fn take_turn() -> std::sync::MutexGuard<'static, ()> {
        ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[test]
    fn a_quick_test_gives_its_result() {
        let _turn = take_turn();
        assert_eq!(within(5, || 6 * 7), 42);
    }

    #[test]
    #[should_panic(expected = "did not finish within 1 s")]
    fn a_test_that_hangs_fails() {
        let _turn = take_turn();
        within(1, || thread::sleep(Duration::from_secs(30)));
    }

    #[test]
    #[should_panic(expected = "the original message")]
    fn a_test_that_panics_fails_with_its_own_message() {
        let _turn = take_turn();
        within(5, || panic!("the original message"));
    }

    /// A `todo!()` on a thread the test spawned, while the test waits for
    /// that thread's answer: the test ends at once, not after 30 s.
    #[test]
    fn a_todo_on_another_thread_ends_the_test_at_once() {
        let _turn = take_turn();
        let started = Instant::now();
        let outcome = panic::catch_unwind(|| {
            within(30, || {
                let (answer, answered) = mpsc::channel::<u32>();
                thread::spawn(move || {
                    let _keep = answer;
                    todo!("exercise 0: a gap on a worker");
                });
                answered.recv().ok()
            })
        });
        let payload = outcome.expect_err("the test should fail");
        let message = panic_message(payload.as_ref());
        assert!(
            message.starts_with("not yet implemented: exercise 0: a gap on a worker\n"),
            "{message}"
        );
        assert!(message.contains("src/lib.rs:"), "{message}");
        // Generous: it proves the test did not wait for its 30 s limit.
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}
