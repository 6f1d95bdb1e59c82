//! `credence outcomes --db FILE`: every settled outcome of the track record with its provenance.

use std::path::PathBuf;

use anyhow::Result;

use credence::store::output::{outcomes_csv, outcomes_table};
use credence::store::{SqliteStore, TrackRecord};

use super::write_out;

/// Output formats of `credence outcomes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutcomesFormat {
    /// Aligned text columns.
    Table,
    /// RFC 4180 CSV with the full provenance (`ClaimReview` rating, reviewer, address).
    Csv,
}

/// Arguments of `credence outcomes`.
#[derive(Debug, clap::Args)]
pub(crate) struct OutcomesArgs {
    /// The track record (a database file made by `credence record`); opened read-only.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Output format (default: from the -o extension, else table).
    #[arg(long, short = 'f', value_enum)]
    format: Option<OutcomesFormat>,
    /// Write the listing to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Runs `credence outcomes`.
pub(crate) fn run(args: &OutcomesArgs) -> Result<()> {
    let csv = args.output.as_deref().and_then(|o| o.extension()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let format = args.format.unwrap_or(if csv { OutcomesFormat::Csv } else { OutcomesFormat::Table });
    let store = SqliteStore::open_read_only(&args.db)?;
    let list = store.outcomes()?;
    let text = match format {
        OutcomesFormat::Table => outcomes_table(&list),
        OutcomesFormat::Csv => outcomes_csv(&list),
    };
    write_out(text.as_bytes(), args.output.as_deref())?;
    Ok(())
}
