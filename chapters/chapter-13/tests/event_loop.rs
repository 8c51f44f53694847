//! Stage 5: `Runtime::run` runs the program, then the loop until nothing
//! is pending; callbacks run on the thread that called `run`, and may ask
//! for more work.

mod common;

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use common::stage::{
    Js, Runtime, ThreadPoolTaskKind, register_io, register_pool_task, set_timeout,
};
use common::{assert_on_time, run_sharing, send_get, socket_whose_peer_sent, within};
use slow_server::SlowServer;

type Log = Rc<RefCell<Vec<String>>>;

fn note(log: &Log, line: impl Into<String>) {
    log.borrow_mut().push(line.into());
}

/// The message of a panic caught by `catch_unwind`.
fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast::<&str>()
            .map(|m| m.to_string())
            .unwrap_or_default(),
    }
}

/// The program runs first, then the callbacks, and then `run` returns.
#[test]
fn the_program_runs_first_then_the_callbacks_then_run_returns() {
    within(10, || {
        let log = run_sharing::<Vec<String>>(Runtime::new(), |log| {
            note(&log, "program starts");
            let timer_log = Rc::clone(&log);
            set_timeout(0, move |_| note(&timer_log, "timer"));
            let pool_log = Rc::clone(&log);
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                || Js::Int(1),
                move |_| note(&pool_log, "pool"),
            );
            note(&log, "program ends");
        });

        assert_eq!(log[..2], ["program starts", "program ends"]);
        let mut callbacks = log[2..].to_vec();
        callbacks.sort();
        assert_eq!(callbacks, ["pool", "timer"]);
    });
}

/// With nothing to do, `run` returns at once.
#[test]
fn run_with_nothing_to_do_returns_at_once() {
    within(10, || {
        let started = Instant::now();
        Runtime::new().run(|| {});
        assert!(started.elapsed() < Duration::from_secs(2));
    });
}

/// Every callback runs on the thread that called `run`, even when that is
/// not the program's main thread.
#[test]
fn callbacks_run_on_the_thread_that_called_run() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let stream = send_get(server.address(), "/hello");
        let caller = thread::Builder::new()
            .name("caller".to_string())
            .spawn(move || {
                let ran_on = run_sharing::<Vec<ThreadId>>(Runtime::new(), move |threads| {
                    let record = |threads: &Rc<RefCell<Vec<_>>>| {
                        let threads = Rc::clone(threads);
                        move |_: Js| threads.borrow_mut().push(thread::current().id())
                    };
                    set_timeout(10, record(&threads));
                    register_pool_task(
                        ThreadPoolTaskKind::FileRead,
                        || Js::Undefined,
                        record(&threads),
                    );
                    register_io(stream, record(&threads));
                });
                (thread::current().id(), ran_on)
            })
            .unwrap();

        let (caller_id, ran_on) = caller.join().unwrap();
        assert_eq!(ran_on.len(), 3);
        assert!(
            ran_on.iter().all(|id| *id == caller_id),
            "a callback ran on another thread"
        );
    });
}

/// A callback can ask for more work, and the loop waits for it: a timer
/// starts a pool task, whose callback sends a request, whose callback sets
/// one more timer, and all four run, in that order.
#[test]
fn a_callback_can_ask_for_more_work_and_the_loop_waits_for_it() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let address = server.address();
        let log = run_sharing::<Vec<String>>(Runtime::new(), move |log| {
            // A timer, whose callback starts a pool task, whose callback
            // makes a request, whose callback sets a timer.
            set_timeout(10, move |_| {
                note(&log, "timer");
                register_pool_task(
                    ThreadPoolTaskKind::Encrypt,
                    || Js::Int(6 * 7),
                    move |value| {
                        note(&log, format!("pool: {value:?}"));
                        register_io(send_get(address, "/delay/50/chain"), move |response| {
                            let text = response.into_string().unwrap_or_default();
                            note(&log, format!("socket: {}", text.ends_with("/chain\n")));
                            set_timeout(10, move |_| note(&log, "last timer"));
                        });
                    },
                );
            });
        });

        assert_eq!(
            log,
            ["timer", "pool: Int(42)", "socket: true", "last timer"]
        );
    });
}

/// A tick runs its phases in order, the timers phase first: a timer due at
/// once runs before the callback of a socket that is ready at once.
#[test]
fn a_due_timer_runs_before_a_ready_socket_in_the_same_tick() {
    within(10, || {
        let stream = socket_whose_peer_sent(b"ready");
        let log = run_sharing::<Vec<String>>(Runtime::new(), move |log| {
            let socket_log = Rc::clone(&log);
            register_io(stream, move |_| note(&socket_log, "socket"));
            set_timeout(0, move |_| note(&log, "timer"));
        });

        assert_eq!(
            log,
            ["timer", "socket"],
            "the socket's callback ran before the due timer's: each tick runs the timers \
             phase first, then the poll phase"
        );
    });
}

/// A timer set from a callback fires on time while the epoll thread sleeps,
/// waiting for a slow socket.
#[test]
fn a_timer_set_from_a_pool_callback_fires_on_time_while_the_epoll_thread_waits() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let slow = send_get(server.address(), "/delay/3000/slow");
        let log = run_sharing::<Vec<(&str, Duration)>>(Runtime::new(), move |log| {
            let socket_log = Rc::clone(&log);
            register_io(slow, move |_| {
                socket_log.borrow_mut().push(("socket", Duration::ZERO))
            });
            register_pool_task(
                ThreadPoolTaskKind::Encrypt,
                || Js::Undefined,
                move |_| {
                    // The epoll thread is asleep, waiting for the slow socket.
                    let set_at = Instant::now();
                    set_timeout(100, move |_| {
                        log.borrow_mut().push(("timer", set_at.elapsed()))
                    });
                },
            );
        });

        assert_eq!(
            log.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
            ["timer", "socket"]
        );
        let waited = log[0].1;
        assert_on_time(waited, Duration::from_millis(100), "the socket");
    });
}

/// A timer set by the program fires on time while the epoll thread sleeps,
/// waiting for a slow socket.
#[test]
fn timers_set_by_the_program_fire_on_time_while_the_epoll_thread_waits() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let slow = send_get(server.address(), "/delay/3000/slow");
        let started = Instant::now();
        let fired_after = run_sharing::<Option<Duration>>(Runtime::new(), move |fired_after| {
            register_io(slow, |_| {});
            set_timeout(200, move |_| {
                *fired_after.borrow_mut() = Some(started.elapsed())
            });
        });

        let waited = fired_after.expect("the timer fired");
        assert_on_time(waited, Duration::from_millis(200), "the socket");
    });
}

/// `set_timeout` outside `run` panics, with a message that says no runtime
/// is running on this thread.
#[test]
fn set_timeout_outside_run_panics_with_a_clear_message() {
    let result = panic::catch_unwind(|| set_timeout(10, |_| {}));
    let message = panic_message(result.unwrap_err());
    assert!(
        message.contains("no runtime is running on this thread"),
        "{message}"
    );
}

/// `run` inside `run` is refused with a clear panic, and the thread can run
/// a runtime again afterwards.
#[test]
fn run_inside_run_is_refused_and_the_thread_can_run_a_runtime_afterwards() {
    within(10, || {
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            Runtime::new().run(|| Runtime::new().run(|| {}));
        }));
        let message = panic_message(result.unwrap_err());
        assert!(
            message.contains("a runtime is already running"),
            "{message}"
        );

        // The thread can run a runtime again afterwards.
        let ran = run_sharing::<bool>(Runtime::new(), |ran| {
            set_timeout(0, move |_| *ran.borrow_mut() = true);
        });
        assert!(ran);
    });
}
