//! `credence check "CLAIM" PATH...`: how the coverage in a set of articles bears on one claim.
//!
//! Each article read (the same ingest, copy detection and source resolution as `credence score`) is split
//! into its headline and sentences; [`credence_stance`] finds the sentences that speak to the claim and the
//! stance each takes (supports, refutes, observing). An article's stance is the vote of its sentences. The
//! article is then put under its *origin*: the source at the end of the attribution chain of the sentence
//! that carries its stance ("AFP said, citing police" → police), or its outlet when it speaks in its own
//! voice; an article that copies another takes the other's origin. Articles of one origin count once, and
//! when they are dated the origin's latest committed word (a later confirmation or retraction) supersedes
//! its earlier ones.
//!
//! Each origin weighs its trust (its grade from the config's kinds, relative to `check.unit_grade`, times
//! the relay trust of the sources between it and the outlet). Support is the mean of
//! Beta(`prior_for` + F, `prior_against` + `refute_weight`·A), F and A the summed weights of supporting and
//! refuting origins, with its central credible interval; observing origins add to neither side (they are
//! uncertainty, not evidence). The verdict band (`supported`, `disputed`, `debunked`, `unverified`) comes
//! from `[check]` thresholds.
//!
//! Everything is plain data ([`CheckReport`], serialisable: the JSON contract of `schema/check.schema.json`)
//! and the pages are pure functions of it ([`render`]). Nothing here panics on any text.

#![deny(clippy::string_slice)]

mod render;
mod verdict;

pub use render::{CheckFormat, render};
pub use verdict::{Verdict, band};

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde::Serialize;

use credence_extract::extract::{Extraction, Lexicons};
use credence_extract::ingest::Document;
use credence_extract::segment::segment;
use credence_model::story::{Article, Source, Story};
use credence_score::config::Settings;
use credence_stance::{ClaimQuery, Lexicon, QueryTerm, Stance};

/// The version tag of the JSON layout (`schema/check.schema.json`); it changes whenever a field is added,
/// removed or changes meaning.
pub const SCHEMA: &str = "credence-check/1";

/// An error while writing a check page.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The JSON could not be serialised (a bug: every value is plain data).
    #[error("cannot serialise the check result: {0}")]
    Json(#[from] serde_json::Error),
}

/// The result of checking one claim against a set of articles.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Version tag of this layout ([`SCHEMA`]).
    pub schema: &'static str,
    /// The claim, as given.
    pub claim: String,
    /// Support for the claim in [0, 1]: the mean of the Beta of the origins' weighted stances.
    pub support: f64,
    /// Central credible interval of the support (mass `level`).
    pub interval: [f64; 2],
    /// Mass of `interval` (0.9: from the 5% to the 95% quantile).
    pub level: f64,
    /// The verdict band.
    pub verdict: Verdict,
    /// Origins by their stance (each origin counted once), and the articles read and unrelated.
    pub counts: Counts,
    /// The claim's terms as parsed for matching (entities with aliases, predicate, content words, numbers).
    pub terms: Vec<QueryTerm>,
    /// Every origin behind a related article, strongest first.
    pub origins: Vec<OriginView>,
    /// Every article read, in the order read, unrelated ones included.
    pub articles: Vec<ArticleView>,
    /// Related articles with a publication date, in date order.
    pub timeline: Vec<TimelineEntry>,
    /// Files that were not read as articles, with the reason.
    pub skipped: Vec<SkippedFile>,
    /// The numbers the verdict used (config `[check]`).
    pub settings: CheckNumbers,
}

/// Origins by stance, and articles.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    /// Origins whose stance is `supports`.
    pub supports: usize,
    /// Origins whose stance is `refutes`.
    pub refutes: usize,
    /// Origins whose stance is `observing`.
    pub observing: usize,
    /// Summed weight of supporting origins (F).
    pub weight_for: f64,
    /// Summed weight of refuting origins (A).
    pub weight_against: f64,
    /// Articles read.
    pub articles: usize,
    /// Articles with nothing relevant to the claim.
    pub unrelated: usize,
}

/// One origin: a source whose word the related articles carry.
#[derive(Debug, Clone, Serialize)]
pub struct OriginView {
    /// Source id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Source kind.
    pub kind: String,
    /// Reliability grade as an origin (A–F).
    pub grade: String,
    /// Weight in the verdict: its trust relative to the unit grade, times the relay trust of its best chain.
    pub weight: f64,
    /// Its stance after superseding: the latest dated committed article, else the vote of its articles.
    pub stance: Stance,
    /// Paths of its related articles, in the order read.
    pub articles: Vec<String>,
    /// Paths of its articles whose stance a later dated article of the same origin superseded.
    pub superseded: Vec<String>,
}

/// One article read.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    /// The path as read.
    pub path: String,
    /// Outlet name.
    pub outlet: String,
    /// Outlet source id.
    pub outlet_id: String,
    /// Headline, when the article has one.
    pub headline: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// Stance of the article toward the claim.
    pub stance: Stance,
    /// Highest relevance of any of its sentences, in [0, 1].
    pub relevance: f64,
    /// The stance its cues lean to even when it is unrelated (then read from the headline, or the first
    /// sentence, alone; `supports` when no cue leans either way); its stance otherwise.
    pub leaning: Stance,
    /// The origin it is counted under (a source id); none for an unrelated article.
    pub origin: Option<String>,
    /// The article it copies (a path), when copy detection found one above `independence.copy_threshold`.
    pub copy_of: Option<String>,
    /// Votes of its sentences: supports, refutes, observing.
    pub votes: [f64; 3],
    /// The sentences that spoke to the claim.
    pub evidence: Vec<EvidenceView>,
}

/// One sentence (or the headline) that speaks to the claim.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    /// The sentence as written (white space runs folded).
    pub quote: String,
    /// Byte span `[start, end)` of the sentence in the article file; none when it cannot be placed.
    pub span: Option<[usize; 2]>,
    /// Whether it is the headline.
    pub headline: bool,
    /// Its stance toward the claim.
    pub stance: Stance,
    /// Its relevance in [0, 1].
    pub relevance: f64,
    /// The phrase that decided the stance ("denied", "hoax", "reportedly"); none for a plain statement.
    pub cue: Option<String>,
    /// The feature that decided the stance (a cue kind such as `denial`, or `question`, `contrary`,
    /// `negated_predicate`, `plain`).
    pub reason: String,
    /// What weakens it: hedging cues in the sentence and the caveats extraction found on its report.
    pub caveats: Vec<String>,
    /// Attribution chain, outlet first, origin last (source names).
    pub chain: Vec<String>,
    /// Byte spans of the claim's terms matched, relative to `quote`.
    pub matched: Vec<[usize; 2]>,
}

/// A dated related article.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The article's path.
    pub path: String,
    /// Outlet name.
    pub outlet: String,
    /// Article stance.
    pub stance: Stance,
    /// Origin id.
    pub origin: String,
    /// Whether a later article of the same origin superseded it.
    pub superseded: bool,
}

/// A file not read as an article.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedFile {
    /// The path.
    pub path: String,
    /// Why.
    pub reason: String,
    /// Whether an article was lost (the run is partial).
    pub lost: bool,
}

/// The `[check]` numbers a result used.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CheckNumbers {
    /// Pseudo-count for.
    pub prior_for: f64,
    /// Pseudo-count against.
    pub prior_against: f64,
    /// Weight of a refuting origin relative to a supporting one.
    pub refute_weight: f64,
    /// Band threshold: supported at or above.
    pub supported: f64,
    /// Band threshold: debunked below.
    pub debunked: f64,
}

/// What a check reads: the extraction of the articles, the lexicons it used, the settings and the stance
/// lexicon.
pub struct CheckInput<'a> {
    /// The articles read and the story extracted from them.
    pub extraction: &'a Extraction,
    /// The extraction lexicons (the sentence splitter's abbreviations).
    pub lexicons: &'a Lexicons,
    /// Grades, kinds, the copy threshold and `[check]`.
    pub settings: &'a Settings,
    /// The stance lexicon.
    pub stance: &'a Lexicon,
    /// Grades from a domain-ratings file by source id (`credence_score::ratings`); empty without one. A rated
    /// source weighs by its rated grade instead of its kind's.
    pub rated: &'a credence_score::ratings::RatedGrades,
}

/// Checks `claim` against the articles of `input`.
#[must_use]
pub fn check(claim: &str, input: &CheckInput<'_>) -> CheckReport {
    let ex = input.extraction;
    let story = &ex.story;
    let query = ClaimQuery::new(input.stance, claim);
    // Rated sources take their rated letters as if the story stated them (a stated grade is never rated).
    let rated: Vec<Source> = story
        .sources
        .iter()
        .filter_map(|s| {
            let r = input.rated.get(&s.id)?;
            Some(Source {
                grade: s.grade.clone().or_else(|| r.origin.map(String::from)),
                relay: s.relay.clone().or_else(|| r.relay.map(String::from)),
                ..s.clone()
            })
        })
        .collect();
    let mut sources: HashMap<&str, &Source> = story.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    sources.extend(rated.iter().map(|s| (s.id.as_str(), s)));
    let by_id: HashMap<&str, usize> = story.articles.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let mut reports_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in story.reports.iter().enumerate() {
        reports_of.entry(r.article.as_str()).or_default().push(i);
    }
    let name_of = |id: &str| sources.get(id).map_or_else(|| id.to_string(), |s| s.name.clone());

    let mut articles = Vec::with_capacity(story.articles.len());
    // Per related article: its origin id and the weight of the chain that carried its stance.
    let mut placed: Vec<Option<(String, f64)>> = Vec::with_capacity(story.articles.len());
    let components = copy_components(story, &by_id, input.settings.copy_threshold);
    for (i, (doc, article)) in ex.documents.iter().zip(&story.articles).enumerate() {
        let read = read_article(&query, input, doc, article);
        let copy_root = components.get(i).copied().unwrap_or(i);
        let copy_of = copy_of(article, &by_id, input.settings.copy_threshold)
            .and_then(|j| story.articles.get(j))
            .map(|a| path_of(ex, story, a));
        let mut view = ArticleView {
            path: doc.path.display().to_string(),
            outlet: name_of(&article.outlet),
            outlet_id: article.outlet.clone(),
            headline: read.headline.clone(),
            published: article.published.map(|d| d.to_string()),
            stance: read.assessment.stance,
            relevance: r4(read.assessment.relevance),
            leaning: read.leaning,
            origin: None,
            copy_of,
            votes: read.assessment.votes.map(r4),
            evidence: Vec::new(),
        };
        let reports: &[usize] = reports_of.get(article.id.as_str()).map_or(&[], Vec::as_slice);
        let mut best: Option<(f64, Vec<String>)> = None;
        for ev in &read.assessment.evidence {
            let a = &ev.assessment;
            let (text, span, headline) = match ev.sentence {
                None => (read.headline.as_deref().unwrap_or(""), read.headline_span.clone(), true),
                Some(k) => {
                    let (t, s) = read.sentences.get(k).map_or(("", None), |(t, s)| (*t, Some(s.clone())));
                    (t, s, false)
                }
            };
            let file_span = span.map(|s| doc.source_span(s));
            // The extracted report whose evidence overlaps this sentence most gives its chain and caveats.
            let report = file_span.as_ref().and_then(|fs| {
                reports
                    .iter()
                    .filter_map(|&r| {
                        let rep = story.reports.get(r)?;
                        let [s, e] = rep.span?;
                        let overlap = e.min(fs.end).saturating_sub(s.max(fs.start));
                        (overlap > 0).then_some((overlap, r))
                    })
                    .max_by_key(|&(o, r)| (o, std::cmp::Reverse(r)))
                    .and_then(|(_, r)| story.reports.get(r))
            });
            let chain: Vec<String> = match report {
                Some(r) if r.chain.len() > 1 => r.chain.clone(),
                _ => vec![article.outlet.clone()],
            };
            let mut caveats: Vec<String> = a
                .cues
                .iter()
                .filter(|c| input.stance.cue_kinds().iter().any(|k| k.kind == c.kind && k.stance == Stance::Observing))
                .map(|c| c.kind.clone())
                .collect();
            if a.reason == "question" {
                caveats.push("question".to_string());
            }
            if let Some(r) = report {
                caveats.extend(r.caveats.iter().cloned());
            }
            caveats.sort();
            caveats.dedup();
            let cue = a.cues.iter().find(|c| c.kind == a.reason).map(|c| fold(c.span.text(text)));
            if a.stance == read.assessment.stance {
                let weight = a.relevance * if headline { 2.0 } else { 1.0 };
                if best.as_ref().is_none_or(|(w, _)| weight > *w) {
                    best = Some((weight, chain.clone()));
                }
            }
            let (quote, matched) = fold_with_spans(text, &a.matched);
            view.evidence.push(EvidenceView {
                quote,
                span: file_span.map(|s| [s.start, s.end]),
                headline,
                stance: a.stance,
                relevance: r4(a.relevance),
                cue,
                reason: a.reason.clone(),
                caveats,
                chain: chain.iter().map(|c| name_of(c)).collect(),
                matched,
            });
        }
        let origin = match (read.assessment.stance, best) {
            (Stance::Unrelated, _) | (_, None) => None,
            (_, Some((_, chain))) => {
                let weight = chain_weight(&chain, &sources, input.settings);
                let id = if chain.len() > 1 {
                    chain.last().map(|o| organisation_of(o, &sources)).unwrap_or_default()
                } else {
                    // Own voice: a copy speaks with the voice of the article it copies.
                    story.articles.get(copy_root).map_or_else(|| article.outlet.clone(), |a| a.outlet.clone())
                };
                Some((id, weight))
            }
        };
        view.origin = origin.as_ref().map(|(id, _)| id.clone());
        placed.push(origin);
        articles.push(view);
    }
    verdict::conclude(claim, &query, input.settings, &sources, articles, &placed, &ex.skipped)
}

/// An article split for the stance reader.
struct ReadArticle<'a> {
    headline: Option<String>,
    headline_span: Option<Range<usize>>,
    sentences: Vec<(&'a str, Range<usize>)>,
    assessment: credence_stance::ArticleAssessment,
    leaning: Stance,
}

fn read_article<'a>(
    query: &ClaimQuery,
    input: &CheckInput<'_>,
    doc: &'a Document,
    article: &Article,
) -> ReadArticle<'a> {
    let title = Some(article.title.trim())
        .filter(|t| !t.is_empty())
        .or_else(|| doc.meta.title.as_deref().map(str::trim).filter(|t| !t.is_empty()))
        .or_else(|| untitled_headline(doc))
        .map(str::to_string);
    let headline_span = title.as_deref().and_then(|t| doc.text.find(t).map(|at| at..at + t.len()));
    let seg = segment(&doc.text, &doc.paragraphs, &input.lexicons.abbreviations);
    let sentences: Vec<(&str, Range<usize>)> = seg
        .sentences
        .iter()
        .map(|s| (s.text(&doc.text), s.span.clone()))
        // The headline is read once, as the headline: sentences inside it are left out.
        .filter(|(t, span)| match &headline_span {
            Some(h) => span.end <= h.start || span.start >= h.end,
            None => title.as_deref().is_none_or(|h| t.trim() != h),
        })
        .collect();
    let texts: Vec<&str> = sentences.iter().map(|(t, _)| *t).collect();
    let assessment = query.assess_article(input.stance, title.as_deref(), &texts);
    let leaning = if assessment.stance == Stance::Unrelated {
        title
            .as_deref()
            .or_else(|| texts.first().copied())
            .map_or(Stance::Unrelated, |t| query.assess_sentence(input.stance, t).leaning)
    } else {
        assessment.stance
    };
    ReadArticle { headline: title, headline_span, sentences, assessment, leaning }
}

/// Most words of a first line read as a headline when ingest found no title.
const HEADLINE_WORDS: usize = 30;

/// The first paragraph of an article without a title, when it reads as a headline: one line, at most
/// [`HEADLINE_WORDS`] words, not ending as a sentence does (a full stop). A one-line article is often a
/// headline alone, and a headline's hedges govern all of it.
///
/// When ingest kept no paragraph at all (a lone line that a boilerplate rule took for an app promotion or a
/// caption), the first line it dropped is read the same way: for a claim check a one-line article is all
/// there is, and the page lists it as the headline so a wrong reading shows.
fn untitled_headline(doc: &Document) -> Option<&str> {
    let first = match doc.paragraphs.first() {
        Some(p) => doc.text.get(p.clone()).unwrap_or("").trim(),
        None => doc.dropped.iter().map(|d| d.text.trim()).find(|t| !t.is_empty())?,
    };
    let one_line = !first.contains('\n');
    let short = first.split_whitespace().count() <= HEADLINE_WORDS;
    (one_line && short && !first.is_empty() && !first.ends_with('.')).then_some(first)
}

/// Copy components: for each article, the first article (in reading order) of the group its copy edges at
/// or above `threshold` join, in either direction (as the scorer clusters origins: a copy and what it copies
/// are one origin, whichever way the detector oriented the edge).
fn copy_components(story: &Story, by_id: &HashMap<&str, usize>, threshold: f64) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..story.articles.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (i, a) in story.articles.iter().enumerate() {
        for c in a.copied_from.iter().filter(|c| c.containment >= threshold) {
            let Some(&j) = by_id.get(c.article.as_str()) else { continue };
            let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
            // The smaller index is the root, so the root is the first article of the group.
            if ri != rj {
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    (0..parent.len()).map(|i| find(&mut parent, i)).collect()
}

/// The article an article copies most of, when that is at or above `threshold`.
fn copy_of(article: &Article, by_id: &HashMap<&str, usize>, threshold: f64) -> Option<usize> {
    article
        .copied_from
        .iter()
        .filter(|c| c.containment >= threshold)
        .max_by(|x, y| x.containment.total_cmp(&y.containment).then_with(|| y.article.cmp(&x.article)))
        .and_then(|c| by_id.get(c.article.as_str()).copied())
}

fn path_of(ex: &Extraction, story: &Story, a: &Article) -> String {
    story
        .articles
        .iter()
        .position(|x| x.id == a.id)
        .and_then(|i| ex.documents.get(i))
        .map_or_else(|| a.id.clone(), |d| d.path.display().to_string())
}

/// The organisation a source speaks for, or the source itself.
fn organisation_of(id: &str, sources: &HashMap<&str, &Source>) -> String {
    sources.get(id).and_then(|s| s.member_of.clone()).unwrap_or_else(|| id.to_string())
}

/// The grade letter of a source as an origin (its own, else its kind's, else F) and as a relay.
fn grades(id: &str, sources: &HashMap<&str, &Source>, settings: &Settings) -> (char, char) {
    let src = sources.get(id);
    let kind = src.and_then(|s| settings.kinds.get(&s.kind));
    let letter = |own: Option<&String>, default: Option<char>| {
        own.and_then(|g| g.chars().next()).filter(|c| settings.grades.contains_key(c)).or(default).unwrap_or('F')
    };
    (
        letter(src.and_then(|s| s.grade.as_ref()), kind.map(|k| k.grade)),
        letter(src.and_then(|s| s.relay.as_ref()), kind.map(|k| k.relay)),
    )
}

/// Trust of a grade as `check` weighs it: its projected trust, but for grade F (cannot be judged) the
/// `unjudged_weight` share of the unit grade's.
fn trust(letter: char, settings: &Settings) -> f64 {
    let projected = |l: char| settings.grades.get(&l).map_or(0.0, |g| g.opinion.projected());
    if letter == 'F' && settings.check.unit_grade != 'F' {
        settings.check.unjudged_weight * projected(settings.check.unit_grade)
    } else {
        projected(letter)
    }
}

/// The weight of a chain (outlet first): the origin's trust relative to the unit grade, times the relay trust
/// of every source before it.
fn chain_weight(chain: &[String], sources: &HashMap<&str, &Source>, settings: &Settings) -> f64 {
    let unit = trust(settings.check.unit_grade, settings);
    let Some((origin, relays)) = chain.split_last() else { return 0.0 };
    let mut w = trust(grades(origin, sources, settings).0, settings) / if unit > 0.0 { unit } else { 1.0 };
    for r in relays {
        w *= trust(grades(r, sources, settings).1, settings);
    }
    r4(w)
}

/// Rounded to 4 decimals (stable output).
fn r4(x: f64) -> f64 {
    let r = (x * 10_000.0).round() / 10_000.0;
    if r == 0.0 || !r.is_finite() { 0.0 } else { r }
}

/// White space runs folded to one space.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with white space folded, and `spans` (byte ranges of `text`) mapped into the folded string.
fn fold_with_spans(text: &str, spans: &[credence_stance::Span]) -> (String, Vec<[usize; 2]>) {
    let mut out = String::with_capacity(text.len());
    // Byte offset in `out` of each byte offset of `text` (char starts), and of its end.
    let mut map: BTreeMap<usize, usize> = BTreeMap::new();
    let mut pending_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            map.insert(i, out.len());
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        map.insert(i, out.len());
        out.push(c);
    }
    map.insert(text.len(), out.len());
    let at = |i: usize| map.range(..=i).next_back().map_or(0, |(_, &o)| o).min(out.len());
    let spans = spans.iter().map(|s| [at(s.start), at(s.end)]).filter(|[a, b]| a < b).collect();
    (out, spans)
}
