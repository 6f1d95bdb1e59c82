//! Extraction: from a folder of raw articles to a [`Story`] the scorer can read and a person can correct.
//!
//! The stages, each its own module: [`crate::ingest`] reads the files and removes boilerplate;
//! [`crate::segment`] cuts paragraphs into sentences and finds quotations; [`crate::attribution`] finds who
//! says what; [`crate::caveat`] finds the caveats and their scope; [`crate::resolve`] turns source phrases
//! into source ids. This module puts their output together: for every attribution a report whose chain runs
//! from the article's outlet through any relays ("told AFP", "quoting an official") to the origin, and for
//! every unattributed sentence a report in the outlet's own voice.
//!
//! Claims are not aligned across reports here (that is a later stage): each report's content becomes a claim
//! of its own, and identical wordings share one. What the user already stated in a story file (sources with
//! their aliases, article metadata) wins over what is inferred.

use std::collections::{BTreeMap, BTreeSet};

use crate::align::{ArticleContext, RawReport, Sides};
use crate::frame::FrameLexicon;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::attribution::{self, Attribution, AttributionLexicon, CueClass};
use crate::caveat::{self, Caveat, CaveatLexicon};
use crate::error::Result;
use crate::ingest::{self, BoilerplateLexicon, Document, IngestOptions, Skipped};
use crate::model::{Article, CopiedFrom, Passage, Report, Stance, Story, StoryInfo};
use crate::resolve::{Resolver, SourceLexicon, norm_words, slug};
use crate::segment::{self, Abbreviations};
use crate::text::Slice;

/// The lexicons extraction uses.
#[derive(Debug, Clone)]
pub struct Lexicons {
    /// Boilerplate cues.
    pub boilerplate: BoilerplateLexicon,
    /// Abbreviations for sentence splitting.
    pub abbreviations: Abbreviations,
    /// Reporting cues and function words.
    pub attribution: AttributionLexicon,
    /// Caveat phrases.
    pub caveats: CaveatLexicon,
    /// Known sources and kind rules.
    pub sources: SourceLexicon,
    /// Event frames, actors and their sides.
    pub frames: FrameLexicon,
}

impl Lexicons {
    /// The lexicons shipped with credence.
    pub fn builtin() -> Lexicons {
        Lexicons {
            boilerplate: BoilerplateLexicon::builtin(),
            abbreviations: Abbreviations::builtin(),
            attribution: AttributionLexicon::builtin(),
            caveats: CaveatLexicon::builtin(),
            sources: SourceLexicon::builtin(),
            frames: FrameLexicon::builtin(),
        }
    }
}

/// The result of extracting a folder.
#[derive(Debug)]
pub struct Extraction {
    /// The story.
    pub story: Story,
    /// The documents read, with what was dropped from each.
    pub documents: Vec<Document>,
    /// Files not read, with the reason.
    pub skipped: Vec<Skipped>,
}

/// Options of an extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// File-reading limits.
    pub ingest: IngestOptions,
    /// Directory the story file will live in: article paths are written relative to it.
    pub story_dir: PathBuf,
    /// Minimum number of words for an unattributed sentence to become an own-voice report.
    pub min_own_voice_words: usize,
    /// Smallest share of an article's text found in another for a `copied_from` edge.
    pub min_copy_containment: f64,
    /// Sides each side opposes (the config's `[sides]`), for party interest and implications.
    pub opposes: BTreeMap<String, Vec<String>>,
}

impl ExtractOptions {
    /// Defaults for a story written into `story_dir`.
    pub fn new(story_dir: impl Into<PathBuf>) -> ExtractOptions {
        ExtractOptions {
            ingest: IngestOptions::default(),
            story_dir: story_dir.into(),
            min_own_voice_words: 4,
            min_copy_containment: 0.03,
            opposes: crate::config::Settings::defaults()
                .sides
                .iter()
                .map(|(k, v)| (k.clone(), v.opposes.clone()))
                .collect(),
        }
    }
}

/// Reads every article in `dir` and extracts a story. `hint` is a story the user wrote (sources with aliases,
/// articles with metadata); what it states wins over what is inferred.
pub fn extract_dir(dir: &Path, hint: Option<&Story>, opts: &ExtractOptions, lex: &Lexicons) -> Result<Extraction> {
    let (documents, skipped) = ingest::read_dir(dir, &opts.ingest, &lex.boilerplate)?;
    let title = hint.map(|h| h.story.title.clone()).filter(|t| !t.is_empty()).unwrap_or_else(|| {
        let name = dir.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
        format!("Articles in {}", name.unwrap_or_else(|| dir.display().to_string()))
    });
    let story = extract_documents(&documents, &title, hint, opts, lex);
    Ok(Extraction { story, documents, skipped })
}

/// Relative path from `base` to `path` when `path` lies under `base`, else `path` as it is.
fn relative(path: &Path, base: &Path) -> String {
    let abs = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (p, b) = (abs(path), abs(base));
    match p.strip_prefix(&b) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => {
            // Walk up from base: "../articles/x.txt".
            let mut up = PathBuf::new();
            let mut cur = b.as_path();
            loop {
                if let Ok(rel) = p.strip_prefix(cur) {
                    return up.join(rel).display().to_string();
                }
                match cur.parent() {
                    Some(parent) => {
                        up.push("..");
                        cur = parent;
                    }
                    None => return p.display().to_string(),
                }
            }
        }
    }
}

/// Words of generic credits that name no one ("Al Jazeera and agencies").
const GENERIC_CREDITS: &[&str] = &["agencies", "agency", "wires", "news agencies", "staff", "wire services"];

/// Builds a story from documents already read.
pub fn extract_documents(
    documents: &[Document],
    title: &str,
    hint: Option<&Story>,
    opts: &ExtractOptions,
    lex: &Lexicons,
) -> Story {
    let mut sources_lex = lex.sources.clone();
    if let Some(h) = hint {
        for s in &h.sources {
            sources_lex.add_known(s.clone(), &[]);
        }
    }
    let mut resolver = Resolver::new(&sources_lex);
    let mut articles = Vec::new();
    let mut raws: Vec<RawReport> = Vec::new();
    let mut used_ids = BTreeSet::new();
    for doc in documents {
        resolver.start_article();
        let rel = relative(&doc.path, &opts.story_dir);
        let stated = hint.and_then(|h| {
            h.articles.iter().find(|a| {
                a.path.as_deref().is_some_and(|p| Path::new(p) == Path::new(&rel) || p == doc.path.to_string_lossy())
            })
        });
        let mut article = article_of(doc, &rel, &mut resolver, &mut used_ids);
        if let Some(s) = stated {
            // What the user wrote wins.
            article.id = s.id.clone();
            article.outlet = s.outlet.clone();
            if !s.title.is_empty() {
                article.title = s.title.clone();
            }
            article.published = s.published.or(article.published);
            article.url = s.url.clone().or(article.url);
            if !s.credits.is_empty() {
                article.credits = s.credits.clone();
            }
            article.copied_from = s.copied_from.clone();
        }
        for (report, text, sentence) in article_reports(doc, &article, &mut resolver, lex, opts) {
            raws.push(RawReport { report, text, sentence, article: articles.len() });
        }
        articles.push(article);
    }
    // Copy relations between the articles (what the user stated wins).
    let inputs: Vec<crate::copy::CopyInput<'_>> = documents
        .iter()
        .zip(&articles)
        .map(|(d, a)| crate::copy::CopyInput {
            text: &d.text,
            paragraphs: &d.paragraphs,
            wire: resolver.source(&a.outlet).is_some_and(|s| s.kind == "wire-agency"),
            published: a.published.map(|p| p.to_string()),
        })
        .collect();
    let edges = crate::copy::detect(&inputs, opts.min_copy_containment);
    for (copier, found) in crate::copy::by_copier(&edges) {
        if !articles[copier].copied_from.is_empty() {
            continue;
        }
        articles[copier].copied_from = found
            .iter()
            .map(|e| CopiedFrom {
                article: articles[e.source].id.clone(),
                containment: (e.containment * 100.0).round() / 100.0,
                passages: e
                    .passages
                    .iter()
                    .map(|&(mine, theirs)| {
                        let a = documents[copier].source_span(documents[copier].paragraphs[mine].clone());
                        let b = documents[e.source].source_span(documents[e.source].paragraphs[theirs].clone());
                        Passage { span: [a.start, a.end], from: [b.start, b.end] }
                    })
                    .collect(),
            })
            .collect();
    }
    // Claims: reports aligned by event frame, sides and place; the rest by wording.
    let contexts: Vec<ArticleContext> = documents
        .iter()
        .zip(&articles)
        .map(|(d, a)| ArticleContext {
            text: d.text.clone(),
            weekday: a
                .published
                .map(|p| crate::frame::weekday(i32::from(p.year), u32::from(p.month), u32::from(p.day)).to_string()),
        })
        .collect();
    let sides = Sides {
        of_source: resolver
            .sources()
            .iter()
            .filter_map(|s| {
                let side = s
                    .side
                    .clone()
                    .or_else(|| s.member_of.as_deref().and_then(|m| resolver.source(m)).and_then(|m| m.side.clone()))?;
                Some((s.id.clone(), side))
            })
            .collect(),
        opposes: opts.opposes.clone(),
    };
    let aligned = crate::align::align(&raws, &contexts, &sides, &lex.frames);
    let claims = aligned.claims;
    let out_reports = aligned.reports;
    let used: BTreeSet<&str> = out_reports
        .iter()
        .flat_map(|r| r.chain.iter().map(String::as_str))
        .chain(
            articles
                .iter()
                .flat_map(|a| std::iter::once(a.outlet.as_str()).chain(a.credits.iter().map(String::as_str))),
        )
        .collect();
    let all = resolver.into_sources();
    // Keep what is used, and the organisations used sources speak for.
    let parents: BTreeSet<String> =
        all.iter().filter(|s| used.contains(s.id.as_str())).filter_map(|s| s.member_of.clone()).collect();
    let mut sources: Vec<_> =
        all.into_iter().filter(|s| used.contains(s.id.as_str()) || parents.contains(&s.id)).collect();
    if let Some(h) = hint {
        // Sources the user stated but the text never used are kept: they may be referred to by hand.
        for s in &h.sources {
            if !sources.iter().any(|x| x.id == s.id) {
                sources.push(s.clone());
            }
        }
    }
    Story {
        story: StoryInfo {
            title: title.to_string(),
            description: Some(format!(
                "Extracted by credence {} from {} article{}; a draft to check and correct.",
                env!("CARGO_PKG_VERSION"),
                documents.len(),
                if documents.len() == 1 { "" } else { "s" }
            )),
        },
        sources,
        articles,
        claims,
        reports: out_reports,
        contradictions: match hint {
            // What the user stated wins; what alignment found is added when it names claims that exist.
            Some(h) if !h.contradictions.is_empty() => h.contradictions.clone(),
            _ => aligned.contradictions,
        },
    }
}

fn article_of(doc: &Document, rel: &str, resolver: &mut Resolver<'_>, used: &mut BTreeSet<String>) -> Article {
    let stem = doc.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut id = slug(&stem);
    let base = id.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let credits: Vec<String> = doc
        .meta
        .credits
        .iter()
        .filter(|c| !GENERIC_CREDITS.contains(&c.to_lowercase().as_str()))
        .map(|c| resolver.outlet(c))
        .collect();
    // The outlet as the article states it; an agency dispatch signed "— AFP" with no other outlet is the
    // agency's own; otherwise a placeholder named after the file, for the user to correct.
    // "Additional reporting by AP" credits a contributor, not the publisher.
    let contributed = doc.meta.credit_lines.iter().any(|r| {
        let l = doc.text.part(r.clone()).to_lowercase();
        l.contains("reporting by") || l.contains("contributed") || l.contains("reporting from")
    });
    let outlet = match &doc.meta.outlet {
        Some(name) => resolver.outlet(name),
        None if credits.len() == 1 && !contributed => credits[0].clone(),
        None => resolver.outlet(&format!("Unknown outlet ({stem})")),
    };
    let credits = credits.into_iter().filter(|c| *c != outlet).collect();
    Article {
        id,
        outlet,
        path: Some(rel.to_string()),
        title: doc.meta.title.clone().unwrap_or_default(),
        url: doc.meta.url.clone(),
        published: doc.meta.published,
        credits,
        copied_from: Vec::new(),
    }
}

/// The reports of one article, each with its claim text and its sentence.
fn article_reports(
    doc: &Document,
    article: &Article,
    resolver: &mut Resolver<'_>,
    lex: &Lexicons,
    opts: &ExtractOptions,
) -> Vec<(Report, String, String)> {
    let text = &doc.text;
    let seg = segment::segment(text, &doc.paragraphs, &lex.abbreviations);
    let sentences: Vec<Range<usize>> = seg.sentences.iter().map(|s| s.span.clone()).collect();
    let quote_spans: Vec<Range<usize>> = seg.quotes.iter().map(|q| q.span.clone()).collect();
    let found = attribution::extract(text, &sentences, &quote_spans, &lex.attribution);
    let caveats = caveat::find(text, &sentences, &lex.caveats);
    let outlet = article.outlet.clone();

    let mut out: Vec<(Report, String, usize)> = Vec::new();
    let mut covered: Vec<Range<usize>> = Vec::new();
    for a in &found {
        covered.push(a.cue.clone());
        covered.extend(a.source.iter().cloned());
        covered.extend(a.content.iter().cloned());
        covered.extend(a.content_more.iter().cloned());
        if a.class == CueClass::Intention {
            continue;
        }
        let Some(content) = a.content.clone() else { continue };
        let cue_text = text.part(a.cue.clone());
        let quoted = text.part(content.clone()).starts_with(['“', '"', '‘', '\'', '«']);
        if lex.attribution.needs_quote(cue_text) && !quoted {
            continue;
        }
        let chain_and_speaker = chain_of(text, a, &outlet, resolver);
        let Some((chain, speaker)) = chain_and_speaker else { continue };
        if lex.attribution.needs_media(cue_text)
            && !chain.last().and_then(|id| resolver.source(id)).is_some_and(|s| {
                matches!(
                    s.kind.as_str(),
                    "unverified-footage" | "outlet" | "state-media" | "social-media" | "wire-agency"
                )
            })
        {
            continue;
        }
        let end = a.content_more.last().map_or(content.end, |c| c.end);
        let mut span = content.start..end;
        let mut content = content;
        // No source at all ("... are believed to have ..."): the outlet's own statement, hedged by the cue; the
        // whole sentence is what it states, not only the words after the cue.
        if chain.len() == 1 && !quoted {
            let s = sentences[a.sentence].clone();
            span = s.start.min(span.start)..s.end.max(span.end);
            content = span.clone();
        }
        let cue = text.part(a.cue.clone()).to_string();
        let kinds = caveats_for(text, &caveats, a.sentence, Some(&a.cue));
        out.push((
            report(doc, article, chain, speaker, cue, a.class, kinds, span.clone()),
            claim_text(text, &content),
            a.sentence,
        ));
    }
    // Quotations that carry on a speaker's words into the next paragraph: the same speaker's report.
    for q in &seg.quotes {
        let Some(prev) = q.continues else { continue };
        if covered.iter().any(|c| c.start <= q.span.start && q.span.end <= c.end) {
            continue;
        }
        let prev_span = &seg.quotes[prev].span;
        if let Some((base, _, si)) =
            out.iter().find(|(r, _, _)| r.span.is_some_and(|[s, e]| doc_covers(doc, s, e, prev_span))).cloned()
        {
            let mut r = base.clone();
            let span = doc.source_span(q.span.clone());
            r.span = Some([span.start, span.end]);
            r.quote = Some(text.part(q.span.clone()).to_string());
            covered.push(q.span.clone());
            out.push((r, claim_text(text, &q.inner), si));
        }
    }
    // Sentences nobody is quoted for: the outlet's own voice.
    let credit_lines = &doc.meta.credit_lines;
    for (si, s) in sentences.iter().enumerate() {
        if covered.iter().any(|c| c.start < s.end && s.start < c.end)
            || credit_lines.iter().any(|c| c.start < s.end && s.start < c.end)
        {
            continue;
        }
        let words = text.part(s.clone()).split_whitespace().count();
        if words < opts.min_own_voice_words || text.part(s.clone()).trim_end().ends_with('?') {
            continue;
        }
        let kinds = caveats_for(text, &caveats, si, None);
        let r = report(doc, article, vec![outlet.clone()], None, String::new(), CueClass::Neutral, kinds, s.clone());
        out.push((r, claim_text(text, s), si));
    }
    // Article-level caveats: "... has not been able to verify reports by activists" governs every report
    // from that source in the article.
    for c in caveats.iter().filter(|c| c.about.is_some()) {
        let about = text.part(c.about.clone().unwrap_or(0..0));
        let about_words = norm_words(about);
        let target = resolver.resolve(about).map(|t| t.id);
        // The caveat names the source loosely ("activists' networks in Syria" for "activists"): a source
        // whose name's words all occur in the phrase is the one meant.
        let named = |id: &str| {
            Some(id) == target.as_deref()
                || resolver.source(id).is_some_and(|s| {
                    let w = norm_words(&s.name);
                    !w.is_empty() && w.iter().all(|x| about_words.contains(x))
                })
        };
        for (r, _, _) in out.iter_mut() {
            if r.chain.iter().skip(1).any(|id| named(id)) && !r.caveats.iter().any(|k| k == &c.kind) {
                r.caveats.push(c.kind.clone());
            }
        }
    }
    // "..., a monitoring group said." followed by "The Syrian Observatory ... said": an unnamed description
    // stands for the one named source of its kind in the article.
    let named: Vec<String> = out
        .iter()
        .flat_map(|(r, _, _)| r.chain.iter().skip(1).cloned())
        .filter(|id| !resolver.is_generic(id))
        .collect();
    for (r, _, _) in out.iter_mut() {
        for link in r.chain.iter_mut().skip(1) {
            if !resolver.is_generic(link) {
                continue;
            }
            let kind = resolver.source(link).map(|s| s.kind.clone());
            let mut same: Vec<&String> =
                named.iter().filter(|id| resolver.source(id).map(|s| s.kind.clone()) == kind).collect();
            same.sort();
            same.dedup();
            if let [only] = same.as_slice() {
                *link = (*only).clone();
            }
        }
        let mut seen = BTreeSet::new();
        r.chain.retain(|id| seen.insert(id.clone()));
    }
    out.sort_by_key(|(r, _, si)| (*si, r.span.map_or(0, |s| s[0])));
    out.into_iter().map(|(r, t, si)| (r, t, text.part(sentences[si].clone()).to_string())).collect()
}

fn doc_covers(doc: &Document, s: usize, e: usize, inner: &Range<usize>) -> bool {
    let inner = doc.source_span(inner.clone());
    s <= inner.start && inner.end <= e
}

/// The chain of an attribution: outlet, relays, origin; and the speaker.
fn chain_of(
    text: &str,
    a: &Attribution,
    outlet: &str,
    resolver: &mut Resolver<'_>,
) -> Option<(Vec<String>, Option<String>)> {
    let mut mentions: Vec<Range<usize>> = a.chain.clone();
    if mentions.is_empty() {
        mentions.extend(a.source.iter().cloned());
    }
    let mut chain = vec![outlet.to_string()];
    // "told AFP": the agency the origin spoke to relays the statement.
    if let Some(r) = &a.recipient
        && let Some(res) = resolver.resolve(text.part(r.clone()))
        && resolver.source(&res.id).is_some_and(|s| s.kind == "wire-agency")
    {
        chain.push(res.id);
    }
    let mut speaker = None;
    let mut any = false;
    for m in &mentions {
        let phrase = text.part(m.clone());
        let Some(res) = resolver.resolve(phrase) else { continue };
        any = true;
        speaker = res.speaker.clone();
        chain.push(res.id);
    }
    if !any {
        // No source at all ("it is claimed"): the outlet's own voice, with the agentless cue kept.
        return Some((chain, None));
    }
    // "said on Twitter": the origin's own account.
    if let (Some(ch), Some(last)) = (&a.channel, chain.last().cloned()) {
        let ch = text.part(ch.clone()).to_lowercase();
        if ["twitter", "telegram", "facebook", "youtube", "instagram"].iter().any(|w| ch.contains(w))
            && let Some(res) = resolver
                .resolve(&format!("{} account", resolver.source(&last).map_or(last.clone(), |s| s.name.clone())))
            && res.id != last
        {
            *chain.last_mut().expect("chain has the origin") = res.id;
        }
    }
    // Each source appears once: drop later repeats (an outlet quoting itself, "AFP ... told AFP").
    let mut seen = BTreeSet::new();
    chain.retain(|id| seen.insert(id.clone()));
    Some((chain, speaker))
}

/// Caveat kinds governing sentence `si`, leaving out the phrase that is the cue itself ("claims to show").
fn caveats_for(text: &str, caveats: &[Caveat], si: usize, cue: Option<&Range<usize>>) -> Vec<String> {
    let _ = text;
    let mut kinds: Vec<String> = Vec::new();
    for c in caveats.iter().filter(|c| c.sentence == si && c.about.is_none()) {
        // "claims to show" as the cue already counts as distancing; "sources say" keeps its weasel caveat.
        let overlaps_cue = cue.is_some_and(|q| q.start < c.span.end && c.span.start < q.end);
        if overlaps_cue && matches!(c.kind.as_str(), "distancing" | "hedge") {
            continue;
        }
        if !kinds.contains(&c.kind) {
            kinds.push(c.kind.clone());
        }
    }
    kinds
}

#[allow(clippy::too_many_arguments)]
fn report(
    doc: &Document,
    article: &Article,
    chain: Vec<String>,
    speaker: Option<String>,
    cue: String,
    class: CueClass,
    caveats: Vec<String>,
    span: Range<usize>,
) -> Report {
    let file_span = doc.source_span(span.clone());
    Report {
        article: article.id.clone(),
        claim: String::new(),
        chain,
        speaker,
        cue,
        stance: if class == CueClass::Denial { Stance::Refutes } else { Stance::Supports },
        caveats,
        quote: Some(doc.text.part(span).to_string()),
        span: Some([file_span.start, file_span.end]),
        inferred: None,
    }
}

/// A claim's wording from a content span: without a dateline, a leading "that" and trailing punctuation.
fn claim_text(text: &str, r: &Range<usize>) -> String {
    let r = attribution::strip_dateline(text, r.clone());
    let t = text.part(r).trim();
    let t = t.strip_prefix("that ").unwrap_or(t);
    let t = t.trim_end_matches(['.', ',', ';', ':']);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}
