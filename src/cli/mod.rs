//! Command-line interface: argument parsing (clap), settings assembly, and exit codes.
//!
//! Exit codes (also in `--help` and the README):
//! 0 success · 1 internal error · 2 usage error (bad flag, unknown claim id) · 3 invalid story file (or claims CSV) ·
//! 4 invalid configuration · 5 a file could not be read or written · 6 partial run (some article files
//! skipped; the report covers the rest) · 7 the track record cannot be used (damaged, newer, foreign or
//! read-only file) · 8 the track record stayed locked by another process (try again).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use credence::config::DEFAULT_CONFIG;
use credence::extract::{Extraction, extract_dir};
use credence::graph::ClaimGraph;
use credence::model::{self, Story};
use credence::plan::{Plan, read_config};
use credence::report::{ArticleReading, Exporter, Format, ReportInput, SvgOptions, TerminalExporter};
use credence::score::{Assessment, Scorer, TrustOverrides};

/// Prints a line on standard error with any control or bidi character from article or story text shown as
/// `<U+XXXX>`, so no message can move the cursor, retitle the terminal or reorder what it shows.
macro_rules! say {
    ($($t:tt)*) => {{
        let line = format!($($t)*);
        eprintln!("{}", credence::report::inert::visible(&line));
    }};
}

mod discover;
mod outcomes;
mod record;
mod settle;
mod sources;
mod check;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  internal error (a bug: please report it)
  2  usage error: unknown flag or command, unknown claim id
  3  the story file is invalid (every problem is listed with file, line and key); for discover, the
     claims CSV (file, line and column)
  4  the configuration is invalid (file, line and key are named)
  5  a file could not be read or written
  6  partial: some article files could not be read (each is named on standard error and in the report's
     list of skipped files); the report covers the rest
  7  the track record (--db) cannot be used: damaged or not a database, written by a newer credence,
     another program's SQLite file, or read-only; the file is left unchanged
  8  the track record stayed locked by another process past the busy timeout: try again";

const EXAMPLES: &str = "\
Examples:
  credence score examples/jisr-al-shughur/story.toml
  credence score story.toml --format json -o report.json
  credence score story.toml --config my-weights.toml --format dot | dot -Tsvg > graph.svg
  credence score story.toml -o report.html   # one self-contained page: claims, evidence, graph, sources
  credence score story.toml -o reviews.jsonld --review-url https://example.org/report.html
  credence graph story.toml -o graph.svg     # the claim graph alone
  credence score articles/                 # extract a story from raw articles, then score it
  credence extract articles/ -o story.toml # write the extracted story to correct by hand
  credence explain story.toml jisr-captured
  credence validate story.toml
  credence check 'Macaulay Culkin is dead' articles/ -o check.html
  credence config > my-weights.toml
  credence record story.toml --db track.sqlite3   # keep the story's sources and claims
  credence settle jisr-captured true --db track.sqlite3
  credence sources --db track.sqlite3 --format csv
  credence score story.toml --db track.sqlite3    # learned reliability as the trust of known sources
  credence discover claims.csv -o out/            # truth discovery with copy detection";

/// Scores how well each claim of a news story is supported, weighing independence, caveats, party interest
/// and contradictions.
#[derive(Debug, Parser)]
#[command(name = "credence", version, about, after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The report formats, as `--format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    /// Markdown: claims table, evidence per claim, sources.
    Md,
    /// JSON following schema/report.schema.json.
    Json,
    /// Graphviz DOT of the claim graph.
    Dot,
    /// One self-contained HTML page: summary, claims with their evidence, the claim graph, sources.
    Html,
    /// The claim graph alone as an SVG picture.
    Svg,
    /// schema.org `ClaimReview` JSON-LD, one review per claim.
    Claimreview,
    /// W3C PROV-O JSON-LD of the attribution chains and copy derivations.
    Prov,
    /// The compact summary table printed on a terminal (plain text unless colour is asked for).
    Table,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Md => Format::Md,
            FormatArg::Json => Format::Json,
            FormatArg::Dot => Format::Dot,
            FormatArg::Html => Format::Html,
            FormatArg::Svg => Format::Svg,
            FormatArg::Claimreview => Format::Claimreview,
            FormatArg::Prov => Format::Prov,
            FormatArg::Table => Format::Table,
        }
    }
}

/// What every command that reads a story or a folder shares: the config and lexicon overrides.
#[derive(Debug, clap::Args)]
struct PlanArgs {
    /// Config file overriding any subset of the built-in defaults (see `credence config`).
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,
    /// Lexicon file (named like a built-in one: attribution.toml, frames.toml, …) or a folder of them,
    /// merged key by key into the built-in lexicons. May be given several times.
    #[arg(long, value_name = "FILE|DIR")]
    lexicon: Vec<PathBuf>,
    /// Largest article file read when extracting from a folder, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = credence::ingest::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
}

impl PlanArgs {
    fn plan(&self) -> Result<Plan> {
        let config = self.config.as_deref().map(read_config).transpose()?;
        Ok(Plan::new(config.as_ref().map(|(n, t)| (n.as_str(), t.as_str())), &self.lexicon, self.max_bytes)?)
    }
}

#[derive(Debug, clap::Args)]
struct StoryArgs {
    /// Story file (.toml, or .json for JSON), or a directory holding story.toml.
    story: PathBuf,
    #[command(flatten)]
    plan: PlanArgs,
    /// Do not open the article files to check report spans and quotes.
    #[arg(long)]
    no_check_files: bool,
    /// Do not print warnings and extraction summaries on standard error.
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score every claim of a story and write a report.
    #[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
    Score {
        #[command(flatten)]
        story: StoryArgs,
        /// Report format (default: from the -o extension, else md).
        #[arg(long, short = 'f', value_enum)]
        format: Option<FormatArg>,
        /// Write the report to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "OUT")]
        output: Option<PathBuf>,
        /// Colour in the terminal summary: auto (only on a terminal, not with `NO_COLOR` or TERM=dumb), always,
        /// never.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
        color: ColorChoice,
        /// URL where the HTML report will be published: `ClaimReview` urls become URL#claim-ID.
        #[arg(long, value_name = "URL", value_parser = credence::report::review_url)]
        review_url: Option<String>,
        /// Track record (made by `credence record`, settled with `credence settle`): the learned reliability
        /// of known sources replaces their grade's trust as origins. Opened read-only.
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
    /// Draw the claim graph alone as an SVG picture (laid out by credence, no Graphviz needed).
    #[command(after_help = EXIT_CODES)]
    Graph {
        #[command(flatten)]
        story: StoryArgs,
        /// Write the SVG to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "OUT")]
        output: Option<PathBuf>,
        /// Most claims drawn; beyond this only the best-supported are, with a note in the picture.
        #[arg(long, value_name = "N", default_value_t = SvgOptions::default().max_claims)]
        max_claims: usize,
    },
    /// Read a folder of articles and write the story credence extracts from them (a draft to correct).
    #[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
    Extract {
        /// Folder of articles (.txt, .md, .html), read in file-name order.
        dir: PathBuf,
        #[command(flatten)]
        plan: PlanArgs,
        /// Write the story to this file (TOML, or JSON for .json) instead of standard output.
        #[arg(long, short = 'o', value_name = "OUT")]
        output: Option<PathBuf>,
        /// Print every line removed as boilerplate, with its file, line and rule, on standard error.
        #[arg(long)]
        show_dropped: bool,
        /// Do not print the summary on standard error.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Show how one claim's score came about: every report, hop, weight and origin.
    #[command(after_help = EXIT_CODES)]
    Explain {
        #[command(flatten)]
        story: StoryArgs,
        /// Claim id.
        claim: String,
        /// Format (default md: the claim's section; json: the claim's assessment; any other: a report of the
        /// story restricted to this claim).
        #[arg(long, short = 'f', value_enum)]
        format: Option<FormatArg>,
        /// Track record: explain with the learned trust of known sources, as `score --db` scores.
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
    },
    /// Validate a story file and print a summary, without scoring (this command was called `check` before).
    #[command(after_help = EXIT_CODES)]
    Validate {
        #[command(flatten)]
        story: StoryArgs,
    },
    /// Score stories and keep their sources and claims in a track record, to learn reliability from.
    #[command(after_help = EXIT_CODES)]
    Record(record::RecordArgs),
    /// Record the outcome of a recorded claim; its origins' learned reliability moves with it.
    #[command(after_help = EXIT_CODES)]
    Settle(settle::SettleArgs),
    /// List the track record's sources with their learned reliability, interval and counts.
    #[command(after_help = EXIT_CODES)]
    Sources(sources::SourcesArgs),
    /// List the track record's settled outcomes with their provenance (CSV export with --format csv).
    #[command(after_help = EXIT_CODES)]
    Outcomes(outcomes::OutcomesArgs),
    /// Truth discovery: from `object,source,value` rows, each source's accuracy, each object's true value
    /// and which sources copy which.
    #[command(after_help = EXIT_CODES)]
    Discover(discover::DiscoverArgs),
    /// Check one claim against articles: each article's stance toward it (supports, refutes, observing,
    /// unrelated), origins counted once and weighed by reliability, and a verdict with its support.
    #[command(after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
    Check(check::CheckArgs),
    /// Print the built-in default configuration (a commented TOML file to copy and edit).
    #[command(after_help = EXIT_CODES)]
    Config {
        /// Instead of printing the defaults, validate this override file.
        #[arg(long, value_name = "FILE")]
        check: Option<PathBuf>,
    },
}

/// When the terminal summary is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (to anything but "") or TERM is "dumb".
    Auto,
    /// Always, even into a file or a pipe.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a stream that is (or is not) a terminal.
    fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }
}

/// Width of the terminal summary: `COLUMNS` when the shell exports it, else 100.
fn table_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).map_or(100, |w| w.clamp(60, 240))
}

/// What a run needs, assembled from the command line, the config file and the defaults.
struct Run {
    plan: Plan,
    file: model::StoryFile,
    valid: model::ValidStory,
    /// How each article file was read, when the story was extracted from a folder.
    readings: Option<Vec<ArticleReading>>,
    /// Files of the folder that were not read as articles, with the reason.
    skipped: Vec<credence::ingest::Skipped>,
}

impl Run {
    /// Whether an article was lost (a file that looked like one could not be read): the run is partial.
    fn partial(&self) -> bool {
        self.skipped.iter().any(credence::ingest::Skipped::is_loss)
    }
}

/// The story file inside a directory, if there is one.
fn story_in(dir: &Path) -> Option<PathBuf> {
    ["story.toml", "story.json"].iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// Extracts a story from the articles in `dir`, with `hint` (a story file that lists sources or article
/// metadata but no reports) taking precedence over what is inferred.
fn extract_story(plan: &Plan, dir: &Path, hint: Option<&Story>, story_dir: &Path, quiet: bool) -> Result<Extraction> {
    let mut opts = plan.extract_options(story_dir);
    if !quiet && std::io::stderr().is_terminal() {
        opts.ingest.progress = Some(progress);
    }
    Ok(extract_dir(dir, hint, &opts, &plan.lexicons)?)
}

/// Shows how far reading a folder has got, on one rewritten line of standard error (only called when standard
/// error is a terminal). Small folders finish before it would be noticed, so it starts at the 50th file.
fn progress(done: usize, total: usize) {
    if total < 50 {
        return;
    }
    let mut err = std::io::stderr().lock();
    if done < total {
        if done.is_multiple_of(10) {
            let _ = write!(err, "\rreading {done}/{total} files");
            let _ = err.flush();
        }
    } else {
        let _ = write!(err, "\rread {total} files; extracting claims…\x1b[K\n");
        let _ = err.flush();
    }
}

/// How each article of an extraction was read, for the HTML report's "articles read" table.
fn readings(ex: &Extraction) -> Vec<ArticleReading> {
    ex.documents
        .iter()
        .zip(&ex.story.articles)
        .map(|(d, article)| {
            let mut rules: Vec<(String, usize)> = Vec::new();
            for x in &d.dropped {
                match rules.iter_mut().find(|(r, _)| *r == x.reason) {
                    Some((_, n)) => *n += 1,
                    None => rules.push((x.reason.clone(), 1)),
                }
            }
            ArticleReading {
                article: article.id.clone(),
                file: d.path.display().to_string(),
                paragraphs: d.paragraphs.len(),
                dropped: d.dropped.len(),
                rules,
            }
        })
        .collect()
}

/// Loads what a command was pointed at: a story file; a directory with a story file that has reports (a
/// hand-made or corrected story); or a directory of articles, which is extracted first (using its story
/// file, if any, as stated metadata).
fn load(args: &StoryArgs) -> Result<Run> {
    let plan = args.plan.plan()?;
    let path = &args.story;
    let mut read = None;
    let mut skipped = Vec::new();
    let file = if path.is_dir() {
        let stated = story_in(path).map(|p| Story::load(&p)).transpose()?;
        match stated {
            Some(f) if !f.story.reports.is_empty() => f,
            stated => {
                // What the user stated is checked against its own file and lines before it is used.
                if let Some(f) = &stated {
                    model::validate(f, &plan.vocab, false)?;
                }
                let mut ex = extract_story(&plan, path, stated.as_ref().map(|f| &f.story), path, args.quiet)?;
                if ex.documents.is_empty() && ex.skipped.iter().all(|s| !s.is_loss()) {
                    return Err(credence::Error::Read {
                        path: path.clone(),
                        source: std::io::Error::other(
                            "no article files (.txt, .md, .html) and no story file in this directory",
                        ),
                    }
                    .into());
                }
                let mut file = model::StoryFile {
                    story: std::mem::take(&mut ex.story),
                    path: path.join("(extracted story)"),
                    text: String::new(),
                    syntax: credence::locate::Syntax::Toml,
                };
                // The extractor should never write a story that fails validation; if it does, the entries at
                // fault are dropped with a message naming their article and line, and the rest is scored.
                if let Err(credence::Error::Story(problems)) = model::validate(&file, &plan.vocab, !args.no_check_files)
                {
                    ex.story = std::mem::take(&mut file.story);
                    for m in credence::extract::drop_invalid(&mut ex, &problems.0) {
                        if !args.quiet {
                            say!("warning: {m}");
                        }
                    }
                    file.story = std::mem::take(&mut ex.story);
                }
                ex.story = file.story.clone();
                if !args.quiet {
                    summarise(&ex, false);
                }
                read = Some(readings(&ex));
                skipped = std::mem::take(&mut ex.skipped);
                file
            }
        }
    } else {
        Story::load(path)?
    };
    let valid = model::validate(&file, &plan.vocab, !args.no_check_files)?;
    Ok(Run { plan, file, valid, readings: read, skipped })
}

/// Tells on standard error what extraction read, skipped and dropped.
fn summarise(ex: &Extraction, show_dropped: bool) {
    // Reports per article in one pass: counting by scanning every report for each article was quadratic.
    let mut per_article: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in &ex.story.reports {
        *per_article.entry(r.article.as_str()).or_default() += 1;
    }
    for (d, article) in ex.documents.iter().zip(&ex.story.articles) {
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for x in &d.dropped {
            match reasons.iter_mut().find(|(r, _)| *r == x.reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((x.reason.clone(), 1)),
            }
        }
        let n_reports = per_article.get(article.id.as_str()).copied().unwrap_or(0);
        say!(
            "read {}: {} paragraphs kept, {} dropped{}; outlet {}; {} reports",
            d.path.display(),
            d.paragraphs.len(),
            d.dropped.len(),
            if reasons.is_empty() {
                String::new()
            } else {
                format!(" ({})", reasons.iter().map(|(r, n)| format!("{r} {n}")).collect::<Vec<_>>().join(", "))
            },
            article.outlet,
            n_reports
        );
        for w in &d.warnings {
            say!("warning: {w}");
        }
        if show_dropped {
            for x in &d.dropped {
                say!("  dropped {}:{} [{}] {}", d.path.display(), x.line, x.reason, x.text.trim());
            }
        }
    }
    if show_dropped {
        // Sentences read but not turned into a report, with the rule: with the dropped lines above, every
        // sentence of every file is accounted for.
        for (d, left) in ex.documents.iter().zip(&ex.unreported) {
            for u in left {
                let line = d.line_of_source(d.source_span(u.span.clone()).start);
                let text: String =
                    d.text.get(u.span.clone()).unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
                say!("  left out {}:{line} [{}] {text}", d.path.display(), u.rule);
            }
        }
    }
    for s in &ex.skipped {
        say!("{}: {s}", if s.is_loss() { "error" } else { "note" });
    }
}

fn assess(run: &Run) -> (ClaimGraph, Assessment) {
    assess_with(run, None)
}

/// Scores a loaded story, with learned origin trust when a track record gave some.
fn assess_with(run: &Run, learned: Option<&TrustOverrides>) -> (ClaimGraph, Assessment) {
    let graph = ClaimGraph::build(&run.valid);
    let scorer = Scorer::new(&graph, &run.plan.settings, run.plan.cues());
    let scorer = match learned {
        Some(l) => scorer.with_trust_overrides(l),
        None => scorer,
    };
    let mut assessment = scorer.assess();
    // What was not read belongs in the report, not only on standard error.
    assessment.skipped = run
        .skipped
        .iter()
        .map(|s| credence::score::SkippedFile {
            file: s.path.display().to_string(),
            reason: s.code().to_string(),
            message: s.message(),
            lost: s.is_loss(),
        })
        .collect();
    (graph, assessment)
}

fn write_out(bytes: &[u8], output: Option<&Path>) -> Result<()> {
    if let Some(path) = output {
        std::fs::write(path, bytes).map_err(|source| credence::Error::Write { path: path.to_path_buf(), source })?;
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).and_then(|()| out.flush()).context("writing to standard output")?;
    }
    Ok(())
}

/// Runs one command; `Ok(true)` when the run was partial (some article files were skipped).
fn run(cli: Cli) -> Result<bool> {
    let mut partial = false;
    match cli.command {
        Command::Score { story, format, output, color, review_url, db } => {
            let quiet = story.quiet;
            let run = load(&story)?;
            partial = run.partial();
            let learned = db.as_deref().map(|db| record::learned(&run, db, quiet)).transpose()?;
            let (graph, assessment) = assess_with(&run, learned.as_ref());
            if !quiet {
                for c in &assessment.claims {
                    for r in c.reports.iter().filter(|r| !r.cue_known) {
                        say!(
                            "warning: report #{} (claim `{}`): cue \"{}\" is in no cue class; scored as `{}` (add it to a [[cue]] list of attribution.toml with --lexicon)",
                            r.index,
                            c.id,
                            r.cue,
                            r.cue_class.name()
                        );
                    }
                }
            }
            let phrases = credence::caveat_phrases(&assessment, &run.plan.lexicons.caveats);
            let input = ReportInput {
                readings: run.readings.as_deref(),
                review_url: review_url.as_deref(),
                caveat_phrases: Some(&phrases),
                ..ReportInput::new(&assessment, &graph)
            };
            let table = |color: bool| TerminalExporter { color, width: table_width() };
            let stdout_tty = std::io::stdout().is_terminal();
            // On a terminal with no format asked for, people want the summary, not pages of Markdown; pipes and
            // files get the format's bytes as before.
            let format = match (format.map(Format::from), &output) {
                (Some(f), _) => f,
                (None, Some(o)) => Format::from_extension(o).unwrap_or(Format::Md),
                (None, None) if stdout_tty => Format::Table,
                (None, None) => Format::Md,
            };
            let bytes = match format {
                Format::Table => table(color.enabled(output.is_none() && stdout_tty)).render(&input)?,
                f => f.exporter().render(&input)?,
            };
            write_out(&bytes, output.as_deref())?;
            if let Some(path) = &output
                && !quiet
            {
                let stderr_tty = std::io::stderr().is_terminal();
                if stderr_tty && format != Format::Table {
                    let summary = table(color.enabled(true)).render(&input)?;
                    let _ = std::io::stderr().lock().write_all(&summary);
                }
                say!(
                    "wrote {} ({} report, {} claims, {} bytes)",
                    path.display(),
                    format.name(),
                    assessment.claims.len(),
                    bytes.len()
                );
            } else if output.is_none() && format == Format::Table && !quiet && std::io::stderr().is_terminal() {
                say!("(a summary; for the full report use --format md|html|json or -o report.html)");
            }
        }
        Command::Graph { story, output, max_claims } => {
            let quiet = story.quiet;
            let run = load(&story)?;
            partial = run.partial();
            let (graph, assessment) = assess(&run);
            let input = ReportInput {
                svg: SvgOptions { max_claims: max_claims.max(1), ..SvgOptions::default() },
                ..ReportInput::new(&assessment, &graph)
            };
            let svg = Format::Svg.exporter().render(&input)?;
            write_out(&svg, output.as_deref())?;
            if let Some(path) = &output
                && !quiet
            {
                say!("wrote {} (claim graph, {} bytes)", path.display(), svg.len());
            }
        }
        Command::Explain { story, claim, format, db } => {
            let run = load(&story)?;
            partial = run.partial();
            let learned = db.as_deref().map(|db| record::learned(&run, db, story.quiet)).transpose()?;
            let (graph, assessment) = assess_with(&run, learned.as_ref());
            let Some(only) = assessment.restricted_to(&claim) else {
                let mut known: Vec<String> = run.file.story.claims.iter().map(|c| c.id.clone()).collect();
                known.sort();
                return Err(credence::Error::UnknownClaim { id: claim, known }.into());
            };
            // Every format goes through its exporter, restricted to the claim.
            let phrases = credence::caveat_phrases(&only, &run.plan.lexicons.caveats);
            let input =
                ReportInput { caveat_phrases: Some(&phrases), focus: Some(&claim), ..ReportInput::new(&only, &graph) };
            let bytes = format.map_or(Format::Md, Format::from).exporter().render(&input)?;
            write_out(&bytes, None)?;
        }
        Command::Extract { dir, plan, output, show_dropped, quiet } => {
            let plan = plan.plan()?;
            if !dir.is_dir() {
                return Err(credence::Error::Read {
                    path: dir.clone(),
                    source: std::io::Error::other("not a directory; give the folder of articles"),
                }
                .into());
            }
            let story_dir = match &output {
                Some(o) => o.parent().map(Path::to_path_buf).unwrap_or_default(),
                None => PathBuf::from("."),
            };
            let stated = story_in(&dir).map(|p| Story::load(&p)).transpose()?;
            if let Some(f) = &stated {
                model::validate(f, &plan.vocab, false)?;
            }
            let mut ex = extract_story(&plan, &dir, stated.as_ref().map(|f| &f.story), &story_dir, quiet)?;
            partial = ex.skipped.iter().any(credence::ingest::Skipped::is_loss);
            let check = model::StoryFile {
                story: ex.story.clone(),
                path: dir.join("(extracted story)"),
                text: String::new(),
                syntax: credence::locate::Syntax::Toml,
            };
            if let Err(credence::Error::Story(problems)) = model::validate(&check, &plan.vocab, false) {
                for m in credence::extract::drop_invalid(&mut ex, &problems.0) {
                    if !quiet {
                        say!("warning: {m}");
                    }
                }
            }
            if !quiet || show_dropped {
                summarise(&ex, show_dropped);
            }
            let json = output.as_deref().is_some_and(|o| o.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")));
            let text = if json { ex.story.to_json() + "\n" } else { ex.story.to_toml() };
            write_out(text.as_bytes(), output.as_deref())?;
            if let Some(o) = &output
                && !quiet
            {
                say!(
                    "wrote {} ({} sources, {} claims, {} reports)",
                    o.display(),
                    ex.story.sources.len(),
                    ex.story.claims.len(),
                    ex.story.reports.len()
                );
            }
        }
        Command::Check(args) => partial = check::run(args)?,
        Command::Validate { story } => {
            let run = load(&story)?;
            partial = run.partial();
            let s = &run.file.story;
            let msg = format!(
                "{}: ok ({} sources, {} articles, {} claims, {} reports, {} contradictions)\n",
                run.file.path.display(),
                s.sources.len(),
                s.articles.len(),
                s.claims.len(),
                s.reports.len(),
                s.contradictions.len()
            );
            write_out(msg.as_bytes(), None)?;
        }
        Command::Record(args) => partial = record::run(args)?,
        Command::Settle(args) => settle::run(&args)?,
        Command::Sources(args) => sources::run(&args)?,
        Command::Outcomes(args) => outcomes::run(&args)?,
        Command::Discover(args) => discover::run(&args)?,
        Command::Config { check } => match check {
            None => write_out(DEFAULT_CONFIG.as_bytes(), None)?,
            Some(path) => {
                let (name, text) = read_config(&path)?;
                credence::config::Settings::load(&name, &text)?;
                write_out(format!("{}: ok\n", path.display()).as_bytes(), None)?;
            }
        },
    }
    Ok(partial)
}

fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<credence::Error>() {
            return match e {
                credence::Error::UnknownClaim { .. } => 2,
                credence::Error::Story(_) => 3,
                credence::Error::Config(_) => 4,
                credence::Error::Read { .. } | credence::Error::Write { .. } => 5,
                _ => 1,
            };
        }
        if let Some(e) = cause.downcast_ref::<credence::store::Error>() {
            use credence::store::Error as S;
            return match e {
                S::UnknownClaim { .. } | S::AmbiguousClaim { .. } | S::InvalidOutcome { .. } => 2,
                S::InvalidStory { .. } => 3,
                S::Open { .. } | S::NotFound { .. } | S::Database { .. } | S::ClaimReview { .. } => 5,
                S::Corrupt { .. } | S::NotCredence { .. } | S::TooNew { .. } | S::NeedsUpgrade { .. } => 7,
                S::ReadOnly { .. } => 7,
                S::Busy { .. } => 8,
            };
        }
        if let Some(e) = cause.downcast_ref::<credence::discover::Error>() {
            use credence::discover::Error as D;
            return match e {
                D::Csv { .. } => 3,
                D::Config { .. } => 4,
                D::Read { .. } | D::Write { .. } => 5,
            };
        }
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return 5;
        }
    }
    1
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Runs the command line and returns the process exit code.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, usage errors to stderr with code 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // An internal error (a bug) anywhere outside the per-article isolation ends the run with exit code 1 and
    // a message, never the runtime's 101.
    match credence::isolate::run(|| run(cli)) {
        Ok(Ok(false)) => ExitCode::SUCCESS,
        Ok(Ok(true)) => {
            say!("error: the run was partial: some article files were skipped (listed above and in the report)");
            ExitCode::from(6)
        }
        Ok(Err(e)) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            say!("error: {e:#}");
            ExitCode::from(exit_code(&e))
        }
        Err(panic) => {
            say!("error: internal error: {panic} (a bug in credence: please report it)");
            ExitCode::from(1)
        }
    }
}
