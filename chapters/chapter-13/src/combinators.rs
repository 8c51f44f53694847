//! Futures made of futures: `join`, `select` and `timeout`, written by
//! hand, small, on nothing but `poll`.
//!
//! With callbacks, "both of these" needs a counter and "whichever comes
//! first" a flag, shared between the callbacks. A future is a value, so
//! two of them can simply be held, and polled, by a third. And a future
//! that loses a race is dropped, which stops its work.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::futures::sleep;

// ANCHOR: join
/// Waits for both futures, and gives both outputs. They wait side by
/// side: both are polled until both are done.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    Join {
        a: Box::pin(a),
        b: Box::pin(b),
        a_output: None,
        b_output: None,
    }
}

/// The future [`join`] makes. Each future is in a `Box::pin`, so that it
/// can be polled where it is, whatever `Join` does with itself.
pub struct Join<A: Future, B: Future> {
    a: Pin<Box<A>>,
    b: Pin<Box<B>>,
    a_output: Option<A::Output>,
    b_output: Option<B::Output>,
}
// ANCHOR_END: join

// ANCHOR: join_poll
// Nothing in a `Join` needs to stay where it is: the futures do, but they
// are behind their boxes. So `poll` may take `&mut Join` out of the `Pin`.
impl<A: Future, B: Future> Unpin for Join<A, B> {}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let join = &mut *self;
        if join.a_output.is_none() {
            if let Poll::Ready(output) = join.a.as_mut().poll(context) {
                join.a_output = Some(output);
            }
        }
        if join.b_output.is_none() {
            if let Poll::Ready(output) = join.b.as_mut().poll(context) {
                join.b_output = Some(output);
            }
        }
        match (join.a_output.take(), join.b_output.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                // Not both yet: keep what has come, and wait.
                join.a_output = a;
                join.b_output = b;
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: join_poll

// ANCHOR: select
/// The output of [`select`]: the first future's, or the second's.
#[derive(Debug, PartialEq, Eq)]
pub enum Either<A, B> {
    Left(A),
    Right(B),
}

/// Waits for whichever future is done first, and gives its output. The
/// other one is dropped at that moment, and so stops its work.
pub fn select<A: Future, B: Future>(a: A, b: B) -> Select<A, B> {
    Select {
        a: Some(Box::pin(a)),
        b: Some(Box::pin(b)),
    }
}

/// The future [`select`] makes.
pub struct Select<A: Future, B: Future> {
    a: Option<Pin<Box<A>>>,
    b: Option<Pin<Box<B>>>,
}

impl<A: Future, B: Future> Future for Select<A, B> {
    type Output = Either<A::Output, B::Output>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let select = &mut *self;
        let (Some(a), Some(b)) = (select.a.as_mut(), select.b.as_mut()) else {
            panic!("a select was polled again after it was done");
        };
        if let Poll::Ready(output) = a.as_mut().poll(context) {
            select.b = None; // the loser is dropped: its work stops
            return Poll::Ready(Either::Left(output));
        }
        if let Poll::Ready(output) = b.as_mut().poll(context) {
            select.a = None;
            return Poll::Ready(Either::Right(output));
        }
        Poll::Pending
    }
}
// ANCHOR_END: select

// ANCHOR: timeout
/// What [`timeout`] gives when the time ran out first.
#[derive(Debug, PartialEq, Eq)]
pub struct Elapsed {
    pub ms: u64,
}

impl fmt::Display for Elapsed {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "timeout: not done within {} ms", self.ms)
    }
}

/// `future`'s output, if it comes within `ms` milliseconds; if not, the
/// future is dropped, which stops its work, and the answer is [`Elapsed`].
/// A race between the future and a `sleep`: nothing more.
pub async fn timeout<T>(ms: u64, future: impl Future<Output = T>) -> Result<T, Elapsed> {
    match select(future, sleep(ms)).await {
        Either::Left(output) => Ok(output),
        Either::Right(()) => Err(Elapsed { ms }),
    }
}
// ANCHOR_END: timeout

// ANCHOR: why_pin
/// The largest of `numbers`, found before a short sleep and given after
/// it: a future that borrows from itself. The array is kept inside the
/// future, and `largest` points at one of its elements, across the
/// `.await`. Were the future moved in memory after its first poll, the
/// array would move with it, and `largest` would point at where it used
/// to be. So the future must stay where it is once polled, and `poll`
/// says so: it takes `Pin<&mut Self>`. `spawn` keeps a task in a
/// `Box::pin`, where it never moves. Polling the future without pinning
/// it does not compile:
///
/// ```compile_fail,E0277
/// use std::future::Future;
/// use std::pin::Pin;
/// use std::task::{Context, Waker};
///
/// let mut future = chapter_13::combinators::largest_after_a_sleep([3, 1, 4, 1]);
/// let mut context = Context::from_waker(Waker::noop());
/// // An `async fn`'s future is not `Unpin`: `Pin::new` refuses it.
/// let _ = Pin::new(&mut future).poll(&mut context);
/// ```
pub async fn largest_after_a_sleep(numbers: [u64; 4]) -> u64 {
    let largest = numbers.iter().max().expect("four numbers");
    sleep(1).await;
    *largest
}
// ANCHOR_END: why_pin
