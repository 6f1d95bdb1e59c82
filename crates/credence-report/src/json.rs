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
use serde_json::ser::Formatter;

use super::inert::InertJson;
use super::{Exporter, ReportInput};
use credence_model::error::{Error, Result};
use credence_score::score::{Assessment, ClaimScore};

/// Renders the assessment as pretty-printed JSON.
pub struct JsonExporter;

/// Pretty printing with every float rounded to six decimals: more digits than that only show floating-point
/// noise, and rounding keeps the output stable across platforms whose last-bit arithmetic differs. Strings
/// are written through [`InertJson`].
struct Rounding(InertJson<Pretty>);

/// `serde_json`'s pretty layout (two spaces per level), starting at any depth: a claim is serialised on its
/// own, on any thread, as it stands inside the document's `claims` list, and the pieces are written in
/// order. The bytes are those of `serde_json::ser::PrettyFormatter` over the whole document.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty { depth, has_value: false }
    }
}

fn indent<W: ?Sized + io::Write>(w: &mut W, depth: usize) -> io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = depth * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        w.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.depth)?;
        }
        w.write_all(b"]")
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.depth)?;
        }
        w.write_all(b"}")
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

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
    let render =
        |w: &mut dyn io::Write| match input.focus.and_then(|id| input.assessment.claims.iter().find(|c| c.id == id)) {
            // `credence explain`: the claim alone.
            Some(c) => c.serialize(&mut serializer(w, 0)),
            None => write_assessment(input.assessment, w),
        };
    // The document is serialised on other threads while this one writes what is ready: on a big story,
    // handing gigabytes to the file is a good share of the time, and it need not wait for the serialiser.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    let mut write_failed: Option<io::Error> = None;
    let done = std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            let mut w = Chunks { tx, buf: Vec::with_capacity(CHUNK) };
            let done = render(&mut w);
            done.and_then(|()| w.send().map_err(serde_json::Error::io))
        });
        for chunk in &rx {
            if write_failed.is_none()
                && let Err(e) = out.write_all(&chunk)
            {
                write_failed = Some(e);
                // Dropping the receiver makes the serialiser stop at its next chunk.
                break;
            }
        }
        drop(rx);
        producer.join().unwrap_or_else(|_| Err(serde_json::Error::io(io::Error::other("the JSON writer panicked"))))
    });
    if let Some(source) = write_failed {
        return Err(Error::Write { path: "(report)".into(), source });
    }
    done.map_err(|e| {
        if e.is_io() {
            Error::Write { path: "(report)".into(), source: e.into() }
        } else {
            Error::Render { format: "json", message: e.to_string() }
        }
    })?;
    out.write_all(b"\n").map_err(|source| Error::Write { path: "(report)".into(), source })
}

/// Bytes handed from the serialiser to the writing thread at a time.
const CHUNK: usize = 1 << 20;

/// A writer that passes its bytes on to another thread in chunks of [`CHUNK`].
struct Chunks {
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
    buf: Vec<u8>,
}

impl Chunks {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx.send(full).map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the report's writer stopped"))
    }
}

impl io::Write for Chunks {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn serializer<W: io::Write>(out: W, depth: usize) -> serde_json::Serializer<W, Rounding> {
    serde_json::Serializer::with_formatter(out, Rounding(InertJson(Pretty::at(depth))))
}

/// Claims serialised at once, on every thread, before they are written: enough to keep both cores busy,
/// few enough that the pieces held stay small beside the assessment.
const CLAIMS_PER_BATCH: usize = 64;

/// A claim with more reports than this is written field by field, its reports serialised a batch at a time
/// on every thread: a big folder's wire story can hold a tenth of all its reports in one claim.
const BIG_CLAIM: usize = 256;

fn io_err(e: io::Error) -> serde_json::Error {
    serde_json::Error::io(e)
}

/// Writes `"name": value` as a field of an object whose fields stand at `depth` (`first` opens the object).
fn field<W: io::Write + ?Sized, T: Serialize + ?Sized>(
    out: &mut W,
    depth: usize,
    first: bool,
    name: &str,
    value: &T,
) -> serde_json::Result<()> {
    key(out, depth, first, name)?;
    value.serialize(&mut serializer(&mut *out, depth))
}

fn key<W: io::Write + ?Sized>(out: &mut W, depth: usize, first: bool, name: &str) -> serde_json::Result<()> {
    out.write_all(if first { b"{\n" } else { b",\n" }).map_err(io_err)?;
    indent(out, depth).map_err(io_err)?;
    let mut ser = serializer(&mut *out, depth);
    name.serialize(&mut ser)?;
    out.write_all(b": ").map_err(io_err)
}

/// Closes an object whose fields stand at `depth`.
fn close<W: io::Write + ?Sized>(out: &mut W, depth: usize) -> serde_json::Result<()> {
    out.write_all(b"\n").map_err(io_err)?;
    indent(out, depth - 1).map_err(io_err)?;
    out.write_all(b"}").map_err(io_err)
}

/// Writes a list that is the value of a field at `depth` (its items stand at `depth + 1`), `batch` items at a
/// time serialised on every thread and written in order. `item` writes one item into a buffer.
fn list<W: io::Write + ?Sized, T: Sync>(
    out: &mut W,
    depth: usize,
    items: &[T],
    batch: usize,
    item: impl Fn(&T, &mut Vec<u8>) -> serde_json::Result<()> + Sync,
) -> serde_json::Result<()> {
    out.write_all(b"[").map_err(io_err)?;
    let mut first = true;
    for chunk in items.chunks(batch.max(1)) {
        let pieces = credence_model::work::par_map(chunk, |_, x| {
            let mut buf = Vec::with_capacity(1024);
            item(x, &mut buf).map(|()| buf)
        });
        for piece in pieces {
            out.write_all(if first { b"\n" } else { b",\n" }).map_err(io_err)?;
            indent(out, depth + 1).map_err(io_err)?;
            out.write_all(&piece?).map_err(io_err)?;
            first = false;
        }
    }
    if !items.is_empty() {
        out.write_all(b"\n").map_err(io_err)?;
        indent(out, depth).map_err(io_err)?;
    }
    out.write_all(b"]").map_err(io_err)
}

/// The whole document, field by field in the order of [`Assessment`]'s definition. The claims (with their
/// reports, nearly all of a big report's bytes) are serialised a batch at a time on every thread and written
/// in order; so are the reports of a big claim. The bytes are those of serialising the assessment in one go
/// (a test checks it).
fn write_assessment<W: io::Write + ?Sized>(a: &Assessment, out: &mut W) -> serde_json::Result<()> {
    // Destructured so that a field added to the assessment cannot be forgotten here.
    let Assessment { schema, story, parameters, articles, sources, claims, contradictions, skipped } = a;
    field(out, 1, true, "schema", schema)?;
    field(out, 1, false, "story", story)?;
    field(out, 1, false, "parameters", parameters)?;
    field(out, 1, false, "articles", articles)?;
    field(out, 1, false, "sources", sources)?;
    key(out, 1, false, "claims")?;
    // Small claims go in batches; a big one is a batch of its own, written field by field.
    let mut start = 0;
    let mut runs: Vec<&[ClaimScore]> = Vec::new();
    for (i, c) in claims.iter().enumerate() {
        if c.reports.len() > BIG_CLAIM {
            if start < i {
                runs.push(&claims[start..i]);
            }
            runs.push(&claims[i..=i]);
            start = i + 1;
        }
    }
    if start < claims.len() {
        runs.push(&claims[start..]);
    }
    out.write_all(b"[").map_err(io_err)?;
    let mut first = true;
    for run in runs {
        let sep = |out: &mut W, first: &mut bool| -> serde_json::Result<()> {
            out.write_all(if *first { b"\n" } else { b",\n" }).map_err(io_err)?;
            indent(out, 2).map_err(io_err)?;
            *first = false;
            Ok(())
        };
        if let [c] = run
            && c.reports.len() > BIG_CLAIM
        {
            sep(out, &mut first)?;
            write_claim(c, 3, out)?;
            continue;
        }
        for chunk in run.chunks(CLAIMS_PER_BATCH) {
            let pieces = credence_model::work::par_map(chunk, |_, c| {
                let mut buf = Vec::with_capacity(4096);
                c.serialize(&mut serializer(&mut buf, 2)).map(|()| buf)
            });
            for piece in pieces {
                sep(out, &mut first)?;
                out.write_all(&piece?).map_err(io_err)?;
            }
        }
    }
    if !claims.is_empty() {
        out.write_all(b"\n").map_err(io_err)?;
        indent(out, 1).map_err(io_err)?;
    }
    out.write_all(b"]").map_err(io_err)?;
    field(out, 1, false, "contradictions", contradictions)?;
    field(out, 1, false, "skipped", skipped)?;
    close(out, 1)
}

/// One claim whose fields stand at `depth`, field by field in the order of [`ClaimScore`]'s definition,
/// its reports a batch at a time on every thread.
fn write_claim<W: io::Write + ?Sized>(c: &ClaimScore, depth: usize, out: &mut W) -> serde_json::Result<()> {
    let ClaimScore {
        id,
        text,
        favours,
        rank,
        support,
        belief,
        disbelief,
        uncertainty,
        base_rate,
        interval,
        grade,
        reliability,
        credibility,
        credibility_label,
        likelihood,
        confidence,
        conflict,
        raw_conflict,
        independent_origins,
        refuting_origins,
        origins,
        reports,
        contradicted_by,
        explanation,
    } = c;
    let d = depth;
    field(out, d, true, "id", id)?;
    field(out, d, false, "text", text)?;
    field(out, d, false, "favours", favours)?;
    field(out, d, false, "rank", rank)?;
    field(out, d, false, "support", support)?;
    field(out, d, false, "belief", belief)?;
    field(out, d, false, "disbelief", disbelief)?;
    field(out, d, false, "uncertainty", uncertainty)?;
    field(out, d, false, "base_rate", base_rate)?;
    field(out, d, false, "interval", interval)?;
    field(out, d, false, "grade", grade)?;
    field(out, d, false, "reliability", reliability)?;
    field(out, d, false, "credibility", credibility)?;
    field(out, d, false, "credibility_label", credibility_label)?;
    field(out, d, false, "likelihood", likelihood)?;
    field(out, d, false, "confidence", confidence)?;
    field(out, d, false, "conflict", conflict)?;
    field(out, d, false, "raw_conflict", raw_conflict)?;
    field(out, d, false, "independent_origins", independent_origins)?;
    field(out, d, false, "refuting_origins", refuting_origins)?;
    field(out, d, false, "origins", origins)?;
    key(out, d, false, "reports")?;
    list(out, d, reports, BIG_CLAIM, |r, buf| r.serialize(&mut serializer(buf, d + 1)))?;
    field(out, d, false, "contradicted_by", contradicted_by)?;
    field(out, d, false, "explanation", explanation)?;
    close(out, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_model::locate::Syntax;
    use credence_model::story::{Story, StoryFile, validate};
    use credence_model::vocab::{CueClass, CueTable};
    use credence_score::config::Settings;
    use credence_score::graph::ClaimGraph;
    use credence_score::score::Scorer;

    /// A small scored story: two claims, one contradicting the other, with text to escape.
    fn sample() -> Assessment {
        let text = "[story]\ntitle = \"t <b> & \\u2028\"\n\n[[source]]\nid = \"paper\"\nname = \"P\"\nkind = \"outlet\"\n\n\
             [[source]]\nid = \"mon\"\nname = \"M\"\nkind = \"monitor\"\n\n[[article]]\nid = \"a\"\noutlet = \"paper\"\n\n\
             [[claim]]\nid = \"c\"\ntext = \"x fell\"\n\n[[claim]]\nid = \"d\"\ntext = \"x held\"\n\n\
             [[report]]\narticle = \"a\"\nclaim = \"c\"\nchain = [\"paper\", \"mon\"]\ncue = \"said\"\ncaveats = [\"unverified\"]\n\n\
             [[report]]\narticle = \"a\"\nclaim = \"d\"\nchain = [\"paper\"]\ncue = \"said\"\n\n\
             [[contradiction]]\na = \"c\"\nb = \"d\"\nkind = \"predicate\"\n";
        let settings = Settings::defaults();
        let story = Story::parse("t.toml", text, Syntax::Toml).unwrap();
        let file = StoryFile { story, path: "t.toml".into(), text: text.into(), syntax: Syntax::Toml };
        let valid = validate(&file, &settings.vocabulary(), false).unwrap();
        let graph = ClaimGraph::build(&valid);
        let cues = CueTable::new([("said", CueClass::Neutral)]);
        Scorer::new(&graph, &settings, &cues).assess()
    }

    /// The document written piece by piece is the one `serde_json`'s own pretty printer gives for the
    /// whole assessment (with the same rounding and escaping), on a story with more claims than a batch.
    #[test]
    fn pieces_make_the_document_serde_json_writes() {
        struct Whole(InertJson<serde_json::ser::PrettyFormatter<'static>>);
        impl Formatter for Whole {
            fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, x: f64) -> io::Result<()> {
                Rounding(InertJson(Pretty::at(0))).write_f64(w, x)
            }
            fn write_string_fragment<W: ?Sized + io::Write>(&mut self, w: &mut W, f: &str) -> io::Result<()> {
                self.0.write_string_fragment(w, f)
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
        let whole = |a: &Assessment| {
            let mut v = Vec::new();
            a.serialize(&mut serde_json::Serializer::with_formatter(&mut v, Whole(InertJson::pretty()))).unwrap();
            v
        };
        let pieces = |a: &Assessment| {
            let mut v = Vec::new();
            write_assessment(a, &mut v).unwrap();
            v
        };
        let mut a = sample();
        assert!(!a.claims.is_empty());
        let one = a.claims[0].clone();
        assert_eq!(String::from_utf8(pieces(&a)).unwrap(), String::from_utf8(whole(&a)).unwrap());
        while a.claims.len() <= 2 * CLAIMS_PER_BATCH {
            a.claims.push(one.clone());
        }
        assert_eq!(pieces(&a), whole(&a), "more claims than a batch");
        let mut big = a.claims[1].clone();
        let r = big.reports[0].clone();
        while big.reports.len() <= 2 * BIG_CLAIM + 1 {
            big.reports.push(r.clone());
        }
        a.claims.insert(3, big.clone());
        a.claims.push(big);
        assert_eq!(pieces(&a), whole(&a), "big claims among small ones, one last");
        a.claims.clear();
        a.contradictions.clear();
        a.articles.clear();
        assert_eq!(String::from_utf8(pieces(&a)).unwrap(), String::from_utf8(whole(&a)).unwrap(), "empty lists");
    }
}
