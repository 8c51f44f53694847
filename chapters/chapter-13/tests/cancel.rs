//! What futures add over callbacks: a future that is dropped stops its
//! work, counted in timers and sockets; `join`, `select` and `timeout`;
//! and a future that borrows from itself.

mod common;

use std::cell::RefCell;
use std::io::Read;
use std::net::TcpListener;
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use common::stage::combinators::{Either, Elapsed, join, largest_after_a_sleep, select, timeout};
use common::stage::futures::{get, get_with_timeout, sleep};
use common::stage::{Runtime, active_sockets, active_timers, spawn};
use common::{assert_sooner_than, panic_message, within};

/// Runs `program` as the first task, and returns what it gave.
fn run_async<T: 'static>(program: impl Future<Output = T> + 'static) -> T {
    let output = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&output);
    Runtime::new().run_async(async move {
        let value = program.await;
        *slot.borrow_mut() = Some(value);
    });
    output.take().expect("the program ran to its end")
}

/// A server that takes one connection, reads the request's head, never
/// answers, and says whether the client closed the connection (rather
/// than 10 s passing).
fn silent_server() -> (String, Receiver<bool>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/never", listener.local_addr().unwrap());
    let (closed, seen) = mpsc::channel();
    thread::spawn(move || {
        let (mut connection, _) = listener.accept().unwrap();
        connection
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut buffer = [0; 4096];
        // Read until the client closes (0 bytes), or the time is up.
        let client_closed = loop {
            match connection.read(&mut buffer) {
                Ok(0) => break true,
                Ok(_) => continue,
                Err(_) => break false,
            }
        };
        let _ = closed.send(client_closed);
    });
    (url, seen)
}

/// A `sleep` that has set its timer, dropped when it loses a race,
/// clears the timer: the count of timers goes back to none.
#[test]
fn dropping_a_pending_sleep_clears_its_timer() {
    within(10, || {
        let began = Instant::now();
        let (winner, set_after) = run_async(async {
            let quick = async {
                let set_meanwhile = active_timers();
                sleep(10).await;
                set_meanwhile
            };
            let winner = select(sleep(5_000), quick).await;
            (winner, active_timers())
        });
        // The 5 s timer was set, then the race was over, and it was not.
        assert_eq!(winner, Either::Right(1));
        assert_eq!(
            set_after, 0,
            "the sleep's timer was still set after the sleep was dropped"
        );
        // Generous: only shows that the loop did not wait for the 5 s timer.
        assert_sooner_than(Duration::from_secs(3), began);
    });
}

/// A GET that has its socket, dropped when its timeout comes first,
/// closes the socket: the server sees it closed at once, and the count
/// of sockets goes back to none.
#[test]
fn dropping_a_pending_get_closes_its_socket() {
    within(20, || {
        let (url, closed) = silent_server();
        let (answer, open_meanwhile, seen) = run_async(async move {
            let meanwhile = async {
                sleep(20).await;
                active_sockets()
            };
            let (answer, open_meanwhile) = join(timeout(200, get(&url)), meanwhile).await;
            // Asked at once, before the loop turns again: a socket left
            // open could bring it news for a callback that is gone.
            assert_eq!(
                active_sockets(),
                0,
                "the request's socket was still open after its get was dropped"
            );
            // Before the loop ends, which would close every socket anyway.
            let seen = closed.recv_timeout(Duration::from_secs(10));
            (answer, open_meanwhile, seen)
        });
        assert_eq!(answer.map(|_| ()), Err(Elapsed { ms: 200 }));
        assert_eq!(open_meanwhile, 1);
        assert_eq!(seen, Ok(true), "the server did not see the socket closed");
    });
}

/// A GET with a timeout of its own, dropped before either came: its
/// timeout's timer is cleared with it, and the loop does not wait for it.
#[test]
fn dropping_a_pending_get_clears_its_timeout() {
    within(20, || {
        let (url, _) = silent_server();
        let began = Instant::now();
        let (answer, timers_after) = run_async(async move {
            let answer = timeout(100, get_with_timeout(&url, 6_000)).await;
            (answer, active_timers())
        });
        assert_eq!(
            answer.map(|_| ()),
            Err(Elapsed { ms: 100 }),
            "the timeout did not give up on the get when its 100 ms were up"
        );
        assert_eq!(
            timers_after, 0,
            "the request's 6 s timeout was still set after its get was dropped"
        );
        // Generous: only shows that the loop did not wait for the 6 s.
        let took = began.elapsed();
        assert!(
            took < Duration::from_secs(3),
            "the run took {took:?}: the loop waited for the request's 6 s timeout"
        );
    });
}

/// `join` waits for both futures, side by side, and gives both outputs in
/// the order of its arguments, whichever came first.
#[test]
fn join_waits_for_both_and_gives_both_outputs() {
    within(10, || {
        let finished: Rc<RefCell<Vec<&str>>> = Rc::default();
        let (a_done, b_done) = (Rc::clone(&finished), Rc::clone(&finished));
        let began = Instant::now();
        let outputs = run_async(async move {
            let slow = async move {
                sleep(200).await;
                a_done.borrow_mut().push("slow");
                "slow"
            };
            let quick = async move {
                sleep(100).await;
                b_done.borrow_mut().push("quick");
                "quick"
            };
            join(slow, quick).await
        });
        assert_eq!(outputs, ("slow", "quick"));
        // Side by side: the quick one was done first, though it was
        // given second; and the join waited for the slow one.
        assert_eq!(*finished.borrow(), ["quick", "slow"]);
        let took = began.elapsed();
        assert!(took >= Duration::from_millis(200), "{took:?}");
    });
}

/// `select` gives the output of the first future done, and drops the
/// other, whose timer is then cleared.
#[test]
fn select_gives_the_first_and_drops_the_other() {
    within(10, || {
        let (winner, timers_after) = run_async(async {
            let first = async {
                sleep(10).await;
                "first"
            };
            let second = async {
                sleep(5_000).await;
                "second"
            };
            (select(first, second).await, active_timers())
        });
        assert_eq!(winner, Either::Left("first"));
        assert_eq!(timers_after, 0);
    });
}

/// `timeout` gives the output when it comes in time, and then clears its
/// own timer.
#[test]
fn timeout_gives_the_output_that_comes_in_time() {
    within(10, || {
        let (answer, timers_after) = run_async(async {
            let answer = timeout(5_000, async {
                sleep(10).await;
                42
            })
            .await;
            (answer, active_timers())
        });
        assert_eq!(answer, Ok(42));
        assert_eq!(timers_after, 0);
    });
}

/// A future that borrows from itself across an `.await` runs, once it is
/// pinned where it cannot move: in a task.
#[test]
fn a_future_that_borrows_from_itself_runs_in_a_task() {
    within(10, || {
        let largest = run_async(async { spawn(largest_after_a_sleep([3, 1, 4, 1])).await });
        assert_eq!(largest, 4);
    });
}

/// A task that panics while a `sleep` of its own is pending: the sleep is
/// dropped as the panic unwinds, clears its timer, and the panic goes on
/// out of `run`, as it is.
#[test]
fn a_task_that_panics_with_a_sleep_pending_lets_the_panic_through() {
    within(10, || {
        let message = panic_message(|| {
            Runtime::new().run_async(async {
                let breaks = async {
                    sleep(10).await;
                    panic!("a task broke");
                };
                join(sleep(5_000), breaks).await;
            });
        });
        assert_eq!(message, "a task broke");
    });
}
