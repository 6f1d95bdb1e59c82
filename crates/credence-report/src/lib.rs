//! Report exporters: one per format, each a pure function of an assessment (and the claim graph it was
//! scored from) returning bytes, doing no I/O and reading no article.
//!
//! Keeping exporters free of I/O makes them trivially testable (the snapshot tests compare their bytes) and
//! lets the CLI decide where output goes. What the reports say in words about how a score came about is
//! written once, in [`words`], from the terms and factors the scorer records ([`credence_score::score::Explanation`]);
//! Markdown, HTML and the terminal share it. Phrases to highlight in quotes (caveats) are found upstream by
//! the reader and handed in as data ([`ReportInput::caveat_phrases`]).
//!
//! # Example
//!
//! ```
//! use credence_model::locate::Syntax;
//! use credence_model::story::{Story, StoryFile, validate};
//! use credence_model::vocab::{CueClass, CueTable};
//! use credence_report::{Exporter, MarkdownExporter, ReportInput};
//! use credence_score::{config::Settings, graph::ClaimGraph, score::Scorer};
//!
//! let text = "[story]\ntitle = \"Example\"\n\n[[source]]\nid = \"paper\"\nname = \"The Paper\"\nkind = \"outlet\"\n\n\
//!             [[article]]\nid = \"a1\"\noutlet = \"paper\"\n\n[[claim]]\nid = \"c\"\ntext = \"The bridge reopened\"\n\n\
//!             [[report]]\narticle = \"a1\"\nclaim = \"c\"\nchain = [\"paper\"]\ncue = \"\"\n";
//! let settings = Settings::defaults();
//! let file = StoryFile { story: Story::parse("e.toml", text, Syntax::Toml).unwrap(), path: "e.toml".into(), text: text.into(), syntax: Syntax::Toml };
//! let graph = ClaimGraph::build(&validate(&file, &settings.vocabulary(), false).unwrap());
//! let assessment = Scorer::new(&graph, &settings, &CueTable::new([("said", CueClass::Neutral)])).assess();
//! let md = MarkdownExporter.render(&ReportInput::new(&assessment, &graph)).unwrap();
//! assert!(String::from_utf8(md).unwrap().contains("The bridge reopened"));
//! ```
//!
//! Story and article text is untrusted in every format: [`inert`] holds the one neutraliser for control and
//! bidi characters that all text exporters apply, the JSON formatter that keeps JSON and JSON-LD free of
//! markup bytes, and the URL check for `url` fields and links; [`markup`] escapes for HTML and SVG.

mod claimreview;
mod dot;
mod html;
pub mod inert;
mod json;
mod markdown;
pub mod markup;
mod prov;
mod svg;
mod terminal;
pub mod words;

use std::collections::HashMap;
use std::ops::Range;

use credence_model::error::Result;
use credence_score::graph::ClaimGraph;
use credence_score::score::Assessment;

pub use claimreview::{ClaimReviewExporter, rating};
pub use dot::DotExporter;
pub use html::HtmlExporter;
pub use inert::review_url;
pub use json::{JsonExporter, write_json};
pub use markdown::{MarkdownExporter, claim_section};
pub use prov::ProvExporter;
pub use svg::{SvgExporter, SvgOptions, graph_svg};
pub use terminal::TerminalExporter;
pub use words::headline_title;

/// Everything an exporter may draw on.
pub struct ReportInput<'a> {
    /// The scored story.
    pub assessment: &'a Assessment,
    /// The claim graph it was scored from.
    pub graph: &'a ClaimGraph,
    /// How each article file was read, when the story was extracted from a folder of articles; `None` for a
    /// story file, whose articles were not re-read (the HTML report says so rather than showing zeros).
    pub readings: Option<&'a [ArticleReading]>,
    /// Where the HTML report will be published: `ClaimReview` `url`s point at `URL#claim-ID`. Without it they
    /// are `urn:credence:claim:ID`, which names the review without claiming a web address. It must be an
    /// absolute `http(s)` URL ([`inert::web_url`]); the `ClaimReview` exporter refuses anything else.
    pub review_url: Option<&'a str>,
    /// The caveat phrases in each report's quote (by the report's index in the story): byte ranges of the
    /// quote and the caveat kind. Found by the reader's caveat lexicon before rendering, so an exporter never
    /// reads text the way extraction does.
    pub caveat_phrases: Option<&'a CaveatPhrases>,
    /// Render one claim only (`credence explain`): Markdown and JSON then write that claim's section alone,
    /// the other formats a report of the story restricted to it.
    pub focus: Option<&'a str>,
    /// Layout of the claim graph (SVG, and the graph in the HTML page).
    pub svg: SvgOptions,
    /// The one scale every format reads support on (from the settings' `[[likelihood]]` bands).
    pub scale: Scale,
    /// How much of a large story the Markdown report details (the settings' `[report]` limits).
    pub limits: credence_score::config::ReportLimits,
}

/// The one scale of support: the likelihood bands of the settings, each with its words and its point on
/// the five-point rating. `ClaimReview` ratings, the terminal's colours and the HTML bars all follow it, so
/// no format can call a claim "likely" while another calls it "unproven".
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Bands, ascending (the last ends at 1.0).
    pub bands: Vec<credence_score::config::Band>,
    /// Uncertainty at or above which a claim cannot be judged (credibility 6): it is left unrated.
    pub cannot_judge_u: f64,
}

/// How a point of the rating reads: the tone colours follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Rating 4–5: the evidence supports the claim.
    Good,
    /// Rating 3: even.
    Even,
    /// Rating 1–2: the evidence is against it.
    Bad,
    /// Not rated: too little evidence (credibility 6).
    Unrated,
}

impl Scale {
    /// The scale of settings.
    #[must_use]
    pub fn of(settings: &credence_score::config::Settings) -> Scale {
        Scale { bands: settings.likelihood.clone(), cannot_judge_u: settings.credibility.cannot_judge_u }
    }

    /// The rating (1–5) of a claim, `None` when it cannot be judged (its grade is 6).
    #[must_use]
    pub fn rating(&self, c: &credence_score::score::ClaimScore) -> Option<u8> {
        if c.credibility == 6 || c.support.is_nan() {
            return None;
        }
        let band = self.bands.iter().find(|b| c.support < b.below).or(self.bands.last())?;
        Some(band.rating)
    }

    /// The tone of a claim's rating.
    #[must_use]
    pub fn tone(&self, c: &credence_score::score::ClaimScore) -> Tone {
        match self.rating(c) {
            None => Tone::Unrated,
            Some(4..) => Tone::Good,
            Some(3) => Tone::Even,
            Some(_) => Tone::Bad,
        }
    }

    /// The legend of the scale, one line per band, low to high: `support range · words · rating`.
    #[must_use]
    pub fn legend(&self) -> Vec<String> {
        let mut from = 0.0;
        let mut out = Vec::new();
        for b in &self.bands {
            let to = if (b.below - 1.0).abs() < 1e-12 { "1".to_string() } else { format!("below {}", b.below) };
            out.push(format!("{from} to {to}: {} (rating {})", b.words, b.rating));
            from = b.below;
        }
        out
    }
}

impl Default for Scale {
    fn default() -> Scale {
        static DEFAULT: std::sync::LazyLock<Scale> =
            std::sync::LazyLock::new(|| Scale::of(&credence_score::config::Settings::defaults()));
        DEFAULT.clone()
    }
}

/// The built-in `[report]` limits, read once.
fn default_limits() -> credence_score::config::ReportLimits {
    static DEFAULT: std::sync::LazyLock<credence_score::config::ReportLimits> =
        std::sync::LazyLock::new(|| credence_score::config::Settings::defaults().report_limits);
    *DEFAULT
}

/// Caveat phrases per report index: (byte range in the quote, caveat kind).
pub type CaveatPhrases = HashMap<usize, Vec<(Range<usize>, String)>>;

impl<'a> ReportInput<'a> {
    /// The input for a scored story, with no extraction details and no publication URL.
    #[must_use]
    pub fn new(assessment: &'a Assessment, graph: &'a ClaimGraph) -> ReportInput<'a> {
        ReportInput {
            assessment,
            graph,
            readings: None,
            review_url: None,
            caveat_phrases: None,
            focus: None,
            svg: SvgOptions::default(),
            scale: Scale::default(),
            limits: default_limits(),
        }
    }

    /// The caveat phrases of a report's quote.
    pub fn caveats_of(&self, report: usize) -> &[(Range<usize>, String)] {
        self.caveat_phrases.and_then(|m| m.get(&report)).map_or(&[], Vec::as_slice)
    }
}

/// How one article file was read when extracting a story from a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleReading {
    /// The article's id in the story.
    pub article: String,
    /// The file, as given.
    pub file: String,
    /// Paragraphs kept.
    pub paragraphs: usize,
    /// Lines or pieces removed as boilerplate.
    pub dropped: usize,
    /// How many were removed by each rule, in the order the rules first fired.
    pub rules: Vec<(String, usize)>,
}

/// A report format.
pub trait Exporter {
    /// Renders the report.
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>>;

    /// Writes the report to `out`: the bytes of [`Exporter::render`]. Formats whose reports grow with the
    /// story (JSON) write as they serialise, so a large report is never held whole in memory; the others
    /// render and write. An I/O failure is [`credence_model::Error::Write`] with the placeholder path
    /// `(report)`, for the caller, which knows where it writes, to name the file.
    fn write_to(&self, input: &ReportInput<'_>, out: &mut dyn std::io::Write) -> Result<()> {
        let bytes = self.render(input)?;
        out.write_all(&bytes).map_err(|source| credence_model::Error::Write { path: "(report)".into(), source })
    }
}

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
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

impl Format {
    /// Every format, in the order they are documented.
    pub const ALL: [Format; 8] = [
        Format::Md,
        Format::Json,
        Format::Dot,
        Format::Html,
        Format::Svg,
        Format::Claimreview,
        Format::Prov,
        Format::Table,
    ];

    /// The format's name as `--format` spells it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Json => "json",
            Format::Dot => "dot",
            Format::Html => "html",
            Format::Svg => "svg",
            Format::Claimreview => "claimreview",
            Format::Prov => "prov",
            Format::Table => "table",
        }
    }

    /// The format of a name, if it is one.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The exporter for this format (the table without colour).
    #[must_use]
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::Md => Box::new(MarkdownExporter),
            Format::Json => Box::new(JsonExporter),
            Format::Dot => Box::new(DotExporter),
            Format::Html => Box::new(HtmlExporter),
            Format::Svg => Box::new(SvgExporter),
            Format::Claimreview => Box::new(ClaimReviewExporter),
            Format::Prov => Box::new(ProvExporter),
            Format::Table => Box::new(TerminalExporter::default()),
        }
    }

    /// Guesses the format from an output file name. `.jsonld` is `ClaimReview`, except `*.prov.jsonld` (and
    /// `.provld`), which is PROV.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        let stem_ext = path
            .file_stem()
            .and_then(|s| std::path::Path::new(s).extension())
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Md),
            "json" => Some(Format::Json),
            "dot" | "gv" => Some(Format::Dot),
            "html" | "htm" => Some(Format::Html),
            "svg" => Some(Format::Svg),
            "jsonld" if stem_ext.as_deref() == Some("prov") => Some(Format::Prov),
            "jsonld" => Some(Format::Claimreview),
            "provld" => Some(Format::Prov),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

/// Formats a number with three decimals (reports show no more precision than the model has).
pub(crate) fn f3(x: f64) -> String {
    format!("{x:.3}")
}

#[cfg(test)]
mod tests {
    use super::Format;
    use std::path::Path;

    #[test]
    fn formats_follow_extensions() {
        let f = |p: &str| Format::from_extension(Path::new(p));
        assert_eq!(f("r.html"), Some(Format::Html));
        assert_eq!(f("r.HTM"), Some(Format::Html));
        assert_eq!(f("g.svg"), Some(Format::Svg));
        assert_eq!(f("reviews.jsonld"), Some(Format::Claimreview));
        assert_eq!(f("chains.prov.jsonld"), Some(Format::Prov));
        assert_eq!(f("chains.provld"), Some(Format::Prov));
        assert_eq!(f("r.md"), Some(Format::Md));
        assert_eq!(f("r.pdf"), None);
        assert_eq!(f("noext"), None);
    }
}
