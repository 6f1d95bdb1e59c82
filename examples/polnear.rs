//! Writes credence's attributions for a `PolNeAR` split in the format of its scorer
//! (`../shared/eval/polnear/polnear_score.py`): one JSON line per article with cue, source and content spans
//! as Unicode character offsets.
//!
//! ```sh
//! cargo run --release --example polnear -- ../shared/eval/polnear/dev > target/polnear-dev.jsonl
//! python3 ../shared/eval/polnear/polnear_score.py ../shared/eval/polnear/dev target/polnear-dev.jsonl
//! ```
//!
//! The time spent is printed on standard error (words per second, for comparison with `PolNeAR`'s peers).

use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

use credence::attribution::{AttributionLexicon, extract};
use credence::segment::{Abbreviations, segment};

/// Paragraphs: runs of non-blank lines.
fn paragraphs_of(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(pos + (line.len() - line.trim_start().len())),
            (true, Some(s)) => {
                out.push(s..pos);
                start = None;
            }
            _ => {}
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out.into_iter().map(|r| r.start..r.start + text[r].trim_end().len()).collect()
}

fn char_offsets(text: &str) -> Vec<usize> {
    // byte offset -> char offset, for every byte boundary (and the end).
    let mut map = vec![0; text.len() + 1];
    let mut c = 0;
    for (b, ch) in text.char_indices() {
        for k in 0..ch.len_utf8() {
            map[b + k] = c;
        }
        c += 1;
    }
    map[text.len()] = c;
    map
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: polnear SPLIT_DIR (e.g. ../shared/eval/polnear/dev)")?;
    let text_dir = Path::new(&dir).join("text");
    let mut names: Vec<_> = std::fs::read_dir(&text_dir)?
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let lex = AttributionLexicon::builtin();
    let abbr = Abbreviations::builtin();
    let out = std::io::stdout();
    let mut out = out.lock();
    let (mut words, mut bytes, mut n) = (0usize, 0usize, 0usize);
    let started = Instant::now();
    for path in names {
        let text = std::fs::read_to_string(&path)?;
        words += text.split_whitespace().count();
        bytes += text.len();
        n += 1;
        let paragraphs = paragraphs_of(&text);
        let seg = segment(&text, &paragraphs, &abbr);
        let sentences: Vec<Range<usize>> = seg.sentences.iter().map(|s| s.span.clone()).collect();
        let quotes: Vec<Range<usize>> = seg.quotes.iter().map(|q| q.span.clone()).collect();
        let found = extract(&text, &sentences, &quotes, &lex);
        let map = char_offsets(&text);
        let span = |r: &Range<usize>| serde_json::json!([map[r.start], map[r.end]]);
        let attributions: Vec<_> = found
            .iter()
            .map(|a| {
                serde_json::json!({
                    "cue": span(&a.cue),
                    "source": a.source.as_ref().map(span),
                    "content": a.content.as_ref().map(|c| {
                        if a.content_more.is_empty() {
                            span(c)
                        } else {
                            serde_json::Value::Array(std::iter::once(c).chain(&a.content_more).map(span).collect())
                        }
                    }),
                })
            })
            .collect();
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        writeln!(out, "{}", serde_json::json!({ "file": name, "attributions": attributions }))?;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{n} articles, {words} words, {:.2} MB in {secs:.3} s: {:.0} words/s, {:.1} MB/s",
        bytes as f64 / 1e6,
        words as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}
