//! Order-preserving parallel map over a slice on scoped threads, used by the decision stream
//! (`azabac decide --requests`) and [`World::decide_all`](crate::rbac::World::decide_all).
//! Work is split into one contiguous chunk per thread; nothing is shared but the inputs.

use std::num::NonZeroUsize;
use std::thread;

/// How many threads to use: what the machine offers, at least one.
pub fn available_threads() -> NonZeroUsize {
    thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// `items.iter().map(f).collect()`, on up to `threads` threads, results in input order.
/// `None` if a worker panicked (a bug), so that callers can fail closed.
///
/// ```
/// use std::num::NonZeroUsize;
/// let squares = azabac::parallel::map(&[1, 2, 3], NonZeroUsize::new(2).unwrap(), |n| n * n);
/// assert_eq!(squares, Some(vec![1, 4, 9]));
/// ```
pub fn map<T: Sync, R: Send>(
    items: &[T],
    threads: NonZeroUsize,
    f: impl Fn(&T) -> R + Sync,
) -> Option<Vec<R>> {
    if threads.get() == 1 || items.len() < 2 {
        return Some(items.iter().map(f).collect());
    }
    let chunk = items.len().div_ceil(threads.get()).max(1);
    let f = &f;
    thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut results = Vec::with_capacity(items.len());
        for worker in workers {
            results.extend(worker.join().ok()?);
        }
        Some(results)
    })
}
