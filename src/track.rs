//! The track record between a story and the store: what `credence record` keeps of a scored story, and the
//! learned trust `credence score --db` gives the scorer.
//!
//! The scorer knows nothing of the store: it takes [`TrustOverrides`] (plain opinions by the story's source
//! id). This module builds them from any [`TrackRecord`], so another backend than `SQLite` works unchanged.
//!
//! # The mapping from a track record to trust
//!
//! For each source of the story, the prior is the trust opinion its grade as an origin gives (the story's
//! `grade` for the source, else its kind's grade in `[grades]`). The record's evidence — `r` correct and
//! `s` wrong units from settled claims — is added to the prior's pseudo-evidence (`r₀ = W·b₀/u₀`,
//! `s₀ = W·d₀/u₀`, `W` = `[opinion] prior_weight`) by [`credence_store::learned_trust`]; the projected
//! trust `b + a·u` of the result replaces the grade's as the source's functional trust (party interest
//! still adjusts it). A source with no settled claim keeps its grade; a person or account that speaks for
//! an organisation (`member_of`) and has no record of its own takes its organisation's record on its own
//! prior. Relays (outlets passing statements on) keep their relay grade: relaying is not asserting.
//!
//! # Example
//!
//! ```
//! use credence::{config::Settings, locate::Syntax, model::Story, score::Scorer};
//! use credence::store::{SqliteStore, TrackRecord, Verdict};
//!
//! let text = "[story]\ntitle = \"Bridge\"\n\n[[source]]\nid = \"paper\"\nname = \"The Paper\"\nkind = \"outlet\"\n\n\
//!             [[source]]\nid = \"monitor\"\nname = \"The Monitor\"\nkind = \"monitor\"\n\n\
//!             [[article]]\nid = \"a1\"\noutlet = \"paper\"\n\n[[claim]]\nid = \"bridge\"\ntext = \"The bridge fell\"\n\n\
//!             [[report]]\narticle = \"a1\"\nclaim = \"bridge\"\nchain = [\"paper\", \"monitor\"]\ncue = \"said\"\n";
//! let settings = Settings::defaults();
//! let story = Story::parse("bridge.toml", text, Syntax::Toml).unwrap();
//! let (graph, before) = credence::scored(&story, &settings).unwrap();
//!
//! let mut store = SqliteStore::open_in_memory()?;
//! store.record(&[credence::track::recorded_story(&story, &before)])?;
//! store.settle("bridge", &Verdict::manual(Some(true)))?;
//!
//! let learned = credence::track::learned_trust(&story, &settings, &store)?;
//! assert!(learned["monitor"].from.starts_with("track-record: 1 correct"));
//! assert!(!learned.contains_key("paper"), "a relay earns nothing");
//! let lex = credence::extract::Lexicons::builtin();
//! let after = Scorer::new(&graph, &settings, lex.attribution.cue_table()).with_trust_overrides(&learned).assess();
//! assert!(after.claims[0].support > before.claims[0].support);
//! # Ok::<(), credence::store::Error>(())
//! ```

use std::collections::BTreeSet;

use credence_model::story::{Stance, Story};
use credence_score::config::Settings;
use credence_score::score::{Assessment, TrustOverride, TrustOverrides};
use credence_store::{
    Evidence, OriginRef, RecordedClaim, RecordedSource, RecordedStory, SourceRecord, TrackRecord, TrustOpinion,
    learned_trust as fuse, story_key,
};

/// The story's sources as the track record knows them: id, name, kind, aliases, and the domains of the
/// source's own `domains` and of the addresses of the articles it published as outlet.
#[must_use]
pub fn recorded_sources(story: &Story) -> Vec<RecordedSource> {
    story
        .sources
        .iter()
        .map(|s| {
            let mut domains = s.domains.clone();
            for a in story.articles.iter().filter(|a| a.outlet == s.id) {
                if let Some(url) = a.url.as_deref().filter(|u| !u.trim().is_empty())
                    && !domains.iter().any(|d| d == url)
                {
                    domains.push(url.to_string());
                }
            }
            RecordedSource {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind.clone(),
                aliases: s.aliases.clone(),
                domains,
            }
        })
        .collect()
}

/// The key under which a story is recorded: its title and its first article's file (or id).
#[must_use]
pub fn recorded_key(story: &Story) -> String {
    let first = story.articles.first().map_or(String::new(), |a| a.path.clone().unwrap_or_else(|| a.id.clone()));
    story_key(&story.story.title, &first)
}

/// A scored story reduced to what the track record keeps: its sources, and per claim the origin clusters
/// that asserted or refuted it (the cluster's origin, the organisations merged with it, the outlets of its
/// reports). Clusters made only of a contradicting claim's evidence are not the claim's origins.
#[must_use]
pub fn recorded_story(story: &Story, assessment: &Assessment) -> RecordedStory {
    let claims = assessment
        .claims
        .iter()
        .map(|c| {
            let mut claim =
                RecordedClaim { id: c.id.clone(), text: c.text.clone(), asserted_by: vec![], refuted_by: vec![] };
            for o in c.origins.iter().filter(|o| !o.reports.is_empty()) {
                let mut outlets: Vec<String> = Vec::new();
                for r in o.reports.iter().filter_map(|&i| c.reports.get(i)) {
                    if let Some(first) = r.chain.first()
                        && !outlets.contains(first)
                        && *first != o.id
                    {
                        outlets.push(first.clone());
                    }
                }
                let merged = o.sources.iter().filter(|s| **s != o.id).cloned().collect::<BTreeSet<_>>();
                let origin = OriginRef { source: o.id.clone(), merged: merged.into_iter().collect(), outlets };
                match o.stance {
                    Stance::Supports => claim.asserted_by.push(origin),
                    Stance::Refutes => claim.refuted_by.push(origin),
                }
            }
            claim
        })
        .collect();
    RecordedStory {
        key: recorded_key(story),
        title: story.story.title.clone(),
        sources: recorded_sources(story),
        claims,
    }
}

/// The grade letter of a story source as an origin, as the scorer picks it.
fn origin_grade(story: &Story, settings: &Settings, id: &str) -> Option<char> {
    let s = story.sources.iter().find(|s| s.id == id)?;
    s.grade
        .as_deref()
        .and_then(|g| g.chars().next())
        .or_else(|| settings.kinds.get(&s.kind).map(|k| k.grade))
        .or(Some('F'))
}

/// Whether a record holds any settled evidence.
fn informative(e: &Evidence) -> bool {
    e.correct > 0.0 || e.wrong > 0.0
}

/// Learned origin trust of every story source the track record has settled evidence on, for
/// [`credence_score::score::Scorer::with_trust_overrides`]. An unknown or ambiguous source is left out and
/// scores by its grade. See the module documentation for the mapping.
pub fn learned_trust(
    story: &Story,
    settings: &Settings,
    record: &dyn TrackRecord,
) -> Result<TrustOverrides, credence_store::Error> {
    let sources = recorded_sources(story);
    let mut evidence = Vec::with_capacity(sources.len());
    for s in &sources {
        evidence.push(record.reliability(&s.key())?.filter(informative));
    }
    let mut out = TrustOverrides::new();
    for (i, s) in sources.iter().enumerate() {
        let own = evidence[i];
        let via = if own.is_none() {
            story
                .sources
                .iter()
                .find(|x| x.id == s.id)
                .and_then(|x| x.member_of.as_deref())
                .and_then(|org| sources.iter().position(|y| y.id == org))
                .and_then(|j| evidence[j].map(|e| (e, sources[j].id.as_str())))
        } else {
            None
        };
        let Some((e, through)) = own.map(|e| (e, None)).or(via.map(|(e, org)| (e, Some(org)))) else { continue };
        let Some(letter) = origin_grade(story, settings, &s.id) else { continue };
        let Some(grade) = settings.grades.get(&letter) else { continue };
        let g = grade.opinion;
        let t = fuse(TrustOpinion { b: g.b, d: g.d, u: g.u, a: g.a }, &e, settings.prior_weight);
        let Some(opinion) = credence_score::opinion::Opinion::new(t.b, t.d, t.u, t.a) else { continue };
        let of = through.map_or(String::new(), |org| format!(" of {org}"));
        let from = format!(
            "track-record: {} correct, {} wrong{of} on grade {letter}",
            credence_store::output::count(e.correct),
            credence_store::output::count(e.wrong)
        );
        out.insert(s.id.clone(), TrustOverride { opinion, from });
    }
    Ok(out)
}

/// The sources listing as a Markdown table (source, name, kind, stories, settled claims, correct, wrong,
/// reliability and its credible interval of `mass`).
#[must_use]
pub fn sources_markdown(sources: &[SourceRecord], mass: f64) -> String {
    use credence_store::output::{count, prob};
    let cell = |s: &str| {
        credence_store::output::printable(s).replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
    };
    let mut out = String::from("# Learned source reliability\n\n");
    out += &format!(
        "{} sources. Reliability is the mean of Beta(correct + 1, wrong + 1) over settled claims; the interval \
         holds {}% of it.\n\n",
        sources.len(),
        prob(mass * 100.0).trim_end_matches('0').trim_end_matches('.')
    );
    out += "| source | name | kind | stories | claims | correct | wrong | reliability | interval |\n";
    out += "|---|---|---|--:|--:|--:|--:|--:|---|\n";
    for s in sources {
        let [lo, hi] = s.evidence.interval(mass);
        out += &format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {}–{} |\n",
            cell(&s.key),
            cell(&s.name),
            cell(&s.kind),
            s.evidence.stories,
            s.evidence.claims,
            count(s.evidence.correct),
            count(s.evidence.wrong),
            prob(s.evidence.mean()),
            prob(lo),
            prob(hi)
        );
    }
    out
}

/// The sources listing as JSON: one object per source with its record, `reliability` and the interval.
#[must_use]
pub fn sources_json(sources: &[SourceRecord], mass: f64) -> String {
    let rows: Vec<serde_json::Value> = sources
        .iter()
        .map(|s| {
            let [lo, hi] = s.evidence.interval(mass);
            serde_json::json!({
                "source": s.key,
                "name": s.name,
                "kind": s.kind,
                "ids": s.ids,
                "aliases": s.aliases,
                "domains": s.domains,
                "stories": s.evidence.stories,
                "claims": s.evidence.claims,
                "correct": s.evidence.correct,
                "wrong": s.evidence.wrong,
                "asserted": s.asserted,
                "refuted": s.refuted,
                "relayed": s.relayed,
                "reliability": s.evidence.mean(),
                "interval": [lo, hi],
                "interval_mass": mass,
            })
        })
        .collect();
    let doc = serde_json::json!({ "schema": "credence-sources/1", "sources": rows });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
