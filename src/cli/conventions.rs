//! What every subcommand shares about the command line's conventions: how errors are printed, `-` for standard
//! input, checking an output file's extension against the formats, the terminal's width, how much is said on
//! standard error, and the progress bar. Kept here so a new subcommand gets them by calling these helpers.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use credence::report::Format;

/// A mistake in how the command was called (exit code 2), with what would have been right.
#[derive(Debug)]
pub(crate) struct Usage(pub(crate) String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// How an error is printed: its message, then each cause that says something the message has not already
/// said, joined by ": " (a cause whose text the message already ends with is not repeated).
pub(crate) fn error_chain(err: &anyhow::Error) -> String {
    let mut out = err.to_string();
    for cause in err.chain().skip(1) {
        let c = cause.to_string();
        if c.is_empty() || out.contains(&c) {
            continue;
        }
        out.push_str(": ");
        out.push_str(&c);
    }
    out
}

/// Whether a path argument names standard input.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// All of standard input, refused past the limit on any input file.
pub(crate) fn read_stdin() -> anyhow::Result<Vec<u8>> {
    let limit = credence::fsio::MAX_INPUT_BYTES;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| credence::Error::Read { path: PathBuf::from("(standard input)"), source })?;
    if bytes.len() as u64 > limit {
        return Err(credence::Error::Read {
            path: PathBuf::from("(standard input)"),
            source: std::io::Error::other(format!("more than {limit} bytes")),
        }
        .into());
    }
    Ok(bytes)
}

/// The report format an output file asks for by its extension: an extension that names no format is a usage
/// error (writing Markdown into `report.pdf` would only surprise).
pub(crate) fn format_of_output(path: &Path) -> anyhow::Result<Format> {
    Format::from_extension(path).ok_or_else(|| {
        let ext = path.extension().map_or_else(|| "no extension".to_string(), |e| format!("`.{}`", e.to_string_lossy()));
        Usage(format!(
            "cannot tell the report format of {} ({ext}); use .md, .json, .dot, .html, .svg, .jsonld (ClaimReview), .prov.jsonld, .txt (table), or give --format",
            path.display()
        ))
        .into()
    })
}

/// Width of the terminal summary: `COLUMNS` when set, else the width of the terminal standard output (or, when
/// it is redirected, standard error) is shown on, else 100; kept between 60 and 240.
pub(crate) fn table_width() -> usize {
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok());
    let from_tty = || {
        terminal_size::terminal_size_of(std::io::stdout())
            .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
            .map(|(w, _)| usize::from(w.0))
    };
    from_env.or_else(from_tty).map_or(100, |w| w.clamp(60, 240))
}

/// How much is said on standard error: 0 quiet (errors only), 1 normal (warnings and one summary line per
/// command), 2 verbose (a line per file read as well).
static VERBOSITY: AtomicU8 = AtomicU8::new(1);

/// Sets the verbosity from the `-q` and `-v` flags (quiet wins).
pub(crate) fn set_verbosity(quiet: bool, verbose: u8) {
    VERBOSITY.store(if quiet { 0 } else { 1 + verbose.min(1) }, Ordering::Relaxed);
}

/// Whether warnings and summaries are printed.
pub(crate) fn normal() -> bool {
    VERBOSITY.load(Ordering::Relaxed) >= 1
}

/// Whether a line per file read is printed.
pub(crate) fn verbose() -> bool {
    VERBOSITY.load(Ordering::Relaxed) >= 2
}

/// The progress bar of a folder read, made on its first report.
static BAR: OnceLock<indicatif::ProgressBar> = OnceLock::new();

/// Folders smaller than this finish before a bar would be noticed.
const BAR_FROM_FILES: usize = 50;

/// Whether a progress bar may be drawn: on a terminal, not quiet.
pub(crate) fn progress_wanted() -> bool {
    normal() && std::io::stderr().is_terminal()
}

/// Shows how far reading a folder has got as a progress bar on standard error (only called when
/// [`progress_wanted`]); cleared when the last file is read.
pub(crate) fn progress(done: usize, total: usize) {
    if total < BAR_FROM_FILES {
        return;
    }
    let bar = BAR.get_or_init(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr_with_hz(10),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template("reading {pos}/{len} files {wide_bar} {eta}") {
            bar.set_style(style);
        }
        bar
    });
    bar.set_position(done as u64);
    if done >= total {
        bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_the_message_already_holds_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory (os error 2)");
        let e = anyhow::Error::new(io).context("cannot read x: No such file or directory (os error 2)");
        assert_eq!(error_chain(&e), "cannot read x: No such file or directory (os error 2)");
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let e = anyhow::Error::new(io).context("cannot read x");
        assert_eq!(error_chain(&e), "cannot read x: gone");
    }

    #[test]
    fn unknown_extensions_are_usage_errors() {
        assert!(format_of_output(Path::new("r.pdf")).is_err());
        assert!(format_of_output(Path::new("r")).is_err());
        assert_eq!(format_of_output(Path::new("r.HTML")).ok(), Some(Format::Html));
    }
}
