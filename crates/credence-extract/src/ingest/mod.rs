//! Stage 1 of the extraction pipeline (ingest → segment → extract): reading article files.
//!
//! This module turns a saved article (`.txt`, `.md`, `.html`) into the text the later stages read, cut into
//! article paragraphs with exact byte ranges, and reads what the article says about itself (title, standfirst,
//! outlet, date, dateline, agency credits). Everything that is not article prose is removed **and listed** in
//! [`Document::dropped`] with the rule that removed it.
//!
//! Why it exists: articles saved from the web carry registration forms, donation pitches, photo captions
//! printed twice, related-story sidebars and app adverts. Left in, they would become "claims" and skew the
//! scores; removed silently, a user could not check that no real paragraph went with them. Byte ranges (and,
//! for HTML, offsets into the original file) let later stages quote spans a user can find in the file.
//!
//! The rules, in the order they run (phrases come from `config/lexicons/boilerplate.toml`, never from code):
//!
//! 1. **Paragraphs** (see `text::units`): blank lines split; inside a run of lines a break is a paragraph
//!    break after a sentence or clause end, before a list item, between identical lines, or after a short
//!    headline-like line; otherwise the lines are one soft-wrapped paragraph. Indentation is stripped.
//! 2. **Glued boilerplate**: a line where a pitch ends and article text begins without a space
//!    (`…difference.Rebels said…`) is cut at the glue point when one side is boilerplate and the other is not;
//!    the boilerplate side is dropped ("glued boilerplate"), the other kept with its exact range.
//! 3. **Lexicon rules**: advertisements, registration forms, donation pitches, subscription, newsletter,
//!    comments and app prompts, share buttons, cookie and copyright notices, sidebar headers.
//! 4. **Neighbours**: a line next to one a rule dropped joins it when it holds one of that rule's weak
//!    phrases, or (for pitches) when it speaks in the outlet's own voice ("we", "our", twice or more).
//! 5. **End of article**: after a credit line ("SOURCE: … and agencies", "Published in …, date",
//!    "Additional reporting by …", a sentence followed by "— AFP"), the rest is a footer or sidebar: credit lines
//!    right after it are read as credits, everything else is dropped ("after end-of-article credit", or the
//!    lexicon rule that names it). Credit lines are recorded in [`Meta::credit_lines`], not kept as paragraphs;
//!    a trailing "— AFP" is cut off its paragraph.
//! 6. **Repeated lines** (before the end of the article): a line printed more than once that is not a sentence
//!    (no final full stop, or a bracketed photo credit) is a caption or a sidebar heading, and every copy goes;
//!    a repeated sentence keeps its first copy. The title stays.
//! 7. **Captions**: a line ending in a bracketed credit (`[Reuters]`, `(AFP Photo)`) or starting "Photo:".
//! 8. **Metadata**: the first kept paragraph is the title when it reads like a headline, the next one the
//!    standfirst when it is short; a dateline ("BEIRUT, April 25 —") is read from the first paragraphs and the
//!    paragraph is kept whole. Markdown front matter and HTML meta tags override what the text suggests.

mod boilerplate;
mod html;
mod meta;
pub(crate) use meta::credited_opening_shape;
mod text;

#[cfg(test)]
mod tests;

pub use boilerplate::{BUILTIN_LEXICON, BUILTIN_LEXICON_NAME, BoilerplateLexicon};

use credence_model::text::Slice;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use boilerplate::count_words;
use credence_model::error::Error;
use credence_model::story::Date;
use text::{SourceMap, ends_clause, ends_sentence, is_space, trim_range};

/// The default largest file read: 5 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 5 * 1024 * 1024;

/// The kind of file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocFormat {
    /// `.txt`: plain text.
    Text,
    /// `.md`, `.markdown`: Markdown, optionally with TOML front matter between `+++` lines.
    Markdown,
    /// `.html`, `.htm`.
    Html,
}

impl DocFormat {
    /// The format for a file name's extension (any case), or `None` for files that are not articles.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<DocFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "txt" => Some(DocFormat::Text),
            "md" | "markdown" => Some(DocFormat::Markdown),
            "html" | "htm" => Some(DocFormat::Html),
            _ => None,
        }
    }
}

/// One article file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The path as given.
    pub path: PathBuf,
    /// The file's format.
    pub format: DocFormat,
    /// What later stages read: the decoded file for `.txt` and `.md`, the rendered main text for HTML.
    pub text: String,
    /// For every byte of `text`, the byte offset in the original file where the character (or HTML
    /// character reference) that produced it starts, plus one entry for `text.len()` (the file's length).
    /// `None` when `text` is the file byte for byte. Set for HTML, and for text files with a byte-order mark
    /// or invalid UTF-8.
    pub source_offsets: Option<Vec<u32>>,
    /// Like `source_offsets`, but where the producing character or reference ends. Use
    /// [`Document::source_span`] rather than the two vectors.
    pub source_ends: Option<Vec<u32>>,
    /// The kept article paragraphs, in order: byte ranges into `text`, without surrounding white space.
    pub paragraphs: Vec<Range<usize>>,
    /// Every removed line or piece, in text order.
    pub dropped: Vec<Dropped>,
    /// What the article says about itself.
    pub meta: Meta,
    /// Problems that did not stop reading, each naming the file (invalid UTF-8, bad front matter).
    pub warnings: Vec<String>,
    /// Byte offsets of the line feeds of the original file, to tell the line of a span.
    pub newlines: Vec<u32>,
}

impl Document {
    /// The text of each kept paragraph.
    pub fn paragraph_texts(&self) -> impl Iterator<Item = &str> {
        self.paragraphs.iter().map(|r| self.text.part(r.clone()))
    }

    /// Where the text range `r` comes from in the original file: for `.txt` and `.md` files normally `r`
    /// itself; for HTML the span from the first producing character to the end of the last.
    #[must_use]
    pub fn source_span(&self, r: Range<usize>) -> Range<usize> {
        match (&self.source_offsets, &self.source_ends) {
            (Some(starts), Some(ends)) => {
                let at = |v: &[u32], i: usize| v.get(i.min(v.len().saturating_sub(1))).map_or(0, |&x| x as usize);
                let start = at(starts, r.start);
                if r.is_empty() { start..start } else { start..at(ends, r.end - 1).max(start) }
            }
            _ => r,
        }
    }

    /// The 1-based line of the original file that byte `offset` of the file is on.
    #[must_use]
    pub fn line_of_source(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&p| (p as usize) < offset) + 1
    }
}

/// A removed line or piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// 1-based line in the original file where it starts.
    pub line: usize,
    /// Byte range in [`Document::text`]. Empty for HTML elements removed while rendering (their text is not in
    /// `text`; it is in `text` here).
    pub span: Range<usize>,
    /// What was removed.
    pub text: String,
    /// The rule that removed it: a lexicon rule name ("registration form", "donation pitch"), or
    /// "glued boilerplate", "repeated caption", "repeated heading", "repeated title", "repeated paragraph",
    /// "photo caption", "after end-of-article credit", "front matter", "markup", or `"<aside> element"` (one
    /// per HTML element name removed while rendering).
    pub reason: String,
}

/// What an article says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The headline.
    pub title: Option<String>,
    /// The line under the headline.
    pub standfirst: Option<String>,
    /// The outlet, as written ("Published in Dawn, …", "SOURCE: Al Jazeera and agencies", `og:site_name`,
    /// front matter).
    pub outlet: Option<String>,
    /// Publication date: front matter, HTML meta, a "Published in …" line, or a dateline with a year.
    pub published: Option<Date>,
    /// The place of the dateline ("BEIRUT").
    pub dateline: Option<String>,
    /// Month and day of a dateline without a year ("BEIRUT, April 25 —").
    pub dateline_date: Option<(u8, u8)>,
    /// The article's address (front matter, `og:url`, canonical link).
    pub url: Option<String>,
    /// Agencies credited, as written: "AFP" (from "— AFP"), "AP" (from "Additional reporting by AP"),
    /// "agencies".
    pub credits: Vec<String>,
    /// Where the credits were read, as ranges of `text`, so later stages can skip them.
    pub credit_lines: Vec<Range<usize>>,
}

/// Limits for reading files.
#[derive(Debug, Clone, Copy)]
pub struct IngestOptions {
    /// Largest file read, in bytes (default [`DEFAULT_MAX_BYTES`]).
    pub max_bytes: u64,
    /// Called with (files looked at, files in the folder) before each file and once at the end, so a
    /// command-line tool can show progress on big folders. A plain function: reading stays free of I/O
    /// decisions, and the options stay `Clone` and `Debug`.
    pub progress: Option<fn(usize, usize)>,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions { max_bytes: DEFAULT_MAX_BYTES, progress: None }
    }
}

/// A file that was not read as an article, and why. `Display` names the file and says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file, as found in the folder.
    pub path: PathBuf,
    /// Why it was not read.
    pub reason: SkipReason,
}

/// Why a file was not read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Empty, or only white space.
    Empty,
    /// NUL bytes or mostly control characters.
    Binary,
    /// Larger than the limit: its size and the limit, in bytes.
    TooLarge(u64, u64),
    /// Not a `.txt`, `.md`, `.markdown`, `.html` or `.htm` file.
    Unsupported,
    /// A readme in an article folder.
    Readme,
    /// A folder inside the article folder (folders are not read recursively).
    Directory,
    /// A hidden file (its name starts with a dot).
    Hidden,
    /// Not a regular file (a FIFO, a device, a socket), or a link to one: what it is.
    NotRegular(&'static str),
    /// The operating system could not read it (permissions, a broken link): its message.
    Unreadable(String),
    /// Its name is not valid UTF-8, so it cannot be named in a story file.
    BadName,
    /// Reading it hit an internal error (a bug in credence): the message.
    Failed(String),
}

impl Skipped {
    /// A skip of `path` for `reason`.
    pub fn new(path: impl Into<PathBuf>, reason: SkipReason) -> Skipped {
        Skipped { path: path.into(), reason }
    }

    /// The file skipped.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether an article was lost: the file looked like an article (or could not be looked at) but was not
    /// read. Such a run is partial. Files that are not articles (readmes, folders, hidden and other files)
    /// and empty files lose nothing.
    #[must_use]
    pub fn is_loss(&self) -> bool {
        match &self.reason {
            SkipReason::Empty
            | SkipReason::Unsupported
            | SkipReason::Readme
            | SkipReason::Directory
            | SkipReason::Hidden => false,
            SkipReason::NotRegular(_) => DocFormat::from_path(&self.path).is_some(),
            SkipReason::Binary
            | SkipReason::TooLarge(..)
            | SkipReason::Unreadable(_)
            | SkipReason::BadName
            | SkipReason::Failed(_) => true,
        }
    }

    /// A stable name of the reason, for reports: `empty`, `binary`, `too-large`, `unsupported`, `readme`,
    /// `directory`, `hidden`, `not-regular`, `unreadable`, `bad-name`, `internal-error`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match &self.reason {
            SkipReason::Empty => "empty",
            SkipReason::Binary => "binary",
            SkipReason::TooLarge(..) => "too-large",
            SkipReason::Unsupported => "unsupported",
            SkipReason::Readme => "readme",
            SkipReason::Directory => "directory",
            SkipReason::Hidden => "hidden",
            SkipReason::NotRegular(_) => "not-regular",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::BadName => "bad-name",
            SkipReason::Failed(_) => "internal-error",
        }
    }

    /// What happened and what to do, without the file name.
    #[must_use]
    pub fn message(&self) -> String {
        match &self.reason {
            SkipReason::Empty => {
                "the file is empty or holds only white space; put the article text in it or remove it".into()
            }
            SkipReason::Binary => {
                "this looks like a binary file (NUL bytes or mostly control characters), not an article; \
                 save the article as UTF-8 text (.txt, .md or .html)"
                    .into()
            }
            SkipReason::TooLarge(size, limit) => format!(
                "{size} bytes is more than the limit of {limit} bytes; if this really is one article, raise \
                 the limit with --max-bytes (IngestOptions::max_bytes)"
            ),
            SkipReason::Unsupported => {
                "not an article file; credence reads .txt, .md, .markdown, .html and .htm files (rename or convert it)"
                    .into()
            }
            SkipReason::Readme => "readme, not an article (rename it if it is one)".into(),
            SkipReason::Directory => {
                "a folder; articles in sub-folders are not read (move them up, or read that folder itself)".into()
            }
            SkipReason::Hidden => "a hidden file (its name starts with a dot); rename it if it is an article".into(),
            SkipReason::NotRegular(kind) => {
                format!("{kind}, not a regular file; only regular files (or links to them) are read")
            }
            SkipReason::Unreadable(e) => format!("cannot be read: {e}"),
            SkipReason::BadName => {
                "its name is not valid UTF-8, so a story file cannot refer to it; rename it (UTF-8 names only)".into()
            }
            SkipReason::Failed(e) => {
                format!(
                    "internal error while reading it ({e}); the rest of the folder was read. Please report this bug"
                )
            }
        }
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: skipped: {}", self.path.display(), self.message())
    }
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Read { path: path.to_path_buf(), source }
}

/// Reads one article file. `Err` says why it is not read as an article; an I/O failure (a missing file, a
/// broken link, a FIFO or device) is a [`SkipReason`] too, so a folder run goes on with the other files.
pub fn read_file(path: &Path, opts: &IngestOptions, lex: &BoilerplateLexicon) -> Result<Document, Skipped> {
    let skip = |reason| Skipped::new(path, reason);
    let info = std::fs::metadata(path).map_err(|e| skip(SkipReason::Unreadable(e.to_string())))?;
    if info.is_dir() {
        return Err(skip(SkipReason::Directory));
    }
    let Some(format) = DocFormat::from_path(path) else { return Err(skip(SkipReason::Unsupported)) };
    // Offsets are u32: nothing of 4 GiB or more, whatever the limit.
    let limit = opts.max_bytes.min(u64::from(u32::MAX) - 1);
    let bytes = credence_model::fsio::read_bounded(path, limit).map_err(|e| {
        skip(match e {
            credence_model::fsio::ReadFailure::Io(e) => SkipReason::Unreadable(e.to_string()),
            credence_model::fsio::ReadFailure::NotRegular(kind) => SkipReason::NotRegular(kind),
            credence_model::fsio::ReadFailure::TooLarge(size, _) => SkipReason::TooLarge(size, opts.max_bytes),
        })
    })?;
    parse_bytes(path, &bytes, format, lex)
}

/// Reads an article from the bytes of a file, as [`read_file`] reads them once they are in memory: UTF-8
/// (a byte-order mark dropped, invalid sequences replaced, with a warning) or UTF-16; binary and empty
/// content is refused. `path` names the article in messages.
pub fn parse_bytes(
    path: &Path,
    bytes: &[u8],
    format: DocFormat,
    lex: &BoilerplateLexicon,
) -> Result<Document, Skipped> {
    let skip = |reason| Skipped::new(path, reason);
    if bytes.is_empty() {
        return Err(skip(SkipReason::Empty));
    }
    let decoded = match text::decode_utf16(bytes) {
        Some(d) => d,
        None if text::looks_binary(bytes) => return Err(skip(SkipReason::Binary)),
        None => text::decode(bytes),
    };
    if decoded.text.trim_matches(is_space).is_empty() {
        return Err(skip(SkipReason::Empty));
    }
    let mut warnings = Vec::new();
    if let Some(at) = decoded.first_bad {
        warnings.push(format!(
            "{}: invalid {} at byte {at}, decoded with replacement characters",
            path.display(),
            decoded.encoding
        ));
    } else if decoded.encoding != "UTF-8" {
        warnings.push(format!(
            "{}: decoded from {}; spans point into the file's bytes",
            path.display(),
            decoded.encoding
        ));
    }
    Ok(build(path, format, decoded.text, decoded.map, bytes, lex, warnings))
}

/// Reads the article files of a folder (not its sub-folders), in byte order of their names. `story.toml` and
/// `story.json` are passed over (they are the story, not articles); every other file that is not read —
/// hidden files, readmes, sub-folders, files of other kinds, unreadable files — is returned as [`Skipped`]
/// with the reason. Only failing to list the folder itself is an error.
pub fn read_dir(
    dir: &Path,
    opts: &IngestOptions,
    lex: &BoilerplateLexicon,
) -> Result<(Vec<Document>, Vec<Skipped>), Error> {
    let mut paths = Vec::new();
    let mut skipped = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| read_error(dir, e))? {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => {
                skipped.push(Skipped::new(dir, SkipReason::Unreadable(format!("an entry cannot be listed: {e}"))));
            }
        }
    }
    paths.sort_by(|a, b| {
        let name = |p: &PathBuf| p.file_name().map(|n| n.as_encoded_bytes().to_vec()).unwrap_or_default();
        name(a).cmp(&name(b))
    });
    // Which names are articles is decided here; the articles are read and parsed on every thread, and the
    // outcomes are taken in name order, so the documents and the skipped files come out as one thread gives.
    enum Outcome {
        Read(PathBuf),
        Passed,
        Skipped(Skipped),
    }
    let total = paths.len();
    let outcomes: Vec<Outcome> = paths
        .into_iter()
        .map(|path| {
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
                return Outcome::Skipped(Skipped::new(path, SkipReason::BadName));
            };
            if name == "story.toml" || name == "story.json" {
                return Outcome::Passed;
            }
            if name.starts_with('.') {
                return Outcome::Skipped(Skipped::new(path, SkipReason::Hidden));
            }
            let stem = path.file_stem().map(|s| s.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
            if stem == "readme" && !path.is_dir() {
                return Outcome::Skipped(Skipped::new(path, SkipReason::Readme));
            }
            Outcome::Read(path)
        })
        .collect();
    // Files passed over count as done at once, so the count of files read reaches `total`.
    let done = std::sync::atomic::AtomicUsize::new(outcomes.iter().filter(|o| !matches!(o, Outcome::Read(_))).count());
    let read = credence_model::work::par_map(&outcomes, |_, outcome| {
        let Outcome::Read(path) = outcome else { return None };
        // One article's internal error (a bug) must not cost the others: it is reported and the file skipped.
        let got = match credence_model::isolate::run(|| read_file(path, opts, lex)) {
            Ok(got) => got,
            Err(panic) => Err(Skipped::new(path, SkipReason::Failed(panic))),
        };
        if let Some(report) = opts.progress {
            report(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total);
        }
        Some(got)
    });
    let mut docs = Vec::new();
    for (outcome, got) in outcomes.into_iter().zip(read) {
        match (outcome, got) {
            (_, Some(Ok(doc))) => docs.push(doc),
            (_, Some(Err(s))) | (Outcome::Skipped(s), None) => skipped.push(s),
            (Outcome::Read(_) | Outcome::Passed, None) => {}
        }
    }
    if let Some(report) = opts.progress {
        report(total, total);
    }
    Ok((docs, skipped))
}

/// Reads an article from a string, as [`read_file`] would read a file holding it (`path` names it in messages).
/// For [`DocFormat::Html`], `text` is the page's source.
#[must_use]
pub fn parse_text(path: &Path, text: &str, format: DocFormat, lex: &BoilerplateLexicon) -> Document {
    build(path, format, text.to_string(), None, text.as_bytes(), lex, Vec::new())
}

fn build(
    path: &Path,
    format: DocFormat,
    decoded: String,
    decode_map: Option<SourceMap>,
    original: &[u8],
    lex: &BoilerplateLexicon,
    mut warnings: Vec<String>,
) -> Document {
    let file = path.display().to_string();
    let (text, map, rendered) = match format {
        DocFormat::Html => {
            let mut r = html::render(&decoded);
            let map = match &decode_map {
                Some(d) => r.map.then(d),
                None => std::mem::replace(&mut r.map, SourceMap::with_capacity(0)),
            };
            (std::mem::take(&mut r.text), Some(map), Some(r))
        }
        _ => (decoded, decode_map.clone(), None),
    };
    let newlines: Vec<u32> = original.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i as u32).collect();
    let line_at = |orig: usize| newlines.partition_point(|&p| (p as usize) < orig) + 1;
    let line_of = |off: usize| line_at(map.as_ref().map_or(off, |m| m.starts[off] as usize));

    let cleaned = clean(&text, format == DocFormat::Markdown, lex, &file, &mut warnings);
    let mut dropped: Vec<Dropped> = cleaned
        .dropped
        .into_iter()
        .map(|(span, reason)| Dropped {
            line: line_of(span.start),
            text: text.part(span.clone()).to_string(),
            span,
            reason,
        })
        .collect();
    let mut meta = cleaned.meta;
    if let Some(r) = rendered {
        for rm in r.removed {
            let orig = decode_map.as_ref().map_or(rm.source, |d| d.starts[rm.source] as usize);
            dropped.push(Dropped {
                line: line_at(orig),
                span: rm.at..rm.at,
                text: rm.text,
                reason: format!("<{}> element", rm.element),
            });
        }
        if let Some(site) = r.site_name {
            meta.outlet = Some(site);
        }
        if let Some(p) = r.published.as_deref().and_then(|p| Date::parse(p.get(..10).unwrap_or(p))) {
            meta.published = Some(p);
        }
        if r.url.is_some() {
            meta.url = r.url;
        }
        let page_title = r.title.map(|t| strip_site_suffix(t, meta.outlet.as_deref()));
        if let Some(t) = r.h1.or(r.og_title).or(page_title) {
            meta.title = Some(t);
        }
    }
    dropped.sort_by_key(|d| (d.span.start, d.span.end));
    if let Some(fm) = cleaned.front {
        meta.title = fm.title.or(meta.title);
        meta.standfirst = fm.standfirst.or(meta.standfirst);
        meta.outlet = fm.outlet.or(meta.outlet);
        meta.published = fm.published.or(meta.published);
        meta.url = fm.url.or(meta.url);
        meta.dateline = fm.dateline.or(meta.dateline);
        if let Some(c) = fm.credits {
            meta.credits = c;
        }
    }
    let (source_offsets, source_ends) = match map {
        Some(m) => (Some(m.starts), Some(m.ends)),
        None => (None, None),
    };
    Document {
        path: path.to_path_buf(),
        format,
        text,
        source_offsets,
        source_ends,
        paragraphs: cleaned.paragraphs,
        dropped,
        meta,
        warnings,
        newlines,
    }
}

/// "Rebels take town | The Paper" → "Rebels take town" when the outlet is "The Paper".
fn strip_site_suffix(title: String, site: Option<&str>) -> String {
    let Some(site) = site else { return title };
    for sep in [" | ", " - ", " \u{2013} ", " \u{2014} ", " :: ", " : "] {
        if let Some(t) = title.strip_suffix(&format!("{sep}{site}"))
            && !t.trim().is_empty()
        {
            return t.trim().to_string();
        }
    }
    title
}

/// What happens to a piece of text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fate {
    Keep,
    /// Removed: the reason, and the lexicon rule when one removed it (its neighbours may follow).
    Drop(String, Option<usize>),
    /// An end-of-article credit line.
    Credit,
}

struct Item {
    range: Range<usize>,
    heading: bool,
    fate: Fate,
    /// The number of words of `text[range]` (see `boilerplate::count_words`), counted once: most rules ask
    /// for it, and paragraphs are long.
    words: usize,
}

struct Cleaned {
    paragraphs: Vec<Range<usize>>,
    dropped: Vec<(Range<usize>, String)>,
    meta: Meta,
    front: Option<meta::FrontMatter>,
}

fn clean(text: &str, md: bool, lex: &BoilerplateLexicon, file: &str, warnings: &mut Vec<String>) -> Cleaned {
    let lines = text::lines(text);
    let mut dropped = Vec::new();
    let mut first = 0;
    let mut front = None;
    if md && lines.first().is_some_and(|l| text.part(l.clone()).trim_matches(is_space) == "+++") {
        match lines.iter().skip(1).position(|l| text.part(l.clone()).trim_matches(is_space) == "+++") {
            Some(k) => {
                let close = k + 1;
                let src = text.part(lines[1].start..lines[close].start);
                front = Some(meta::front_matter(src, file, 1, warnings));
                for l in &lines[..=close] {
                    let r = trim_range(text, l.clone());
                    if !r.is_empty() {
                        dropped.push((r, "front matter".to_string()));
                    }
                }
                first = close + 1;
            }
            None => warnings.push(format!("{file}:1: front matter opened with `+++` is never closed; read as text")),
        }
    }
    if md
        && front.is_none()
        && first == 0
        && let Some(close) = yaml_front_matter(text, &lines)
    {
        warnings.push(format!(
            "{file}:1: YAML front matter (between `---` lines) is not read; write it as TOML between `+++` lines"
        ));
        for l in &lines[..=close] {
            let r = trim_range(text, l.clone());
            if !r.is_empty() {
                dropped.push((r, "front matter".to_string()));
            }
        }
        first = close + 1;
    }
    let (units, markup) = text::units(text, &lines[first..], first, md);
    dropped.extend(markup.into_iter().map(|(_, r)| (r, "markup".to_string())));

    // Glued boilerplate and the lexicon rules, line by line.
    let mut items = Vec::with_capacity(units.len());
    for u in &units {
        first_pass(text, u, lex, &mut items);
    }
    spread(text, lex, &mut items);
    let mut meta = Meta::default();
    let body_end = end_of_article(text, lex, &mut items, &mut meta);
    repeated(text, lex, &mut items, body_end);
    let title_idx = items[..body_end].iter().position(|it| it.fate == Fate::Keep);
    for (i, it) in items[..body_end].iter_mut().enumerate() {
        if it.fate == Fate::Keep
            && Some(i) != title_idx
            && !it.heading
            && lex.is_caption_counted(text.part(it.range.clone()), it.words)
        {
            it.fate = Fate::Drop("photo caption".into(), None);
        }
    }
    read_heading_meta(text, lex, &items, &mut meta);

    let mut paragraphs = Vec::new();
    for it in items {
        match it.fate {
            Fate::Keep if !it.range.is_empty() => paragraphs.push(it.range),
            Fate::Keep => {}
            Fate::Drop(reason, _) => dropped.push((it.range, reason)),
            Fate::Credit => {}
        }
    }
    dropped.sort_by_key(|(r, _)| (r.start, r.end));
    Cleaned { paragraphs, dropped, meta, front }
}

/// The closing line of YAML front matter: `---` on the first line, `key: value` lines (or indented or list
/// lines), and `---` again within 60 lines.
fn yaml_front_matter(text: &str, lines: &[Range<usize>]) -> Option<usize> {
    let line = |i: usize| text.part(lines[i].clone()).trim_end_matches(is_space);
    if lines.is_empty() || line(0) != "---" {
        return None;
    }
    for i in 1..lines.len().min(60) {
        let l = line(i);
        if l == "---" || l == "..." {
            return (i > 1).then_some(i);
        }
        let key = l.split(':').next().unwrap_or("");
        let keyed = l.contains(':')
            && !key.is_empty()
            && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
            && !key.starts_with(' ');
        if !(l.is_empty() || keyed || l.starts_with([' ', '\t', '-', '#'])) {
            return None;
        }
    }
    None
}

/// Rules 2 and 3: cut glued boilerplate, then apply the lexicon to each line on its own.
fn first_pass(text: &str, u: &text::Unit, lex: &BoilerplateLexicon, items: &mut Vec<Item>) {
    let s = text.part(u.range.clone());
    let points = text::glue_points(s);
    if !points.is_empty() {
        let mut bounds = vec![0];
        bounds.extend(points);
        bounds.push(s.len());
        let pieces: Vec<Range<usize>> = bounds
            .windows(2)
            .map(|w| trim_range(text, u.range.start + w[0]..u.range.start + w[1]))
            .filter(|r| !r.is_empty())
            .collect();
        let classes: Vec<(Option<usize>, usize)> =
            pieces.iter().map(|p| lex.classify_counting(text.part(p.clone()))).collect();
        if classes.iter().any(|c| c.0.is_some()) && classes.iter().any(|c| c.0.is_none()) {
            let mut i = 0;
            while i < pieces.len() {
                if let (Some(rule), words) = classes[i] {
                    items.push(Item {
                        range: pieces[i].clone(),
                        heading: false,
                        fate: Fate::Drop("glued boilerplate".into(), Some(rule)),
                        words,
                    });
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j + 1 < pieces.len() && classes[j + 1].0.is_none() {
                    j += 1;
                }
                let range = pieces[i].start..pieces[j].end;
                // A glue point can split a word ("automaticallyReload"), so the pieces' counts do not add up.
                let words = if i == j { classes[i].1 } else { count_words(text.part(range.clone()), usize::MAX) };
                items.push(Item { range, heading: u.heading, fate: Fate::Keep, words });
                i = j + 1;
            }
            return;
        }
    }
    let (rule, words) = lex.classify_counting(s);
    let fate = match rule {
        Some(r) => Fate::Drop(lex.rules[r].reason.clone(), Some(r)),
        None => Fate::Keep,
    };
    items.push(Item { range: u.range.clone(), heading: u.heading, fate, words });
}

/// Rule 4: neighbours of dropped lines that carry the same rule's weak phrases, or a pitch's voice, go too.
fn spread(text: &str, lex: &BoilerplateLexicon, items: &mut [Item]) {
    let mut queue: Vec<usize> = (0..items.len()).filter(|&i| matches!(items[i].fate, Fate::Drop(_, Some(_)))).collect();
    while let Some(i) = queue.pop() {
        let Fate::Drop(_, Some(r)) = items[i].fate else { continue };
        let rule = &lex.rules[r];
        for j in [i.wrapping_sub(1), i + 1] {
            if j >= items.len() || items[j].fate != Fate::Keep {
                continue;
            }
            let s = text.part(items[j].range.clone());
            let voice = rule.spreads && items[j].words <= rule.max_words && lex.outlet_voice(s) >= 2;
            if voice || lex.has_weak(r, s) {
                items[j].fate = Fate::Drop(rule.reason.clone(), Some(r));
                queue.push(j);
            }
        }
    }
}

fn add_credit(meta: &mut Meta, name: &str) {
    if !meta.credits.iter().any(|c| c == name) {
        meta.credits.push(name.to_string());
    }
}

/// Rule 5: finds the end-of-article credit, records credits, and drops what follows. Returns the index of the
/// first item after the article body.
fn end_of_article(text: &str, lex: &BoilerplateLexicon, items: &mut [Item], meta: &mut Meta) -> usize {
    let mut body_end = None;
    let mut credit_block = false;
    let mut prose_seen = false;
    let record = |meta: &mut Meta, base: usize, line: Range<usize>, c: &meta::CreditLine| {
        for a in &c.agencies {
            add_credit(meta, text.part(base + a.start..base + a.end));
        }
        if let Some(o) = &c.outlet {
            meta.outlet.get_or_insert_with(|| text.part(base + o.start..base + o.end).to_string());
        }
        if let Some(d) = c.date {
            meta.published.get_or_insert(d);
        }
        meta.credit_lines.push(line);
    };
    for (i, item) in items.iter_mut().enumerate() {
        let r = item.range.clone();
        let s = text.part(r.clone());
        if body_end.is_some() {
            if credit_block
                && item.fate == Fate::Keep
                && let Some(c) = meta::credit_line_counted(s, item.words, lex)
            {
                record(meta, r.start, r.clone(), &c);
                item.fate = Fate::Credit;
                continue;
            }
            credit_block = false;
            if item.fate == Fate::Keep {
                item.fate = Fate::Drop("after end-of-article credit".into(), None);
            }
            continue;
        }
        if item.fate != Fate::Keep {
            continue;
        }
        if prose_seen && let Some(c) = meta::credit_line_counted(s, item.words, lex) {
            record(meta, r.start, r.clone(), &c);
            item.fate = Fate::Credit;
            body_end = Some(i);
            credit_block = true;
            continue;
        }
        if let Some((prose_end, dash, agencies)) = meta::trailing_credit(s, lex) {
            let c = meta::CreditLine { agencies, outlet: None, date: None };
            record(meta, r.start, r.start + dash..r.end, &c);
            item.range = r.start..r.start + prose_end;
            item.words = count_words(s.part(..prose_end), usize::MAX);
            // "… two bases. — AFP" ends the article; a headline "Rebels take town - Reuters" does not.
            if ends_sentence(s.part(..prose_end)) {
                body_end = Some(i + 1);
                credit_block = true;
            }
            continue;
        }
        if ends_clause(s) && item.words >= 4 {
            prose_seen = true;
        }
    }
    body_end.unwrap_or(items.len())
}

/// `s` with each run of white space made one space and none at the ends. Borrowed when `s` is already like
/// that, as nearly every paragraph is: [`repeated`] keys every paragraph by it.
fn collapse(s: &str) -> Cow<'_, str> {
    let mut after_space = true;
    for c in s.chars() {
        if is_space(c) {
            if c != ' ' || after_space {
                return Cow::Owned(s.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "));
            }
            after_space = true;
        } else {
            after_space = false;
        }
    }
    if after_space && !s.is_empty() {
        // A trailing space.
        return Cow::Owned(s.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "));
    }
    Cow::Borrowed(s)
}

/// Rule 6: lines printed more than once in the article body.
fn repeated(text: &str, lex: &BoilerplateLexicon, items: &mut [Item], body_end: usize) {
    let keys: Vec<Cow<str>> = items.iter().map(|it| collapse(text.part(it.range.clone()))).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for key in &keys {
        *counts.entry(key).or_default() += 1;
    }
    let title_idx = items[..body_end].iter().position(|it| it.fate == Fate::Keep);
    let title_key = title_idx.map(|t| &*keys[t]);
    let mut seen = HashSet::new();
    for (i, it) in items[..body_end].iter_mut().enumerate() {
        if it.fate != Fate::Keep {
            continue;
        }
        let s = text.part(it.range.clone());
        let key = &*keys[i];
        if counts[key] < 2 {
            continue;
        }
        let first = seen.insert(key);
        if Some(i) == title_idx {
            continue;
        }
        let words = it.words;
        let caption = lex.is_caption_counted(s, words);
        if title_key == Some(key) {
            it.fate = Fate::Drop("repeated title".into(), None);
        } else if caption || !ends_sentence(s) {
            let reason = if caption || words >= 8 { "repeated caption" } else { "repeated heading" };
            it.fate = Fate::Drop(reason.into(), None);
        } else if words >= 4 && !first {
            it.fate = Fate::Drop("repeated paragraph".into(), None);
        }
    }
}

/// The last character, ignoring closing quotes and brackets.
fn last_char(s: &str) -> Option<char> {
    s.trim_end_matches(|c: char| {
        is_space(c) || matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}' | '\u{BB}' | ')' | ']')
    })
    .chars()
    .last()
}

/// Reads like a headline; `words` is the number of words of `s`.
fn headline_like(s: &str, words: usize) -> bool {
    (1..=30).contains(&words)
        && s.chars().count() <= 250
        && !matches!(last_char(s), Some('.' | '\u{2026}'))
        && !s.trim_start_matches(is_space).starts_with(char::is_lowercase)
}

/// Reads like a standfirst; `words` is the number of words of `s`.
fn standfirst_like(s: &str, words: usize) -> bool {
    if words == 0
        || words > 45
        || s.chars().count() > 300
        || s.trim_start_matches(is_space).starts_with(char::is_lowercase)
    {
        return false;
    }
    // One sentence at most: no ". X" inside.
    let chars: Vec<char> = s.trim_end_matches(is_space).chars().collect();
    !chars.windows(3).any(|w| matches!(w[0], '.' | '!' | '?') && w[1] == ' ' && w[2].is_uppercase())
}

/// Rule 8 (from the text): title, standfirst and dateline.
fn read_heading_meta(text: &str, lex: &BoilerplateLexicon, items: &[Item], meta: &mut Meta) {
    let kept: Vec<usize> =
        (0..items.len()).filter(|&i| items[i].fate == Fate::Keep && !items[i].range.is_empty()).collect();
    let s = |i: usize| text.part(items[i].range.clone());
    let mut dateline_item = None;
    for &i in kept.iter().take(3) {
        if items[i].heading {
            continue;
        }
        if let Some(d) = meta::dateline(s(i), lex) {
            let base = items[i].range.start;
            meta.dateline = Some(s(i).part(d.place.clone()).to_string());
            if let Some(date) = &d.date {
                meta.dateline_date = Some((date.month, date.day));
                if let Some(full) = date.date() {
                    meta.published.get_or_insert(full);
                }
            }
            for a in &d.agencies {
                add_credit(meta, text.part(base + a.start..base + a.end));
            }
            if let Some(c) = &d.credit {
                meta.credit_lines.push(base + c.start..base + c.end);
            }
            dateline_item = Some(i);
            break;
        }
    }
    let Some(&t) = kept.first() else { return };
    if Some(t) == dateline_item || !(items[t].heading || headline_like(s(t), items[t].words)) {
        return;
    }
    meta.title = Some(collapse(s(t)).into_owned());
    if let Some(&n) = kept.get(1)
        && Some(n) != dateline_item
        && !items[n].heading
        && standfirst_like(s(n), items[n].words)
    {
        meta.standfirst = Some(collapse(s(n)).into_owned());
    }
}
