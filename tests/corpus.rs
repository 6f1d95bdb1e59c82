//! Real text no one here wrote, and mutations of it: the whole pipeline (read, extract, validate, score,
//! every report format) must never crash, never fail, never hang and never lose a sentence without saying so.
//!
//! - every story of `../shared/eval/emergent/veracity/train/` (88 real rumour stories, 2014–15);
//! - every `PolNeAR` text of `../shared/eval/polnear/` (2016 US political news, train and dev);
//! - mutations of those texts with a fixed seed: multi-byte characters, NUL, invalid UTF-8, byte-order marks,
//!   CRLF, bidi controls, emoji, huge lines, deep markup nesting and unbalanced quotes at random positions.
//!
//! Cost is checked as a coarse linear bound on the work counted (`credence::work`), never timed. CI always has
//! `../shared`; elsewhere these tests skip with a printed reason.

use std::path::{Path, PathBuf};

use credence::config::Settings;
use credence::extract::{Extraction, Lexicons, extract_dir, extract_isolated};
use credence::graph::ClaimGraph;
use credence::ingest::{DocFormat, parse_bytes};
use credence::locate::Syntax;
use credence::model::{self, StoryFile};
use credence::report::{Format, ReportInput};
use credence::score::Scorer;

use crate::common::root;

fn shared(rel: &str) -> Option<PathBuf> {
    let dir = root().join("../shared").join(rel);
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} not found (CI always has it)", dir.display());
        None
    }
}

/// Most work counted per byte of text read: the pipeline is linear, and this bound (far above what real text
/// needs) fails only when some step grows faster than the input.
const MAX_STEPS_PER_BYTE: f64 = 40.0;

/// What one story gave.
#[derive(Default, Debug)]
struct Tally {
    stories: usize,
    articles: usize,
    bytes: usize,
    reports: usize,
    claims: usize,
    /// Sentences of six words or more, and those of them that became a report.
    long_sentences: usize,
    long_reported: usize,
}

/// Validates, scores and renders an extraction in every format; counts what it holds.
fn score_and_render(name: &str, mut ex: Extraction, settings: &Settings, check_files: bool, tally: &mut Tally) {
    let failed: Vec<String> =
        ex.skipped.iter().filter(|s| s.code() == "internal-error").map(ToString::to_string).collect();
    assert!(failed.is_empty(), "{name}: internal errors:\n{}", failed.join("\n"));
    let file = StoryFile {
        story: std::mem::take(&mut ex.story),
        path: PathBuf::from(name).join("(extracted story)"),
        text: String::new(),
        syntax: Syntax::Toml,
    };
    let valid = match model::validate(&file, &settings.vocabulary(), check_files) {
        Ok(v) => v,
        Err(e) => panic!("{name}: the extracted story fails validation:\n{e}"),
    };
    tally.stories += 1;
    tally.articles += file.story.articles.len();
    tally.reports += file.story.reports.len();
    tally.claims += file.story.claims.len();
    // Accounting: every sentence of six words or more either became a report or is listed with its rule.
    for (d, left) in ex.documents.iter().zip(&ex.unreported) {
        let seg = credence::segment::segment(&d.text, &d.paragraphs, &Lexicons::builtin().abbreviations);
        for s in &seg.sentences {
            if d.text.get(s.span.clone()).unwrap_or_default().split_whitespace().count() < 6 {
                continue;
            }
            tally.long_sentences += 1;
            if !left.iter().any(|u| u.span == s.span) {
                tally.long_reported += 1;
            }
        }
    }
    let graph = ClaimGraph::build(&valid);
    let lex = Lexicons::builtin();
    let assessment = Scorer::new(&graph, settings, lex.attribution.cue_table()).assess();
    let input = ReportInput::new(&assessment, &graph);
    for f in [
        Format::Md,
        Format::Json,
        Format::Dot,
        Format::Html,
        Format::Svg,
        Format::Claimreview,
        Format::Prov,
        Format::Table,
    ] {
        let bytes = f.exporter().render(&input).unwrap_or_else(|e| panic!("{name}: {f:?}: {e}"));
        assert!(!bytes.is_empty(), "{name}: empty {f:?} report");
    }
}

fn run_folder(dir: &Path, settings: &Settings, lex: &Lexicons, tally: &mut Tally) {
    let name = dir.display().to_string();
    let before = credence::work::steps();
    let ex = extract_dir(dir, None, &credence::extraction_options(dir), lex).unwrap_or_else(|e| panic!("{name}: {e}"));
    let bytes: usize = ex.documents.iter().map(|d| d.text.len()).sum();
    tally.bytes += bytes;
    score_and_render(&name, ex, settings, true, tally);
    let per_byte = (credence::work::steps() - before) as f64 / bytes.max(1) as f64;
    assert!(per_byte < MAX_STEPS_PER_BYTE, "{name}: {per_byte:.1} steps per byte");
}

#[test]
fn real_rumour_stories_never_crash() {
    let Some(train) = shared("eval/emergent/veracity/train") else { return };
    let (settings, lex) = (Settings::defaults(), Lexicons::builtin());
    let mut tally = Tally::default();
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(&train).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for d in &dirs {
        run_folder(d, &settings, &lex, &mut tally);
    }
    assert_eq!(tally.stories, 88, "{tally:?}");
    let share = tally.long_reported as f64 / tally.long_sentences.max(1) as f64;
    println!("veracity train: {tally:?}; {:.1}% of sentences of six words or more became reports", 100.0 * share);
    assert!(share > 0.97, "{share:.3} of long sentences became reports");
}

#[test]
fn polnear_texts_never_crash() {
    let Some(polnear) = shared("eval/polnear") else { return };
    let (settings, lex) = (Settings::defaults(), Lexicons::builtin());
    let mut tally = Tally::default();
    for split in ["train", "dev"] {
        run_folder(&polnear.join(split).join("text"), &settings, &lex, &mut tally);
    }
    assert!(tally.articles >= 900, "{tally:?}");
    println!("polnear: {tally:?}");
}

/// A small deterministic generator (SplitMix64): the same cases on every machine and every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces that have broken text handling somewhere: inserted at random byte positions (so also inside
/// multi-byte characters).
const PIECES: &[&[u8]] = &[
    "’".as_bytes(),
    "ï".as_bytes(),
    "²".as_bytes(),
    "قال المرصد".as_bytes(),
    "שלום".as_bytes(),
    "Привет".as_bytes(),
    "中文".as_bytes(),
    "👍🏽👨‍👩‍👧".as_bytes(),
    "\u{202E}\u{2066}\u{200F}".as_bytes(),
    "\u{FEFF}".as_bytes(),
    b"\0",
    b"\xff\xfe\xc3",
    b"\xe2\x80",
    b"\r\n",
    b"\r",
    b"\"",
    "“".as_bytes(),
    "«".as_bytes(),
    b"'",
    b" said ",
    b" according to ",
    b"<div><p><b><i>",
    b"</p></div>",
    b"<!--",
    b"<script>",
    b"&amp;&#x1F600;&#99999999;&bogus;",
    b"\x1b]0;title\x07\x1b[2J",
    b"...",
    b" \xe2\x80\x94 ",
    b"+++\n",
];

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for _ in 0..=rng.below(12) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(10) {
            0 => {
                // A huge line: one piece repeated many times.
                let piece = PIECES[rng.below(PIECES.len())];
                let n = 200 + rng.below(3000);
                let block: Vec<u8> = piece.iter().copied().cycle().take(piece.len() * n).collect();
                bytes.splice(at..at, block);
            }
            1 => {
                // Deep nesting.
                let depth = 50 + rng.below(500);
                let mut block = "<div>".repeat(depth).into_bytes();
                block.extend(b"The council said the river rose.");
                bytes.splice(at..at, block);
            }
            2 if !bytes.is_empty() => {
                let end = (at + rng.below(200)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            _ => {
                let piece = PIECES[rng.below(PIECES.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
        }
    }
    bytes
}

/// How many mutated articles to run (`CREDENCE_MUTATIONS` overrides; CI runs the default).
fn cases() -> usize {
    std::env::var("CREDENCE_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)
}

#[test]
fn mutations_of_real_text_never_crash() {
    let Some(train) = shared("eval/emergent/veracity/train") else { return };
    let (settings, lex) = (Settings::defaults(), Lexicons::builtin());
    let mut texts: Vec<PathBuf> = std::fs::read_dir(&train)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
        .collect();
    texts.sort();
    // Short bodies keep the run quick; the mutations make them long where it matters.
    let bases: Vec<Vec<u8>> =
        texts.iter().map(|p| std::fs::read(p).unwrap()).map(|b| b[..b.len().min(3000)].to_vec()).collect();
    let mut rng = Rng(0x00C0_FFEE);
    let mut tally = Tally::default();
    let formats = [DocFormat::Text, DocFormat::Markdown, DocFormat::Html];
    let n = cases();
    let mut read = 0;
    for case in 0..n {
        // Three articles per story: two mutated bodies and one kept, so copies and alignment run too.
        let docs: Vec<_> = (0..3)
            .filter_map(|k| {
                let base = &bases[rng.below(bases.len())];
                let bytes = if k < 2 { mutate(&mut rng, base) } else { base.clone() };
                let format = formats[rng.below(formats.len())];
                parse_bytes(Path::new(&format!("case{case}-{k}.txt")), &bytes, format, &lex.boilerplate).ok()
            })
            .collect();
        read += docs.len();
        let ex =
            extract_isolated(&docs, "mutation", None, &credence::extraction_options(std::path::Path::new(".")), &lex)
                .unwrap_or_else(|e| panic!("case {case}: {e}"));
        assert!(ex.failed.is_empty(), "case {case}: internal error: {:?}", ex.failed);
        let extraction =
            Extraction { story: ex.story, documents: docs, skipped: Vec::new(), unreported: ex.unreported };
        score_and_render(&format!("case {case}"), extraction, &settings, false, &mut tally);
    }
    println!("mutations: {n} cases, {read} articles read, {tally:?}");
    assert!(read > n, "most mutated articles are still read");
}
