//! The challenge of stage 12: `join_all`, which waits for any number of
//! futures side by side, as `Promise.all` does for promises.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Waits for every future of `futures`, side by side, and gives their
/// outputs in the same order. Dropped before that, it drops the futures
/// still pending, which stops their work.
pub fn join_all<F: Future>(futures: Vec<F>) -> JoinAll<F> {
    let outputs = futures.iter().map(|_| None).collect();
    let futures = futures
        .into_iter()
        .map(|future| Some(Box::pin(future)))
        .collect();
    JoinAll { futures, outputs }
}

/// The future [`join_all`] makes. The futures, each in a `Box::pin`, and
/// their outputs, side by side: while a future is pending, it is in
/// `futures` and its output is `None`; once it is done, it is gone, and
/// its output is there.
pub struct JoinAll<F: Future> {
    futures: Vec<Option<Pin<Box<F>>>>,
    outputs: Vec<Option<F::Output>>,
}

// As for `Join`: the futures are behind their boxes, and the outputs are
// plain values, so nothing here needs to stay where it is.
impl<F: Future> Unpin for JoinAll<F> {}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    /// Polls each future still pending; one that is done leaves its
    /// output, and is dropped. Once none is pending, the outputs, in
    /// order.
    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let all = &mut *self;
        for (slot, output) in all.futures.iter_mut().zip(&mut all.outputs) {
            if let Some(future) = slot {
                if let Poll::Ready(value) = future.as_mut().poll(context) {
                    *output = Some(value);
                    *slot = None;
                }
            }
        }
        if all.futures.iter().any(Option::is_some) {
            return Poll::Pending;
        }
        let outputs = all.outputs.iter_mut().map(Option::take);
        Poll::Ready(
            outputs
                .map(|output| output.expect("each is done"))
                .collect(),
        )
    }
}
