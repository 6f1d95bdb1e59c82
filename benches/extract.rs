//! Extraction throughput: how many megabytes of article text per second one core turns into a story.
//!
//! Run with `cargo bench --bench extract`. The corpus is the example articles (our own rewrites, with their
//! boilerplate) plus, when `../shared` is present, the `PolNeAR` dev texts; it is repeated until it holds about
//! 16 MB. Each stage is timed on its own (best of three): reading (boilerplate removal and metadata, from text
//! already in memory), segmentation, attribution and caveats, and the whole extraction including source
//! resolution and story building. `CREDENCE_BENCH_QUICK=1` runs one pass on a small corpus.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use credence::attribution::{AttributionLexicon, extract};
use credence::caveat::{self, CaveatLexicon};
use credence::extract::{Lexicons, extract_documents};
use credence::ingest::{BoilerplateLexicon, DocFormat, Document, parse_text};
use credence::segment::{Abbreviations, segment};

fn texts(dir: &Path) -> Vec<(PathBuf, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<(PathBuf, String)> = entries
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
        .collect();
    v.sort();
    v
}

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        black_box(f());
        best = best.min(t.elapsed());
    }
    best
}

fn main() {
    let quick = std::env::var_os("CREDENCE_BENCH_QUICK").is_some();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut corpus = texts(&root.join("examples/jisr-al-shughur/articles"));
    let polnear = texts(&root.join("../shared/eval/polnear/dev/text"));
    let with_polnear = !polnear.is_empty();
    corpus.extend(polnear);
    let one: usize = corpus.iter().map(|(_, t)| t.len()).sum();
    let target: usize = if quick { 1 << 20 } else { 16 << 20 };
    let copies = target.div_ceil(one.max(1));
    let runs = if quick { 1 } else { 3 };
    let bytes = one * copies;
    let mb = bytes as f64 / 1e6;

    let boiler = BoilerplateLexicon::builtin();
    let abbr = Abbreviations::builtin();
    let attr = AttributionLexicon::builtin();
    let cav = CaveatLexicon::builtin();
    let lex = Lexicons::builtin();

    let read = || -> Vec<Document> {
        let mut docs = Vec::with_capacity(corpus.len() * copies);
        for c in 0..copies {
            for (p, t) in &corpus {
                docs.push(parse_text(
                    &p.with_file_name(format!("{c}-{}", p.file_name().unwrap().to_string_lossy())),
                    t,
                    DocFormat::Text,
                    &boiler,
                ));
            }
        }
        docs
    };
    let t_read = best(runs, read);
    let docs = read();

    let t_segment =
        best(runs, || docs.iter().map(|d| segment(&d.text, &d.paragraphs, &abbr).sentences.len()).sum::<usize>());
    let segmented: Vec<_> = docs.iter().map(|d| segment(&d.text, &d.paragraphs, &abbr)).collect();
    let t_attr = best(runs, || {
        let mut n = 0;
        for (d, s) in docs.iter().zip(&segmented) {
            let sentences: Vec<_> = s.sentences.iter().map(|x| x.span.clone()).collect();
            let quotes: Vec<_> = s.quotes.iter().map(|x| x.span.clone()).collect();
            n += extract(&d.text, &sentences, &quotes, &attr).len();
            n += caveat::find(&d.text, &sentences, &cav).len();
        }
        n
    });
    let opts = credence::extraction_options(&root.join("examples"));
    // The whole pipeline on one copy of the corpus per story (a story is a set of articles on one event).
    let per_story: Vec<&[Document]> = docs.chunks(corpus.len().max(1)).collect();
    let t_all = best(runs, || {
        per_story.iter().map(|chunk| extract_documents(chunk, "bench", None, &opts, &lex).reports.len()).sum::<usize>()
    });

    println!(
        "credence extraction benchmark: {mb:.1} MB of article text ({} files x {copies}{}), one thread, best of {runs}",
        corpus.len(),
        if with_polnear { ", example articles + PolNeAR dev" } else { ", example articles only" }
    );
    println!();
    println!("{:<44} {:>10} {:>10}", "stage", "time", "MB/s");
    for (name, t) in [
        ("read: paragraphs, boilerplate, metadata", t_read),
        ("segment: sentences and quotations", t_segment),
        ("attribution and caveats", t_attr),
        ("whole extraction (read -> story)", t_read + t_all),
    ] {
        println!("{name:<44} {:>8.1}ms {:>10.1}", t.as_secs_f64() * 1e3, mb / t.as_secs_f64());
    }
    println!();
    println!(
        "(\"whole extraction\" adds source resolution, report and claim building to reading; the aim is >= 5 MB/s per core)"
    );
}
