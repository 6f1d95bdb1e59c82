//! `credence check "CLAIM" PATH...`: the stance of every article toward one claim, and a verdict.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Result;

use credence::claim_check::{CheckFormat, render};
use credence::error::{Diagnostic, Diagnostics};
use credence::plan::{Plan, read_config};
use credence::stance::Lexicon;

use super::write_out;

/// Formats of a check page, as `--format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum CheckFormatArg {
    /// Markdown: verdict, support bar, counts by origin, strongest quotes each way, timeline, matches.
    Md,
    /// JSON following schema/check.schema.json.
    Json,
    /// The same page as Markdown, self-contained HTML (no scripts), readable on a phone.
    Html,
    /// schema.org `ClaimReview` JSON-LD with the verdict as the rating.
    Claimreview,
}

impl From<CheckFormatArg> for CheckFormat {
    fn from(f: CheckFormatArg) -> CheckFormat {
        match f {
            CheckFormatArg::Md => CheckFormat::Md,
            CheckFormatArg::Json => CheckFormat::Json,
            CheckFormatArg::Html => CheckFormat::Html,
            CheckFormatArg::Claimreview => CheckFormat::Claimreview,
        }
    }
}

/// The arguments of `credence check`.
#[derive(Debug, clap::Args)]
pub(super) struct CheckArgs {
    /// The claim: its text, `@FILE` to read it from a file, or `-` to read it from standard input.
    claim: String,
    /// Article files (.txt, .md, .html) and folders of them, read as `credence score` reads a folder.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Page format (default: from the -o extension — .md, .html, .json, .jsonld — else md).
    #[arg(long, short = 'f', value_enum)]
    format: Option<CheckFormatArg>,
    /// Write the page to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "OUT")]
    output: Option<PathBuf>,
    /// Config file overriding any subset of the built-in defaults (the verdict's numbers are `[check]`).
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,
    /// Lexicon file or folder, as for `score`; a file named stance.toml (or one in a folder given) replaces
    /// the built-in stance lexicon. May be given several times.
    #[arg(long, value_name = "FILE|DIR")]
    lexicon: Vec<PathBuf>,
    /// Largest article file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = credence::ingest::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Domain-ratings CSV (`domain,score`): origins with a rated domain weigh by the `[ratings]` cut points'
    /// grade instead of their kind's. Overrides `[ratings] file` of the config.
    #[arg(long, value_name = "FILE")]
    ratings: Option<PathBuf>,
    /// Threads for reading, extracting and scoring (default: every core); the page is the same bytes
    /// whatever the number.
    #[arg(long, value_name = "N", value_parser = super::threads)]
    threads: Option<std::num::NonZeroUsize>,
    /// Do not print the summary line on standard error.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

/// The claim text from its argument: the text itself, `@FILE`, or `-` for standard input.
fn claim_text(arg: &str) -> Result<String> {
    let text = if arg == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|source| credence::Error::Read { path: PathBuf::from("(standard input)"), source })?;
        s
    } else if let Some(file) = arg.strip_prefix('@') {
        let path = Path::new(file);
        let bytes = credence::fsio::read_bounded(path, credence::fsio::MAX_INPUT_BYTES)
            .map_err(|e| credence::Error::Read { path: path.to_path_buf(), source: e.into_io() })?;
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        arg.to_string()
    };
    let claim = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if claim.is_empty() {
        return Err(credence::Error::Read {
            path: PathBuf::from(if arg == "-" { "(standard input)" } else { arg }),
            source: std::io::Error::other("the claim is empty"),
        }
        .into());
    }
    Ok(claim)
}

/// The stance lexicon: a `stance.toml` among the lexicon paths (a file so named, or one in a folder),
/// else the built-in one. The other paths are for the extraction lexicons.
fn split_lexicons(paths: &[PathBuf]) -> Result<(Lexicon, Vec<PathBuf>)> {
    let mut stance = None;
    let mut rest = Vec::new();
    for p in paths {
        let named = p.file_name().is_some_and(|n| n == "stance.toml");
        if named && !p.is_dir() {
            stance = Some(p.clone());
        } else if p.is_dir() && p.join("stance.toml").is_file() {
            stance = Some(p.join("stance.toml"));
            if credence::extract::LEXICON_FILES.iter().any(|(n, _, _)| p.join(n).is_file()) {
                rest.push(p.clone());
            }
        } else {
            rest.push(p.clone());
        }
    }
    let lexicon = match stance {
        None => Lexicon::default(),
        Some(path) => Lexicon::from_path(&path).map_err(|e| {
            credence::Error::Config(Diagnostics(vec![Diagnostic {
                file: e.file.clone(),
                line: e.line,
                column: e.column,
                path: e.key.clone(),
                message: e.message.clone(),
                help: Some("compare with config/lexicons/stance.toml".into()),
            }]))
        })?,
    };
    Ok((lexicon, rest))
}

/// Runs `credence check`; `Ok(true)` when some article files could not be read (a partial run).
pub(super) fn run(args: CheckArgs) -> Result<bool> {
    let claim = claim_text(&args.claim)?;
    let config = args.config.as_deref().map(read_config).transpose()?;
    let (stance, lexicons) = split_lexicons(&args.lexicon)?;
    let plan = Plan::new(config.as_ref().map(|(n, t)| (n.as_str(), t.as_str())), &lexicons, args.max_bytes)?
        .with_ratings(args.ratings.as_deref(), args.config.as_deref())?
        .with_threads(args.threads);
    plan.start_threads()?;
    for p in &args.paths {
        if !p.exists() {
            return Err(credence::Error::Read {
                path: p.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            }
            .into());
        }
    }
    let report = credence::check_claim(&plan, &stance, &claim, &args.paths)?;
    let format = match (args.format, &args.output) {
        (Some(f), _) => f.into(),
        (None, Some(o)) => match o.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("html" | "htm") => CheckFormat::Html,
            Some("json") => CheckFormat::Json,
            Some("jsonld") => CheckFormat::Claimreview,
            _ => CheckFormat::Md,
        },
        (None, None) => CheckFormat::Md,
    };
    let bytes = render(&report, format)?;
    write_out(&bytes, args.output.as_deref())?;
    if !args.quiet {
        for s in &report.skipped {
            say!("{}: {}: skipped: {}", if s.lost { "error" } else { "note" }, s.path, s.reason);
        }
        say!(
            "{}: support {:.2} [{:.2}, {:.2}]; origins {} for, {} against, {} observing; {} articles, {} unrelated{}",
            report.verdict.name(),
            report.support,
            report.interval[0],
            report.interval[1],
            report.counts.supports,
            report.counts.refutes,
            report.counts.observing,
            report.counts.articles,
            report.counts.unrelated,
            args.output.as_ref().map(|o| format!("; wrote {}", o.display())).unwrap_or_default()
        );
    }
    Ok(report.skipped.iter().any(|s| s.lost))
}
