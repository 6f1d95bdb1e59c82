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
