//! `credence record STORY|DIR... --db FILE`: scores each story and keeps its sources and who asserted or
//! refuted each claim in the track record, all stories in one transaction.

use std::path::{Path, PathBuf};

use anyhow::Result;

use credence::store::output::printable;
use credence::store::{Match, SqliteStore, TrackRecord};

use credence::score::TrustOverrides;

use super::{PlanArgs, Run, StoryArgs, assess, load, write_out};

/// Arguments of `credence record`.
#[derive(Debug, clap::Args)]
pub(crate) struct RecordArgs {
    /// Story files (.toml, .json), folders holding story.toml, or folders of articles (extracted first), as
    /// `credence score` takes them.
    #[arg(required = true, value_name = "STORY|DIR")]
    stories: Vec<PathBuf>,
    /// The track record (a database file; created if missing).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    #[command(flatten)]
    plan: PlanArgs,
    /// Do not open the article files to check report spans and quotes.
    #[arg(long)]
    no_check_files: bool,
    /// Do not print extraction summaries on standard error.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

/// Runs `credence record`; `Ok(true)` when some story was read only in part (skipped article files).
pub(crate) fn run(args: RecordArgs) -> Result<bool> {
    let mut stories = Vec::with_capacity(args.stories.len());
    let mut partial = false;
    for path in &args.stories {
        let story = StoryArgs {
            story: path.clone(),
            plan: PlanArgs {
                config: args.plan.config.clone(),
                lexicon: args.plan.lexicon.clone(),
                max_bytes: args.plan.max_bytes,
                ratings: args.plan.ratings.clone(),
                threads: args.plan.threads,
            },
            no_check_files: args.no_check_files,
            quiet: args.quiet,
            timings: false,
        };
        let run = load(&story)?;
        partial |= run.partial();
        let (_, assessment) = assess(&run);
        stories.push(credence::track::recorded_story(run.valid.story(), &assessment));
    }
    let mut store = SqliteStore::open(&args.db)?;
    let mut out = String::new();
    for s in store.record(&stories)? {
        let known = s.sources.iter().filter(|b| b.matched != Match::New).count();
        out += &format!(
            "{}: {} ({} claims; {} sources, {} known before)\n",
            s.story,
            if s.replaced { format!("recorded again (recording {})", s.recordings) } else { "recorded".into() },
            s.claims,
            s.sources.len(),
            known
        );
        for n in &s.notes {
            out += &format!("  note: {}\n", printable(n));
        }
        for d in &s.detached {
            out += &format!("  note: settled claim {} is no longer in the story; its outcome is kept\n", printable(d));
        }
    }
    write_out(out.as_bytes(), None)?;
    Ok(partial)
}

/// For `credence score --db FILE`: the learned origin trust of the story's known sources, read from the
/// track record opened read-only.
pub(crate) fn learned(run: &Run, db: &Path, quiet: bool) -> Result<TrustOverrides> {
    let store = SqliteStore::open_read_only(db)?;
    let learned = credence::track::learned_trust(run.valid.story(), &run.plan.settings, &store)?;
    if !quiet {
        say!("{}: learned trust for {} of the story's sources", db.display(), learned.len());
    }
    Ok(learned)
}
