//! Runs truth discovery on a claims file, as `credence discover` will.
//!
//! ```text
//! cargo run --release -p credence-discover --example discover -- CLAIMS.csv -o OUTDIR \
//!     [--config FILE.toml] [--set key=value ...] [--no-copy]
//! ```
//!
//! `--config` reads the `[discover]` table of a TOML file; `--set` overrides one key (TOML syntax for the
//! value, e.g. `--set copy_rate=0.5 --set value_type='"number"'`).

use std::path::PathBuf;
use std::process::ExitCode;

use credence_discover::{DiscoverConfig, run};

fn usage() -> ExitCode {
    eprintln!("usage: discover CLAIMS.csv -o OUTDIR [--config FILE.toml] [--set key=value ...] [--no-copy]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut input, mut outdir, mut config_file) = (None, None, None);
    let mut sets: Vec<String> = Vec::new();
    let mut no_copy = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "-o" | "--out" => outdir = args.next().map(PathBuf::from),
            "--config" => config_file = args.next().map(PathBuf::from),
            "--set" => match args.next() {
                Some(s) => sets.push(s),
                None => return usage(),
            },
            "--no-copy" => no_copy = true,
            "-h" | "--help" => return usage(),
            _ if input.is_none() => input = Some(PathBuf::from(a)),
            _ => return usage(),
        }
    }
    let (Some(input), Some(outdir)) = (input, outdir) else { return usage() };
    let mut table = toml::Table::new();
    if let Some(path) = &config_file {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        match text.parse::<toml::Table>() {
            Ok(mut t) => {
                if let Some(toml::Value::Table(d)) = t.remove("discover") {
                    table = d;
                }
            }
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    for s in &sets {
        match s.parse::<toml::Table>() {
            Ok(t) => table.extend(t),
            Err(e) => {
                eprintln!("--set {s}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let mut config: DiscoverConfig = match toml::Value::Table(table).try_into() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("[discover]: {e}");
            return ExitCode::FAILURE;
        }
    };
    if no_copy {
        config.copy_detection = false;
    }
    let started = std::time::Instant::now();
    match run(&input, &outdir, &config) {
        Ok(s) => {
            eprintln!(
                "{} claims, {} objects, {} sources; {} iterations{}; {} copying pairs; {:.3} s",
                s.claims,
                s.objects,
                s.sources,
                s.iterations,
                if s.converged { " (converged)" } else { "" },
                s.copy_pairs,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
