//! `credence settle CLAIM true|false|unsettled --db FILE` (or `--review FILE`, a `ClaimReview`): records a
//! claim's outcome, which moves the learned reliability of every origin that asserted or refuted it.

use std::path::PathBuf;

use anyhow::{Result, bail};

use credence::store::output::settle_report;
use credence::store::{ClaimReview, SqliteStore, TrackRecord, Verdict, parse_outcome};

use super::write_out;

/// Arguments of `credence settle`.
#[derive(Debug, clap::Args)]
pub(crate) struct SettleArgs {
    /// The claim: STORY-KEY/CLAIM-ID, or the bare claim id when one recorded story has it.
    claim: String,
    /// The outcome: true, false, or unsettled (withdraws an earlier one).
    #[arg(value_name = "true|false|unsettled", required_unless_present = "review", conflicts_with = "review")]
    outcome: Option<String>,
    /// Take the outcome from a schema.org `ClaimReview` (JSON-LD): rating 4–5 of 5 true, 1–2 false, 3 or
    /// none unsettled; the review is kept as the outcome's provenance.
    #[arg(long, value_name = "FILE", visible_alias = "claimreview")]
    review: Option<PathBuf>,
    /// The track record (a database file made by `credence record`).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
}

/// Runs `credence settle`.
pub(crate) fn run(args: &SettleArgs) -> Result<()> {
    let verdict = match (&args.outcome, &args.review) {
        (Some(word), None) => Verdict::manual(parse_outcome(word)?),
        (None, Some(file)) => Verdict::from_review(ClaimReview::from_file(file)?),
        _ => bail!("give an outcome (true, false, unsettled) or --review FILE, not both"),
    };
    if !args.db.exists() {
        return Err(credence::store::Error::NotFound { file: args.db.clone() }.into());
    }
    let mut store = SqliteStore::open(&args.db)?;
    let summary = store.settle(&args.claim, &verdict)?;
    write_out(settle_report(&summary).as_bytes(), None)?;
    Ok(())
}
