//! Speed and memory of truth discovery with copy detection.
//!
//! `cargo bench -p credence-discover --bench discover` (plain `std::time`, no harness). Prints, for
//! generated copy traps of about 10k, 100k and 1M claims: parse time, estimation time, time per iteration,
//! total time of `run` (read, estimate, write five outputs), peak memory so far (`VmHWM`) and the precision
//! with and without copy detection; then the Book benchmark (if `shared/` is next to the repository),
//! median of several runs, for comparison with the peers' 0.3 s.
//!
//! Pass `--quick` to stop after 100k claims.

use std::path::PathBuf;
use std::time::Instant;

use credence_discover::generate::{TrapSpec, copy_trap};
use credence_discover::{Dataset, DiscoverConfig, discover, run};

/// Peak resident set size of this process so far, in MiB (Linux; 0 elsewhere).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A trap with many sources, about `claims` claims: 40 independent sources and 8 copier groups of 4.
fn spec(claims: usize) -> TrapSpec {
    let base = TrapSpec {
        objects: 1,
        independent: 40,
        accuracy: (0.55, 0.9),
        coverage: 0.15,
        groups: 8,
        copiers: 4,
        original_accuracy: 0.45,
        original_coverage: 0.1,
        copier_coverage: 0.8,
        copy_rate: 0.8,
        copier_accuracy: 0.6,
        false_values: 20,
        hidden_originals: false,
        seed: 7,
    };
    let per_object = base.expected_claims();
    TrapSpec { objects: (claims as f64 / per_object).round() as usize, ..base }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let dir = std::env::temp_dir().join(format!("credence-discover-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = DiscoverConfig::default();
    println!("machine: {} cores", std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    println!(
        "{:>9} {:>8} {:>8} {:>9} {:>6} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "claims", "sources", "parse_s", "estim_s", "iters", "per_it_ms", "run_s", "peak_MiB", "prec_copy", "prec_plain"
    );
    for target in [10_000usize, 100_000, 1_000_000] {
        if quick && target > 100_000 {
            break;
        }
        let trap = copy_trap(&spec(target));
        let input = dir.join(format!("trap-{target}.csv"));
        std::fs::write(&input, &trap.csv).expect("write input");

        let t = Instant::now();
        let data = Dataset::from_csv(&trap.csv, "trap.csv", config.value_type).expect("parses");
        let parse = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let one = discover(&data, &DiscoverConfig { max_iterations: 1, ..config.clone() });
        let first = t.elapsed().as_secs_f64();
        drop(one);
        let t = Instant::now();
        let found = discover(&data, &config);
        let estimate = t.elapsed().as_secs_f64();
        // The first call is setup (index of same-value source pairs, similarity lists) plus one iteration.
        let per_iteration =
            if found.iterations > 1 { (estimate - first).max(0.0) / (found.iterations - 1) as f64 } else { estimate };
        let with = trap.score(&data, &found, config.report_threshold).precision;
        let plain = discover(&data, &DiscoverConfig { copy_detection: false, ..config.clone() });
        let without = trap.score(&data, &plain, config.report_threshold).precision;
        drop((found, plain, data));

        let t = Instant::now();
        let summary = run(&input, &dir.join(format!("out-{target}")), &config).expect("run");
        let total = t.elapsed().as_secs_f64();
        println!(
            "{:>9} {:>8} {:>8.3} {:>9.3} {:>6} {:>9.2} {:>9.3} {:>9.1} {:>10.4} {:>10.4}",
            summary.claims,
            summary.sources,
            parse,
            estimate,
            summary.iterations,
            per_iteration * 1000.0,
            total,
            peak_mib(),
            with,
            without
        );
    }
    let book = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/truthdiscovery/book/claims.csv");
    if book.is_file() {
        let mut times: Vec<f64> = (0..9)
            .map(|_| {
                let t = Instant::now();
                run(&book, &dir.join("out-book"), &config).expect("book");
                t.elapsed().as_secs_f64()
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let bytes = std::fs::read(&book).expect("book");
        let median = |f: &mut dyn FnMut() -> f64| {
            let mut t: Vec<f64> = (0..9).map(|_| f()).collect();
            t.sort_by(f64::total_cmp);
            t[4]
        };
        let parse = median(&mut || {
            let t = Instant::now();
            std::hint::black_box(Dataset::from_csv(&bytes, "book", config.value_type).expect("book"));
            t.elapsed().as_secs_f64()
        });
        let data = Dataset::from_csv(&bytes, "book", config.value_type).expect("book");
        let mut iterations = 0;
        let estimate = median(&mut || {
            let t = Instant::now();
            iterations = discover(&data, &config).iterations;
            t.elapsed().as_secs_f64()
        });
        let setup = median(&mut || {
            let t = Instant::now();
            std::hint::black_box(discover(&data, &DiscoverConfig { max_iterations: 1, ..config.clone() }));
            t.elapsed().as_secs_f64()
        });
        println!(
            "book: parse {parse:.4} s, estimate {estimate:.4} s ({iterations} iterations; setup + first iteration {setup:.4} s)"
        );
        println!(
            "book: run (read, estimate, write 5 outputs) median {:.4} s, min {:.4} s over {} runs",
            times[times.len() / 2],
            times[0],
            times.len()
        );
        let plain = DiscoverConfig { copy_detection: false, ..config.clone() };
        let without = median(&mut || {
            let t = Instant::now();
            run(&book, &dir.join("out-book-plain"), &plain).expect("book");
            t.elapsed().as_secs_f64()
        });
        println!("book: run without copy detection, median {without:.4} s");
    } else {
        println!("book: skipped, {} not found", book.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
