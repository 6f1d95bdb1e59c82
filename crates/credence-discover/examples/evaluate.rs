//! Scores configurations on the public benchmarks and the copy trap, with split halves of the gold objects.
//!
//! ```text
//! cargo run --release -p credence-discover --example evaluate -- [DIR] < configs.txt
//! ```
//!
//! `DIR` is the folder holding `book/` and `population/` (default `../shared/eval/truthdiscovery` next to
//! the repository). Each line of standard input is one configuration: `key=value` settings in TOML syntax
//! separated by `;` (an empty line is the defaults). For each it prints the precision on Book and
//! Population — on all gold objects and on the two halves `A`/`B` (a gold object is in half `A` when a
//! mixed bit of the FNV-1a hash of its name is 0: Book 44/56, Population 149/128 objects), with the
//! iterations run and the pairs pruned — and on the default copy trap with and without copy detection.
//! Only this example reads the gold files; the estimator never does.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::PathBuf;

use credence_discover::generate::{TrapSpec, copy_trap};
use credence_discover::{Dataset, DiscoverConfig, ValueType, discover};

/// A benchmark: name, claims and gold (object, value) pairs.
type Benchmark = (String, Dataset, Vec<(String, String)>);

/// FNV-1a of the object name: which half a gold object falls in (stable across runs and machines).
fn half(name: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    // The low bit of FNV-1a is only the parity of the bytes' low bits: take a well-mixed high bit.
    ((h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 63) & 1) as usize
}

fn read_gold(path: &PathBuf) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).expect("gold.csv");
    let mut out = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let (object, value) = if let Some(rest) = line.strip_prefix('"') {
            let end = rest.find("\",").expect("closing quote");
            (rest[..end].replace("\"\"", "\""), rest[end + 2..].trim().to_string())
        } else {
            let (o, v) = line.split_once(',').expect("two fields");
            (o.to_string(), v.trim().to_string())
        };
        out.push((object, value));
    }
    out
}

/// [all, half A, half B] precision.
fn score(d: &Dataset, truth: &[u32], gold: &[(String, String)]) -> [f64; 3] {
    let chosen: HashMap<&str, &str> =
        (0..d.objects.len()).map(|o| (d.objects[o].as_str(), d.value_text[truth[o] as usize].as_str())).collect();
    let (mut right, mut total) = ([0usize; 3], [0usize; 3]);
    for (o, v) in gold {
        let ok = chosen.get(o.as_str()) == Some(&v.as_str());
        for k in [0, 1 + half(o)] {
            total[k] += 1;
            right[k] += usize::from(ok);
        }
    }
    [0, 1, 2].map(|k| right[k] as f64 / total[k].max(1) as f64)
}

fn main() {
    let dir = std::env::args().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/truthdiscovery"),
        PathBuf::from,
    );
    let sets: Vec<Benchmark> = ["book", "population"]
        .iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(name).join("claims.csv")).expect("claims.csv");
            let d = Dataset::from_csv(&bytes, name, ValueType::default()).expect("parses");
            (name.to_string(), d, read_gold(&dir.join(name).join("gold.csv")))
        })
        .collect();
    let trap = copy_trap(&TrapSpec::default());
    let trap_data = Dataset::from_csv(&trap.csv, "trap", ValueType::default()).expect("trap");
    println!(
        "book all/A/B (iterations, pairs pruned/assessed) | population all/A/B (...) | trap with/without copy \
         detection, pair precision/recall | config"
    );
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let table: toml::Table = match line.replace(';', "\n").parse() {
            Ok(t) => t,
            Err(e) => {
                println!("{line}: {e}");
                continue;
            }
        };
        let config: DiscoverConfig = match toml::Value::Table(table).try_into() {
            Ok(c) => c,
            Err(e) => {
                println!("{line}: {e}");
                continue;
            }
        };
        if let Err(e) = config.validate() {
            println!("{line}: {e}");
            continue;
        }
        let mut cells = Vec::new();
        for (_, d, gold) in &sets {
            let found = discover(d, &config);
            let [a, h0, h1] = score(d, &found.truth, gold);
            cells.push(format!(
                "{a:.3} {h0:.3} {h1:.3} ({} it, {}/{} pruned)",
                found.iterations, found.pruned, found.assessed
            ));
        }
        let found = discover(&trap_data, &config);
        let s = trap.score(&trap_data, &found, config.report_threshold);
        let plain = discover(&trap_data, &DiscoverConfig { copy_detection: false, ..config.clone() });
        let s0 = trap.score(&trap_data, &plain, config.report_threshold);
        cells.push(format!("{:.3} {:.3} {:.2} {:.2}", s.precision, s0.precision, s.pair_precision, s.pair_recall));
        println!("{} | {line}", cells.join(" | "));
    }
}
