//! The runtime's callback APIs as futures, to `.await` in a task: `sleep`,
//! `read`, `encrypt` and `get`.
//!
//! There is no second reactor here, no new thread and no new queue. Each
//! future calls the callback API that the stages before built, on the same
//! timers, the same pool and the same sockets, and its callback wakes
//! the task. One small adapter, [`from_callback`], does that for all of
//! them, as Node's `util.promisify` turns a callback API into promises.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::{Crypto, Fs, Http, Js, set_timeout};

// ANCHOR: from_callback
/// A callback, as the runtime's callback APIs take it.
pub type Callback = Box<dyn FnOnce(Js)>;

/// A future of the value that a callback API delivers to its callback.
/// `start` calls the API, with the callback it is given. It is called on
/// the future's first poll, not before: like every Rust future, this one
/// does nothing until it is polled.
pub fn from_callback(start: impl FnOnce(Callback) + 'static) -> FromCallback {
    FromCallback {
        start: Some(Box::new(start)),
        delivery: Rc::default(),
    }
}
// ANCHOR_END: from_callback

// ANCHOR: from_callback_future
// ANCHOR: from_callback_struct
/// The future [`from_callback`] makes.
pub struct FromCallback {
    /// The call that starts the work, until the first poll makes it.
    start: Option<Box<dyn FnOnce(Callback)>>,
    /// Shared with the callback: where it leaves the value.
    delivery: Rc<RefCell<Delivery>>,
}

/// What the callback has delivered, and whom to wake when it does.
#[derive(Default)]
struct Delivery {
    value: Option<Js>,
    waker: Option<Waker>,
}
// ANCHOR_END: from_callback_struct

// ANCHOR: from_callback_poll
impl Future for FromCallback {
    type Output = Js;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Js> {
        todo!(
            "exercise 11: On the first poll, call the callback API, with a callback that delivers the value to the shared slot and wakes the task. Then: the value, if it has come; or keep the waker, and wait. The book explains it in \"A callback, awaited\", on the page \"Stage 11: futures on our loop\" (book/src/chapter-11.md)."
        )
    }
}

/// What the callback does: it leaves the value, and wakes the task.
fn deliver(delivery: &RefCell<Delivery>, value: Js) {
    let mut delivery = delivery.borrow_mut();
    delivery.value = Some(value);
    if let Some(waker) = delivery.waker.take() {
        waker.wake();
    }
}
// ANCHOR_END: from_callback_poll
// ANCHOR_END: from_callback_future

// ANCHOR: leaves
// ANCHOR: sleep
/// Waits `ms` milliseconds: `set_timeout`, awaited.
pub async fn sleep(ms: u64) {
    from_callback(move |callback| {
        set_timeout(ms, callback);
    })
    .await;
}
// ANCHOR_END: sleep

/// The text of the file at `path`, or the error: `Fs::read`, awaited.
pub fn read(path: &str) -> FromCallback {
    let path = path.to_string();
    from_callback(move |callback| Fs::read(&path, callback))
}

/// `fib(n)`, computed on the pool: `Crypto::encrypt`, awaited.
pub fn encrypt(n: usize) -> FromCallback {
    from_callback(move |callback| Crypto::encrypt(n, callback))
}

// ANCHOR: get_leaves
/// The response to a GET of `url`, or the error: `Http::get`, awaited.
pub fn get(url: &str) -> FromCallback {
    let url = url.to_string();
    from_callback(move |callback| Http::get(&url, callback))
}

/// As [`get`], with a timeout: `Http::get_with_timeout`, awaited.
pub fn get_with_timeout(url: &str, timeout_ms: u64) -> FromCallback {
    let url = url.to_string();
    from_callback(move |callback| Http::get_with_timeout(&url, timeout_ms, callback))
}
// ANCHOR_END: get_leaves
// ANCHOR_END: leaves
