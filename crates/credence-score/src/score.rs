//! The scorer: from the claim graph to an [`Assessment`] of every claim.
//!
//! For each claim:
//! 1. every report becomes an opinion: the origin's assertion (from its reporting cue, flipped for a refuting
//!    report, weakened by caveats), discounted by the trust of each hop of its chain — relay trust for the
//!    outlets and agencies passing it on, functional trust for the origin, adjusted for party interest;
//! 2. reports are grouped into origin clusters — same origin organisation, or carried over by a copied
//!    article — and each cluster is fused with an idempotent operator, so copies count once;
//! 3. claims that contradict this one add their own clusters as disbelief (scaled by the contradiction
//!    kind's weight), merged with this claim's cluster of the same origin where there is one;
//! 4. clusters are fused across origins (cumulatively by default), and the result is graded.
//!
//! Every intermediate number is kept in the assessment so a report can show where each figure came from.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};

use credence_model::story::Stance;
use credence_model::vocab::{CueClass, CueTable};

use crate::config::Settings;
use crate::graph::{ArticleIx, ClaimGraph, ClaimIx, ReportEdge, SourceIx};
use crate::opinion::{Fusion, FusionSums, Opinion, degree_of_conflict};

/// Version tag of the assessment (and JSON report) layout.
pub const SCHEMA: &str = "credence-report/2";

/// An opinion with its projected probability, as shown in reports.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OpinionOut {
    /// Belief.
    pub b: f64,
    /// Disbelief.
    pub d: f64,
    /// Uncertainty.
    pub u: f64,
    /// Base rate.
    pub a: f64,
    /// Projected probability `b + a·u`.
    pub p: f64,
}

impl From<Opinion> for OpinionOut {
    fn from(o: Opinion) -> Self {
        OpinionOut { b: o.b, d: o.d, u: o.u, a: o.a, p: o.projected() }
    }
}

/// Whether a report's origin is a party speaking for or against its own interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Interest {
    /// The origin is neutral, or the claim favours no side it has a stake in.
    None,
    /// A party asserting what helps its own side (or denying what helps its opponent).
    SelfServing,
    /// A party conceding what helps a side it opposes: a statement against interest.
    Admission,
}

/// One hop of trust on a chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrustHop {
    /// Source id.
    pub source: String,
    /// `relay` for outlets and agencies passing the statement on, `origin` for the last link.
    pub role: &'static str,
    /// Grade letter used.
    pub grade: char,
    /// Where the letter came from: `source` (the story overrides it) or `kind:<name>`.
    pub grade_from: String,
    /// Projected trust of the grade's opinion.
    pub p: f64,
    /// Trust after party interest (origin only; equals `p` otherwise).
    pub adjusted: f64,
}

/// A report with everything the scorer derived from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportScore {
    /// Position of the report in the story file.
    pub index: usize,
    /// Article id.
    pub article: String,
    /// Chain of source ids, outlet first.
    pub chain: Vec<String>,
    /// The chain written out: `Al Jazeera ← AFP ← SOHR (Rami Abdel Rahman)`.
    pub chain_text: String,
    /// Named speaker.
    pub speaker: Option<String>,
    /// Reporting cue as written.
    pub cue: String,
    /// Cue class used.
    pub cue_class: CueClass,
    /// The class's assertion (b, d, u) before caveats, as configured.
    pub class_opinion: [f64; 3],
    /// False when the cue is in no lexicon list and the default class was used.
    pub cue_known: bool,
    /// Supports or refutes.
    pub stance: Stance,
    /// Caveat kinds.
    pub caveats: Vec<String>,
    /// The weight of each caveat kind (the share of committed mass it moves to uncertainty), in the order of
    /// `caveats`; a kind the settings do not know weighs nothing.
    pub caveat_weights: Vec<f64>,
    /// Evidence text.
    pub quote: Option<String>,
    /// Byte span of the evidence in the article file.
    pub span: Option<[usize; 2]>,
    /// Why the report supports its claim only by implication, when it does.
    pub inferred: Option<String>,
    /// Party interest of the origin in this claim.
    pub interest: Interest,
    /// The organisation the statement originates from (after member-of links).
    pub origin: String,
    /// Trust of each hop.
    pub trust: Vec<TrustHop>,
    /// Product of the hops' trust: the discount factor.
    pub discount: f64,
    /// The origin's assertion after the cue and caveats, before discounting.
    pub assertion: OpinionOut,
    /// The report's opinion after discounting.
    pub opinion: OpinionOut,
    /// Index of the origin cluster (into the claim's `origins`).
    pub cluster: usize,
    /// False when another report of the same origin carries the same statement (same stance and cue class)
    /// at least as strongly: a copy or a weaker rendition, which adds no evidence.
    pub counted: bool,
}

/// One origin cluster of a claim: statements that are not independent of each other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OriginScore {
    /// Id of the origin (the source id of its first member's organisation).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Every origin organisation in the cluster (more than one when copying merged them).
    pub sources: Vec<String>,
    /// `supports` when the cluster's belief exceeds its disbelief, else `refutes`.
    pub stance: Stance,
    /// Indices into the claim's `reports`.
    pub reports: Vec<usize>,
    /// Claims whose evidence entered this cluster as contradiction (disbelief).
    pub via_contradictions: Vec<String>,
    /// Why members were merged.
    pub merged_because: Vec<MergeReason>,
    /// Fused opinion of the cluster (within-origin operator).
    pub opinion: OpinionOut,
    /// Fused assertion before trust discounting, for the raw degree of conflict.
    pub raw: OpinionOut,
    /// Change in support if this cluster were left out (positive: it raises support).
    pub contribution: f64,
}

/// A contradicting claim as seen from one claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContradictedBy {
    /// The other claim.
    pub claim: String,
    /// Contradiction kind.
    pub kind: String,
    /// Weight of the kind.
    pub weight: f64,
    /// Degree of conflict between the two claims' own opinions.
    pub conflict: f64,
}

/// The assessment of one claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimScore {
    /// Claim id.
    pub id: String,
    /// Claim text.
    pub text: String,
    /// Side the claim favours.
    pub favours: Option<String>,
    /// 1-based rank by support.
    pub rank: usize,
    /// Projected probability of the fused opinion.
    pub support: f64,
    /// Fused belief.
    pub belief: f64,
    /// Fused disbelief.
    pub disbelief: f64,
    /// Fused uncertainty.
    pub uncertainty: f64,
    /// Base rate.
    pub base_rate: f64,
    /// Central credible interval of the equivalent Beta distribution.
    pub interval: [f64; 2],
    /// Admiralty-style grade, e.g. `C2`.
    pub grade: String,
    /// Reliability letter of the strongest origin.
    pub reliability: char,
    /// STANAG 2511 credibility number 1–6.
    pub credibility: u8,
    /// Name of the credibility number.
    pub credibility_label: &'static str,
    /// ICD 203 likelihood words.
    pub likelihood: String,
    /// ICD 203 confidence (High, Moderate, Low).
    pub confidence: &'static str,
    /// Degree of conflict between the supporting and the refuting evidence, after discounting.
    pub conflict: f64,
    /// The same before discounting: what the origins themselves disagree on.
    pub raw_conflict: f64,
    /// Number of independent origins supporting the claim.
    pub independent_origins: usize,
    /// Number of independent origins refuting it (directly or through a contradicting claim).
    pub refuting_origins: usize,
    /// Origin clusters.
    pub origins: Vec<OriginScore>,
    /// Reports, in story order.
    pub reports: Vec<ReportScore>,
    /// Contradicting claims.
    pub contradicted_by: Vec<ContradictedBy>,
    /// How the numbers came about: the terms and factors, in order, for a report to word.
    pub explanation: Vec<Explanation>,
}

/// Why statements were put in one origin cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum MergeReason {
    /// Several reports end at the same organisation.
    SameOrigin {
        /// How many.
        reports: usize,
        /// The organisation's name.
        source: String,
    },
    /// A copying article's statement repeats the copied article's.
    Copies {
        /// The copying article.
        article: String,
        /// The article copied.
        original: String,
        /// Share of the copying article's text found in the original.
        containment: f64,
    },
    /// A statement lies in a passage copied from another article.
    Passage {
        /// The copying article.
        article: String,
        /// Byte span of the passage in it.
        span: [usize; 2],
        /// The article copied.
        original: String,
        /// Byte span of the passage in the original.
        from: [usize; 2],
    },
    /// Reports that pass the claim on without naming who says it, under a caveat of
    /// `independence.pooled_caveats` ("rumours that", "sources say"): one unnamed origin, not one per article.
    Unnamed {
        /// How many.
        reports: usize,
        /// The caveat kinds they carry, of the pooled ones.
        caveats: Vec<String>,
    },
    /// An origin of a contradicting claim also speaks on this one.
    Contradiction {
        /// The origin's name.
        source: String,
        /// The contradicting claim.
        claim: String,
        /// Contradiction kind.
        kind: String,
    },
}

/// One step of how a claim's numbers came about. The numbers are the scorer's; the report layer words them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "term", rename_all = "kebab-case")]
pub enum Explanation {
    /// How many reports and origin clusters, and the operators used.
    Summary {
        /// Reports of the claim.
        reports: usize,
        /// Origin clusters.
        clusters: usize,
        /// Supporting clusters.
        supporting: usize,
        /// Refuting clusters.
        refuting: usize,
        /// Operator across clusters.
        across: &'static str,
        /// Operator within a cluster.
        within: &'static str,
    },
    /// An origin cluster: the claim's `origins[origin]`.
    Origin {
        /// Index into `origins`.
        origin: usize,
    },
    /// A report: the claim's `reports[report]`.
    Report {
        /// Index into `reports`.
        report: usize,
    },
    /// A contradicting claim: the claim's `contradicted_by[index]`.
    ContradictedBy {
        /// Index into `contradicted_by`.
        index: usize,
    },
    /// The fused opinion and the grade.
    Result {
        /// Fused belief, disbelief, uncertainty and base rate.
        opinion: [f64; 4],
        /// Support.
        support: f64,
        /// Mass of the interval.
        interval_mass: f64,
        /// The interval.
        interval: [f64; 2],
        /// Reliability letter.
        reliability: char,
        /// Credibility number.
        credibility: u8,
        /// Whether two or more independent origins support the claim.
        independent: bool,
    },
}

/// An article as listed in the assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleOut {
    /// Id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// File path, relative to the story file.
    pub path: Option<String>,
    /// Outlet source id.
    pub outlet: String,
    /// Publication date.
    pub published: Option<String>,
    /// Credited sources.
    pub credits: Vec<String>,
    /// Copy relations.
    pub copied_from: Vec<CopiedOut>,
}

/// A copy relation as listed in the assessment (every field present).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopiedOut {
    /// The article copied from.
    pub article: String,
    /// Share of the copying article's text found in the other.
    pub containment: f64,
    /// Copied passages.
    pub passages: Vec<credence_model::story::Passage>,
}

/// A source as listed in the assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Side.
    pub side: Option<String>,
    /// Reliability grade as an origin.
    pub grade: char,
    /// Grade as a relay.
    pub relay: char,
    /// Organisation it speaks for.
    pub member_of: Option<String>,
    /// Claims it originates at least one report of.
    pub claims: usize,
    /// Reports it originates.
    pub reports: usize,
    /// Reports it appears in anywhere on the chain.
    pub relayed: usize,
    /// Reports it originates that carry a caveat.
    pub caveated: usize,
    /// Claims it supports that another claim contradicts.
    pub contradicted: usize,
}

/// A contradiction as listed in the assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContradictionOut {
    /// First claim.
    pub a: String,
    /// Second claim.
    pub b: String,
    /// Kind.
    pub kind: String,
    /// Note.
    pub note: Option<String>,
    /// How strongly the claims conflict, as stated or detected.
    pub degree: f64,
    /// The statements in conflict.
    pub evidence: Vec<credence_model::story::Evidence>,
    /// Weight of the kind times the degree: the share of the other claim's evidence counted against this one.
    pub weight: f64,
    /// Degree of conflict between the claims' own opinions (one read as evidence against the other).
    pub conflict: f64,
}

/// The parameters a run used, so a report can be reproduced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameters {
    /// Config files, defaults first.
    pub config_files: Vec<String>,
    /// Prior weight W.
    pub prior_weight: f64,
    /// Default base rate.
    pub base_rate: f64,
    /// Minimum uncertainty.
    pub min_uncertainty: f64,
    /// Credible interval mass.
    pub interval: f64,
    /// Operator within an origin.
    pub within_origin: &'static str,
    /// Operator across origins.
    pub across_origins: &'static str,
    /// Copy threshold.
    pub copy_threshold: f64,
    /// Caveat kinds under which unnamed repetitions of a claim are one origin.
    pub pooled_caveats: Vec<String>,
    /// Self-serving factor.
    pub self_serving: f64,
    /// Admission boost.
    pub admission: f64,
    /// Conflict alert.
    pub conflict_alert: f64,
}

/// Title and description of the story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryOut {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
}

/// The assessment of a whole story: what every report format renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Layout version.
    pub schema: &'static str,
    /// The story.
    pub story: StoryOut,
    /// Parameters used.
    pub parameters: Parameters,
    /// Articles.
    pub articles: Vec<ArticleOut>,
    /// Sources.
    pub sources: Vec<SourceOut>,
    /// Claims, by support (highest first).
    pub claims: Vec<ClaimScore>,
    /// Contradictions.
    pub contradictions: Vec<ContradictionOut>,
    /// Files of the folder read that were not read as articles, with the reason (empty for a story file).
    pub skipped: Vec<SkippedFile>,
}

impl Assessment {
    /// The assessment restricted to one claim (for `credence explain`): that claim, the contradictions it is
    /// part of; articles and sources as they are. `None` when the story has no such claim.
    #[must_use]
    pub fn restricted_to(&self, claim: &str) -> Option<Assessment> {
        let c = self.claims.iter().find(|c| c.id == claim)?.clone();
        let mut out = self.clone();
        out.claims = vec![c];
        out.contradictions.retain(|x| x.a == claim || x.b == claim);
        Some(out)
    }
}

/// A file that was not read as an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedFile {
    /// The file, as found.
    pub file: String,
    /// A stable name of the reason (`binary`, `too-large`, `unreadable`, `internal-error`, `unsupported`, …).
    pub reason: String,
    /// What happened and what to do about it.
    pub message: String,
    /// Whether an article was lost: the file looked like one but could not be read (the run is partial).
    pub lost: bool,
}

/// A piece of evidence for a claim before clustering: a report of its own, or a cluster of a contradicting
/// claim read as disbelief.
#[derive(Clone)]
struct Item {
    opinion: Opinion,
    raw: Opinion,
    root: SourceIx,
    report: Option<usize>,
    /// What statement this is: stance and cue class for a report, the claim for contradiction evidence.
    /// Renditions of one statement by one origin are collapsed to the strongest.
    key: String,
}

/// Fuses the evidence of one origin cluster.
///
/// Renditions of the same statement (same stance and cue class, or the same contradicting claim) are first
/// collapsed to the strongest one, the rendition with the most committed mass (ties: the earliest). So a
/// copy of a report, or the same statement passed on by another outlet, adds nothing, whatever the other
/// members are; and weakening one rendition (a caveat) can never strengthen the cluster. The distinct
/// statements are then fused with the within-origin operator. Returns the opinion, the raw (pre-discount)
/// opinion, and which items were counted.
fn fuse_origin(items: &[&Item], fusion: Fusion, a: f64) -> (Opinion, Opinion, Vec<bool>) {
    let mut best: Vec<(&str, usize)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let mass = it.opinion.b + it.opinion.d;
        match best.iter_mut().find(|(k, _)| *k == it.key) {
            Some((_, j)) => {
                if mass > items[*j].opinion.b + items[*j].opinion.d {
                    *j = i;
                }
            }
            None => best.push((it.key.as_str(), i)),
        }
    }
    let mut counted = vec![false; items.len()];
    for (_, j) in &best {
        counted[*j] = true;
    }
    let ops: Vec<Opinion> = best.iter().map(|(_, j)| items[*j].opinion).collect();
    let raws: Vec<Opinion> = best.iter().map(|(_, j)| items[*j].raw).collect();
    (fusion.fuse(&ops, a), fusion.fuse(&raws, a), counted)
}

/// A claim's direct origin clusters (its own reports only), needed again when another claim is contradicted.
struct Direct {
    reports: Vec<ReportScore>,
    items: Vec<Item>,
    /// Cluster (root) id per item after union-find over the direct items.
    clusters: Vec<Vec<usize>>,
    merged_because: Vec<Vec<MergeReason>>,
    cluster_opinions: Vec<(Opinion, Opinion, SourceIx)>,
    fused: Opinion,
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind((0..n).collect())
    }
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut c = x;
        while self.0[c] != r {
            let next = self.0[c];
            self.0[c] = r;
            c = next;
        }
        r
    }
    /// Joins the sets of `x` and `y`; the smaller root wins so results do not depend on call order.
    fn union(&mut self, x: usize, y: usize) -> bool {
        let (a, b) = (self.find(x), self.find(y));
        if a == b {
            return false;
        }
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        self.0[hi] = lo;
        true
    }
    /// Groups of members, ordered by their smallest member.
    fn groups(&mut self) -> Vec<Vec<usize>> {
        let mut by_root: HashMap<usize, usize> = HashMap::new();
        let mut out: Vec<Vec<usize>> = Vec::new();
        for i in 0..self.0.len() {
            let r = self.find(i);
            let g = *by_root.entry(r).or_insert_with(|| {
                out.push(Vec::new());
                out.len() - 1
            });
            out[g].push(i);
        }
        out
    }
}

/// The STANAG 2511 name of a credibility number.
#[must_use]
pub fn credibility_label(n: u8) -> &'static str {
    match n {
        1 => "Confirmed by other sources",
        2 => "Probably true",
        3 => "Possibly true",
        4 => "Doubtful",
        5 => "Improbable",
        _ => "Truth cannot be judged",
    }
}

/// Central credible interval of the Beta distribution equivalent to `o`.
#[must_use]
pub fn credible_interval(o: &Opinion, w: f64, mass: f64) -> [f64; 2] {
    let (alpha, beta) = o.beta_params(w);
    let tail = (1.0 - mass) / 2.0;
    match Beta::new(alpha, beta) {
        Ok(dist) => [dist.inverse_cdf(tail).clamp(0.0, 1.0), dist.inverse_cdf(1.0 - tail).clamp(0.0, 1.0)],
        // Only reachable with infinite evidence (u = 0), which the scorer never produces.
        Err(_) => [o.projected(), o.projected()],
    }
}

/// A trust opinion that replaces a source's grade as an origin, learned elsewhere (a track record of settled
/// claims): plain data, so the scorer knows nothing of where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustOverride {
    /// The trust opinion; its projected probability is the origin's functional trust (party interest still
    /// adjusts it).
    pub opinion: Opinion,
    /// Where it came from, shown as the hop's `grade_from` (e.g. `track-record: 3 correct, 1 wrong`).
    pub from: String,
}

/// Learned origin trust by the story's source id.
pub type TrustOverrides = BTreeMap<String, TrustOverride>;

/// Scores every claim of the graph.
pub struct Scorer<'a> {
    graph: &'a ClaimGraph,
    settings: &'a Settings,
    /// The one table of cue classes (the attribution lexicon's), by which every report's cue is weighed.
    cues: &'a CueTable,
    /// Learned trust of sources as origins, replacing their grade's opinion.
    overrides: Option<&'a TrustOverrides>,
    /// Grades from a domain-ratings file, replacing the kind's letter of the sources they name.
    rated: Option<&'a crate::ratings::RatedGrades>,
}

impl<'a> Scorer<'a> {
    /// A scorer for one graph, one set of settings and the cue table the story's cues are classed by.
    #[must_use]
    pub fn new(graph: &'a ClaimGraph, settings: &'a Settings, cues: &'a CueTable) -> Scorer<'a> {
        Scorer { graph, settings, cues, overrides: None, rated: None }
    }

    /// The same scorer, using `overrides` as the functional trust of the sources it names (by story source
    /// id) when they are the origin of a report. Relay trust is never overridden. The grade letter shown is
    /// still the grade's; `grade_from` says the trust was learned.
    #[must_use]
    pub fn with_trust_overrides(self, overrides: &'a TrustOverrides) -> Scorer<'a> {
        Scorer { overrides: Some(overrides), ..self }
    }

    /// The same scorer, grading the sources `rated` names (by story source id) by their domain's rating
    /// instead of their kind: see [`crate::ratings`]. A grade the story states still wins.
    #[must_use]
    pub fn with_rated_grades(self, rated: &'a crate::ratings::RatedGrades) -> Scorer<'a> {
        Scorer { rated: Some(rated), ..self }
    }

    fn base_rate(&self, claim: ClaimIx) -> f64 {
        self.graph.claim(claim).base_rate.unwrap_or(self.settings.base_rate)
    }

    /// Grade letter and where it came from, for a source as origin (`relay = false`) or relay.
    fn grade_of(&self, ix: SourceIx, relay: bool) -> (char, String) {
        let s = self.graph.source(ix);
        let own = if relay { &s.relay } else { &s.grade };
        if let Some(g) = own.as_deref().and_then(|g| g.chars().next()) {
            return (g, "source".into());
        }
        if let Some(r) = self.rated.and_then(|m| m.get(&s.id))
            && let Some(g) = if relay { r.relay } else { r.origin }
        {
            return (g, r.from.clone());
        }
        let kind = self.settings.kinds.get(&s.kind);
        let letter = kind.map_or('F', |k| if relay { k.relay } else { k.grade });
        (letter, format!("kind:{}", s.kind))
    }

    /// Whether a source is nobody in particular: of a kind whose role is anonymous ("sources say").
    fn is_unnamed(&self, ix: SourceIx) -> bool {
        self.settings
            .kinds
            .get(&self.graph.source(ix).kind)
            .is_some_and(|k| k.role == credence_model::vocab::Role::Anonymous)
    }

    /// Side of a source, falling back to the organisation it speaks for.
    fn side_of(&self, ix: SourceIx) -> Option<&'a str> {
        let s = self.graph.source(ix);
        if let Some(side) = &s.side {
            return Some(side.as_str());
        }
        let root = self.graph.origin_root(ix);
        self.graph.source(root).side.as_deref()
    }

    fn interest(&self, origin: SourceIx, favours: Option<&str>, stance: Stance) -> Interest {
        let Some(fav) = favours else { return Interest::None };
        let Some(side) = self.side_of(origin) else { return Interest::None };
        let helps_own = side == fav;
        let helps_opponent =
            self.settings.opposes(side, fav) || self.graph.sides.get(side).is_some_and(|o| o.iter().any(|x| x == fav));
        match (stance, helps_own, helps_opponent) {
            (Stance::Supports, true, _) | (Stance::Refutes, false, true) => Interest::SelfServing,
            (Stance::Supports, false, true) | (Stance::Refutes, true, _) => Interest::Admission,
            _ => Interest::None,
        }
    }

    fn score_report(&self, r: &ReportEdge, a: f64, favours: Option<&str>) -> ReportScore {
        let st = self.settings;
        let (class, known) = st.cue_class(&r.cue, self.cues);
        let mut assertion = Opinion { b: class.b, d: class.d, u: class.u, a };
        if r.stance == Stance::Refutes {
            assertion = assertion.flipped(a);
        }
        for c in &r.caveats {
            if let Some(w) = st.caveats.get(c) {
                assertion = assertion.weakened(w.weight);
            }
        }
        let assertion = assertion.with_min_uncertainty(st.min_uncertainty);
        // A valid story's chains are never empty; the outlet stands in for a hand-built one.
        let origin = r.chain.last().copied().unwrap_or(self.graph.outlet(r.article));
        let interest = self.interest(origin, favours, r.stance);
        let mut trust = Vec::with_capacity(r.chain.len());
        let mut discount = 1.0;
        for (i, &hop) in r.chain.iter().enumerate() {
            let is_origin = i + 1 == r.chain.len();
            let (letter, mut from) = self.grade_of(hop, !is_origin);
            let mut p = st.grade(letter).opinion.projected();
            if is_origin
                && let Some(o) = self.overrides.and_then(|m| m.get(&self.graph.source(hop).id))
                && o.opinion.projected().is_finite()
            {
                p = o.opinion.projected().clamp(0.0, 1.0);
                from.clone_from(&o.from);
            }
            let adjusted = match (is_origin, interest) {
                (true, Interest::SelfServing) => p * st.self_serving,
                (true, Interest::Admission) => p + (1.0 - p) * st.admission,
                _ => p,
            };
            discount *= adjusted;
            trust.push(TrustHop {
                source: self.graph.source(hop).id.clone(),
                role: if is_origin { "origin" } else { "relay" },
                grade: letter,
                grade_from: from,
                p,
                adjusted,
            });
        }
        let opinion = assertion.discounted(discount).with_min_uncertainty(st.min_uncertainty);
        let root = self.graph.origin_root(origin);
        ReportScore {
            index: r.index,
            article: self.graph.article(r.article).id.clone(),
            chain: r.chain.iter().map(|&ix| self.graph.source(ix).id.clone()).collect(),
            chain_text: self.graph.chain_text(r),
            speaker: r.speaker.clone(),
            cue: r.cue.clone(),
            cue_class: class.class,
            class_opinion: [class.b, class.d, class.u],
            cue_known: known,
            stance: r.stance,
            caveats: r.caveats.clone(),
            caveat_weights: r.caveats.iter().map(|c| st.caveats.get(c).map_or(0.0, |w| w.weight)).collect(),
            quote: r.quote.clone(),
            span: r.span,
            inferred: r.inferred.clone(),
            interest,
            origin: self.graph.source(root).id.clone(),
            trust,
            discount,
            assertion: assertion.into(),
            opinion: opinion.into(),
            cluster: 0,
            counted: true,
        }
    }

    /// A claim's own reports, scored and clustered.
    fn direct(&self, claim: ClaimIx) -> Direct {
        let st = self.settings;
        let a = self.base_rate(claim);
        let favours = self.graph.claim(claim).favours.as_deref();
        let edges: Vec<&ReportEdge> = self.graph.reports_of(claim).collect();
        credence_model::work::add(edges.len());
        let mut reports = Vec::with_capacity(edges.len());
        let mut items = Vec::with_capacity(edges.len());
        for (pos, r) in edges.iter().enumerate() {
            let rs = self.score_report(r, a, favours);
            let origin = r.chain.last().copied().unwrap_or(self.graph.outlet(r.article));
            items.push(Item {
                opinion: Opinion { b: rs.opinion.b, d: rs.opinion.d, u: rs.opinion.u, a },
                raw: Opinion { b: rs.assertion.b, d: rs.assertion.d, u: rs.assertion.u, a },
                root: self.graph.origin_root(origin),
                report: Some(pos),
                key: format!("{}:{}", rs.stance, scorer_key(rs.cue_class)),
            });
            reports.push(rs);
        }
        let mut uf = UnionFind::new(items.len());
        let mut reasons: HashMap<usize, Vec<(usize, MergeReason)>> = HashMap::new();
        // Same origin organisation.
        let mut first_of_root: HashMap<SourceIx, usize> = HashMap::new();
        for (i, it) in items.iter().enumerate() {
            match first_of_root.get(&it.root) {
                Some(&j) => {
                    uf.union(i, j);
                }
                None => {
                    first_of_root.insert(it.root, i);
                }
            }
        }
        // Copied articles: the copier's own voice repeats the copied article's own voice, or its only report.
        let mut by_article: HashMap<ArticleIx, Vec<usize>> = HashMap::new();
        for (pos, r) in edges.iter().enumerate() {
            by_article.entry(r.article).or_default().push(pos);
        }
        let mut arts: Vec<ArticleIx> = by_article.keys().copied().collect();
        arts.sort();
        for &art in &arts {
            for &(src_art, containment) in self.graph.copied_from(art) {
                if containment < st.copy_threshold {
                    continue;
                }
                let Some(theirs) = by_article.get(&src_art) else { continue };
                let own_voice = |pos: usize| edges[pos].chain.len() == 1;
                // The copied article's single origin for this claim, if it has exactly one (however many
                // reports carry it): then the copier's unattributed statement can only come from there.
                let single_origin = {
                    let first = items[theirs[0]].root;
                    theirs.iter().all(|&t| items[t].root == first).then_some(theirs[0])
                };
                for &mine in &by_article[&art] {
                    let partner = if own_voice(mine) {
                        theirs.iter().copied().find(|&t| own_voice(t)).or(single_origin)
                    } else {
                        theirs.iter().copied().find(|&t| items[t].root == items[mine].root)
                    };
                    if let Some(t) = partner
                        && items[t].root != items[mine].root
                        && uf.union(mine, t)
                    {
                        let why = MergeReason::Copies {
                            article: self.graph.article(art).id.clone(),
                            original: self.graph.article(src_art).id.clone(),
                            containment,
                        };
                        reasons.entry(mine).or_default().push((t, why));
                    }
                }
            }
        }
        // Copied passages: a statement inside a paragraph taken from another article repeats that article's
        // statement in the same paragraph, whatever the article-level containment (an outlet reusing its own
        // background paragraphs, a rewrite embedding one wire paragraph).
        let inside = |span: Option<[usize; 2]>, p: [usize; 2]| span.is_some_and(|[a, b]| p[0] <= a && b <= p[1]);
        for &art in &arts {
            for c in &self.graph.article(art).copied_from {
                let Some(src_art) = self.graph.article_ix(&c.article) else { continue };
                let Some(theirs) = by_article.get(&src_art) else { continue };
                for p in &c.passages {
                    for &mine in &by_article[&art] {
                        if !inside(edges[mine].span, p.span) {
                            continue;
                        }
                        let candidates: Vec<usize> =
                            theirs.iter().copied().filter(|&t| inside(edges[t].span, p.from)).collect();
                        let partner = candidates
                            .iter()
                            .copied()
                            .find(|&t| items[t].root == items[mine].root)
                            .or_else(|| {
                                candidates
                                    .iter()
                                    .copied()
                                    .find(|&t| edges[t].chain.len() == 1 && edges[mine].chain.len() == 1)
                            })
                            .or_else(|| candidates.first().copied());
                        if let Some(t) = partner
                            && uf.union(mine, t)
                        {
                            let why = MergeReason::Passage {
                                article: self.graph.article(art).id.clone(),
                                span: p.span,
                                original: self.graph.article(src_art).id.clone(),
                                from: p.from,
                            };
                            reasons.entry(mine).or_default().push((t, why));
                        }
                    }
                }
            }
        }
        // Unnamed rumours: every supporting report that passes the claim on under a pooled caveat, in the
        // outlet's own voice or from an unnamed source, repeats one rumour whose origin nobody names.
        let unnamed: Vec<usize> = (0..edges.len())
            .filter(|&i| {
                let r = edges[i];
                r.stance == Stance::Supports
                    && r.caveats.iter().any(|c| st.pooled_caveats.contains(c))
                    && (r.chain.len() <= 1 || self.is_unnamed(items[i].root))
            })
            .collect();
        if let [first, rest @ ..] = unnamed.as_slice()
            && !rest.is_empty()
        {
            for &i in rest {
                uf.union(i, *first);
            }
            let mut caveats: Vec<String> = unnamed
                .iter()
                .flat_map(|&i| edges[i].caveats.iter().filter(|c| st.pooled_caveats.contains(c)).cloned())
                .collect();
            caveats.sort();
            caveats.dedup();
            reasons.entry(*first).or_default().push((*first, MergeReason::Unnamed { reports: unnamed.len(), caveats }));
        }
        let clusters = uf.groups();
        let mut merged_because = Vec::with_capacity(clusters.len());
        let mut cluster_opinions = Vec::with_capacity(clusters.len());
        for (ci, members) in clusters.iter().enumerate() {
            let mut why = Vec::new();
            // Reports per origin, origins in order of first member (one pass: a pooled cluster may hold
            // thousands of reports from hundreds of origins).
            let mut per_root: Vec<(SourceIx, usize)> = Vec::new();
            let mut at: HashMap<SourceIx, usize> = HashMap::new();
            for &m in members {
                let root = items[m].root;
                let k = *at.entry(root).or_insert_with(|| {
                    per_root.push((root, 0));
                    per_root.len() - 1
                });
                per_root[k].1 += 1;
            }
            for &(root, n) in &per_root {
                if n > 1 {
                    why.push(MergeReason::SameOrigin { reports: n, source: self.graph.source(root).name.clone() });
                }
            }
            for &m in members {
                if let Some(rs) = reasons.get(&m) {
                    why.extend(rs.iter().map(|(_, w)| w.clone()));
                }
                reports[m].cluster = ci;
            }
            merged_because.push(why);
            let refs: Vec<&Item> = members.iter().map(|&m| &items[m]).collect();
            let (op, raw, counted) = fuse_origin(&refs, st.within_origin, a);
            for (&m, c) in members.iter().zip(counted) {
                reports[m].counted = c;
            }
            cluster_opinions.push((op, raw, items[members[0]].root));
        }
        let fused = st.across_origins.fuse(&cluster_opinions.iter().map(|c| c.0).collect::<Vec<_>>(), a);
        Direct { reports, items, clusters, merged_because, cluster_opinions, fused }
    }

    /// Scores every claim and assembles the assessment.
    #[must_use]
    pub fn assess(&self) -> Assessment {
        let st = self.settings;
        let g = self.graph;
        let claim_ixs: Vec<ClaimIx> = g.claims().map(|(ix, _)| ix).collect();
        // Each claim is scored on its own (its reports, then its contradicting claims' clusters) on every
        // thread; the results are taken in claim order, so the assessment is a one-thread run's.
        let mut directs: Vec<Direct> = credence_model::work::par_map(&claim_ixs, |_, &c| self.direct(c));
        // Each claim's report scores move into its ClaimScore; contradicting claims only need the clusters.
        let mut own: Vec<Vec<ReportScore>> = directs.iter_mut().map(|d| std::mem::take(&mut d.reports)).collect();
        let mine: Vec<(ClaimIx, Vec<ReportScore>)> =
            claim_ixs.iter().map(|&c| (c, std::mem::take(&mut own[c.index()]))).collect();
        let mut claims: Vec<ClaimScore> =
            credence_model::work::par_map_owned(mine, |_, (c, reports)| self.claim_score(c, &directs, reports));
        claims.sort_by(|x, y| y.support.total_cmp(&x.support).then_with(|| x.id.cmp(&y.id)));
        for (i, c) in claims.iter_mut().enumerate() {
            c.rank = i + 1;
        }

        let contradictions = g
            .contradictions()
            .iter()
            .map(|c| {
                let (fa, fb) = (directs[c.a.index()].fused, directs[c.b.index()].fused);
                ContradictionOut {
                    a: g.claim(c.a).id.clone(),
                    b: g.claim(c.b).id.clone(),
                    kind: c.kind.clone(),
                    note: c.note.clone(),
                    degree: c.degree,
                    evidence: c.evidence.clone(),
                    weight: st.contradictions.get(&c.kind).map_or(0.0, |w| w.weight) * c.degree,
                    conflict: degree_of_conflict(&fa, &fb.flipped(fa.a)),
                }
            })
            .collect::<Vec<_>>();

        let articles = g
            .articles()
            .map(|(ix, a)| ArticleOut {
                id: a.id.clone(),
                title: a.title.clone(),
                path: a.path.clone(),
                outlet: a.outlet.clone(),
                published: a.published.map(|d| d.to_string()),
                credits: g.credits(ix).iter().map(|&s| g.source(s).id.clone()).collect(),
                copied_from: a
                    .copied_from
                    .iter()
                    .map(|c| CopiedOut {
                        article: c.article.clone(),
                        containment: c.containment,
                        passages: c.passages.clone(),
                    })
                    .collect(),
            })
            .collect();

        let sources = self.source_table(&claims);
        Assessment {
            schema: SCHEMA,
            story: StoryOut { title: g.title.clone(), description: g.description.clone() },
            parameters: Parameters {
                config_files: st.files.clone(),
                prior_weight: st.prior_weight,
                base_rate: st.base_rate,
                min_uncertainty: st.min_uncertainty,
                interval: st.interval,
                within_origin: st.within_origin.name(),
                across_origins: st.across_origins.name(),
                copy_threshold: st.copy_threshold,
                pooled_caveats: st.pooled_caveats.clone(),
                self_serving: st.self_serving,
                admission: st.admission,
                conflict_alert: st.conflict_alert,
            },
            articles,
            sources,
            claims,
            contradictions,
            skipped: Vec::new(),
        }
    }

    fn source_table(&self, claims: &[ClaimScore]) -> Vec<SourceOut> {
        let g = self.graph;
        #[derive(Default)]
        struct Count {
            claims: usize,
            reports: usize,
            relayed: usize,
            caveated: usize,
            contradicted: usize,
        }
        let mut counts: HashMap<&str, Count> = HashMap::new();
        for c in claims {
            // Origins in order of first report, each once (a set: a claim may have thousands of reports).
            let mut originated: Vec<&str> = Vec::new();
            let mut seen: HashSet<&str> = HashSet::new();
            for r in &c.reports {
                for s in &r.chain {
                    counts.entry(s.as_str()).or_default().relayed += 1;
                }
                let last = r.chain.last().map_or("", String::as_str);
                let e = counts.entry(last).or_default();
                e.reports += 1;
                if !r.caveats.is_empty() {
                    e.caveated += 1;
                }
                if seen.insert(last) {
                    originated.push(last);
                }
            }
            for s in originated {
                let e = counts.entry(s).or_default();
                e.claims += 1;
                if !c.contradicted_by.is_empty() {
                    e.contradicted += 1;
                }
            }
        }
        g.sources()
            .map(|(ix, s)| {
                let c = counts.remove(s.id.as_str()).unwrap_or_default();
                SourceOut {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    kind: s.kind.clone(),
                    side: s.side.clone(),
                    grade: self.grade_of(ix, false).0,
                    relay: self.grade_of(ix, true).0,
                    member_of: s.member_of.clone(),
                    claims: c.claims,
                    reports: c.reports,
                    relayed: c.relayed,
                    caveated: c.caveated,
                    contradicted: c.contradicted,
                }
            })
            .collect()
    }

    fn claim_score(&self, claim: ClaimIx, directs: &[Direct], mut reports: Vec<ReportScore>) -> ClaimScore {
        let st = self.settings;
        let g = self.graph;
        let c = g.claim(claim);
        let a = self.base_rate(claim);
        let direct = &directs[claim.index()];

        // Start from the direct clusters, then add contradicting claims' clusters as disbelief, merged into a
        // cluster of the same origin organisation where this claim has one.
        struct Cluster {
            root: SourceIx,
            sources: Vec<SourceIx>,
            items: Vec<Item>,
            reports: Vec<usize>,
            via: Vec<String>,
            why: Vec<MergeReason>,
        }
        let mut clusters: Vec<Cluster> = direct
            .clusters
            .iter()
            .zip(&direct.merged_because)
            .zip(&direct.cluster_opinions)
            .map(|((members, why), (_, _, root))| Cluster {
                root: *root,
                sources: dedup(members.iter().map(|&m| direct.items[m].root)),
                items: members.iter().map(|&m| direct.items[m].clone()).collect(),
                reports: members.iter().filter_map(|&m| direct.items[m].report).collect(),
                via: Vec::new(),
                why: why.clone(),
            })
            .collect();
        let mut by_root: HashMap<SourceIx, usize> = HashMap::new();
        for (i, cl) in clusters.iter().enumerate() {
            for s in &cl.sources {
                by_root.entry(*s).or_insert(i);
            }
        }
        let mut contradicted_by = Vec::new();
        let mut seen_other = Vec::new();
        let own_fused = direct.fused;
        for (other, edge) in g.contradictions_of(claim) {
            if seen_other.contains(&other) {
                continue;
            }
            seen_other.push(other);
            credence_model::work::add(directs[other.index()].cluster_opinions.len());
            let kind = edge.kind.as_str();
            let w = st.contradictions.get(kind).map_or(0.0, |k| k.weight) * edge.degree;
            let od = &directs[other.index()];
            let other_id = g.claim(other).id.clone();
            contradicted_by.push(ContradictedBy {
                claim: other_id.clone(),
                kind: kind.to_string(),
                weight: w,
                conflict: degree_of_conflict(&own_fused, &od.fused.flipped(a)),
            });
            for (op, raw, root) in &od.cluster_opinions {
                let derived = Item {
                    opinion: op.flipped(a).weakened(1.0 - w).with_min_uncertainty(st.min_uncertainty),
                    raw: raw.flipped(a).weakened(1.0 - w).with_min_uncertainty(st.min_uncertainty),
                    root: *root,
                    report: None,
                    key: format!("via:{other_id}"),
                };
                let why = MergeReason::Contradiction {
                    source: g.source(*root).name.clone(),
                    claim: other_id.clone(),
                    kind: kind.to_string(),
                };
                if let Some(&ci) = by_root.get(root) {
                    let cl = &mut clusters[ci];
                    cl.items.push(derived);
                    cl.via.push(other_id.clone());
                    cl.why.push(why);
                } else {
                    by_root.insert(*root, clusters.len());
                    clusters.push(Cluster {
                        root: *root,
                        sources: vec![*root],
                        items: vec![derived],
                        reports: Vec::new(),
                        via: vec![other_id.clone()],
                        why: Vec::new(),
                    });
                }
            }
        }

        let fused_clusters: Vec<(Opinion, Opinion)> = clusters
            .iter()
            .map(|cl| {
                let refs: Vec<&Item> = cl.items.iter().collect();
                let (op, raw, _) = fuse_origin(&refs, st.within_origin, a);
                (op, raw)
            })
            .collect();
        let ops: Vec<Opinion> = fused_clusters.iter().map(|x| x.0).collect();
        let sums = FusionSums::of(&ops);
        let fused = sums.finish(st.across_origins, a);
        let support = fused.projected();

        let supporting: Vec<usize> = (0..clusters.len()).filter(|&i| ops[i].b >= ops[i].d && ops[i].b > 0.0).collect();
        let refuting: Vec<usize> = (0..clusters.len()).filter(|&i| ops[i].d > ops[i].b).collect();
        let side = |idx: &[usize], raw: bool| {
            let v: Vec<Opinion> =
                idx.iter().map(|&i| if raw { fused_clusters[i].1 } else { fused_clusters[i].0 }).collect();
            st.across_origins.fuse(&v, a)
        };
        let (conflict, raw_conflict) = if supporting.is_empty() || refuting.is_empty() {
            (0.0, 0.0)
        } else {
            (
                degree_of_conflict(&side(&supporting, false), &side(&refuting, false)),
                degree_of_conflict(&side(&supporting, true), &side(&refuting, true)),
            )
        };

        let origins: Vec<OriginScore> = clusters
            .iter()
            .zip(&fused_clusters)
            .map(|(cl, (op, raw))| {
                let contribution = if clusters.len() == 1 {
                    support - a
                } else {
                    support - sums.without(op).finish(st.across_origins, a).projected()
                };
                OriginScore {
                    id: g.source(cl.root).id.clone(),
                    name: g.source(cl.root).name.clone(),
                    sources: cl.sources.iter().map(|&s| g.source(s).id.clone()).collect(),
                    stance: if op.d > op.b { Stance::Refutes } else { Stance::Supports },
                    reports: cl.reports.clone(),
                    via_contradictions: cl.via.clone(),
                    merged_because: cl.why.clone(),
                    opinion: (*op).into(),
                    raw: (*raw).into(),
                    contribution,
                }
            })
            .collect();
        for (ci, cl) in clusters.iter().enumerate() {
            for &r in &cl.reports {
                reports[r].cluster = ci;
            }
        }

        // Reliability letter: the supporting origin with the most belief; its speaking source's grade.
        let strongest = supporting.iter().copied().max_by(|&x, &y| ops[x].b.total_cmp(&ops[y].b).then(y.cmp(&x)));
        let reliability = strongest
            .and_then(|ci| {
                clusters[ci]
                    .reports
                    .iter()
                    .max_by(|&&x, &&y| reports[x].opinion.b.total_cmp(&reports[y].opinion.b).then(y.cmp(&x)))
            })
            .and_then(|&r| reports[r].trust.last().map(|t| t.grade))
            .unwrap_or('F');

        let cr = &st.credibility;
        let credibility = if clusters.is_empty() || fused.u >= cr.cannot_judge_u {
            6
        } else if support < cr.improbable && !refuting.is_empty() {
            5
        } else if support < cr.doubtful || conflict >= st.conflict_alert {
            4
        } else if supporting.len() >= 2 && support >= cr.confirmed && fused.u <= cr.confirmed_u {
            1
        } else if support >= cr.probable {
            2
        } else {
            3
        };
        let confidence = if fused.u <= st.confidence_high_u && supporting.len() >= 2 {
            "High"
        } else if fused.u <= st.confidence_moderate_u {
            "Moderate"
        } else {
            "Low"
        };
        let interval = credible_interval(&fused, st.prior_weight, st.interval);
        let likelihood = st.likelihood_words(support).to_string();

        let mut explanation = vec![Explanation::Summary {
            reports: reports.len(),
            clusters: clusters.len(),
            supporting: supporting.len(),
            refuting: refuting.len(),
            across: st.across_origins.name(),
            within: st.within_origin.name(),
        }];
        explanation.extend((0..origins.len()).map(|origin| Explanation::Origin { origin }));
        explanation.extend((0..reports.len()).map(|report| Explanation::Report { report }));
        explanation.extend((0..contradicted_by.len()).map(|index| Explanation::ContradictedBy { index }));
        explanation.push(Explanation::Result {
            opinion: [fused.b, fused.d, fused.u, a],
            support,
            interval_mass: st.interval,
            interval,
            reliability,
            credibility,
            independent: supporting.len() >= 2,
        });

        ClaimScore {
            id: c.id.clone(),
            text: c.text.clone(),
            favours: c.favours.clone(),
            rank: 0,
            support,
            belief: fused.b,
            disbelief: fused.d,
            uncertainty: fused.u,
            base_rate: a,
            interval,
            grade: format!("{reliability}{credibility}"),
            reliability,
            credibility,
            credibility_label: credibility_label(credibility),
            likelihood,
            confidence,
            conflict,
            raw_conflict,
            independent_origins: supporting.len(),
            refuting_origins: refuting.len(),
            origins,
            reports,
            contradicted_by,
            explanation,
        }
    }
}

/// The key under which renditions of one statement are collapsed: classes that weigh the same (plain and
/// endorsing reporting, denials) are one statement.
fn scorer_key(c: CueClass) -> &'static str {
    match c {
        CueClass::Neutral | CueClass::Endorsing | CueClass::Denial | CueClass::Intention => "neutral",
        CueClass::Distancing => "distancing",
        CueClass::Hedged => "hedged",
    }
}

fn dedup<T: Eq + std::hash::Hash + Copy>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    it.filter(|x| seen.insert(*x)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_model::locate::Syntax;
    use credence_model::story::{Story, StoryFile, validate};

    fn op(b: f64, d: f64, u: f64) -> Opinion {
        Opinion { b, d, u, a: 0.5 }
    }

    fn item(o: Opinion, key: &str) -> Item {
        Item { opinion: o, raw: o, root: SourceIx::default_for_tests(), report: None, key: key.into() }
    }

    #[test]
    fn renditions_of_one_statement_count_once_and_the_strongest_wins() {
        let strong = item(op(0.8, 0.0, 0.2), "supports:neutral");
        let weak = item(op(0.4, 0.0, 0.6), "supports:neutral");
        let (alone, _, _) = fuse_origin(&[&strong], Fusion::Averaging, 0.5);
        let (both, _, counted) = fuse_origin(&[&weak, &strong], Fusion::Averaging, 0.5);
        assert_eq!(counted, [false, true]);
        assert!((alone.b - both.b).abs() < 1e-12, "a weaker copy changes nothing");
        // A different statement of the same origin is fused, not dropped.
        let other = item(op(0.3, 0.0, 0.7), "supports:hedged");
        let (_, _, counted) = fuse_origin(&[&strong, &other], Fusion::Averaging, 0.5);
        assert_eq!(counted, [true, true]);
    }

    #[test]
    fn union_find_groups_in_order_of_their_smallest_member() {
        let mut uf = UnionFind::new(5);
        assert!(uf.union(3, 1));
        assert!(uf.union(4, 3));
        assert!(!uf.union(1, 4), "already one set");
        assert_eq!(uf.groups(), vec![vec![0], vec![1, 3, 4], vec![2]]);
    }

    #[test]
    fn classes_that_weigh_the_same_are_one_statement() {
        assert_eq!(scorer_key(CueClass::Endorsing), scorer_key(CueClass::Neutral));
        assert_eq!(scorer_key(CueClass::Denial), scorer_key(CueClass::Neutral));
        assert_ne!(scorer_key(CueClass::Hedged), scorer_key(CueClass::Distancing));
    }

    #[test]
    fn credible_intervals_narrow_with_evidence_and_hold_the_support() {
        let weak = op(0.3, 0.0, 0.7);
        let strong = op(0.9, 0.0, 0.1);
        let (iw, is) = (credible_interval(&weak, 2.0, 0.9), credible_interval(&strong, 2.0, 0.9));
        assert!(is[1] - is[0] < iw[1] - iw[0]);
        for (o, i) in [(weak, iw), (strong, is)] {
            assert!(i[0] <= o.projected() && o.projected() <= i[1], "{i:?} holds {}", o.projected());
        }
    }

    /// A story of one claim reported by a party, to read the party-interest and grading rules off.
    fn scored(side: &str, favours: &str, stance: &str) -> ClaimScore {
        let text = format!(
            "[story]\ntitle = \"t\"\n\n[[side]]\nid = \"government\"\nname = \"G\"\nopposes = [\"rebels\"]\n\n[[side]]\nid = \"rebels\"\nname = \"R\"\nopposes = [\"government\"]\n\n[[source]]\nid = \"paper\"\nname = \"P\"\nkind = \"outlet\"\n\n[[source]]\nid = \"gov\"\nname = \"G\"\nkind = \"government-official\"\nside = \"{side}\"\n\n\
             [[article]]\nid = \"a\"\noutlet = \"paper\"\n\n[[claim]]\nid = \"c\"\ntext = \"x\"\nfavours = \"{favours}\"\n\n\
             [[report]]\narticle = \"a\"\nclaim = \"c\"\nchain = [\"paper\", \"gov\"]\ncue = \"said\"\nstance = \"{stance}\"\n"
        );
        first_claim(text, &Settings::defaults())
    }

    /// Scores a story written as TOML ("said" a neutral cue) and returns its first claim.
    fn first_claim(text: String, settings: &Settings) -> ClaimScore {
        let story = Story::parse("t.toml", &text, Syntax::Toml).unwrap();
        let file = StoryFile { story, path: "t.toml".into(), text, syntax: Syntax::Toml };
        let valid = validate(&file, &settings.vocabulary(), false).unwrap();
        let graph = ClaimGraph::build(&valid);
        let cues = CueTable::new([("said", CueClass::Neutral)]);
        Scorer::new(&graph, settings, &cues).assess().claims.remove(0)
    }

    #[test]
    fn a_trust_override_replaces_the_origin_grade_only() {
        let text = "[story]\ntitle = \"t\"\n\n[[source]]\nid = \"paper\"\nname = \"P\"\nkind = \"outlet\"\n\n[[source]]\nid = \"mon\"\nname = \"M\"\nkind = \"monitor\"\n\n\
             [[article]]\nid = \"a\"\noutlet = \"paper\"\n\n[[claim]]\nid = \"c\"\ntext = \"x\"\n\n\
             [[report]]\narticle = \"a\"\nclaim = \"c\"\nchain = [\"paper\", \"mon\"]\ncue = \"said\"\n";
        let settings = Settings::defaults();
        let story = Story::parse("t.toml", text, Syntax::Toml).unwrap();
        let file = StoryFile { story, path: "t.toml".into(), text: text.into(), syntax: Syntax::Toml };
        let valid = validate(&file, &settings.vocabulary(), false).unwrap();
        let graph = ClaimGraph::build(&valid);
        let cues = CueTable::new([("said", CueClass::Neutral)]);
        let plain = Scorer::new(&graph, &settings, &cues).assess().claims.remove(0);
        let learned = |p: f64| {
            let over = TrustOverrides::from([
                ("mon".to_string(), TrustOverride { opinion: op(p, 1.0 - p, 0.0), from: "learned".into() }),
                // A relay is never overridden.
                ("paper".to_string(), TrustOverride { opinion: op(0.0, 1.0, 0.0), from: "learned".into() }),
            ]);
            Scorer::new(&graph, &settings, &cues).with_trust_overrides(&over).assess().claims.remove(0)
        };
        let (up, down) = (learned(0.95), learned(0.1));
        assert!(up.support > plain.support && plain.support > down.support);
        let hops = &up.reports[0].trust;
        assert_eq!((hops[1].grade_from.as_str(), hops[1].p), ("learned", 0.95));
        assert_eq!(hops[0].grade_from, plain.reports[0].trust[0].grade_from);
        assert_eq!(hops[0].p, plain.reports[0].trust[0].p);
    }

    /// Scores a story of `n` outlets that each carry claim `c` in their own voice with `caveats`, and one
    /// outlet that names its source.
    fn repeated(n: usize, caveats: &str, settings: &Settings) -> ClaimScore {
        let mut text =
            String::from("[story]\ntitle = \"t\"\n\n[[source]]\nid = \"mon\"\nname = \"M\"\nkind = \"monitor\"\n\n");
        for i in 0..=n {
            text.push_str(&format!(
                "[[source]]\nid = \"p{i}\"\nname = \"P{i}\"\nkind = \"outlet\"\n\n[[article]]\nid = \"a{i}\"\noutlet = \"p{i}\"\n\n"
            ));
        }
        text.push_str("[[claim]]\nid = \"c\"\ntext = \"x\"\n\n");
        for i in 0..n {
            text.push_str(&format!(
                "[[report]]\narticle = \"a{i}\"\nclaim = \"c\"\nchain = [\"p{i}\"]\ncaveats = [{caveats}]\n\n"
            ));
        }
        text.push_str(&format!(
            "[[report]]\narticle = \"a{n}\"\nclaim = \"c\"\nchain = [\"p{n}\", \"mon\"]\ncue = \"said\"\n"
        ));
        first_claim(text, settings)
    }

    #[test]
    fn outlets_passing_on_an_unnamed_rumour_are_one_origin() {
        let settings = Settings::defaults();
        // Four outlets passing on "rumours that ..." with nobody named: one unnamed origin, plus the monitor.
        let rumour = repeated(4, "\"rumour\"", &settings);
        assert_eq!(rumour.independent_origins, 2);
        let pooled = rumour.origins.iter().find(|o| o.reports.len() == 4).expect("one cluster of the four");
        assert_eq!(pooled.merged_because, [MergeReason::Unnamed { reports: 4, caveats: vec!["rumour".into()] }]);
        // The same four in plain words are four origins; so are the rumours when pooling is switched off.
        assert_eq!(repeated(4, "", &settings).independent_origins, 5);
        let mut off = Settings::defaults();
        off.pooled_caveats.clear();
        let unpooled = repeated(4, "\"rumour\"", &off);
        assert_eq!(unpooled.independent_origins, 5);
        assert!(unpooled.support > rumour.support);
    }

    /// Scores claim `c` carried in their own voice by one article of each outlet kind in `kinds`.
    fn own_voice(kinds: &[&str]) -> ClaimScore {
        let settings = Settings::defaults();
        let mut text = String::from("[story]\ntitle = \"t\"\n\n");
        for (i, k) in kinds.iter().enumerate() {
            text.push_str(&format!(
                "[[source]]\nid = \"p{i}\"\nname = \"P{i}\"\nkind = \"{k}\"\n\n[[article]]\nid = \"a{i}\"\noutlet = \"p{i}\"\n\n"
            ));
        }
        text.push_str("[[claim]]\nid = \"c\"\ntext = \"x\"\n\n");
        for i in 0..kinds.len() {
            text.push_str(&format!("[[report]]\narticle = \"a{i}\"\nclaim = \"c\"\nchain = [\"p{i}\"]\n\n"));
        }
        first_claim(text, &settings)
    }

    #[test]
    fn one_origin_nobody_can_judge_stays_near_the_base_rate() {
        // An unattributed sentence of a site nobody can grade: near 0.5, mostly uncertainty, "cannot be judged".
        let one = own_voice(&["unknown-outlet"]);
        assert!(one.support > 0.5 && one.support < 0.6, "{}", one.support);
        assert!(one.uncertainty >= Settings::defaults().credibility.cannot_judge_u, "{}", one.uncertainty);
        assert_eq!(one.credibility, 6);
        // Independent sites move it, one by one; a graded outlet's own word moves it further than one site.
        let two = own_voice(&["unknown-outlet", "unknown-outlet"]);
        let three = own_voice(&["unknown-outlet", "unknown-outlet", "unknown-outlet"]);
        assert!(two.support > one.support && three.support > two.support);
        assert!(two.uncertainty < one.uncertainty && two.credibility != 6);
        let agency = own_voice(&["wire-agency"]);
        assert!(agency.support > two.support, "{} {}", agency.support, two.support);
        assert_ne!(agency.credibility, 6);
    }

    #[test]
    fn party_interest_discounts_self_serving_claims_and_credits_admissions() {
        let own = scored("government", "government", "supports");
        let admission = scored("government", "rebels", "supports");
        let denial_of_opponent_gain = scored("government", "rebels", "refutes");
        assert_eq!(own.reports[0].interest, Interest::SelfServing);
        assert_eq!(admission.reports[0].interest, Interest::Admission);
        assert_eq!(denial_of_opponent_gain.reports[0].interest, Interest::SelfServing);
        assert!(admission.support > own.support);
        // One origin is never "confirmed": credibility 1 needs two independent origins.
        for c in [&own, &admission] {
            assert_ne!(c.credibility, 1);
            assert_eq!(c.independent_origins, 1);
        }
        // The explanation names every step: summary, origin, report, result.
        let terms: Vec<&str> = admission
            .explanation
            .iter()
            .map(|e| match e {
                Explanation::Summary { .. } => "summary",
                Explanation::Origin { .. } => "origin",
                Explanation::Report { .. } => "report",
                Explanation::ContradictedBy { .. } => "contradiction",
                Explanation::Result { .. } => "result",
            })
            .collect();
        assert_eq!(terms, ["summary", "origin", "report", "result"]);
    }
}
