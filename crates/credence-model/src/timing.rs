//! Wall time, CPU time and memory per stage of a run, for `--timings` and the pipeline benchmark.
//!
//! Why here: the stages of one run live in several crates (reading and extraction in `credence-extract`,
//! validation here, scoring and reports above), and a user with a slow folder needs to see where the time and
//! the memory go across all of them. A [`Timings`] is handed down with the options; each stage ends with
//! [`Timings::lap`], which records the time since the previous lap and the process's memory then. When
//! timings are off (the default) a lap is a no-op on an empty handle: no clock is read and nothing is
//! allocated.
//!
//! Memory is read from `/proc/self/status` (`VmRSS`, resident now, and `VmHWM`, the peak so far) and CPU
//! time from `/proc/self/stat` (user + system of every thread, in clock ticks of 1/100 s, the fixed
//! `USER_HZ` of Linux's user-space interface). Elsewhere they are `None` (shown as "n/a"): no dependency
//! and no `unsafe` for a diagnostic.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// One stage measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Its name ("read", "extract", "copies", …).
    pub name: &'static str,
    /// Wall time from the end of the previous stage (or the start) to its end.
    pub wall: Duration,
    /// CPU time (user + system, all threads) spent in it, when the platform tells.
    pub cpu: Option<Duration>,
    /// Resident memory at its end, in bytes.
    pub rss: Option<u64>,
    /// Peak resident memory of the process up to its end, in bytes.
    pub peak: Option<u64>,
}

#[derive(Debug)]
struct Clock {
    start: Instant,
    last: Instant,
    last_cpu: Option<Duration>,
    stages: Vec<Stage>,
}

/// A shared recorder of stage laps, or nothing ([`Timings::off`], the default). Cloning shares the record:
/// the options that carry it into extraction are cloned, and their laps must land in the caller's list.
#[derive(Debug, Clone, Default)]
pub struct Timings(Option<Arc<Mutex<Clock>>>);

impl Timings {
    /// No timings: every lap is a no-op.
    #[must_use]
    pub fn off() -> Timings {
        Timings(None)
    }

    /// Timings starting now.
    #[must_use]
    pub fn start() -> Timings {
        let now = Instant::now();
        Timings(Some(Arc::new(Mutex::new(Clock { start: now, last: now, last_cpu: cpu_time(), stages: Vec::new() }))))
    }

    /// Whether laps are recorded.
    #[must_use]
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Ends the stage `name`: records the wall and CPU time since the previous lap and the memory now. A
    /// stage lapped twice (a retry) has two entries.
    pub fn lap(&self, name: &'static str) {
        let Some(clock) = &self.0 else { return };
        let now = Instant::now();
        let cpu_now = cpu_time();
        let (rss, peak) = memory();
        // A panic elsewhere while the lock was held leaves the record usable: it is plain data.
        let mut c = clock.lock().unwrap_or_else(PoisonError::into_inner);
        let cpu = match (cpu_now, c.last_cpu) {
            (Some(a), Some(b)) => Some(a.saturating_sub(b)),
            _ => None,
        };
        let wall = now.duration_since(c.last);
        c.stages.push(Stage { name, wall, cpu, rss, peak });
        c.last = now;
        c.last_cpu = cpu_now;
    }

    /// The stages lapped so far, in order.
    #[must_use]
    pub fn stages(&self) -> Vec<Stage> {
        self.0.as_ref().map(|c| c.lock().unwrap_or_else(PoisonError::into_inner).stages.clone()).unwrap_or_default()
    }

    /// Wall time since the start (zero when off).
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.0.as_ref().map(|c| c.lock().unwrap_or_else(PoisonError::into_inner).start.elapsed()).unwrap_or_default()
    }

    /// The table `--timings` prints: one line per stage (seconds of wall and CPU time, MiB resident at its
    /// end and peak so far), a total line with the process's CPU time and peak, and the steps counted by
    /// [`crate::work`].
    #[must_use]
    pub fn table(&self) -> String {
        let stages = self.stages();
        let mut out = String::from("timings: stage        wall s    cpu s   rss MiB  peak MiB\n");
        for s in &stages {
            let _ = writeln!(
                out,
                "timings: {:<12} {:>7.3} {:>8} {:>9} {:>9}",
                s.name,
                s.wall.as_secs_f64(),
                secs(s.cpu),
                mib(s.rss),
                mib(s.peak)
            );
        }
        let (rss, peak) = memory();
        let cpu = stages.iter().map(|s| s.cpu).try_fold(Duration::ZERO, |acc, c| c.map(|c| acc + c));
        let _ = writeln!(
            out,
            "timings: {:<12} {:>7.3} {:>8} {:>9} {:>9}",
            "total",
            self.elapsed().as_secs_f64(),
            secs(cpu),
            mib(rss),
            mib(peak)
        );
        // The operations the library's loops counted on this thread (parallel loops hand theirs back), a
        // measure of work that does not depend on the machine: the CLI growth test reads it.
        let _ = writeln!(out, "timings: steps {}", crate::work::steps());
        out
    }
}

fn secs(d: Option<Duration>) -> String {
    d.map_or_else(|| "n/a".to_string(), |d| format!("{:.3}", d.as_secs_f64()))
}

fn mib(b: Option<u64>) -> String {
    b.map_or_else(|| "n/a".to_string(), |b| format!("{:.1}", b as f64 / (1024.0 * 1024.0)))
}

/// Resident memory now and the peak so far, in bytes (`VmRSS`, `VmHWM`); `None` off Linux.
#[must_use]
pub fn memory() -> (Option<u64>, Option<u64>) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return (None, None) };
    let field = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
            .map(|kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time of the process so far (user + system, every thread, living or ended); `None` off Linux.
#[must_use]
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = rest.split_whitespace();
    // After ')': state is field 3, utime field 14, stime field 15.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_are_recorded_in_order_and_shared_by_clones() {
        let t = Timings::start();
        let inner = t.clone();
        inner.lap("read");
        t.lap("score");
        let names: Vec<_> = t.stages().iter().map(|s| s.name).collect();
        assert_eq!(names, ["read", "score"]);
        let table = t.table();
        assert!(table.contains("read") && table.contains("score") && table.contains("total"), "{table}");
    }

    #[test]
    fn off_records_nothing() {
        let t = Timings::off();
        t.lap("read");
        assert!(t.stages().is_empty() && !t.is_on());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn linux_reports_memory_and_cpu() {
        let (rss, peak) = memory();
        assert!(rss.is_some_and(|r| r > 0) && peak >= rss);
        assert!(cpu_time().is_some());
    }
}
