//! Command-line interface: argument parsing (clap), settings assembly, and exit codes.
//!
//! Exit codes (also in `--help` and the README):
//! 0 success · 1 internal error · 2 usage error (bad flag, unknown claim id) · 3 invalid story file (or claims CSV) ·
//! 4 invalid configuration · 5 a file could not be read or written · 6 partial run (some article files
//! skipped; the report covers the rest) · 7 the track record cannot be used (damaged, newer, foreign or
//! read-only file) · 8 the track record stayed locked by another process (try again).

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use credence::config::DEFAULT_CONFIG;
use credence::extract::{Extraction, extract_dir};
use credence::graph::ClaimGraph;
use credence::model::{self, Story};
use credence::plan::{Plan, read_config};
use credence::report::{ArticleReading, Exporter, Format, ReportInput, Scale, SvgOptions, TerminalExporter};
use credence::score::{Assessment, Scorer, TrustOverrides};
use credence::timing::Timings;

mod completions;
mod conventions;

use conventions::{Usage, format_of_output, is_stdin, normal, verbose};

/// Prints a line on standard error with any control or bidi character from article or story text shown as
/// `<U+XXXX>`, so no message can move the cursor, retitle the terminal or reorder what it shows.
macro_rules! say {
    ($($t:tt)*) => {{
        let line = format!($($t)*);
        eprintln!("{}", credence::report::inert::visible(&line));
    }};
}

mod check;
mod discover;
mod outcomes;
mod record;
mod settle;
mod sources;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  internal error (a bug: please report it)
  2  usage error: unknown flag or command, a bad value (--threads 0), unknown claim id, an output
     file whose extension names no format
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
  credence discover claims.csv -o out/            # truth discovery with copy detection
  cat article.txt | credence score -       # one article (or a story file) on standard input
  credence completions bash > /etc/bash_completion.d/credence
  credence man > credence.1";

const SCORE_EXAMPLES: &str = "\
Examples:
  credence score examples/jisr-al-shughur/story.toml           # a summary table on a terminal
  credence score articles/ -o report.html                      # extract from raw articles, then one page
  credence score story.toml --format json -o report.json
  credence score story.toml -o reviews.jsonld --review-url https://example.org/report.html
  credence score - < story.toml                                # a story file on standard input
  curl -s https://example.org/a.txt | credence score -         # one article on standard input";

const GRAPH_EXAMPLES: &str = "\
Examples:
  credence graph story.toml -o graph.svg
  credence graph articles/ --max-claims 12 > graph.svg";

const EXTRACT_EXAMPLES: &str = "\
Examples:
  credence extract articles/ -o story.toml      # a draft to correct by hand, then `credence score story.toml`
  credence extract articles/ -o story.json
  credence extract articles/ --show-dropped -v  # every boilerplate line removed, and a line per file";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  credence explain examples/jisr-al-shughur/story.toml jisr-captured
  credence explain story.toml jisr-captured --format json";

const VALIDATE_EXAMPLES: &str = "\
Examples:
  credence validate story.toml
  credence validate articles/ --no-check-files";

const CONFIG_EXAMPLES: &str = "\
Examples:
  credence config > my-weights.toml
  credence config --check my-weights.toml   # every problem of the file is listed at once";

/// Scores how well each claim of a news story is supported, weighing independence, caveats, party interest
/// and contradictions.
#[derive(Debug, Parser)]
#[command(name = "credence", version, about, after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Say more on standard error: a line per article file read (otherwise one summary line).
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    verbose: u8,
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
    /// Domain-ratings CSV (`domain,score`, score in [0, 1]): outlets with a rated domain are graded by the
    /// `[ratings]` cut points instead of their kind. Overrides `[ratings] file` of the config.
    #[arg(long, value_name = "FILE")]
    ratings: Option<PathBuf>,
    /// Threads for reading, extracting and scoring (default: every core). The output is the same bytes
    /// whatever the number; 1 runs everything on one thread.
    #[arg(long, value_name = "N", value_parser = threads)]
    threads: Option<NonZeroUsize>,
}

impl PlanArgs {
    fn plan(&self) -> Result<Plan> {
        let config = self.config.as_deref().map(read_config).transpose()?;
        let plan = Plan::new(config.as_ref().map(|(n, t)| (n.as_str(), t.as_str())), &self.lexicon, self.max_bytes)?;
        let plan = plan.with_ratings(self.ratings.as_deref(), self.config.as_deref())?.with_threads(self.threads);
        plan.start_threads()?;
        Ok(plan)
    }
}

/// Parses `--threads N`: a whole number of at least 1 (a usage error, exit code 2, otherwise).
pub(crate) fn threads(s: &str) -> std::result::Result<NonZeroUsize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("needs at least 1 thread (leave --threads out to use every core)".to_string()),
        Ok(n) => Ok(NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN)),
        Err(_) => Err(format!("`{s}` is not a number of threads (a whole number of at least 1)")),
    }
}

#[derive(Debug, clap::Args)]
struct StoryArgs {
    /// Story file (.toml, or .json for JSON); a folder of raw articles (.txt, .md, .html), which is read and
    /// extracted first; a folder holding story.toml; or `-` for standard input (a story file, whose spans are
    /// then not checked against the article files, or one article).
    story: PathBuf,
    #[command(flatten)]
    plan: PlanArgs,
    /// Do not open the article files to check report spans and quotes.
    #[arg(long)]
    no_check_files: bool,
    /// Do not print warnings and extraction summaries on standard error.
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
    /// Print on standard error, per stage (setup, read, extract, copies, align, validate, graph, score,
    /// report), its wall and CPU time and the memory resident at its end and at peak so far. Standard output
    /// and the report are unchanged.
    #[arg(long)]
    timings: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score every claim of a story and write a report.
    #[command(after_help = format!("{SCORE_EXAMPLES}\n\n{EXIT_CODES}"))]
    Score {
        #[command(flatten)]
        story: StoryArgs,
        /// Report format (default: from the -o extension, which must name one; else the summary table on a
        /// terminal, md into a pipe).
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
    #[command(after_help = format!("{GRAPH_EXAMPLES}\n\n{EXIT_CODES}"))]
    Graph {
        #[command(flatten)]
        story: StoryArgs,
        /// Write the SVG to this file (.svg) instead of standard output.
        #[arg(long, short = 'o', value_name = "OUT")]
        output: Option<PathBuf>,
        /// Most claims drawn; beyond this only the best-supported are, with a note in the picture.
        #[arg(long, value_name = "N", default_value_t = SvgOptions::default().max_claims)]
        max_claims: usize,
    },
    /// Read a folder of articles and write the story credence extracts from them (a draft to correct).
    #[command(after_help = format!("{EXTRACT_EXAMPLES}\n\n{EXIT_CODES}"))]
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
        /// Print wall and CPU time and memory per stage on standard error (see `credence score --timings`).
        #[arg(long)]
        timings: bool,
    },
    /// Show how one claim's score came about: every report, hop, weight and origin.
    #[command(after_help = format!("{EXPLAIN_EXAMPLES}\n\n{EXIT_CODES}"))]
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
    #[command(after_help = format!("{VALIDATE_EXAMPLES}\n\n{EXIT_CODES}"))]
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
    #[command(after_help = format!("{CONFIG_EXAMPLES}\n\n{EXIT_CODES}"))]
    Config {
        /// Instead of printing the defaults, validate this override file (every problem is listed at once).
        #[arg(long, value_name = "FILE")]
        check: Option<PathBuf>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on standard output.
    #[command(after_help = completions::COMPLETION_EXAMPLES)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff, for `man`) on standard output.
    #[command(after_help = completions::MAN_EXAMPLES)]
    Man,
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

/// What a run needs, assembled from the command line, the config file and the defaults.
struct Run {
    plan: Plan,
    file: model::StoryFile,
    valid: model::ValidStory,
    /// How each article file was read, when the story was extracted from a folder.
    readings: Option<Vec<ArticleReading>>,
    /// Files of the folder that were not read as articles, with the reason.
    skipped: Vec<credence::ingest::Skipped>,
    /// Stage laps for `--timings` (off without it).
    timings: Timings,
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
fn extract_story(
    plan: &Plan,
    dir: &Path,
    hint: Option<&Story>,
    story_dir: &Path,
    timings: &Timings,
) -> Result<Extraction> {
    let mut opts = plan.extract_options(story_dir);
    opts.timings = timings.clone();
    if conventions::progress_wanted() {
        opts.ingest.progress = Some(conventions::progress);
    }
    let mut ex = extract_dir(dir, hint, &opts, &plan.lexicons)?;
    retitle(plan, &mut ex, hint);
    Ok(ex)
}

/// A story extracted from one article on standard input (the bytes read), as plain text, Markdown or HTML by
/// its first characters.
fn extract_stdin(plan: &Plan, bytes: &[u8]) -> Result<Extraction> {
    let head = String::from_utf8_lossy(bytes.get(..bytes.len().min(512)).unwrap_or_default()).to_ascii_lowercase();
    let head = head.trim_start();
    let format = if head.starts_with('<') {
        credence::ingest::DocFormat::Html
    } else if head.starts_with("+++") || head.starts_with('#') {
        credence::ingest::DocFormat::Markdown
    } else {
        credence::ingest::DocFormat::Text
    };
    let path = PathBuf::from("(standard input)");
    let opts = plan.extract_options(Path::new("."));
    let doc = match credence::ingest::parse_bytes(&path, bytes, format, &plan.lexicons.boilerplate) {
        Ok(d) => d,
        Err(skipped) => {
            return Err(credence::Error::Read { path, source: std::io::Error::other(skipped.message()) }.into());
        }
    };
    let documents = vec![doc];
    let x = credence::extract::extract_isolated(&documents, "", None, &opts, &plan.lexicons)?;
    if let Some((_, why)) = x.failed.first() {
        return Err(credence::Error::Internal(why.clone()).into());
    }
    let mut ex = Extraction { story: x.story, documents, skipped: Vec::new(), unreported: x.unreported };
    retitle(plan, &mut ex, None);
    Ok(ex)
}

/// Gives an extracted story a real title when the user stated none: the topic most headlines share.
fn retitle(plan: &Plan, ex: &mut Extraction, hint: Option<&Story>) {
    if hint.is_some_and(|h| !h.story.title.trim().is_empty()) {
        return;
    }
    let heads: Vec<String> = ex
        .story
        .articles
        .iter()
        .zip(&ex.documents)
        .map(|(a, d)| {
            if a.title.trim().is_empty() {
                d.paragraph_texts().next().unwrap_or_default().to_string()
            } else {
                a.title.clone()
            }
        })
        .collect();
    if let Some(t) = credence::report::headline_title(&heads, &plan.settings.title_skip) {
        ex.story.story.title = t;
    } else if ex.story.story.title.trim().is_empty() {
        ex.story.story.title = "Articles read from standard input".to_string();
    }
}

/// How each article of an extraction was read, for the HTML report's "articles read" table.
fn readings(story: &Story, ex: &Extraction) -> Vec<ArticleReading> {
    ex.documents
        .iter()
        .zip(&story.articles)
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
    let timings = if args.timings { Timings::start() } else { Timings::off() };
    let plan = args.plan.plan()?;
    timings.lap("setup");
    let path = &args.story;
    let mut read = None;
    let mut skipped = Vec::new();
    // A story extracted here is validated (its spans checked against the article files) once, as it is
    // built; the check at the end is for the other ways in. Validation moves the story out of its file (which
    // keeps its path and text for messages): it is held once, by `valid`.
    let mut checked: Option<model::ValidStory> = None;
    let mut file = if is_stdin(path) {
        let bytes = conventions::read_stdin()?;
        timings.lap("read");
        let mut file = if looks_like_story(&bytes) {
            let text = String::from_utf8(bytes).map_err(|e| credence::Error::Read {
                path: path.clone(),
                source: std::io::Error::other(format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to())),
            })?;
            let syntax = if text.trim_start().starts_with('{') {
                credence::locate::Syntax::Json
            } else {
                credence::locate::Syntax::Toml
            };
            let name = "(standard input)";
            let story = Story::parse(name, &text, syntax)?;
            model::StoryFile { story, path: PathBuf::from(name), text, syntax }
        } else {
            let mut ex = extract_stdin(&plan, &bytes)?;
            if normal() {
                summarise(&ex.story, &ex, false);
            }
            read = Some(readings(&ex.story, &ex));
            model::StoryFile {
                story: std::mem::take(&mut ex.story),
                path: PathBuf::from("(standard input)"),
                text: String::new(),
                syntax: credence::locate::Syntax::Toml,
            }
        };
        // Standard input is no file to open again: a story's article paths have no folder to be relative to,
        // and an article's spans were checked as it was read.
        let valid = model::validate_into(&mut file, &plan.vocab, false)?;
        timings.lap("validate");
        return Ok(Run { plan, file, valid, readings: read, skipped, timings });
    } else if path.is_dir() {
        let stated = story_in(path).map(|p| Story::load(&p)).transpose()?;
        match stated {
            Some(f) if !f.story.reports.is_empty() => f,
            stated => {
                // What the user stated is checked against its own file and lines before it is used.
                if let Some(f) = &stated {
                    model::validate(f, &plan.vocab, false)?;
                }
                let mut ex = extract_story(&plan, path, stated.as_ref().map(|f| &f.story), path, &timings)?;
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
                let valid = match model::validate_into(&mut file, &plan.vocab, !args.no_check_files) {
                    Ok(v) => v,
                    Err(credence::Error::Story(problems)) => {
                        ex.story = std::mem::take(&mut file.story);
                        for m in credence::extract::drop_invalid(&mut ex, &problems.0) {
                            if normal() {
                                say!("warning: {m}");
                            }
                        }
                        file.story = std::mem::take(&mut ex.story);
                        model::validate_into(&mut file, &plan.vocab, !args.no_check_files)?
                    }
                    Err(e) => return Err(e.into()),
                };
                if normal() {
                    summarise(valid.story(), &ex, false);
                }
                read = Some(readings(valid.story(), &ex));
                skipped = std::mem::take(&mut ex.skipped);
                checked = Some(valid);
                file
            }
        }
    } else {
        let file = Story::load(path)?;
        timings.lap("read");
        file
    };
    let valid = match checked {
        Some(v) => v,
        None => model::validate_into(&mut file, &plan.vocab, !args.no_check_files)?,
    };
    timings.lap("validate");
    Ok(Run { plan, file, valid, readings: read, skipped, timings })
}

/// Whether standard input holds a story file rather than an article: JSON, or TOML with a `[story]`,
/// `[[claim]]` or `[[report]]` table.
fn looks_like_story(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('{')
        || text.lines().map(str::trim).any(|l| matches!(l, "[story]" | "[[claim]]" | "[[report]]" | "[[source]]"))
}

/// Tells on standard error what extraction read, skipped and dropped: one summary line, and with `-v` a line
/// per file.
/// Says what was read; `story` is the extraction's story (which may have moved out of `ex` by now).
fn summarise(story: &Story, ex: &Extraction, show_dropped: bool) {
    // Reports per article in one pass: counting by scanning every report for each article was quadratic.
    let mut per_article: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for r in &story.reports {
        *per_article.entry(r.article.as_str()).or_default() += 1;
    }
    // Counted, so that the CLI growth test (tests/growth.rs) sees this summary's work.
    credence::work::add(story.reports.len() + ex.documents.len());
    for d in &ex.documents {
        credence::work::add(d.dropped.len() + d.warnings.len());
    }
    for (d, article) in ex.documents.iter().zip(&story.articles) {
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for x in &d.dropped {
            match reasons.iter_mut().find(|(r, _)| *r == x.reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((x.reason.clone(), 1)),
            }
        }
        let n_reports = per_article.get(article.id.as_str()).copied().unwrap_or(0);
        for w in &d.warnings {
            say!("warning: {w}");
        }
        if !verbose() && !show_dropped {
            continue;
        }
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
    let kept: usize = ex.documents.iter().map(|d| d.paragraphs.len()).sum();
    let dropped: usize = ex.documents.iter().map(|d| d.dropped.len()).sum();
    say!(
        "read {} article file{}: {kept} paragraphs kept, {dropped} boilerplate lines dropped; {} sources, {} claims, {} reports{}",
        ex.documents.len(),
        if ex.documents.len() == 1 { "" } else { "s" },
        story.sources.len(),
        story.claims.len(),
        story.reports.len(),
        if verbose() { "" } else { " (-v for a line per file)" }
    );
}

fn assess(run: &Run) -> (ClaimGraph, Assessment) {
    assess_with(run, None)
}

/// Scores a loaded story, with learned origin trust when a track record gave some.
fn assess_with(run: &Run, learned: Option<&TrustOverrides>) -> (ClaimGraph, Assessment) {
    let graph = ClaimGraph::build(&run.valid);
    let rated = run.plan.rated_grades(run.valid.story());
    run.timings.lap("graph");
    score_graph(&run.plan, &run.skipped, &run.timings, graph, &rated, learned)
}

/// [`assess_with`] for a command that needs the story no more once it is in the graph: it is let go
/// before scoring, so a big folder's story, graph and assessment are not all held at once.
fn assess_taking(
    plan: &Plan,
    valid: model::ValidStory,
    skipped: &[credence::ingest::Skipped],
    timings: &Timings,
    learned: Option<&TrustOverrides>,
) -> (ClaimGraph, Assessment) {
    let graph = ClaimGraph::build(&valid);
    let rated = plan.rated_grades(valid.story());
    drop(valid);
    timings.lap("graph");
    score_graph(plan, skipped, timings, graph, &rated, learned)
}

fn score_graph(
    plan: &Plan,
    skipped: &[credence::ingest::Skipped],
    timings: &Timings,
    graph: ClaimGraph,
    rated: &credence_score::ratings::RatedGrades,
    learned: Option<&TrustOverrides>,
) -> (ClaimGraph, Assessment) {
    let scorer = Scorer::new(&graph, &plan.settings, plan.cues());
    let scorer = match learned {
        Some(l) => scorer.with_trust_overrides(l),
        None => scorer,
    };
    let scorer = if rated.is_empty() { scorer } else { scorer.with_rated_grades(rated) };
    let mut assessment = scorer.assess();
    // What was not read belongs in the report, not only on standard error.
    assessment.skipped = skipped
        .iter()
        .map(|s| credence::score::SkippedFile {
            file: s.path.display().to_string(),
            reason: s.code().to_string(),
            message: s.message(),
            lost: s.is_loss(),
        })
        .collect();
    timings.lap("score");
    (graph, assessment)
}

/// Writes a report to its file (or standard output) through a buffer as the exporter produces it: a large
/// JSON report is never held whole in memory. Returns the bytes written. A file left half-written by a
/// failure is removed, so no truncated report is taken for a whole one.
fn write_report(exporter: &dyn Exporter, input: &ReportInput<'_>, output: Option<&Path>) -> Result<u64> {
    let named = |e: credence::Error, path: &Path| match e {
        credence::Error::Write { source, .. } => credence::Error::Write { path: path.to_path_buf(), source },
        e => e,
    };
    if let Some(path) = output {
        let file = std::fs::File::create(path)
            .map_err(|source| credence::Error::Write { path: path.to_path_buf(), source })?;
        // The buffer is outermost: the serialiser's many small writes land in it, and only its full
        // chunks go through the count to the file.
        let mut out = std::io::BufWriter::with_capacity(1 << 16, Counted { inner: file, written: 0 });
        let done = exporter
            .write_to(input, &mut out)
            .and_then(|()| out.flush().map_err(|source| credence::Error::Write { path: path.to_path_buf(), source }))
            .map_err(|e| named(e, path));
        if let Err(e) = done {
            drop(out);
            let _ = std::fs::remove_file(path);
            return Err(e.into());
        }
        Ok(out.get_ref().written)
    } else {
        let stdout = std::io::stdout().lock();
        let mut out = std::io::BufWriter::with_capacity(1 << 16, Counted { inner: stdout, written: 0 });
        let stdout_error = |e: credence::Error| -> anyhow::Error {
            match e {
                credence::Error::Write { source, .. } => {
                    anyhow::Error::new(source).context("writing to standard output")
                }
                e => e.into(),
            }
        };
        exporter.write_to(input, &mut out).map_err(stdout_error)?;
        out.flush().context("writing to standard output")?;
        Ok(out.get_ref().written)
    }
}

/// A writer that counts the bytes it passes on (for "wrote FILE (… bytes)").
struct Counted<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Prints the `--timings` table on standard error, when it was asked for (whatever `--quiet` says: the
/// flag is an explicit request).
fn print_timings(timings: &Timings) {
    if timings.is_on() {
        let _ = std::io::stderr().lock().write_all(timings.table().as_bytes());
    }
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
    let quiet = match &cli.command {
        Command::Score { story, .. }
        | Command::Graph { story, .. }
        | Command::Explain { story, .. }
        | Command::Validate { story } => story.quiet,
        Command::Extract { quiet, .. } => *quiet,
        Command::Check(args) => args.quiet,
        Command::Record(args) => args.quiet,
        Command::Discover(args) => args.quiet,
        Command::Config { .. }
        | Command::Completions { .. }
        | Command::Man
        | Command::Settle(_)
        | Command::Sources(_)
        | Command::Outcomes(_) => false,
    };
    conventions::set_verbosity(quiet, cli.verbose);
    match cli.command {
        Command::Score { story, format, output, color, review_url, db } => {
            let quiet = story.quiet;
            // The output's extension is checked before any work: a typo should not cost a whole run.
            let from_extension = match (&format, &output) {
                (None, Some(o)) => Some(format_of_output(o)?),
                _ => None,
            };
            let run = load(&story)?;
            partial = run.partial();
            let learned = db.as_deref().map(|db| record::learned(&run, db, quiet)).transpose()?;
            let Run { plan, valid, readings, skipped, timings, .. } = run;
            let (graph, assessment) = assess_taking(&plan, valid, &skipped, &timings, learned.as_ref());
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
            let phrases = credence::caveat_phrases(&assessment, &plan.lexicons.caveats);
            let input = ReportInput {
                readings: readings.as_deref(),
                review_url: review_url.as_deref(),
                caveat_phrases: Some(&phrases),
                scale: Scale::of(&plan.settings),
                limits: plan.settings.report_limits,
                ..ReportInput::new(&assessment, &graph)
            };
            let table = |color: bool| TerminalExporter { color, width: conventions::table_width() };
            let stdout_tty = std::io::stdout().is_terminal();
            // On a terminal with no format asked for, people want the summary, not pages of Markdown; pipes and
            // files get the format's bytes as before.
            let format = match (format.map(Format::from), &output) {
                (Some(f), _) => f,
                (None, Some(_)) => from_extension.unwrap_or(Format::Md),
                (None, None) if stdout_tty => Format::Table,
                (None, None) => Format::Md,
            };
            let exporter: Box<dyn Exporter> = match format {
                Format::Table => Box::new(table(color.enabled(output.is_none() && stdout_tty))),
                f => f.exporter(),
            };
            let written = write_report(exporter.as_ref(), &input, output.as_deref())?;
            timings.lap("report");
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
                    written
                );
            } else if output.is_none() && format == Format::Table && !quiet && std::io::stderr().is_terminal() {
                say!("(a summary; for the full report use --format md|html|json or -o report.html)");
            }
            print_timings(&timings);
        }
        Command::Graph { story, output, max_claims } => {
            let quiet = story.quiet;
            if let Some(o) = &output
                && format_of_output(o)? != Format::Svg
            {
                return Err(Usage(format!(
                    "`credence graph` writes SVG; {} asks for another format (use `credence score --format` for the others)",
                    o.display()
                ))
                .into());
            }
            let run = load(&story)?;
            partial = run.partial();
            let Run { plan, valid, skipped, timings, .. } = run;
            let (graph, assessment) = assess_taking(&plan, valid, &skipped, &timings, None);
            let input = ReportInput {
                svg: SvgOptions { max_claims: max_claims.max(1), ..SvgOptions::default() },
                scale: Scale::of(&plan.settings),
                limits: plan.settings.report_limits,
                ..ReportInput::new(&assessment, &graph)
            };
            let svg = Format::Svg.exporter().render(&input)?;
            write_out(&svg, output.as_deref())?;
            timings.lap("report");
            if let Some(path) = &output
                && !quiet
            {
                say!("wrote {} (claim graph, {} bytes)", path.display(), svg.len());
            }
            print_timings(&timings);
        }
        Command::Explain { story, claim, format, db } => {
            let run = load(&story)?;
            partial = run.partial();
            let learned = db.as_deref().map(|db| record::learned(&run, db, story.quiet)).transpose()?;
            let (graph, assessment) = assess_with(&run, learned.as_ref());
            let Some(only) = assessment.restricted_to(&claim) else {
                let mut known: Vec<String> = run.valid.story().claims.iter().map(|c| c.id.clone()).collect();
                known.sort();
                let names: Vec<&str> = known.iter().map(String::as_str).collect();
                if let Some(close) = credence::model::closest(&claim, &names) {
                    return Err(Usage(format!("claim `{claim}` is not in the story; did you mean `{close}`?")).into());
                }
                return Err(credence::Error::UnknownClaim { id: claim, known }.into());
            };
            // Every format goes through its exporter, restricted to the claim.
            let phrases = credence::caveat_phrases(&only, &run.plan.lexicons.caveats);
            let input = ReportInput {
                caveat_phrases: Some(&phrases),
                focus: Some(&claim),
                scale: Scale::of(&run.plan.settings),
                limits: run.plan.settings.report_limits,
                ..ReportInput::new(&only, &graph)
            };
            let bytes = format.map_or(Format::Md, Format::from).exporter().render(&input)?;
            write_out(&bytes, None)?;
            run.timings.lap("report");
            print_timings(&run.timings);
        }
        Command::Extract { dir, plan, output, show_dropped, quiet, timings } => {
            let timings = if timings { Timings::start() } else { Timings::off() };
            if let Some(o) = &output
                && !o.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml") || e.eq_ignore_ascii_case("json"))
            {
                return Err(Usage(format!("a story is written as .toml or .json, not {}", o.display())).into());
            }
            let plan = plan.plan()?;
            timings.lap("setup");
            if !dir.is_dir() {
                return Err(credence::Error::Read {
                    path: dir.clone(),
                    source: std::io::Error::other("not a directory; give the folder of articles"),
                }
                .into());
            }
            // Article paths are written relative to the draft's folder, whatever form -o takes ("draft.toml"
            // has the empty parent: the current folder).
            let story_dir = match output.as_deref().and_then(Path::parent) {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let stated = story_in(&dir).map(|p| Story::load(&p)).transpose()?;
            if let Some(f) = &stated {
                model::validate(f, &plan.vocab, false)?;
            }
            let mut ex = extract_story(&plan, &dir, stated.as_ref().map(|f| &f.story), &story_dir, &timings)?;
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
            timings.lap("validate");
            if !quiet || show_dropped {
                summarise(&ex.story, &ex, show_dropped);
            }
            let json = output.as_deref().is_some_and(|o| o.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")));
            let text = if json { ex.story.to_json() + "\n" } else { ex.story.to_toml() };
            write_out(text.as_bytes(), output.as_deref())?;
            timings.lap("report");
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
            print_timings(&timings);
        }
        Command::Check(args) => partial = check::run(args)?,
        Command::Validate { story } => {
            let run = load(&story)?;
            partial = run.partial();
            let s = run.valid.story();
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
            print_timings(&run.timings);
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
        Command::Completions { shell } => {
            let mut bytes = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "credence", &mut bytes);
            write_out(&bytes, None)?;
        }
        Command::Man => {
            let bytes = completions::man_page(<Cli as clap::CommandFactory>::command())?;
            write_out(&bytes, None)?;
        }
    }
    Ok(partial)
}

fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.downcast_ref::<Usage>().is_some() {
            return 2;
        }
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
            say!("error: {}", conventions::error_chain(&e));
            ExitCode::from(exit_code(&e))
        }
        Err(panic) => {
            say!("error: internal error: {panic} (a bug in credence: please report it)");
            ExitCode::from(1)
        }
    }
}
