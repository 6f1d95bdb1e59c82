//! Errors of the track-record store.
//!
//! Every error about a database names the file and says what to do next; none of them is ever answered by
//! resetting or overwriting the file. Errors about the input name the story (or review file) and the field.

use std::path::PathBuf;

/// Anything that can go wrong while opening, reading or writing a track record.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database file could not be opened or created.
    #[error("{}: cannot open the track record: {reason} (check the path and its permissions)", file.display())]
    Open {
        /// The database file.
        file: PathBuf,
        /// What `SQLite` or the operating system said.
        reason: String,
    },
    /// A read command was given a database file that does not exist.
    #[error(
        "{}: no such track record (record a story first with `credence record STORY --db {}`)",
        file.display(),
        file.display()
    )]
    NotFound {
        /// The database file.
        file: PathBuf,
    },
    /// The file is not an `SQLite` database, or is damaged or truncated.
    #[error(
        "{}: not a readable credence track record ({detail}); the file may be damaged or truncated: restore it from a \
         backup or give another --db file (credence leaves this one unchanged)",
        file.display()
    )]
    Corrupt {
        /// The database file.
        file: PathBuf,
        /// What was wrong.
        detail: String,
    },
    /// The file is an `SQLite` database that belongs to another program.
    #[error(
        "{}: an SQLite database of another program ({detail}), not a credence track record; give credence a file of \
         its own with --db (credence leaves this one unchanged)",
        file.display()
    )]
    NotCredence {
        /// The database file.
        file: PathBuf,
        /// What identified it as foreign (its application id, or its tables).
        detail: String,
    },
    /// The file was written by a newer credence with a schema this build does not know.
    #[error(
        "{}: the track record has schema version {found}, newer than version {supported} that this credence knows; \
         use a newer credence (the file was left unchanged)",
        file.display()
    )]
    TooNew {
        /// The database file.
        file: PathBuf,
        /// Schema version found in the file.
        found: u32,
        /// Newest schema version this build knows.
        supported: u32,
    },
    /// A read-only open found an older schema, which only a writable open can upgrade.
    #[error(
        "{}: the track record has schema version {found} and this credence needs version {supported}; open it once \
         for writing (any `credence record` or `credence settle`) to upgrade it in place",
        file.display()
    )]
    NeedsUpgrade {
        /// The database file.
        file: PathBuf,
        /// Schema version found in the file.
        found: u32,
        /// Schema version this build needs.
        supported: u32,
    },
    /// Another process held the database for longer than the busy timeout.
    #[error(
        "{}: the track record stayed locked by another process for more than {timeout_ms} ms; try again when it is \
         done",
        file.display()
    )]
    Busy {
        /// The database file.
        file: PathBuf,
        /// The busy timeout that ran out.
        timeout_ms: u64,
    },
    /// A write was attempted on a database opened read-only or stored on a read-only file.
    #[error("{}: the track record is read-only ({reason}); make it writable or write to another --db file", file.display())]
    ReadOnly {
        /// The database file.
        file: PathBuf,
        /// What `SQLite` said.
        reason: String,
    },
    /// Any other database failure (disk full, I/O error, ...).
    #[error("{}: track record error: {reason}", file.display())]
    Database {
        /// The database file.
        file: PathBuf,
        /// What `SQLite` said.
        reason: String,
    },
    /// A story given to `record` is inconsistent (an unknown source id, a duplicate claim id, ...).
    #[error("story {story}: {problem}")]
    InvalidStory {
        /// The story key (or `(no key)`).
        story: String,
        /// What is wrong and where.
        problem: String,
    },
    /// No recorded claim has the id given.
    #[error("{}: no recorded claim `{query}`{}", file.display(), did_you_mean(suggestions))]
    UnknownClaim {
        /// The database file.
        file: PathBuf,
        /// The id as given.
        query: String,
        /// Close matches, best first.
        suggestions: Vec<String>,
    },
    /// A bare claim id names claims of several stories.
    #[error(
        "{}: claim id `{query}` is recorded in several stories; name one as STORY-KEY/CLAIM-ID: {}",
        file.display(),
        candidates.join(", ")
    )]
    AmbiguousClaim {
        /// The database file.
        file: PathBuf,
        /// The id as given.
        query: String,
        /// Every matching claim, as `STORY-KEY/CLAIM-ID`, sorted.
        candidates: Vec<String>,
    },
    /// An outcome word other than true, false or unsettled.
    #[error("`{given}` is not an outcome: write true, false or unsettled")]
    InvalidOutcome {
        /// The word given.
        given: String,
    },
    /// A `ClaimReview` file could not be read or does not give a usable rating.
    #[error("{file}: {problem}")]
    ClaimReview {
        /// The review file, as given.
        file: String,
        /// What is wrong, and what was expected.
        problem: String,
    },
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        " (name a claim as STORY-KEY/CLAIM-ID, or by its bare claim id when only one story has it)".to_string()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

/// Result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
