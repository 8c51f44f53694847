//! Each workload on the last stage's runtime, written with `async` and
//! `.await`: one task per timer, read or GET, as a tokio program would
//! spawn them. Under the futures are the same timers, pool and epoll
//! thread as under the callbacks of `ours.rs`.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use chapter_13::futures::{get, read, sleep};
use chapter_13::{Js, Runtime, set_logging, set_timeout, spawn};

use crate::tally::{Random, Tally, expected_body, spread_ms};

type Shared = Rc<RefCell<Tally>>;

/// Runs the workload `name` and returns its result line.
pub fn run(name: &str, size: usize, target: &str) -> String {
    set_logging(false);
    let tally = Rc::new(RefCell::new(Tally::new(size)));
    let start = Instant::now();
    let program_tally = Rc::clone(&tally);
    let (name, target) = (name.to_string(), Rc::<str>::from(target));
    Runtime::new().run_async(async move {
        match name.as_str() {
            "timers-random" => timers_random(size, &program_tally),
            "timers-zero" => timers_zero(size, &program_tally),
            "reads" => reads(size, &target, &program_tally),
            "http" => http(size, &target, &program_tally),
            "lateness" => lateness(size, &program_tally),
            "wake" => wake(size, &program_tally),
            other => program_tally
                .borrow_mut()
                .wrong(format!("no workload {other}")),
        }
    });
    tally.borrow().result(start)
}

fn timers_random(size: usize, tally: &Shared) {
    let mut random = Random(7);
    for index in 0..size {
        let (tally, delay) = (Rc::clone(tally), random.delay_ms());
        spawn(async move {
            sleep(delay).await;
            tally.borrow_mut().ran(index);
        });
    }
}

// ANCHOR: timers_zero
fn timers_zero(size: usize, tally: &Shared) {
    for index in 0..size {
        let tally = Rc::clone(tally);
        spawn(async move {
            sleep(0).await;
            tally.borrow_mut().ran(index);
        });
    }
}
// ANCHOR_END: timers_zero

fn reads(size: usize, file: &Rc<str>, tally: &Shared) {
    let expected = Rc::new(std::fs::read_to_string(&**file).expect("the bench made this file"));
    for index in 0..size {
        let (tally, expected, file) = (Rc::clone(tally), Rc::clone(&expected), Rc::clone(file));
        spawn(async move {
            let text = read(&file).await;
            let mut tally = tally.borrow_mut();
            match text {
                Js::String(text) if text == *expected => {}
                other => tally.wrong(format!("read {index} gave {other:?}")),
            }
            tally.ran(index);
        });
    }
}

fn http(size: usize, url: &str, tally: &Shared) {
    for index in 0..size {
        let tally = Rc::clone(tally);
        let url = format!("{url}/item/{index}");
        spawn(async move {
            let response = get(&url).await;
            let mut tally = tally.borrow_mut();
            match response {
                Js::String(text) if text.ends_with(&expected_body(index)) => {}
                other => tally.wrong(format!("request {index} got {other:?}")),
            }
            tally.ran(index);
        });
    }
}

/// Timers spread evenly over one second; each notes how late it ran,
/// after the time it was due: `delay` after it was set.
fn lateness(size: usize, tally: &Shared) {
    for index in 0..size {
        let delay = spread_ms(index, size);
        let tally = Rc::clone(tally);
        spawn(async move {
            let due = Instant::now() + Duration::from_millis(delay);
            sleep(delay).await;
            tally.borrow_mut().ran_late(index, due);
        });
    }
}

/// `size` tasks wait for one signal, which one timer's callback gives:
/// it wakes every task, and the loop polls each one once more.
fn wake(size: usize, tally: &Shared) {
    let signal = Rc::new(Signal::default());
    for index in 0..size {
        let (tally, signal) = (Rc::clone(tally), Rc::clone(&signal));
        spawn(async move {
            Signalled { signal }.await;
            tally.borrow_mut().ran(index);
        });
    }
    set_timeout(0, move |_| signal.give());
}

/// A signal that tasks wait for: once given, it stays given.
#[derive(Default)]
struct Signal {
    given: Cell<bool>,
    waiting: RefCell<Vec<Waker>>,
}

impl Signal {
    fn give(&self) {
        self.given.set(true);
        for waker in self.waiting.take() {
            waker.wake();
        }
    }
}

/// A future that is ready once its signal is given.
struct Signalled {
    signal: Rc<Signal>,
}

impl Future for Signalled {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.signal.given.get() {
            return Poll::Ready(());
        }
        let waker = context.waker().clone();
        self.signal.waiting.borrow_mut().push(waker);
        Poll::Pending
    }
}
