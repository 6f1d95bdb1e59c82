//! Report exporters: one per format, each turning an assessment into bytes and doing no I/O.
//!
//! Keeping exporters free of I/O makes them trivially testable (the snapshot tests compare their bytes) and
//! lets the CLI decide where output goes.

mod dot;
mod json;
mod markdown;

use crate::error::Result;
use crate::graph::ClaimGraph;
use crate::score::Assessment;

pub use dot::DotExporter;
pub use json::JsonExporter;
pub use markdown::{MarkdownExporter, claim_section};

/// Everything an exporter may draw on.
pub struct ReportInput<'a> {
    /// The scored story.
    pub assessment: &'a Assessment,
    /// The claim graph it was scored from.
    pub graph: &'a ClaimGraph,
}

/// A report format.
pub trait Exporter {
    /// Renders the report.
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>>;
}

/// The formats `credence score --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown: claims table, evidence per claim, sources.
    Md,
    /// JSON following schema/report.schema.json.
    Json,
    /// Graphviz DOT of the claim graph.
    Dot,
}

impl Format {
    /// The exporter for this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::Md => Box::new(MarkdownExporter),
            Format::Json => Box::new(JsonExporter),
            Format::Dot => Box::new(DotExporter),
        }
    }

    /// Guesses the format from an output file name.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Md),
            "json" => Some(Format::Json),
            "dot" | "gv" => Some(Format::Dot),
            _ => None,
        }
    }
}

/// Formats a number with three decimals (reports show no more precision than the model has).
pub(crate) fn f3(x: f64) -> String {
    format!("{x:.3}")
}
