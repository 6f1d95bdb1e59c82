//! Per-item work on every thread of the current rayon pool, merged in input order.
//!
//! Extraction must give the same bytes whatever the number of threads: every parallel loop here maps items
//! to results independently (no state shared across items) and collects them in the order of the items, so
//! the sequential stages after it see exactly what a one-thread run gives them. The steps counted for the
//! growth tests (`credence_model::work`) are per thread; they are carried back to the calling thread, so a
//! run counts the same work on one thread as on many.

use rayon::prelude::*;

/// `f` applied to every item with its index, in parallel; the results in the order of `items`.
pub(crate) fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(usize, &T) -> U + Sync) -> Vec<U> {
    let out: Vec<(U, u64)> =
        items.par_iter().enumerate().map(|(i, x)| credence_model::work::counted(|| f(i, x))).collect();
    let steps = out.iter().fold(0u64, |acc, (_, s)| acc.wrapping_add(*s));
    credence_model::work::add(steps as usize);
    out.into_iter().map(|(u, _)| u).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items_and_the_steps_reach_the_caller() {
        let items: Vec<usize> = (0..1000).collect();
        let before = credence_model::work::steps();
        let got = super::map(&items, |i, x| {
            credence_model::work::add(3);
            i * 10 + x
        });
        assert_eq!(got, (0..1000).map(|i| i * 11).collect::<Vec<_>>());
        assert_eq!(credence_model::work::steps() - before, 3000);
    }
}
