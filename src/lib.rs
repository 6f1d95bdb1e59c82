//! credence: source-reliability scoring for news stories.
//!
//! A story is a set of articles, the sources they quote, the claims they make and the attribution chain of
//! every report ("Al Jazeera ← AFP ← SOHR"). credence builds a claim graph from it and scores each claim with
//! subjective logic: reports are discounted by the trust of their chain, reports that share an origin (or
//! come through copied articles) count once, independent origins add up, caveats and party interest move
//! belief into uncertainty, and contradictions add disbelief.
//!
//! This crate is the facade over the layers, one crate each along the data flow, so that a stage can only
//! use what it is given:
//!
//! - [`credence_model`] ([`model`], [`vocab`], [`locate`], [`error`]): the story tables, their validation
//!   against a vocabulary, located errors, and the plumbing every layer shares ([`text`], [`fsio`],
//!   [`isolate`], [`work`]);
//! - [`credence_extract`] ([`ingest`] → [`segment`] → [`attribution`] → [`caveat`] → [`resolve`] →
//!   [`copy`] → [`frame`]/[`align`] → [`extract`]): article files to a story, with its lexicons;
//! - [`credence_score`] ([`config`], [`opinion`], [`graph`], [`score`]): settings and the assessment;
//! - [`credence_report`] ([`report`]): one exporter per format, a pure function of an assessment.
//!
//! [`plan::Plan`] gathers what one run needs (settings, lexicons, vocabulary, cue table) once, from the
//! defaults, a config file and lexicon overrides, and hands each stage its part.
//!
//! # Example
//!
//! ```
//! use credence::{config::Settings, locate::Syntax, model::Story};
//!
//! let text = r#"
//! [story]
//! title = "Example"
//!
//! [[source]]
//! id = "paper"
//! name = "The Paper"
//! kind = "outlet"
//!
//! [[source]]
//! id = "monitor"
//! name = "The Monitor"
//! kind = "monitor"
//!
//! [[article]]
//! id = "a1"
//! outlet = "paper"
//!
//! [[claim]]
//! id = "town-taken"
//! text = "The town was taken"
//!
//! [[report]]
//! article = "a1"
//! claim = "town-taken"
//! chain = ["paper", "monitor"]
//! cue = "said"
//! "#;
//! let settings = Settings::defaults();
//! let story = Story::parse("example.toml", text, Syntax::Toml).unwrap();
//! let assessment = credence::assess(&story, &settings).unwrap();
//! let claim = &assessment.claims[0];
//! assert_eq!(claim.independent_origins, 1);
//! assert!(claim.support > 0.5 && claim.support < 0.8);
//! ```

#![forbid(unsafe_code)]

pub mod plan;
pub mod track;

/// Truth discovery with copy detection (`credence discover`).
pub use credence_discover as discover;
pub use credence_extract::{align, attribution, caveat, copy, extract, frame, ingest, resolve, segment};
pub use credence_model::story as model;
pub use credence_model::{Error, Result};
pub use credence_model::{error, fsio, isolate, locate, text, timing, vocab, work};
pub use credence_report as report;
pub use credence_score::{config, graph, opinion, score};
/// The track record of sources across stories (`credence record`, `settle`, `sources`, `score --db`).
pub use credence_store as store;

use std::path::{Path, PathBuf};

/// Validates a story (without opening article files) and scores it with the built-in cue table.
pub fn assess(story: &model::Story, settings: &config::Settings) -> Result<score::Assessment> {
    scored(story, settings).map(|(_, a)| a)
}

/// Validates a story (without opening article files) and scores it with the built-in cue table: the claim
/// graph and the assessment, which every exporter takes.
pub fn scored(story: &model::Story, settings: &config::Settings) -> Result<(graph::ClaimGraph, score::Assessment)> {
    let mut file = model::StoryFile {
        story: story.clone(),
        path: PathBuf::from("(story)"),
        text: String::new(),
        syntax: locate::Syntax::Toml,
    };
    let valid = model::validate_into(&mut file, &settings.vocabulary(), false)?;
    let graph = graph::ClaimGraph::build(&valid);
    let lex = extract::Lexicons::builtin();
    let assessment = score::Scorer::new(&graph, settings, lex.attribution.cue_table()).assess();
    Ok((graph, assessment))
}

/// Extraction options for a story written into `story_dir`, with the vocabulary of the default settings.
#[must_use]
pub fn extraction_options(story_dir: &Path) -> extract::ExtractOptions {
    extract::ExtractOptions::new(story_dir).with_vocabulary(config::Settings::defaults().vocabulary())
}

/// The caveat phrases in every report's quote, found by the caveat lexicon, for highlighting in reports.
#[must_use]
pub fn caveat_phrases(assessment: &score::Assessment, lex: &caveat::CaveatLexicon) -> report::CaveatPhrases {
    let mut out = report::CaveatPhrases::new();
    for c in &assessment.claims {
        for r in &c.reports {
            let Some(q) = r.quote.as_deref().filter(|q| !q.is_empty()) else { continue };
            if out.contains_key(&r.index) {
                continue;
            }
            // The whole quote as one sentence: a caveat anywhere in it is shown.
            let whole = 0..q.len();
            let found: Vec<_> = caveat::find(q, std::slice::from_ref(&whole), lex)
                .into_iter()
                .filter(|c| !c.span.is_empty())
                .map(|c| (c.span, c.kind))
                .collect();
            out.insert(r.index, found);
        }
    }
    out
}

pub use credence_check as claim_check;
pub use credence_stance as stance;

/// Reads article files and folders (each folder's article files in name order, then the files given) and
/// extracts a story from them, as `credence score` reads a folder: the same ingest, copy detection and
/// source resolution. A single folder holding a `story.toml` without reports gives it as the stated hint
/// (sources, aliases, article metadata). Files that cannot be read are in [`extract::Extraction::skipped`].
pub fn read_articles(plan: &plan::Plan, paths: &[PathBuf]) -> Result<extract::Extraction> {
    let opts = plan.extract_options(Path::new("."));
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        if p.is_dir() {
            let (d, s) = ingest::read_dir(p, &opts.ingest, &plan.lexicons.boilerplate)?;
            documents.extend(d);
            skipped.extend(s);
        } else {
            match isolate::run(|| ingest::read_file(p, &opts.ingest, &plan.lexicons.boilerplate)) {
                Ok(Ok(d)) => documents.push(d),
                Ok(Err(s)) => skipped.push(s),
                Err(panic) => skipped.push(ingest::Skipped::new(p, ingest::SkipReason::Failed(panic))),
            }
        }
    }
    let hint = match paths {
        [dir] if dir.is_dir() => {
            let found = ["story.toml", "story.json"].iter().map(|n| dir.join(n)).find(|p| p.is_file());
            match found.map(|p| model::Story::load(&p)).transpose()? {
                Some(f) if f.story.reports.is_empty() => {
                    model::validate(&f, &plan.vocab, false)?;
                    Some(f.story)
                }
                _ => None,
            }
        }
        _ => None,
    };
    let extracted = extract::extract_isolated(&documents, "Claim check", hint.as_ref(), &opts, &plan.lexicons)?;
    for (i, why) in extracted.failed.iter().rev() {
        if *i < documents.len() {
            let doc = documents.remove(*i);
            skipped.push(ingest::Skipped::new(doc.path, ingest::SkipReason::Failed(why.clone())));
        }
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(extract::Extraction { story: extracted.story, documents, skipped, unreported: extracted.unreported })
}

/// Checks one claim against article files and folders (read by [`read_articles`]): the stance of every
/// article toward it, origins counted once and weighed by reliability, and the verdict. `stance` is the
/// stance lexicon (`config/lexicons/stance.toml` by default).
pub fn check_claim(
    plan: &plan::Plan,
    stance: &credence_stance::Lexicon,
    claim: &str,
    paths: &[PathBuf],
) -> Result<credence_check::CheckReport> {
    let extraction = read_articles(plan, paths)?;
    let rated = plan.rated_grades(&extraction.story);
    let input = credence_check::CheckInput {
        extraction: &extraction,
        lexicons: &plan.lexicons,
        settings: &plan.settings,
        stance,
        rated: &rated,
    };
    Ok(credence_check::check(claim, &input))
}
