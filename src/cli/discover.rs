//! `credence discover CLAIMS.csv -o OUTDIR`: truth discovery with copy detection over `object,source,value`
//! rows, with the priors of the config's `[discover]` table.

use std::path::PathBuf;

use anyhow::Result;

use credence::plan::read_config;

/// Arguments of `credence discover`.
#[derive(Debug, clap::Args)]
pub(crate) struct DiscoverArgs {
    /// CSV file with a header naming `object`, `source` and `value` (any order), one claim per row.
    claims: PathBuf,
    /// Folder to write truths.csv, sources.csv, copying.csv, report.md and report.html into (created if
    /// missing; files of these names in it are replaced).
    #[arg(long, short = 'o', value_name = "OUTDIR")]
    output: PathBuf,
    /// Config file whose `[discover]` table overrides the priors and parameters (see `credence config`).
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,
    /// Largest claims file read, in bytes (about 26 bytes per claim; the default 4 GiB is some 150 million
    /// claims).
    #[arg(long, value_name = "BYTES", default_value_t = 4 << 30)]
    max_bytes: u64,
    /// Do not detect copying: every source votes independently (for comparison).
    #[arg(long)]
    no_copy: bool,
    /// Do not print the summary on standard error.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

/// Runs `credence discover`.
pub(crate) fn run(args: &DiscoverArgs) -> Result<()> {
    let settings = match &args.config {
        Some(path) => {
            let (name, text) = read_config(path)?;
            credence::config::Settings::load(&name, &text)?
        }
        None => credence::config::Settings::defaults(),
    };
    let mut config = settings.discover;
    if args.no_copy {
        config.copy_detection = false;
    }
    // Only a regular file, and not more than --max-bytes: a FIFO or a device never hangs or floods the run.
    let bytes = credence::fsio::read_bounded(&args.claims, args.max_bytes)
        .map_err(|e| credence::Error::Read { path: args.claims.clone(), source: e.into_io() })?;
    let s = credence::discover::run_bytes(bytes, &args.claims, &args.output, &config)?;
    if !args.quiet {
        say!(
            "{}: {} rows, {} claims on {} objects from {} sources; {} iterations ({}); {} copying pairs",
            args.claims.display(),
            s.rows,
            s.claims,
            s.objects,
            s.sources,
            s.iterations,
            if s.converged {
                "converged"
            } else if s.iterations < config.max_iterations {
                "stopped: the chosen values were stable"
            } else {
                "stopped at max_iterations"
            },
            s.copy_pairs
        );
        for f in &s.files {
            say!("wrote {}", f.display());
        }
    }
    Ok(())
}
