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
        todo!(
            "challenge 12a: Poll each future that is still pending, with the same context; one that is ready leaves its output in its place in outputs, and its slot in futures becomes None, so that it is never polled again. While any is pending, answer Poll::Pending; then give the outputs, taken out in order. The book explains it in \"Challenges\" and \"Join and select\", on the page \"Stage 12: what futures add\" (book/src/chapter-12.md)."
        )
    }
}
