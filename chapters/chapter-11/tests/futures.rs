//! Futures on the loop: tasks that the loop polls beside the callbacks,
//! woken by the callbacks they wait for, on the same timers, pool and
//! epoll thread.

mod common;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::process::Command;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use common::stage::futures::{encrypt, from_callback, get, read, sleep};
use common::stage::{Crypto, Fs, Http, Js, Runtime, TimerId, clear_timeout, set_timeout, spawn};
use common::{assert_sooner_than, panic_message, run_sharing, within};
use slow_server::SlowServer;

/// The file the tests read: the one next to the crate's Cargo.toml.
const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/hello.txt");

/// What a program said, in the order it said it.
type Said = Rc<RefCell<Vec<String>>>;

fn say(said: &Said, line: impl Into<String>) {
    said.borrow_mut().push(line.into());
}

/// Runs `program` and returns what it said.
fn said_by(program: impl FnOnce(&Said) + 'static) -> Vec<String> {
    run_sharing(Runtime::new(), |said| program(&said))
}

/// `spawn` runs a task at once, until an `.await` must wait; the code
/// that spawned it goes on from there, and the loop runs the rest of the
/// task when its timer fires.
#[test]
fn a_task_runs_at_once_until_it_must_wait() {
    within(10, || {
        let said = said_by(|said| {
            say(said, "before spawn");
            let task_said = Rc::clone(said);
            spawn(async move {
                say(&task_said, "the task begins");
                sleep(10).await;
                say(&task_said, "the task, after its sleep");
            });
            say(said, "after spawn");
        });
        let expected = [
            "before spawn",
            "the task begins",
            "after spawn",
            "the task, after its sleep",
        ];
        assert_eq!(said, expected);
    });
}

/// Each future gives what its callback API gives its callback: the same
/// file, the same number, the same response, the same error.
#[test]
fn each_future_gives_what_its_callback_would_get() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        let url = server.url("/hello");
        let by_callbacks: Rc<RefCell<Vec<Js>>> = Rc::default();
        let by_futures: Rc<RefCell<Vec<Js>>> = Rc::default();
        let (results, callback_url) = (Rc::clone(&by_callbacks), url.clone());
        Runtime::new().run(move || {
            let keep = |results: &Rc<RefCell<Vec<Js>>>| {
                let results = Rc::clone(results);
                move |value| results.borrow_mut().push(value)
            };
            // One after another, so that the order is the same both ways.
            let (r1, r2, r3, r4) = (
                keep(&results),
                keep(&results),
                keep(&results),
                keep(&results),
            );
            Fs::read(FILE, move |text| {
                r1(text);
                Fs::read("/no/such/file", move |error| {
                    r2(error);
                    Crypto::encrypt(20, move |number| {
                        r3(number);
                        Http::get(&callback_url, r4);
                    });
                });
            });
        });
        let results = Rc::clone(&by_futures);
        Runtime::new().run_async(async move {
            let text = read(FILE).await;
            let error = read("/no/such/file").await;
            let number = encrypt(20).await;
            let response = get(&url).await;
            results.borrow_mut().extend([text, error, number, response]);
        });
        let by_futures = by_futures.take();
        assert_eq!(by_futures.len(), 4, "{by_futures:?}");
        assert_eq!(
            by_futures[0],
            Js::String("Hello from a file on disk!\n".into())
        );
        assert!(matches!(by_futures[1], Js::Error(_)), "{:?}", by_futures[1]);
        assert_eq!(by_futures[2], Js::Int(6765));
        assert_eq!(by_futures, by_callbacks.take());
    });
}

/// A task waits in the loop's queues as a callback does, and runs right
/// after the callback that woke it: timers set by callbacks and by tasks
/// fire in the order they were set, taking turns.
#[test]
fn tasks_and_callbacks_take_turns_in_the_order_of_their_events() {
    within(10, || {
        let said = said_by(|said| {
            for n in 1..=2 {
                let (callback_said, task_said) = (Rc::clone(said), Rc::clone(said));
                set_timeout(0, move |_| say(&callback_said, format!("callback {n}")));
                spawn(async move {
                    sleep(0).await;
                    say(&task_said, format!("task {n}"));
                });
            }
        });
        assert_eq!(said, ["callback 1", "task 1", "callback 2", "task 2"]);
    });
}

/// Stage 6's demo, shortened, written twice: with callbacks and with
/// `.await`. Both say the same things in the same order. No order here is
/// left to how fast a thread runs: the 0 ms timers fire in tick 1's timers
/// phase, before any result of the pool can be taken, and every other
/// step waits for the one before it.
#[test]
fn a_program_written_with_callbacks_and_with_await_says_the_same() {
    within(20, || {
        let server = SlowServer::start().unwrap();
        // The server answers this one after 50 ms.
        let url = server.url("/delay/50/hello");
        let with_callbacks = said_by({
            let url = url.clone();
            move |said| demo_with_callbacks(said, url)
        });
        let said = Said::default();
        let for_program = Rc::clone(&said);
        Runtime::new().run_async(demo_with_await(for_program, url));
        let with_await = said.take();
        let expected = [
            "program done",
            "0 ms timer 1",
            "0 ms timer 2",
            "read 27 bytes",
            "fib(20) = Int(6765)",
            "GET: HTTP/1.1 200 OK",
            "100 ms timer",
            "nested 50 ms timer",
        ];
        assert_eq!(with_callbacks, expected);
        assert_eq!(with_await, expected);
    });
}

fn status_line(response: Js) -> String {
    match response {
        Js::String(text) => text.lines().next().unwrap_or_default().to_string(),
        other => format!("{other:?}"),
    }
}

fn demo_with_callbacks(said: &Said, url: String) {
    let s = Rc::clone(said);
    Fs::read(FILE, move |text| {
        let length = text.into_string().map_or(0, |text| text.len());
        say(&s, format!("read {length} bytes"));
        Crypto::encrypt(20, move |number| {
            say(&s, format!("fib(20) = {number:?}"));
            Http::get(&url, move |response| {
                say(&s, format!("GET: {}", status_line(response)));
                set_timeout(100, move |_| {
                    say(&s, "100 ms timer");
                    set_timeout(50, move |_| say(&s, "nested 50 ms timer"));
                });
            });
        });
    });
    for n in 1..=2 {
        let s = Rc::clone(said);
        set_timeout(0, move |_| say(&s, format!("0 ms timer {n}")));
    }
    say(said, "program done");
}

async fn demo_with_await(said: Said, url: String) {
    let s = Rc::clone(&said);
    spawn(async move {
        let text = read(FILE).await;
        let length = text.into_string().map_or(0, |text| text.len());
        say(&s, format!("read {length} bytes"));
        let number = encrypt(20).await;
        say(&s, format!("fib(20) = {number:?}"));
        let response = common::stage::futures::get(&url).await;
        say(&s, format!("GET: {}", status_line(response)));
        sleep(100).await;
        say(&s, "100 ms timer");
        sleep(50).await;
        say(&s, "nested 50 ms timer");
    });
    for n in 1..=2 {
        let s = Rc::clone(&said);
        spawn(async move {
            sleep(0).await;
            say(&s, format!("0 ms timer {n}"));
        });
    }
    say(&said, "program done");
}

/// A future does nothing until it is polled: one that is made and dropped
/// never starts its work.
#[test]
fn a_future_that_is_never_polled_starts_nothing() {
    within(10, || {
        let started = Rc::new(Cell::new(false));
        let flag = Rc::clone(&started);
        let began = Instant::now();
        Runtime::new().run(move || {
            let never = from_callback(move |_callback| flag.set(true));
            let later = sleep(5_000);
            drop((never, later));
        });
        assert!(!started.get(), "the callback API was called");
        // Generous: only shows that the run did not wait for the 5 s timer.
        assert_sooner_than(Duration::from_secs(3), began);
    });
}

/// A `JoinHandle` is a future of its task's output.
#[test]
fn a_join_handle_gives_its_task_output() {
    within(10, || {
        let got = Rc::new(RefCell::new(None));
        let slot = Rc::clone(&got);
        Runtime::new().run_async(async move {
            let handle = spawn(async { encrypt(10).await });
            *slot.borrow_mut() = Some(handle.await);
        });
        assert_eq!(
            got.take(),
            Some(Js::Int(55)),
            "the task never gave its output: it was not polled again once the value it \
             awaited had come"
        );
    });
}

/// Tasks done before their handles are awaited keep their outputs apart:
/// each handle gives its own task's output, in whatever order the handles
/// are awaited, with other tasks spawned and done in between.
#[test]
fn handles_awaited_late_give_their_own_tasks_outputs() {
    within(10, || {
        let said = said_by(|said| {
            let said = Rc::clone(said);
            spawn(async move {
                let first = spawn(async { "first" });
                let second = spawn(async { "second" });
                let third = spawn(async {
                    sleep(5).await;
                    "third"
                });
                drop(spawn(async { "nobody's" }));
                let fourth = spawn(async { "fourth" });
                say(&said, third.await);
                say(&said, fourth.await);
                say(&said, second.await);
                say(&said, first.await);
                let fifth = spawn(async { "fifth" });
                say(&said, fifth.await);
            });
        });
        assert_eq!(said, ["third", "fourth", "second", "first", "fifth"]);
    });
}

/// An output that owns a timer, as a value with a resource of the
/// runtime's might: dropped, it clears the timer, which needs the runtime
/// free to lend, and says so. Not dropped, it would keep the run going for
/// a minute.
struct OwnsATimer {
    timer: TimerId,
    said: Said,
    name: &'static str,
}

impl OwnsATimer {
    fn new(said: Said, name: &'static str) -> OwnsATimer {
        let timer = set_timeout(60_000, |_| {});
        OwnsATimer { timer, said, name }
    }
}

impl Drop for OwnsATimer {
    fn drop(&mut self) {
        // Not while a panic unwinds (an exercise's gap left open, say): the
        // runtime may be gone by then, and a second panic, in a `Drop`,
        // would abort every test in this file.
        if !std::thread::panicking() {
            clear_timeout(self.timer);
        }
        say(&self.said, format!("{} dropped", self.name));
    }
}

/// An output that nobody will take is dropped as soon as that is known:
/// when its task is done, if its handle is gone by then, or else when its
/// handle is dropped; not when the run ends, and not while the runtime is
/// lent out.
#[test]
fn an_output_nobody_takes_is_dropped_as_soon_as_it_can_be() {
    within(10, || {
        let said = said_by(|said| {
            let early = Rc::clone(said);
            drop(spawn(async move {
                sleep(5).await;
                OwnsATimer::new(early, "the output of a handle dropped early")
            }));
            let late = Rc::clone(said);
            let handle =
                spawn(async move { OwnsATimer::new(late, "the output of a handle dropped late") });
            let said = Rc::clone(said);
            set_timeout(20, move |_| {
                say(&said, "20 ms");
                drop(handle);
                say(&said, "the handle is dropped");
            });
        });
        let expected = [
            "the output of a handle dropped early dropped",
            "20 ms",
            "the output of a handle dropped late dropped",
            "the handle is dropped",
        ];
        assert_eq!(said, expected);
    });
}

/// A future that wakes its task twice in its first poll, then waits for a
/// timer; done once the timer has fired.
struct WokenTwice {
    polls: Rc<Cell<usize>>,
    timer_fired: Rc<Cell<bool>>,
}

impl Future for WokenTwice {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        self.polls.set(self.polls.get() + 1);
        match self.polls.get() {
            1 => {
                context.waker().wake_by_ref();
                context.waker().wake_by_ref();
                Poll::Pending
            }
            2 => {
                let (fired, waker) = (Rc::clone(&self.timer_fired), context.waker().clone());
                set_timeout(10, move |_| {
                    fired.set(true);
                    waker.wake();
                });
                Poll::Pending
            }
            _ if self.timer_fired.get() => Poll::Ready(()),
            _ => Poll::Pending,
        }
    }
}

/// Woken twice before it is polled, a task is polled once: three polls in
/// all, the first by `spawn`, then one for each time it was woken.
#[test]
fn a_task_woken_twice_before_it_is_polled_is_polled_once() {
    within(10, || {
        let polls = Rc::new(Cell::new(0));
        let future = WokenTwice {
            polls: Rc::clone(&polls),
            timer_fired: Rc::default(),
        };
        Runtime::new().run(move || {
            spawn(future);
        });
        assert_eq!(
            polls.get(),
            3,
            "the task was polled {} times, not 3: woken twice before it is polled, a task \
             is polled once",
            polls.get()
        );
    });
}

/// A future that wakes its own task while it is polled, `times` times
/// over, as a task that yields to the loop does; done after that.
struct WakesItself {
    times: usize,
    polls: Rc<Cell<usize>>,
}

impl Future for WakesItself {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        self.polls.set(self.polls.get() + 1);
        if self.polls.get() > self.times {
            return Poll::Ready(());
        }
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A task woken while it is polled is polled again: the loop takes it out
/// of the queue of woken tasks before it polls it, so the wake puts it
/// back in.
#[test]
fn a_task_that_wakes_itself_while_it_is_polled_is_polled_again() {
    within(10, || {
        let polls = Rc::new(Cell::new(0));
        let future = WakesItself {
            times: 3,
            polls: Rc::clone(&polls),
        };
        Runtime::new().run(move || {
            spawn(future);
        });
        assert_eq!(
            polls.get(),
            4,
            "the task was polled {} times, not 4: a task that wakes itself while it is \
             polled must be polled again",
            polls.get()
        );
    });
}

/// A future whose waker is woken by a thread of its own, 20 ms after its
/// first poll: the loop is asleep then, waiting for a 6 s timer.
struct WokenFromAnotherThread {
    started: bool,
    done: Arc<AtomicBool>,
}

impl Future for WokenFromAnotherThread {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.done.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        if !self.started {
            self.started = true;
            let (done, waker) = (Arc::clone(&self.done), context.waker().clone());
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(20));
                done.store(true, Ordering::SeqCst);
                waker.wake();
            });
        }
        Poll::Pending
    }
}

/// A waker used on another thread wakes the sleeping loop, which polls
/// the task at once: long before the timer it was asleep for.
#[test]
fn a_task_woken_from_another_thread_runs_at_once() {
    within(12, || {
        let began = Instant::now();
        let ran_after = Rc::new(Cell::new(None));
        let task_ran_after = Rc::clone(&ran_after);
        let said = said_by(move |said| {
            let (timer_said, task_said) = (Rc::clone(said), Rc::clone(said));
            let timer = set_timeout(6_000, move |_| say(&timer_said, "the 6 s timer"));
            spawn(async move {
                let done = Arc::new(AtomicBool::new(false));
                WokenFromAnotherThread {
                    started: false,
                    done,
                }
                .await;
                task_ran_after.set(Some(began.elapsed()));
                say(&task_said, "woken from another thread");
                clear_timeout(timer);
            });
        });
        let ran_after = ran_after.get().expect("the task ran to its end");
        // Generous: it was woken 20 ms after it began.
        assert!(
            ran_after < Duration::from_secs(2),
            "the task ran {ran_after:?} after the program began, though another thread \
             woke it after 20 ms: the loop was not woken, and slept until its 6 s timer"
        );
        assert_eq!(said, ["woken from another thread"]);
    });
}

/// A task that panics does what a callback that panics does: the runtime
/// stops its threads, and the panic goes on out of `run`.
#[test]
fn a_task_that_panics_stops_run_and_the_panic_goes_on() {
    within(10, || {
        let began = Instant::now();
        let message = panic_message(|| {
            Runtime::new().run_async(async {
                set_timeout(5_000, |_| {});
                sleep(10).await;
                panic!("a task broke");
            });
        });
        assert_eq!(message, "a task broke");
        assert_sooner_than(Duration::from_secs(3), began);
        // The thread's slot is free again: a new runtime can run.
        Runtime::new().run(|| {});
    });
}

/// Clears `timer` when it is dropped, and says so: what a future that
/// owns a timer does when it is dropped before its end.
struct ClearsOnDrop {
    timer: TimerId,
    said: Said,
}

impl Drop for ClearsOnDrop {
    fn drop(&mut self) {
        clear_timeout(self.timer);
        say(&self.said, "cleared on drop");
    }
}

/// Spawns a task that sets a timer of `ms` and owns it, then waits for
/// something that never comes: it is still there when the run ends.
fn spawn_a_task_left_at_the_end(said: &Said, ms: u64) {
    let said = Rc::clone(said);
    spawn(async move {
        let timer = set_timeout(ms, |_| {});
        let _owns_it = ClearsOnDrop { timer, said };
        std::future::pending::<()>().await;
    });
}

/// A task that is not done when the run ends is dropped while the runtime
/// is still there: its `Drop` can clear a timer, as in the middle of a
/// run.
#[test]
fn a_task_left_at_the_end_of_a_run_is_dropped_while_the_runtime_is_there() {
    within(10, || {
        let said = said_by(|said| spawn_a_task_left_at_the_end(said, 0));
        assert_eq!(said, ["cleared on drop"]);
    });
}

/// The same after a panic: the task left is dropped while the runtime is
/// still there, and clears its timer, and the panic goes on out of `run`.
/// A `Drop` that panicked as well would abort the whole test program, so
/// the run happens in a process of its own: this test program again, with
/// `CHILD` set, running this test alone.
#[test]
fn a_task_left_by_a_panic_is_dropped_while_the_runtime_is_there() {
    const NAME: &str = "a_task_left_by_a_panic_is_dropped_while_the_runtime_is_there";
    const CHILD: &str = "RUN_THE_PANIC_HERE";
    if std::env::var_os(CHILD).is_some() {
        within(10, || {
            let said = Said::default();
            let task_said = Rc::clone(&said);
            let message = panic_message(move || {
                Runtime::new().run(move || {
                    spawn_a_task_left_at_the_end(&task_said, 60_000);
                    spawn(async {
                        sleep(10).await;
                        panic!("a task broke");
                    });
                });
            });
            assert_eq!(message, "a task broke");
            assert_eq!(*said.borrow(), ["cleared on drop"]);
        });
        return;
    }
    within(60, || {
        let child = Command::new(std::env::current_exe().expect("this test program's path"))
            .args(["--exact", NAME, "--test-threads=1"])
            .env(CHILD, "1")
            .output()
            .expect("this test program runs again");
        assert!(
            child.status.success(),
            "the run in a process of its own ended with {}:\n{}{}",
            child.status,
            String::from_utf8_lossy(&child.stdout),
            String::from_utf8_lossy(&child.stderr)
        );
    });
}

/// A future that keeps the waker it is polled with, and is done at once.
struct KeepsItsWaker {
    kept: Rc<RefCell<Option<Waker>>>,
}

impl Future for KeepsItsWaker {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        *self.kept.borrow_mut() = Some(context.waker().clone());
        Poll::Ready(())
    }
}

/// A future that counts its polls, while it waits for `inner`.
struct CountsPolls {
    polls: Rc<Cell<usize>>,
    inner: Pin<Box<dyn Future<Output = ()>>>,
}

impl Future for CountsPolls {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        self.polls.set(self.polls.get() + 1);
        self.inner.as_mut().poll(context)
    }
}

/// A task that is done is gone, and so is what its waker could do: woken
/// after that, it wakes no other task, not even one spawned after it, in
/// its place.
#[test]
fn the_waker_of_a_task_that_is_done_wakes_no_other_task() {
    within(10, || {
        let polls = Rc::new(Cell::new(0));
        let program_polls = Rc::clone(&polls);
        Runtime::new().run(move || {
            let kept = Rc::new(RefCell::new(None::<Waker>));
            spawn(KeepsItsWaker {
                kept: Rc::clone(&kept),
            });
            spawn(CountsPolls {
                polls: program_polls,
                inner: Box::pin(sleep(20)),
            });
            let waker = kept.take().expect("the first task kept its waker");
            waker.wake();
        });
        assert_eq!(
            polls.get(),
            2,
            "the second task was polled {} times, not 2 (once when spawned, once when its \
             timer fired): the waker of a task that was done woke it",
            polls.get()
        );
    });
}

/// A future that polls `inner` a first time with a waker that does
/// nothing, then with its task's, and from then on with its task's.
struct PolledWithAnotherWaker {
    polled: bool,
    inner: Pin<Box<dyn Future<Output = ()>>>,
}

impl Future for PolledWithAnotherWaker {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if !self.polled {
            self.polled = true;
            let mut elsewhere = Context::from_waker(Waker::noop());
            let _ = self.inner.as_mut().poll(&mut elsewhere);
        }
        self.inner.as_mut().poll(context)
    }
}

/// A future wakes the waker it was polled with last, as Rust's `Future`
/// asks: a sleep polled again with another waker wakes that one, and not
/// before its time.
#[test]
fn a_sleep_polled_again_with_another_waker_wakes_that_one() {
    within(10, || {
        let said = said_by(|said| {
            let said = Rc::clone(said);
            spawn(async move {
                let started = Instant::now();
                PolledWithAnotherWaker {
                    polled: false,
                    inner: Box::pin(sleep(20)),
                }
                .await;
                let slept = started.elapsed();
                say(&said, "slept");
                assert!(
                    slept >= Duration::from_millis(20),
                    "a sleep of 20 ms polled twice was over after {slept:?}"
                );
            });
        });
        assert_eq!(
            said,
            ["slept"],
            "the task never went on after its sleep: the sleep's timer woke the waker it \
             was first polled with, not the task's"
        );
    });
}
