//! `credence sources --db FILE`: every known source of the track record with its learned reliability, its
//! credible interval and its counts.

use std::path::PathBuf;

use anyhow::Result;

use credence::plan::read_config;
use credence::store::output::{sources_csv, sources_table};
use credence::store::{SqliteStore, TrackRecord};

use super::write_out;

/// Output formats of `credence sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SourcesFormat {
    /// Aligned text columns.
    Table,
    /// RFC 4180 CSV, every field of the record.
    Csv,
    /// A Markdown table.
    Md,
    /// JSON: `{"schema": "credence-sources/1", "sources": [...]}`.
    Json,
}

/// Arguments of `credence sources`.
#[derive(Debug, clap::Args)]
pub(crate) struct SourcesArgs {
    /// The track record (a database file made by `credence record`); opened read-only.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Output format (default: from the -o extension, else table).
    #[arg(long, short = 'f', value_enum)]
    format: Option<SourcesFormat>,
    /// Write the listing to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "OUT")]
    output: Option<PathBuf>,
    /// Config file: its `[opinion] interval` sets the credible interval's mass (default 0.9).
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,
}

/// Runs `credence sources`.
pub(crate) fn run(args: &SourcesArgs) -> Result<()> {
    let mass = match &args.config {
        Some(path) => {
            let (name, text) = read_config(path)?;
            credence::config::Settings::load(&name, &text)?.interval
        }
        None => credence::config::Settings::defaults().interval,
    };
    let format = args.format.unwrap_or_else(|| {
        match args.output.as_deref().and_then(|o| o.extension()).and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => SourcesFormat::Csv,
            Some(e) if e.eq_ignore_ascii_case("md") => SourcesFormat::Md,
            Some(e) if e.eq_ignore_ascii_case("json") => SourcesFormat::Json,
            _ => SourcesFormat::Table,
        }
    });
    let store = SqliteStore::open_read_only(&args.db)?;
    let list = store.sources()?;
    let text = match format {
        SourcesFormat::Table => sources_table(&list, mass),
        SourcesFormat::Csv => sources_csv(&list, mass),
        SourcesFormat::Md => credence::track::sources_markdown(&list, mass),
        SourcesFormat::Json => credence::track::sources_json(&list, mass),
    };
    write_out(text.as_bytes(), args.output.as_deref())?;
    Ok(())
}
