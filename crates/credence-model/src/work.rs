//! A count of elementary steps done by the extraction and scoring loops, for growth tests.
//!
//! Speed targets live in benchmarks, but a quadratic step must be caught by the test suite, which cannot
//! time anything reliably on a shared machine. So the loops that scan text (words, tokens, capitalised runs,
//! reports, clusters) add the steps they take to a per-thread counter; a test reads it before and after a
//! run on an input and on the same input doubled, and checks that the work did not more than double and a
//! half. The counter is a thread-local cell: an addition costs about a nanosecond, and tests running side by
//! side do not disturb each other.

use std::cell::Cell;

thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

/// Counts `n` steps on this thread.
#[inline]
pub fn add(n: usize) {
    STEPS.with(|s| s.set(s.get().wrapping_add(n as u64)));
}

/// Steps counted on this thread so far.
pub fn steps() -> u64 {
    STEPS.with(Cell::get)
}

/// Runs `f` and returns what it returns with the steps it counted, which are taken off this thread's count.
///
/// Parallel loops run their items on worker threads, whose counters no test reads: each item is run through
/// this and the caller adds the sum with [`add`] on its own thread, so a run counts the same steps whatever
/// the number of threads, and an item that happens to run on the calling thread is not counted twice.
pub fn counted<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = steps();
    let out = f();
    let after = steps();
    STEPS.with(|s| s.set(before));
    (out, after.wrapping_sub(before))
}

/// `f` applied to every item with its index on every thread of the current rayon pool, the results in the
/// order of `items`, and the steps the items counted added to this thread's count.
///
/// The stages that use it (extraction per article, alignment per report, scoring per claim) must give the
/// same bytes whatever the number of threads: `f` sees one item and shared read-only data, never state
/// another item changes, and the results are merged in input order, so what follows sees exactly what a
/// one-thread run gives it.
pub fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(usize, &T) -> U + Sync) -> Vec<U> {
    use rayon::prelude::*;
    let out: Vec<(U, u64)> = items.par_iter().enumerate().map(|(i, x)| counted(|| f(i, x))).collect();
    gather(out)
}

/// [`par_map`] over owned items.
pub fn par_map_owned<T: Send, U: Send>(items: Vec<T>, f: impl Fn(usize, T) -> U + Sync) -> Vec<U> {
    use rayon::prelude::*;
    let out: Vec<(U, u64)> = items.into_par_iter().enumerate().map(|(i, x)| counted(|| f(i, x))).collect();
    gather(out)
}

/// Sorts `v` on every thread of the current rayon pool: the same order as `sort_unstable` gives, since
/// an unstable sort of distinct-or-equal items (`Ord`) has one sorted result.
pub fn par_sort<T: Ord + Send>(v: &mut [T]) {
    use rayon::slice::ParallelSliceMut;
    v.par_sort_unstable();
}

/// The results of a parallel map, with their steps added to this thread's count.
fn gather<U>(out: Vec<(U, u64)>) -> Vec<U> {
    let steps = out.iter().fold(0u64, |acc, (_, s)| acc.wrapping_add(*s));
    add(steps as usize);
    out.into_iter().map(|(u, _)| u).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items_and_the_steps_reach_the_caller() {
        let items: Vec<usize> = (0..1000).collect();
        let before = super::steps();
        let got = super::par_map(&items, |i, x| {
            super::add(3);
            i * 10 + x
        });
        assert_eq!(got, (0..1000).map(|i| i * 11).collect::<Vec<_>>());
        assert_eq!(super::steps() - before, 3000);
        let owned = super::par_map_owned(items, |i, x| {
            super::add(1);
            i + x
        });
        assert_eq!(owned, (0..1000).map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(super::steps() - before, 4000);
    }
}
