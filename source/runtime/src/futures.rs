//@ 11..
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

use crate::TimerId;
use crate::handle::runtime_is_running;
use crate::handle::with_runtime;
use crate::http::{cancel_request, start_get};
// use crate::{Crypto, Fs, Http, Js, set_timeout}; //@ 11
// use crate::{Crypto, Fs, Js, clear_timeout, log, set_timeout}; //@ 12
use crate::{Crypto, Fs, Js, clear_timeout, log}; //@ 13..

// ANCHOR: from_callback
/// A callback, as the runtime's callback APIs take it.
pub type Callback = Box<dyn FnOnce(Js)>;
//@ 12..

/// What stops the work that a callback API has started.
pub type Cancel = Box<dyn FnOnce()>;
//@ end

/// A future of the value that a callback API delivers to its callback.
/// `start` calls the API, with the callback it is given. It is called on
/// the future's first poll, not before: like every Rust future, this one
/// does nothing until it is polled.
pub fn from_callback(start: impl FnOnce(Callback) + 'static) -> FromCallback {
    FromCallback {
        // start: Some(Box::new(start)), //@ 11
        //@ 12..
        start: Some(Box::new(|callback| {
            start(callback);
            None
        })),
        //@ end
        delivery: Rc::default(),
    }
}
//@ 12..

/// As [`from_callback`], for work that can be stopped: `start` also
/// returns how. A future dropped after its work began, and before its
/// value came, stops the work: that is how a future is cancelled.
pub fn from_cancellable(start: impl FnOnce(Callback) -> Cancel + 'static) -> FromCallback {
    FromCallback {
        start: Some(Box::new(|callback| Some(start(callback)))),
        delivery: Rc::default(),
    }
}
//@ end
// ANCHOR_END: from_callback

// ANCHOR: from_callback_future
// ANCHOR: from_callback_struct
/// The future [`from_callback`] makes.
pub struct FromCallback {
    /// The call that starts the work, until the first poll makes it.
    // start: Option<Box<dyn FnOnce(Callback)>>, //@ 11
    start: Option<Box<dyn FnOnce(Callback) -> Option<Cancel>>>, //@ 12..
    /// Shared with the callback: where it leaves the value.
    delivery: Rc<RefCell<Delivery>>,
}

/// What the callback has delivered, and whom to wake when it does.
#[derive(Default)]
struct Delivery {
    value: Option<Js>,
    waker: Option<Waker>,
    /// How to stop the work, while it runs. //@ 12..
    cancel: Option<Cancel>, //@ 12..
}
// ANCHOR_END: from_callback_struct

// ANCHOR: from_callback_poll
impl Future for FromCallback {
    type Output = Js;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Js> {
        if let Some(start) = self.start.take() {
            let delivery = Rc::clone(&self.delivery);
            // start(Box::new(move |value| deliver(&delivery, value))); //@ 11
            //@ 12..
            let cancel = start(Box::new(move |value| deliver(&delivery, value)));
            let mut delivery = self.delivery.borrow_mut();
            if delivery.value.is_none() {
                delivery.cancel = cancel;
            }
            //@ end
        }
        let mut delivery = self.delivery.borrow_mut();
        match delivery.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                // Woken by the callback, the task polls this again.
                delivery.waker = Some(context.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// What the callback does: it leaves the value, and wakes the task.
fn deliver(delivery: &RefCell<Delivery>, value: Js) {
    let mut delivery = delivery.borrow_mut();
    delivery.value = Some(value);
    delivery.cancel = None; // done: there is nothing left to stop //@ 12..
    if let Some(waker) = delivery.waker.take() {
        waker.wake();
    }
}
// ANCHOR_END: from_callback_poll
// ANCHOR_END: from_callback_future
//@ 12..

// ANCHOR: drop
impl Drop for FromCallback {
    /// Dropped while its work runs, the future stops it: in the middle of
    /// a run, and in a task left at its end. (Not while the runtime is
    /// lent out, nor once it has left its slot: see `runtime_is_running`.)
    fn drop(&mut self) {
        let cancel = self.delivery.borrow_mut().cancel.take();
        if let Some(cancel) = cancel {
            if runtime_is_running() {
                cancel();
            }
        }
    }
}
// ANCHOR_END: drop
//@ end

// ANCHOR: leaves
// ANCHOR: sleep
//@ 11
// /// Waits `ms` milliseconds: `set_timeout`, awaited.
// pub async fn sleep(ms: u64) {
//     from_callback(move |callback| {
//         set_timeout(ms, callback);
//     })
//     .await;
// }
//@ or 12
// /// Waits `ms` milliseconds: `set_timeout`, awaited. Dropped before then,
// /// it clears its timer.
// pub async fn sleep(ms: u64) {
//     from_cancellable(move |callback| {
//         let timer = set_timeout(ms, callback);
//         Box::new(move || clear_timeout(timer))
//     })
//     .await;
// }
//@ or 13..
/// Waits `ms` milliseconds: `set_timeout`, awaited. Dropped before then,
/// it clears its timer.
///
/// The other futures here come from `from_callback`, which serves every
/// callback API and pays for it: the call kept for later, the delivery
/// shared with the callback, the callback, the way to cancel, each a heap
/// allocation. A sleep needs none of them. Its timer holds the task's
/// waker, not a callback, and whether the timer has fired, the sleep asks
/// the timers.
pub fn sleep(ms: u64) -> Sleep {
    Sleep { ms, timer: None }
}

// ANCHOR: sleep_future
/// The future [`sleep`] makes.
pub struct Sleep {
    ms: u64,
    /// Its timer, once the first poll has set it, and the waker that the
    /// timer wakes.
    timer: Option<(TimerId, Waker)>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        let waker = context.waker();
        match &self.timer {
            None => {
                let timer = with_runtime(|runtime| runtime.wake_after(self.ms, waker.clone()));
                self.timer = Some((timer, waker.clone()));
                Poll::Pending
            }
            Some((timer, _)) if !with_runtime(|runtime| runtime.timers.waits(*timer)) => {
                self.timer = None; // it fired: there is nothing left to clear
                Poll::Ready(())
            }
            Some((_, woken)) if woken.will_wake(waker) => Poll::Pending,
            Some((timer, _)) => {
                // Polled with another waker: from now on, the timer wakes
                // that one.
                let timer = *timer;
                with_runtime(|runtime| runtime.timers.wake_instead(timer, waker.clone()));
                self.timer = Some((timer, waker.clone()));
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: sleep_future

impl Drop for Sleep {
    /// Dropped before its timer fired, the sleep clears it.
    fn drop(&mut self) {
        if let Some((timer, _)) = self.timer {
            if runtime_is_running() {
                clear_timeout(timer);
            }
        }
    }
}
//@ end
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
//@ 11
// /// The response to a GET of `url`, or the error: `Http::get`, awaited.
// pub fn get(url: &str) -> FromCallback {
//     let url = url.to_string();
//     from_callback(move |callback| Http::get(&url, callback))
// }
//
// /// As [`get`], with a timeout: `Http::get_with_timeout`, awaited.
// pub fn get_with_timeout(url: &str, timeout_ms: u64) -> FromCallback {
//     let url = url.to_string();
//     from_callback(move |callback| Http::get_with_timeout(&url, timeout_ms, callback))
// }
//@ or 12..
/// The response to a GET of `url`, or the error: `Http::get`, awaited.
/// Dropped before the response came, it closes the request's socket.
pub fn get(url: &str) -> FromCallback {
    get_cancellable(url, None)
}

/// As [`get`], with a timeout: `Http::get_with_timeout`, awaited.
pub fn get_with_timeout(url: &str, timeout_ms: u64) -> FromCallback {
    get_cancellable(url, Some(timeout_ms))
}

/// A GET that its future's drop gives up on, as its timeout would.
fn get_cancellable(url: &str, timeout_ms: Option<u64>) -> FromCallback {
    let url = url.to_string();
    from_cancellable(move |callback| {
        let request = start_get(&url, timeout_ms, callback);
        Box::new(move || {
            let Some(request) = request else {
                return; // a malformed URL: there is no request
            };
            if cancel_request(request) {
                log!("request {request} is cancelled: its future was dropped");
            }
        })
    })
}
//@ end
// ANCHOR_END: get_leaves
// ANCHOR_END: leaves
//@ end
