//! JSON report: the assessment as it is, numbers rounded to six decimals. Its layout is described by
//! `schema/report.schema.json`, which the test suite validates every output against.
//!
//! The assessment is written straight to bytes through a formatter that rounds floats, not through a
//! `serde_json::Value` tree: the tree costs several times the output's size in memory, which on a story of
//! 10,000 articles was the largest allocation of the whole run.
//!
//! Strings keep their exact values: this is the data record of the run, and a consumer must get back the
//! text the story holds (an Arabic name may rightly carry a right-to-left mark). Their bytes are made inert
//! instead ([`InertJson`]): `<`, `>`, `&`, U+2028, U+2029, DEL, C1, bidi controls and non-characters are
//! written as `\u` escapes (`serde_json` already escapes the C0 controls), so the file can be shown on a
//! terminal or embedded in a page without acting, and parses to the same values.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use super::inert::InertJson;
use super::{Exporter, ReportInput};
use credence_model::error::{Error, Result};

/// Renders the assessment as pretty-printed JSON.
pub struct JsonExporter;

/// Pretty printing with every float rounded to six decimals: more digits than that only show floating-point
/// noise, and rounding keeps the output stable across platforms whose last-bit arithmetic differs. Strings
/// are written through [`InertJson`].
struct Rounding(InertJson<PrettyFormatter<'static>>);

impl Formatter for Rounding {
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, x: f64) -> io::Result<()> {
        let r = (x * 1e6).round() / 1e6;
        let r = if r == 0.0 { 0.0 } else { r };
        if r.is_finite() {
            // serde_json's own shortest float text (with ".0" for whole numbers), written without an
            // allocation per number: a large report holds millions of them.
            serde_json::ser::CompactFormatter.write_f64(w, r)
        } else {
            w.write_all(b"null")
        }
    }
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        self.0.write_string_fragment(w, fragment)
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

impl Exporter for JsonExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(1 << 16);
        write_json(input, &mut out)?;
        Ok(out)
    }

    fn write_to(&self, input: &ReportInput<'_>, out: &mut dyn io::Write) -> Result<()> {
        write_json(input, out)
    }
}

/// Writes the JSON report to `out` as it is serialised, claim by claim and report by report: the document is
/// never held whole in memory (on a story of 10,000 articles it was over 500 MB, the largest allocation of
/// the run). The bytes are those of [`JsonExporter`]'s `render`, which calls this into a `Vec<u8>`. Give
/// it a buffered writer: the serialiser writes many small pieces.
///
/// An I/O failure is [`Error::Write`] with the placeholder path `(report)` (the caller knows the real
/// one); anything else is [`Error::Render`].
pub fn write_json<W: io::Write + ?Sized>(input: &ReportInput<'_>, out: &mut W) -> Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, Rounding(InertJson::pretty()));
    let done = match input.focus.and_then(|id| input.assessment.claims.iter().find(|c| c.id == id)) {
        // `credence explain`: the claim alone.
        Some(c) => c.serialize(&mut ser),
        None => input.assessment.serialize(&mut ser),
    };
    done.map_err(|e| {
        if e.is_io() {
            Error::Write { path: "(report)".into(), source: e.into() }
        } else {
            Error::Render { format: "json", message: e.to_string() }
        }
    })?;
    out.write_all(b"\n").map_err(|source| Error::Write { path: "(report)".into(), source })
}
