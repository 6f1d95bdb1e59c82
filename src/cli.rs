//! Command-line interface: argument parsing (clap), settings assembly, and exit codes.
//!
//! Exit codes (also in `--help` and the README):
//! 0 success · 1 internal error · 2 usage error (bad flag, unknown claim id) · 3 invalid story file ·
//! 4 invalid configuration · 5 a file could not be read or written.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use credence::config::{DEFAULT_CONFIG, Settings};
use credence::graph::ClaimGraph;
use credence::model::{self, Story};
use credence::report::{Format, ReportInput, claim_section};
use credence::score::{Assessment, Scorer};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  internal error (a bug: please report it)
  2  usage error: unknown flag or command, unknown claim id
  3  the story file is invalid (every problem is listed with file, line and key)
  4  the configuration is invalid (file, line and key are named)
  5  a file could not be read or written";

const EXAMPLES: &str = "\
Examples:
  credence score examples/jisr-al-shughur/story.toml
  credence score story.toml --format json -o report.json
  credence score story.toml --config my-weights.toml --format dot | dot -Tsvg > graph.svg
  credence explain story.toml jisr-captured
  credence check story.toml
  credence config > my-weights.toml";

/// Scores how well each claim of a news story is supported, weighing independence, caveats, party interest
/// and contradictions.
#[derive(Debug, Parser)]
#[command(name = "credence", version, about, after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"))]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct StoryArgs {
    /// Story file (.toml, or .json for JSON), or a directory holding story.toml.
    story: PathBuf,
    /// Config file overriding any subset of the built-in defaults (see `credence config`).
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,
    /// Do not open the article files to check report spans and quotes.
    #[arg(long)]
    no_check_files: bool,
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
        format: Option<Format>,
        /// Write the report to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "OUT")]
        output: Option<PathBuf>,
        /// Do not print warnings (unknown cues) on standard error.
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
        /// md (default) or json.
        #[arg(long, short = 'f', value_enum)]
        format: Option<Format>,
    },
    /// Validate a story file and print a summary, without scoring.
    #[command(after_help = EXIT_CODES)]
    Check {
        #[command(flatten)]
        story: StoryArgs,
    },
    /// Print the built-in default configuration (a commented TOML file to copy and edit).
    #[command(after_help = EXIT_CODES)]
    Config {
        /// Instead of printing the defaults, validate this override file.
        #[arg(long, value_name = "FILE")]
        check: Option<PathBuf>,
    },
}

/// What a run needs, assembled from the command line, the config file and the defaults.
struct Run {
    settings: Settings,
    file: model::StoryFile,
}

fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| credence::Error::Read { path: path.to_path_buf(), source })?;
    String::from_utf8(bytes).map_err(|e| {
        credence::Error::Config(credence::error::Diagnostics(vec![credence::error::Diagnostic {
            file: path.display().to_string(),
            line: None,
            column: None,
            path: None,
            message: format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            help: Some("save the file as UTF-8".into()),
        }]))
        .into()
    })
}

fn settings(config: Option<&Path>) -> Result<Settings> {
    match config {
        None => Ok(Settings::defaults()),
        Some(path) => Ok(Settings::load(&path.display().to_string(), &read(path)?)?),
    }
}

/// A directory stands for the `story.toml` (or `story.json`) inside it.
fn story_path(path: &Path) -> Result<PathBuf> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    for name in ["story.toml", "story.json"] {
        let p = path.join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(credence::Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::other(
            "this is a directory without a story.toml or story.json; give the story file (reading raw article folders is not supported yet)",
        ),
    }
    .into())
}

fn load(args: &StoryArgs) -> Result<Run> {
    let settings = settings(args.config.as_deref())?;
    let file = Story::load(&story_path(&args.story)?)?;
    model::validate(&file, &settings, !args.no_check_files)?;
    Ok(Run { settings, file })
}

fn assess(run: &Run) -> (ClaimGraph, Assessment) {
    let graph = ClaimGraph::build(&run.file.story);
    let assessment = Scorer::new(&graph, &run.settings).assess();
    (graph, assessment)
}

fn write_out(bytes: &[u8], output: Option<&Path>) -> Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|source| credence::Error::Write { path: path.to_path_buf(), source })?
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush()).context("writing to standard output")?;
        }
    }
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Score { story, format, output, quiet } => {
            let run = load(&story)?;
            let (graph, assessment) = assess(&run);
            if !quiet {
                for c in &assessment.claims {
                    for r in c.reports.iter().filter(|r| !r.cue_known) {
                        eprintln!(
                            "warning: report #{} (claim `{}`): cue \"{}\" is in no cue class; scored as `{}` (add it to [cues.classes.*] in your config)",
                            r.index, c.id, r.cue, r.cue_class
                        );
                    }
                }
            }
            let format = format.or_else(|| output.as_deref().and_then(Format::from_extension)).unwrap_or(Format::Md);
            let bytes = format.exporter().render(&ReportInput { assessment: &assessment, graph: &graph })?;
            write_out(&bytes, output.as_deref())?;
            if let Some(path) = &output
                && !quiet
            {
                eprintln!("wrote {} ({} claims, {} bytes)", path.display(), assessment.claims.len(), bytes.len());
            }
        }
        Command::Explain { story, claim, format } => {
            let run = load(&story)?;
            let (_, assessment) = assess(&run);
            let Some(c) = assessment.claims.iter().find(|c| c.id == claim) else {
                let mut known: Vec<String> = run.file.story.claims.iter().map(|c| c.id.clone()).collect();
                known.sort();
                return Err(credence::Error::UnknownClaim { id: claim, known }.into());
            };
            let bytes = match format.unwrap_or(Format::Md) {
                Format::Json => {
                    let mut v = serde_json::to_vec_pretty(c).context("rendering the claim as JSON")?;
                    v.push(b'\n');
                    v
                }
                _ => {
                    let mut s = String::new();
                    claim_section(&mut s, c, assessment.parameters.interval);
                    s.into_bytes()
                }
            };
            write_out(&bytes, None)?;
        }
        Command::Check { story } => {
            let run = load(&story)?;
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
        Command::Config { check } => match check {
            None => write_out(DEFAULT_CONFIG.as_bytes(), None)?,
            Some(path) => {
                settings(Some(&path))?;
                write_out(format!("{}: ok\n", path.display()).as_bytes(), None)?;
            }
        },
    }
    Ok(())
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
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, usage errors to stderr with code 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit_code(&e))
        }
    }
}
