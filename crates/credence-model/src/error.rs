//! Error types of the library.
//!
//! Input problems are reported as [`Diagnostic`]s: each names the file, the line and column when they can be
//! found, the path of the offending value inside the document (`report[3].chain[1]`), what is wrong and what to
//! do about it. A load collects every diagnostic it finds instead of stopping at the first, so one run shows a
//! user everything to fix.

use std::fmt;
use std::path::PathBuf;

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in, as the user named it.
    pub file: String,
    /// 1-based line, when the offending value could be located.
    pub line: Option<usize>,
    /// 1-based column (in characters), when the offending value could be located.
    pub column: Option<usize>,
    /// Path of the value inside the document, e.g. `report[3].chain[1]`.
    pub path: Option<String>,
    /// What is wrong, quoting the offending value.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// How many problems of one file are shown (and located); the rest are counted ("… and 12 more problems").
/// A generated or corrupted file can hold millions of problems, and locating each costs a look-up in the file.
pub const MAX_SHOWN: usize = 100;

/// A non-empty list of diagnostics, displayed one per line, the first [`MAX_SHOWN`] of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().take(MAX_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > MAX_SHOWN {
            let more = self.0.len() - MAX_SHOWN;
            write!(f, "\n… and {more} more problem{}", if more == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read. The operating system's reason is the error's source (printed after it by
    /// the command line, once).
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The story file is malformed or inconsistent.
    #[error("invalid story ({}):\n{}", problems(.0), .0)]
    Story(Diagnostics),
    /// The configuration is malformed or out of range.
    #[error("invalid configuration ({}):\n{}", problems(.0), .0)]
    Config(Diagnostics),
    /// A claim id given on the command line is not in the story.
    #[error("claim `{id}` is not in the story; its claims are: {}", known.join(", "))]
    UnknownClaim {
        /// The id asked for.
        id: String,
        /// The ids the story has.
        known: Vec<String>,
    },
    /// An internal error (a bug in credence) that no single input file explains.
    #[error("internal error: {0} (a bug in credence: please report it)")]
    Internal(String),
    /// A report could not be rendered.
    #[error("cannot render the {format} report: {message}")]
    Render {
        /// The format.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

fn problems(d: &Diagnostics) -> String {
    match d.0.len() {
        1 => "1 problem".to_string(),
        n => format!("{n} problems"),
    }
}

/// Parses a lexicon file (`config/lexicons/<lexicon>.toml` or a user's replacement), reporting a syntax or
/// shape error with the file, line and column, and the built-in file to compare with.
pub fn parse_lexicon<T: serde::de::DeserializeOwned>(name: &str, text: &str, lexicon: &str) -> Result<T> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let (line, column) = e.span().map(|s| crate::locate::line_col(text, s.start)).unzip();
        Error::Config(Diagnostics(vec![Diagnostic {
            file: name.to_string(),
            line,
            column,
            path: None,
            message: format!("invalid {lexicon} lexicon: {}", e.message()),
            help: Some(format!("compare with config/lexicons/{lexicon}.toml")),
        }]))
    })
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
