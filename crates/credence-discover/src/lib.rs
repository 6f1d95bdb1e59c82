//! Truth discovery that sees copying.
//!
//! Many sources state values for the same objects ("source S says the population of O is V") and disagree.
//! This crate estimates, jointly, how accurate each source is, which value of each object is true, and which
//! sources copy from which — because a value repeated by five copiers of one careless source is one claim,
//! not five. The model is the Depen/Accu/AccuCopy family of Dong, Berti-Equille and Srivastava
//! (PVLDB 2(1), 2009) with TruthFinder-style support between similar values (Yin, Han and Yu, KDD 2007);
//! [`engine`] has the formulas and the README the reasoning.
//!
//! ```
//! use credence_discover::generate::{TrapSpec, copy_trap};
//! use credence_discover::{DiscoverConfig, discover_csv};
//!
//! // Independent sources of mixed accuracy, plus three careless originals each repeated by four copiers.
//! let trap = copy_trap(&TrapSpec { objects: 300, ..TrapSpec::default() });
//! let config = DiscoverConfig::default();
//! let (data, found) = discover_csv(&trap.csv, "trap.csv", &config).unwrap();
//! let with = trap.score(&data, &found, config.report_threshold);
//!
//! let naive = DiscoverConfig { copy_detection: false, ..DiscoverConfig::default() };
//! let (data0, found0) = discover_csv(&trap.csv, "trap.csv", &naive).unwrap();
//! let without = trap.score(&data0, &found0, config.report_threshold);
//!
//! // Seeing the copiers pays: their repeated mistakes stop outvoting the independent sources.
//! assert!(with.precision > without.precision);
//! assert!(with.pair_recall > 0.9 && with.pair_precision > 0.9);
//! let copying = credence_discover::output::copying_csv(&data, &found, &config);
//! assert!(String::from_utf8(copying).unwrap().starts_with("copier,original,copy_probability"));
//! ```
//!
//! [`run`] is the file-to-directory entry point (`truths.csv`, `sources.csv`, `copying.csv`, `report.md`,
//! `report.html`); the output functions in [`output`] return bytes, so callers can write them anywhere.
//! Input never makes the crate panic: malformed CSV, bad UTF-8 and out-of-range configuration are errors
//! that name the place and suggest a fix.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod csv;
pub mod data;
pub mod engine;
mod error;
pub mod generate;
pub mod output;
pub mod value;

use std::path::{Path, PathBuf};

pub use config::DiscoverConfig;
pub use data::Dataset;
pub use engine::{CopyModel, Discovery, Pair, discover};
pub use error::Error;
pub use value::{TokenSimilarity, ValueType};

/// What [`run`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Data rows read.
    pub rows: usize,
    /// Claims used (after dropping duplicates and empty values).
    pub claims: usize,
    /// Objects.
    pub objects: usize,
    /// Sources.
    pub sources: usize,
    /// Iterations run.
    pub iterations: usize,
    /// Whether the estimate converged within `max_iterations`.
    pub converged: bool,
    /// Source pairs written to `copying.csv`.
    pub copy_pairs: usize,
    /// Files written, in order.
    pub files: Vec<PathBuf>,
}

/// Reads CSV bytes, checks the config and runs the estimator.
pub fn discover_csv(bytes: &[u8], file: &str, config: &DiscoverConfig) -> Result<(Dataset, Discovery), Error> {
    config.validate()?;
    let data = Dataset::from_csv(bytes, file, config.value_type)?;
    let found = discover(&data, config);
    Ok((data, found))
}

/// Reads `input` (`object,source,value` CSV), estimates, and writes `truths.csv`, `sources.csv`,
/// `copying.csv`, `report.md` and `report.html` into `outdir`, creating it if missing.
pub fn run(input: &Path, outdir: &Path, config: &DiscoverConfig) -> Result<Summary, Error> {
    config.validate()?;
    let bytes = std::fs::read(input).map_err(|source| Error::Read { path: input.to_path_buf(), source })?;
    run_bytes(bytes, input, outdir, config)
}

/// [`run`] on the bytes of `input`, read by the caller (the CLI reads with its own limits); `input` names the
/// file in errors and reports.
pub fn run_bytes(bytes: Vec<u8>, input: &Path, outdir: &Path, config: &DiscoverConfig) -> Result<Summary, Error> {
    config.validate()?;
    let shown = input.to_string_lossy();
    let (data, found) = discover_csv(&bytes, &shown, config)?;
    drop(bytes);
    let name = input.file_name().map_or_else(|| shown.to_string(), |n| n.to_string_lossy().into_owned());
    std::fs::create_dir_all(outdir).map_err(|source| Error::Write { path: outdir.to_path_buf(), source })?;
    let outputs: [(&str, Vec<u8>); 5] = [
        ("truths.csv", output::truths_csv(&data, &found)),
        ("sources.csv", output::sources_csv(&data, &found, config)),
        ("copying.csv", output::copying_csv(&data, &found, config)),
        ("report.md", output::report_md(&data, &found, config, &name)),
        ("report.html", output::report_html(&data, &found, config, &name)),
    ];
    let mut files = Vec::with_capacity(outputs.len());
    for (file, bytes) in outputs {
        let path = outdir.join(file);
        std::fs::write(&path, bytes).map_err(|source| Error::Write { path: path.clone(), source })?;
        files.push(path);
    }
    Ok(Summary {
        rows: data.rows,
        claims: data.claims(),
        objects: data.objects.len(),
        sources: data.sources.len(),
        iterations: found.iterations,
        converged: found.converged,
        copy_pairs: output::reported(&data, &found, config).len(),
        files,
    })
}
