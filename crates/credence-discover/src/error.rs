//! Errors of the discover crate.
//!
//! Every error that comes from the input names the file and the place in it (line, column and the field's
//! name) and carries a hint, because the person who reads it is usually fixing a spreadsheet export, not
//! reading Rust.

use std::path::PathBuf;

/// Anything that can go wrong while reading claims, checking the configuration or writing the outputs.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input file could not be opened or read.
    #[error("{}: cannot read the claims file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The input is not a well-formed `object,source,value` CSV file.
    #[error("{file}:{line}:{column}: {message} (hint: {hint})")]
    Csv {
        /// The file, as given.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column (in characters) of the problem on that line.
        column: usize,
        /// What is wrong; names the field when one is concerned.
        message: String,
        /// How to fix it.
        hint: &'static str,
    },
    /// A configuration value is out of its range.
    #[error("invalid [discover] configuration: {key} = {value}: {reason}")]
    Config {
        /// The config key.
        key: &'static str,
        /// The rejected value, as written.
        value: String,
        /// The accepted range or values.
        reason: &'static str,
    },
    /// An output file or directory could not be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}
