//! Statements sent together: a transaction of several statements in one round trip.
//!
//! tokio-postgres writes a request out when its future is first polled, and the server answers requests
//! in the order they arrive. [`run`] polls every future once, in order, before waiting on any, so
//! `BEGIN`, the statements and `COMMIT` leave in one write and come back in one round trip. When one
//! statement fails, the server refuses the rest of the transaction (`25P02`) and turns the `COMMIT` into a
//! `ROLLBACK`, so nothing is applied and [`first_error`] is the real cause.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use tokio_postgres::Error;

/// One request of a pipeline: its result is the number of rows a statement touched (0 for `BEGIN` and
/// `COMMIT`).
pub(crate) type Request<'a> = Pin<Box<dyn Future<Output = Result<u64, Error>> + Send + 'a>>;

/// Runs `requests` pipelined; their results, in order.
pub(crate) async fn run(requests: Vec<Request<'_>>) -> Vec<Result<u64, Error>> {
    join_all(requests).await
}

/// Polls every future once, in order, before waiting on any, then until all are done, on the calling
/// task (no runtime needed); their outputs, in order.
pub(crate) async fn join_all<T>(mut requests: Vec<Pin<Box<dyn Future<Output = T> + Send + '_>>>) -> Vec<T> {
    let mut done: Vec<Option<T>> = requests.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (request, result) in requests.iter_mut().zip(done.iter_mut()) {
            if result.is_none() {
                match request.as_mut().poll(cx) {
                    Poll::Ready(r) => *result = Some(r),
                    Poll::Pending => all = false,
                }
            }
        }
        if all { Poll::Ready(()) } else { Poll::Pending }
    })
    .await;
    done.into_iter().flatten().collect()
}

/// The first failure of a pipeline's results, if any.
pub(crate) fn first_error(results: Vec<Result<u64, Error>>) -> Result<(), Error> {
    results.into_iter().find_map(Result::err).map_or(Ok(()), Err)
}

/// `sql` (without parameters) as a request, e.g. `BEGIN` or `COMMIT`.
pub(crate) fn simple<'a>(client: &'a tokio_postgres::Client, sql: &'a str) -> Request<'a> {
    Box::pin(async move { client.batch_execute(sql).await.map(|()| 0) })
}
