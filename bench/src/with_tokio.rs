//! Each workload on tokio's current-thread runtime: one thread runs every
//! task, as our main thread does. One task per timer, read or GET, each
//! spawned with `tokio::spawn`; the program's own future waits until the
//! last of them has run, and is woken once, at the end.
//!
//! tokio has no HTTP client of its own, so `get` below writes the same
//! request that our `Http::get` writes, and reads the response until its
//! `Content-Length` says it is whole, as ours does.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::sleep;

use crate::tally::{Random, Tally, expected_body, spread_ms};

/// The tally, and a way to wake the program's future when all have run.
/// tokio's spawned tasks must be `Send`, so it is shared with an `Arc` and
/// a `Mutex`, where ours uses an `Rc` and a `RefCell`.
struct Shared {
    tally: Mutex<Tally>,
    all_ran: Notify,
}

impl Shared {
    fn tally(&self) -> std::sync::MutexGuard<'_, Tally> {
        self.tally.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn ran(&self, index: usize) {
        self.finish(|tally| tally.ran(index));
    }

    fn finish(&self, note: impl FnOnce(&mut Tally)) {
        let mut tally = self.tally();
        note(&mut tally);
        if tally.all_ran() {
            self.all_ran.notify_one();
        }
    }
}

/// Runs the workload `name` and returns its result line.
pub fn run(name: &str, size: usize, target: &str) -> String {
    // As on our side, the tally (which counts the allocations) and the
    // clock start before the runtime does.
    let shared = Arc::new(Shared {
        tally: Mutex::new(Tally::new(size)),
        all_ran: Notify::new(),
    });
    let start = Instant::now();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let program = Arc::clone(&shared);
    let target: Arc<str> = Arc::from(target);
    runtime.block_on(async move {
        match name {
            "timers-random" => timers_random(size, &program),
            "timers-zero" => timers_zero(size, &program),
            "reads" => reads(size, &target, &program),
            "http" => http(size, &target, &program),
            "lateness" => lateness(size, &program),
            "wake" => wake(size, &program),
            other => {
                program.tally().wrong(format!("no workload {other}"));
                return;
            }
        }
        program.all_ran.notified().await;
    });
    shared.tally().result(start)
}

fn timers_random(size: usize, shared: &Arc<Shared>) {
    let mut random = Random(7);
    for index in 0..size {
        let (shared, delay) = (Arc::clone(shared), random.delay_ms());
        tokio::spawn(async move {
            sleep(Duration::from_millis(delay)).await;
            shared.ran(index);
        });
    }
}

// ANCHOR: timers_zero
fn timers_zero(size: usize, shared: &Arc<Shared>) {
    for index in 0..size {
        let shared = Arc::clone(shared);
        tokio::spawn(async move {
            sleep(Duration::ZERO).await;
            shared.ran(index);
        });
    }
}
// ANCHOR_END: timers_zero

fn reads(size: usize, file: &Arc<str>, shared: &Arc<Shared>) {
    let expected: Arc<str> = std::fs::read_to_string(&**file)
        .expect("the bench made this file")
        .into();
    for index in 0..size {
        let (shared, expected, file) =
            (Arc::clone(shared), Arc::clone(&expected), Arc::clone(file));
        tokio::spawn(async move {
            let text = tokio::fs::read_to_string(&*file).await;
            shared.finish(|tally| {
                match text {
                    Ok(text) if *text == *expected => {}
                    other => tally.wrong(format!("read {index} gave {other:?}")),
                }
                tally.ran(index);
            });
        });
    }
}

fn http(size: usize, url: &str, shared: &Arc<Shared>) {
    let address: Arc<str> = Arc::from(url.trim_start_matches("http://"));
    for index in 0..size {
        let (shared, address) = (Arc::clone(shared), Arc::clone(&address));
        tokio::spawn(async move {
            let response = get(&address, &format!("/item/{index}")).await;
            shared.finish(|tally| {
                match response {
                    Ok(text) if text.ends_with(&expected_body(index)) => {}
                    other => tally.wrong(format!("request {index} got {other:?}")),
                }
                tally.ran(index);
            });
        });
    }
}

/// A GET of `path` from the server at `address`, as our `Http::get` does
/// it: one connection, closed after the response.
async fn get(address: &str, path: &str) -> io::Result<String> {
    let mut stream = TcpStream::connect(address).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    let mut buffer = [0; 4096];
    while !is_whole(&response) {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection before the response was whole",
            ));
        }
        response.extend_from_slice(&buffer[..read]);
    }
    String::from_utf8(response).map_err(|_| io::Error::other("the response is not text"))
}

/// Whether `response` has its head, a 200 status and as many bytes of body
/// as its `Content-Length` says.
fn is_whole(response: &[u8]) -> bool {
    let Some(head_end) = response.windows(4).position(|four| four == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&response[..head_end]);
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("Content-Length: ")?.parse().ok())
        .unwrap_or(0);
    head.starts_with("HTTP/1.1 200 ") && response.len() >= head_end + 4 + length
}

/// Timers spread evenly over one second; each notes how late it ran,
/// after the time it was due: `delay` after it was set. (tokio's `sleep`
/// counts from when it is called, in the task's first poll.)
fn lateness(size: usize, shared: &Arc<Shared>) {
    for index in 0..size {
        let delay = spread_ms(index, size);
        let shared = Arc::clone(shared);
        tokio::spawn(async move {
            let due = Instant::now() + Duration::from_millis(delay);
            sleep(Duration::from_millis(delay)).await;
            shared.finish(|tally| tally.ran_late(index, due));
        });
    }
}

/// `size` tasks wait for one signal, which one task gives after a 0 ms
/// sleep: it wakes every task, and tokio polls each one once more. The
/// same future as on our side, with an `Arc` and a `Mutex`, since tokio's
/// tasks must be `Send`.
fn wake(size: usize, shared: &Arc<Shared>) {
    let signal = Arc::new(Signal::default());
    for index in 0..size {
        let (shared, signal) = (Arc::clone(shared), Arc::clone(&signal));
        tokio::spawn(async move {
            Signalled { signal }.await;
            shared.ran(index);
        });
    }
    tokio::spawn(async move {
        sleep(Duration::ZERO).await;
        signal.give();
    });
}

/// A signal that tasks wait for: once given, it stays given.
#[derive(Default)]
struct Signal {
    given: AtomicBool,
    waiting: Mutex<Vec<Waker>>,
}

impl Signal {
    fn waiting(&self) -> std::sync::MutexGuard<'_, Vec<Waker>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn give(&self) {
        self.given.store(true, Ordering::SeqCst);
        for waker in std::mem::take(&mut *self.waiting()) {
            waker.wake();
        }
    }
}

/// A future that is ready once its signal is given.
struct Signalled {
    signal: Arc<Signal>,
}

impl Future for Signalled {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        let mut waiting = self.signal.waiting();
        if self.signal.given.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        waiting.push(context.waker().clone());
        Poll::Pending
    }
}
