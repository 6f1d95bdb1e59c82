//! Snapshot tests of every exporter on a small assessment built by hand.
//!
//! The assessment below is written out field by field rather than computed by the scorer, so these snapshots
//! change only when an exporter changes: a new weight or a fix in scoring cannot move them. (The CLI snapshots
//! in `tests/snapshots/` cover the whole path from a story file.) The story behind the graph is three sources,
//! two articles and two contradicting claims; the numbers are chosen, not derived, but consistent with each other.
//!
//! After an intended change to an exporter, regenerate with
//! `UPDATE_SNAPSHOTS=1 cargo test -p credence-report --test exporters` and review the diff before committing.

use std::path::PathBuf;

use credence_model::locate::Syntax;
use credence_model::story::{Evidence, Stance, Story, StoryFile, validate};
use credence_model::vocab::CueClass;
use credence_report::{
    CaveatPhrases, ClaimReviewExporter, DotExporter, Exporter, HtmlExporter, JsonExporter, MarkdownExporter,
    ProvExporter, ReportInput, SvgExporter, TerminalExporter,
};
use credence_score::config::Settings;
use credence_score::graph::ClaimGraph;
use credence_score::score::{
    ArticleOut, Assessment, ClaimScore, ContradictedBy, ContradictionOut, Explanation, Interest, MergeReason,
    OpinionOut, OriginScore, Parameters, ReportScore, SCHEMA, SkippedFile, SourceOut, StoryOut, TrustHop,
};

/// The story the graph is built from: ids and chains match the assessment below.
const STORY: &str = r#"
[story]
title = "Harbour bridge closure"

[[source]]
id = "gazette"
name = "The Harbour Gazette"
kind = "outlet"

[[source]]
id = "wire"
name = "Coast Wire"
kind = "wire-agency"

[[source]]
id = "council"
name = "City council"
kind = "government-official"

[[article]]
id = "g1"
title = "Bridge shut after cracks found"
outlet = "gazette"
path = "g1.txt"
published = "2026-03-04"
credits = ["wire"]

[[article]]
id = "w1"
title = "Council says bridge safe"
outlet = "wire"
path = "w1.txt"

[[claim]]
id = "closed"
text = "The harbour bridge was closed on Tuesday"

[[claim]]
id = "safe"
text = "The harbour bridge is safe to use"

[[report]]
article = "g1"
claim = "closed"
chain = ["gazette", "wire", "council"]
cue = "said"
quote = "The bridge was closed on Tuesday, the council said, reportedly after cracks were found."
span = [0, 86]

[[report]]
article = "w1"
claim = "closed"
chain = ["wire", "council"]
cue = "announced"
quote = "The council announced the closure on Tuesday."
span = [10, 55]

[[report]]
article = "w1"
claim = "safe"
chain = ["wire"]
cue = ""
quote = "Engineers <b>believe</b> the bridge is safe."
span = [60, 104]

[[contradiction]]
a = "closed"
b = "safe"
kind = "predicate"
"#;

fn opinion(b: f64, d: f64, u: f64, a: f64) -> OpinionOut {
    OpinionOut { b, d, u, a, p: b + a * u }
}

fn hop(source: &str, role: &'static str, grade: char, p: f64) -> TrustHop {
    TrustHop { source: source.into(), role, grade, grade_from: format!("kind:{source}"), p, adjusted: p }
}

/// A report of the hand-built assessment; the fields that vary between the three are arguments.
#[allow(clippy::too_many_arguments)]
fn report(
    index: usize,
    article: &str,
    chain: &[&str],
    chain_text: &str,
    cue: &str,
    class: CueClass,
    caveats: &[(&str, f64)],
    quote: &str,
    span: [usize; 2],
    opinion_after: OpinionOut,
) -> ReportScore {
    let trust: Vec<TrustHop> = chain
        .iter()
        .enumerate()
        .map(|(i, s)| hop(s, if i + 1 == chain.len() { "origin" } else { "relay" }, 'B', 0.8))
        .collect();
    ReportScore {
        index,
        article: article.into(),
        chain: chain.iter().map(|s| (*s).to_string()).collect(),
        chain_text: chain_text.into(),
        speaker: None,
        cue: cue.into(),
        cue_class: class,
        class_opinion: [0.7, 0.0, 0.3],
        cue_known: !cue.is_empty(),
        stance: Stance::Supports,
        caveats: caveats.iter().map(|(k, _)| (*k).to_string()).collect(),
        caveat_weights: caveats.iter().map(|(_, w)| *w).collect(),
        quote: Some(quote.into()),
        span: Some(span),
        inferred: None,
        interest: Interest::None,
        origin: (*chain.last().expect("a chain")).to_string(),
        trust,
        discount: 0.8_f64.powi(i32::try_from(chain.len()).expect("short chain")),
        assertion: opinion(0.7, 0.0, 0.3, 0.5),
        opinion: opinion_after,
        cluster: 0,
        counted: true,
    }
}

#[allow(clippy::too_many_lines)]
fn assessment() -> Assessment {
    let closed_reports = vec![
        report(
            0,
            "g1",
            &["gazette", "wire", "council"],
            "The Harbour Gazette ← Coast Wire ← City council",
            "said",
            CueClass::Neutral,
            &[("hedge", 0.3)],
            "The bridge was closed on Tuesday, the council said, reportedly after cracks were found.",
            [0, 86],
            opinion(0.25, 0.0, 0.75, 0.5),
        ),
        report(
            1,
            "w1",
            &["wire", "council"],
            "Coast Wire ← City council",
            "announced",
            CueClass::Endorsing,
            &[],
            "The council announced the closure on Tuesday.",
            [10, 55],
            opinion(0.45, 0.0, 0.55, 0.5),
        ),
    ];
    let mut safe_report = report(
        2,
        "w1",
        &["wire"],
        "Coast Wire",
        "",
        CueClass::Neutral,
        &[("hedge", 0.3)],
        "Engineers <b>believe</b> the bridge is safe.",
        [60, 104],
        opinion(0.2, 0.0, 0.8, 0.5),
    );
    safe_report.cue_known = false;
    let closed = ClaimScore {
        id: "closed".into(),
        text: "The harbour bridge was closed on Tuesday".into(),
        favours: None,
        rank: 1,
        support: 0.71,
        belief: 0.52,
        disbelief: 0.1,
        uncertainty: 0.38,
        base_rate: 0.5,
        interval: [0.48, 0.9],
        grade: "B3".into(),
        reliability: 'B',
        credibility: 3,
        credibility_label: "Possibly true",
        likelihood: "likely".into(),
        confidence: "Low",
        conflict: 0.12,
        raw_conflict: 0.2,
        independent_origins: 1,
        refuting_origins: 1,
        origins: vec![
            OriginScore {
                id: "council".into(),
                name: "City council".into(),
                sources: vec!["council".into()],
                stance: Stance::Supports,
                reports: vec![0, 1],
                via_contradictions: vec![],
                merged_because: vec![MergeReason::SameOrigin { reports: 2, source: "City council".into() }],
                opinion: opinion(0.5, 0.0, 0.5, 0.5),
                raw: opinion(0.7, 0.0, 0.3, 0.5),
                contribution: 0.21,
            },
            OriginScore {
                id: "wire".into(),
                name: "Coast Wire".into(),
                sources: vec!["wire".into()],
                stance: Stance::Refutes,
                reports: vec![],
                via_contradictions: vec!["safe".into()],
                merged_because: vec![MergeReason::Contradiction {
                    source: "Coast Wire".into(),
                    claim: "safe".into(),
                    kind: "predicate".into(),
                }],
                opinion: opinion(0.0, 0.15, 0.85, 0.5),
                raw: opinion(0.0, 0.2, 0.8, 0.5),
                contribution: -0.06,
            },
        ],
        reports: closed_reports,
        contradicted_by: vec![ContradictedBy {
            claim: "safe".into(),
            kind: "predicate".into(),
            weight: 0.8,
            conflict: 0.12,
        }],
        explanation: vec![
            Explanation::Summary {
                reports: 2,
                clusters: 2,
                supporting: 1,
                refuting: 1,
                across: "cumulative",
                within: "averaging",
            },
            Explanation::Origin { origin: 0 },
            Explanation::Report { report: 0 },
            Explanation::Report { report: 1 },
            Explanation::Origin { origin: 1 },
            Explanation::ContradictedBy { index: 0 },
            Explanation::Result {
                opinion: [0.52, 0.1, 0.38, 0.5],
                support: 0.71,
                interval_mass: 0.9,
                interval: [0.48, 0.9],
                reliability: 'B',
                credibility: 3,
                independent: false,
            },
        ],
    };
    let safe = ClaimScore {
        id: "safe".into(),
        text: "The harbour bridge is safe to use".into(),
        favours: None,
        rank: 2,
        support: 0.42,
        belief: 0.12,
        disbelief: 0.2,
        uncertainty: 0.68,
        base_rate: 0.5,
        interval: [0.12, 0.75],
        grade: "B5".into(),
        reliability: 'B',
        credibility: 5,
        credibility_label: "Improbable",
        likelihood: "roughly even chance".into(),
        confidence: "Low",
        conflict: 0.12,
        raw_conflict: 0.2,
        independent_origins: 1,
        refuting_origins: 1,
        origins: vec![OriginScore {
            id: "wire".into(),
            name: "Coast Wire".into(),
            sources: vec!["wire".into()],
            stance: Stance::Supports,
            reports: vec![0],
            via_contradictions: vec![],
            merged_because: vec![],
            opinion: opinion(0.2, 0.0, 0.8, 0.5),
            raw: opinion(0.5, 0.0, 0.5, 0.5),
            contribution: 0.1,
        }],
        reports: vec![safe_report],
        contradicted_by: vec![ContradictedBy {
            claim: "closed".into(),
            kind: "predicate".into(),
            weight: 0.8,
            conflict: 0.12,
        }],
        explanation: vec![
            Explanation::Summary {
                reports: 1,
                clusters: 1,
                supporting: 1,
                refuting: 0,
                across: "cumulative",
                within: "averaging",
            },
            Explanation::Origin { origin: 0 },
            Explanation::Report { report: 0 },
            Explanation::ContradictedBy { index: 0 },
            Explanation::Result {
                opinion: [0.12, 0.2, 0.68, 0.5],
                support: 0.42,
                interval_mass: 0.9,
                interval: [0.12, 0.75],
                reliability: 'B',
                credibility: 5,
                independent: false,
            },
        ],
    };
    let source = |id: &str, name: &str, kind: &str, grade: char, reports: usize, relayed: usize| SourceOut {
        id: id.into(),
        name: name.into(),
        kind: kind.into(),
        side: None,
        grade,
        relay: grade,
        member_of: None,
        claims: usize::from(reports > 0),
        reports,
        relayed,
        caveated: usize::from(reports > 0),
        contradicted: 0,
    };
    Assessment {
        schema: SCHEMA,
        story: StoryOut {
            title: "Harbour bridge closure".into(),
            description: Some("A hand-built assessment for the exporter snapshots.".into()),
        },
        parameters: Parameters {
            config_files: vec!["(built-in defaults)".into()],
            prior_weight: 2.0,
            base_rate: 0.5,
            min_uncertainty: 0.05,
            interval: 0.9,
            within_origin: "averaging",
            across_origins: "cumulative",
            copy_threshold: 0.6,
            pooled_caveats: vec!["rumour".into()],
            self_serving: 0.5,
            admission: 1.2,
            conflict_alert: 0.3,
        },
        articles: vec![
            ArticleOut {
                id: "g1".into(),
                title: "Bridge shut after cracks found".into(),
                path: Some("g1.txt".into()),
                outlet: "gazette".into(),
                published: Some("2026-03-04".into()),
                credits: vec!["wire".into()],
                copied_from: vec![],
            },
            ArticleOut {
                id: "w1".into(),
                title: "Council says bridge safe".into(),
                path: Some("w1.txt".into()),
                outlet: "wire".into(),
                published: None,
                credits: vec![],
                copied_from: vec![],
            },
        ],
        sources: vec![
            source("council", "City council", "government-official", 'B', 2, 2),
            source("wire", "Coast Wire", "wire-agency", 'B', 1, 3),
            source("gazette", "The Harbour Gazette", "outlet", 'C', 0, 1),
        ],
        claims: vec![closed, safe],
        contradictions: vec![ContradictionOut {
            a: "closed".into(),
            b: "safe".into(),
            kind: "predicate".into(),
            note: Some("a closed bridge is not in use".into()),
            degree: 1.0,
            evidence: vec![Evidence { article: "w1".into(), claim: "safe".into(), span: [60, 104] }],
            weight: 0.8,
            conflict: 0.12,
        }],
        skipped: vec![SkippedFile {
            file: "notes.bin".into(),
            reason: "binary".into(),
            message: "notes.bin looks binary (NUL bytes); it was not read".into(),
            lost: false,
        }],
    }
}

fn graph() -> ClaimGraph {
    let settings = Settings::defaults();
    let file = StoryFile {
        story: Story::parse("hand.toml", STORY, Syntax::Toml).expect("story parses"),
        path: PathBuf::from("hand.toml"),
        text: STORY.into(),
        syntax: Syntax::Toml,
    };
    ClaimGraph::build(&validate(&file, &settings.vocabulary(), false).expect("story validates"))
}

/// Compares an exporter's bytes with `tests/snapshots/NAME`, or writes them when `UPDATE_SNAPSHOTS` is set.
fn check(name: &str, exporter: &dyn Exporter, input: &ReportInput<'_>) {
    let got = exporter.render(input).unwrap_or_else(|e| panic!("{name}: {e}"));
    // Written to a writer (streamed, for JSON), a report is the same bytes as rendered.
    let mut streamed = Vec::new();
    exporter.write_to(input, &mut streamed).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(streamed == got, "{name}: write_to differs from render");
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create snapshot folder");
        std::fs::write(&path, &got).expect("write snapshot");
        return;
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {}; run with UPDATE_SNAPSHOTS=1", path.display()));
    if got != want {
        let (g, w) = (String::from_utf8_lossy(&got), String::from_utf8_lossy(&want));
        let at = g.lines().zip(w.lines()).position(|(a, b)| a != b).map_or_else(
            || format!("lengths differ: {} vs {} lines", g.lines().count(), w.lines().count()),
            |i| {
                format!(
                    "line {}:\n  got:  {}\n  want: {}",
                    i + 1,
                    g.lines().nth(i).unwrap_or(""),
                    w.lines().nth(i).unwrap_or("")
                )
            },
        );
        panic!("{name} differs from its snapshot at {at}\n(rerun with UPDATE_SNAPSHOTS=1 if the change is intended)");
    }
}

fn with_input(f: impl FnOnce(&ReportInput<'_>)) {
    let (a, g) = (assessment(), graph());
    // The caveat phrase of report 0 ("reportedly"), as the reader would have found it.
    let quote = a.claims[0].reports[0].quote.clone().expect("a quote");
    let at = quote.find("reportedly").expect("the phrase");
    let phrases: CaveatPhrases = [(0, vec![(at..at + "reportedly".len(), "hedge".to_string())])].into();
    let mut input = ReportInput::new(&a, &g);
    input.caveat_phrases = Some(&phrases);
    input.review_url = Some("https://example.org/checks/bridge.html");
    f(&input);
}

#[test]
fn markdown() {
    with_input(|i| check("hand.md", &MarkdownExporter, i));
}

#[test]
fn json() {
    with_input(|i| check("hand.json", &JsonExporter, i));
}

/// A writer that takes at most three bytes a call and then fails, as a full disk does.
struct Failing(usize);

impl std::io::Write for Failing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0 == 0 {
            return Err(std::io::Error::other("disk full"));
        }
        let n = buf.len().min(3).min(self.0);
        self.0 -= n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn json_streams_to_a_writer_and_reports_its_failure_as_a_write_error() {
    with_input(|i| {
        let whole = JsonExporter.render(i).expect("renders");
        let mut out = Vec::new();
        credence_report::write_json(i, &mut std::io::BufWriter::with_capacity(7, &mut out)).expect("writes");
        assert_eq!(out, whole);
        let err = credence_report::write_json(i, &mut Failing(100)).expect_err("the writer fails");
        assert!(matches!(err, credence_model::Error::Write { .. }), "{err:?}");
    });
}

#[test]
fn html() {
    with_input(|i| check("hand.html", &HtmlExporter, i));
}

#[test]
fn svg() {
    with_input(|i| check("hand.svg", &SvgExporter, i));
}

#[test]
fn dot() {
    with_input(|i| check("hand.dot", &DotExporter, i));
}

#[test]
fn claimreview() {
    with_input(|i| check("hand.claimreview.jsonld", &ClaimReviewExporter, i));
}

#[test]
fn prov() {
    with_input(|i| check("hand.prov.jsonld", &ProvExporter, i));
}

#[test]
fn table_plain_and_coloured() {
    with_input(|i| {
        check("hand.table.txt", &TerminalExporter { color: false, width: 80 }, i);
        check("hand.table.ansi", &TerminalExporter { color: true, width: 80 }, i);
    });
}

/// `credence explain`: the formats that write one claim's section alone.
#[test]
fn focused_markdown_and_json() {
    with_input(|i| {
        let mut one = ReportInput::new(i.assessment, i.graph);
        one.caveat_phrases = i.caveat_phrases;
        one.focus = Some("safe");
        check("hand.explain.md", &MarkdownExporter, &one);
        check("hand.explain.json", &JsonExporter, &one);
    });
}

/// Untrusted text in the assessment (the `<b>` in a quote) never reaches HTML or SVG as markup.
#[test]
fn quotes_are_escaped() {
    with_input(|i| {
        let html = String::from_utf8(HtmlExporter.render(i).expect("html")).expect("utf-8");
        assert!(html.contains("&lt;b&gt;believe&lt;/b&gt;"), "quote not escaped");
        assert!(!html.contains("<b>believe"), "raw markup from a quote");
    });
}

/// A large story's Markdown: past `full_detail_up_to` claims, sections for the contested or multi-origin
/// claims only, each capped, and the report says what it left out.
#[test]
fn markdown_capped_for_large_stories() {
    with_input(|i| {
        let mut capped = ReportInput::new(i.assessment, i.graph);
        capped.caveat_phrases = i.caveat_phrases;
        capped.limits = credence_score::config::ReportLimits {
            full_detail_up_to: 1,
            detailed_claims: 1,
            evidence_per_claim: 1,
            origins_per_claim: 1,
        };
        check("hand.capped.md", &MarkdownExporter, &capped);
        let md = String::from_utf8(MarkdownExporter.render(&capped).expect("md")).expect("utf-8");
        assert!(md.contains("… and 1 more statements"), "{md}");
        assert!(md.contains("… and 1 more origins"), "{md}");
        assert!(md.contains("\n### 1. ") && !md.contains("\n### 2. "), "one claim section");
        // Every claim keeps its row in the table.
        assert!(md.contains("| 2 | The harbour bridge is safe to use"));
    });
}
