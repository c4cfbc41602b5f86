//! Work split over the machine's cores, for the two places where a big deck makes a learner
//! wait: reading its topics, and searching it on every keystroke.

use std::num::NonZeroUsize;

/// `f` on contiguous chunks of `items` (at least `min_chunk` items each), at most one per core,
/// on rayon's pool (its threads start once per process, not once per call: a search runs on
/// every keystroke); the results come back in the order of `items`. `f` gets the offset of its
/// chunk. Work too small to split stays on this thread.
pub fn chunks<T: Sync, R: Send>(
    items: &[T],
    min_chunk: usize,
    f: impl Fn(usize, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    use rayon::prelude::*;
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let threads = cores.min(items.len() / min_chunk.max(1));
    if threads <= 1 {
        return f(0, items);
    }
    let size = items.len().div_ceil(threads);
    let parts: Vec<Vec<R>> = items
        .par_chunks(size)
        .enumerate()
        .map(|(index, part)| f(index * size, part))
        .collect();
    parts.into_iter().flatten().collect()
}

/// `f` on every item, in parallel as [`chunks`] does.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    chunks(items, 1, |_, part| part.iter().map(&f).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            super::map(&items, |n| n * 2),
            items.iter().map(|n| n * 2).collect::<Vec<_>>()
        );
        let offsets = super::chunks(&items, 100, |offset, part| vec![(offset, part[0])]);
        assert!(offsets.iter().all(|(offset, first)| offset == first));
    }
}
