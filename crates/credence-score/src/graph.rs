//! The claim graph: sources, articles and claims as nodes, with typed edges.
//!
//! The story tables say the same things in a form people edit; the graph puts them in the form the scorer and
//! the reports walk: which article reports which claim through which chain of sources, which articles copy
//! which, which claims contradict which, and which source speaks for which organisation. Node and edge order
//! follows the story file, so everything read from the graph comes out in a deterministic order.
//!
//! Sources, articles and claims have typed indices ([`SourceIx`], [`ArticleIx`], [`ClaimIx`]): a claim index
//! cannot be passed where a source is expected, and looking one up cannot find a node of another type. The
//! graph is built only from a [`ValidStory`], so every reference resolves and nothing is dropped.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use credence_model::story::{Article, Claim, Evidence, Source, Stance, ValidStory};

macro_rules! typed_index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// Position in story order.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The first of its kind, for unit tests that need an index without a graph.
            #[cfg(test)]
            #[allow(dead_code)]
            pub(crate) fn default_for_tests() -> $name {
                $name(0)
            }
        }
    };
}

typed_index!(
    /// A source of the graph (its position in the story's `[[source]]` list).
    SourceIx
);
typed_index!(
    /// An article of the graph (its position in the story's `[[article]]` list).
    ArticleIx
);
typed_index!(
    /// A claim of the graph (its position in the story's `[[claim]]` list).
    ClaimIx
);

/// A node of the claim graph: which source, article or claim it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// A source of statements.
    Source(SourceIx),
    /// An article.
    Article(ArticleIx),
    /// A claim.
    Claim(ClaimIx),
}

/// One report, stored on the `Reports` edge from its article to its claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportEdge {
    /// Position of the report in the story file.
    pub index: usize,
    /// The article that carries it.
    pub article: ArticleIx,
    /// The claim it speaks to.
    pub claim: ClaimIx,
    /// Sources from the outlet to the origin.
    pub chain: Vec<SourceIx>,
    /// Named speaker for the origin.
    pub speaker: Option<String>,
    /// Reporting cue as written.
    pub cue: String,
    /// Supports or refutes.
    pub stance: Stance,
    /// Caveat kinds.
    pub caveats: Vec<String>,
    /// Evidence text.
    pub quote: Option<String>,
    /// Byte span in the article file.
    pub span: Option<[usize; 2]>,
    /// Why the report supports its claim only by implication, when it does.
    pub inferred: Option<String>,
}

/// A typed edge of the claim graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Edge {
    /// Article → its outlet.
    PublishedBy,
    /// Article → a source it credits (wire agencies).
    Credits,
    /// Article → claim: one report (its position in [`ClaimGraph::report`]).
    Reports(usize),
    /// Source → source: one hop of attribution ("AFP quotes SOHR"), with the reports that use it.
    AttributedTo {
        /// Story indices of the reports whose chains contain this hop.
        reports: Vec<usize>,
    },
    /// Article → article it copies text from.
    CopiedFrom {
        /// Share of the copying article's text taken from the other.
        containment: f64,
    },
    /// Claim → claim it contradicts (stored once, from `a` to `b`).
    Contradicts(usize),
    /// Source → organisation it speaks for.
    MemberOf,
}

impl Edge {
    /// Name of the edge type, as used in the DOT export.
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Edge::PublishedBy => "published-by",
            Edge::Credits => "credits",
            Edge::Reports(_) => "reports",
            Edge::AttributedTo { .. } => "attributed-to",
            Edge::CopiedFrom { .. } => "copied-from",
            Edge::Contradicts(_) => "contradicts",
            Edge::MemberOf => "member-of",
        }
    }
}

/// A contradiction between two claims.
#[derive(Debug, Clone, PartialEq)]
pub struct ContradictionEdge {
    /// The claims, as written (`a` contradicts `b`).
    pub a: ClaimIx,
    /// See `a`.
    pub b: ClaimIx,
    /// Contradiction kind.
    pub kind: String,
    /// Why.
    pub note: Option<String>,
    /// How strongly the claims conflict, in `[0, 1]`.
    pub degree: f64,
    /// The statements in conflict.
    pub evidence: Vec<Evidence>,
}

/// The claim graph of a validated story.
#[derive(Debug, Clone)]
pub struct ClaimGraph {
    /// The petgraph graph: nodes name the sources, articles and claims below; edges carry the relations.
    pub graph: DiGraph<Node, Edge>,
    /// Story title.
    pub title: String,
    /// Story description.
    pub description: Option<String>,
    /// The story's own sides and the sides each opposes (`[[side]]`).
    pub sides: std::collections::BTreeMap<String, Vec<String>>,
    sources: Vec<Source>,
    articles: Vec<Article>,
    claims: Vec<Claim>,
    source_nodes: Vec<NodeIndex>,
    article_nodes: Vec<NodeIndex>,
    claim_nodes: Vec<NodeIndex>,
    source_ids: HashMap<String, SourceIx>,
    article_ids: HashMap<String, ArticleIx>,
    claim_ids: HashMap<String, ClaimIx>,
    reports: Vec<ReportEdge>,
    /// Reports per claim, in story order (positions in `reports`).
    reports_by_claim: Vec<Vec<usize>>,
    /// Copies per copying article (original, containment), in story order.
    copies: Vec<Vec<(ArticleIx, f64)>>,
    /// The outlet and the credited sources of each article.
    outlets: Vec<SourceIx>,
    credits: Vec<Vec<SourceIx>>,
    contradictions: Vec<ContradictionEdge>,
    /// Contradictions per claim (either end), in story order (positions in `contradictions`).
    contradictions_by_claim: Vec<Vec<usize>>,
    /// For every source, the organisation at the top of its member-of links (itself if none).
    roots: Vec<SourceIx>,
}

impl ClaimGraph {
    /// Builds the graph of a validated story. Every reference of a valid story resolves, so every report,
    /// copy and contradiction becomes an edge.
    #[must_use]
    pub fn build(valid: &ValidStory) -> ClaimGraph {
        let story = valid.story();
        let n = story.sources.len() + story.articles.len() + story.claims.len();
        let e = story.reports.len() * 2 + story.articles.len() * 2 + story.contradictions.len();
        let mut graph = DiGraph::with_capacity(n, e);
        let ix = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let source_nodes: Vec<NodeIndex> =
            (0..story.sources.len()).map(|i| graph.add_node(Node::Source(SourceIx(ix(i))))).collect();
        let article_nodes: Vec<NodeIndex> =
            (0..story.articles.len()).map(|i| graph.add_node(Node::Article(ArticleIx(ix(i))))).collect();
        let claim_nodes: Vec<NodeIndex> =
            (0..story.claims.len()).map(|i| graph.add_node(Node::Claim(ClaimIx(ix(i))))).collect();
        let mut source_ids = HashMap::with_capacity(story.sources.len());
        for (i, s) in story.sources.iter().enumerate() {
            source_ids.entry(s.id.clone()).or_insert(SourceIx(ix(i)));
        }
        let mut article_ids = HashMap::with_capacity(story.articles.len());
        for (i, a) in story.articles.iter().enumerate() {
            article_ids.entry(a.id.clone()).or_insert(ArticleIx(ix(i)));
        }
        let mut claim_ids = HashMap::with_capacity(story.claims.len());
        for (i, c) in story.claims.iter().enumerate() {
            claim_ids.entry(c.id.clone()).or_insert(ClaimIx(ix(i)));
        }
        // A valid story resolves every id; the fallbacks only keep a hand-built story from panicking.
        let src = |id: &str| source_ids.get(id).copied().unwrap_or(SourceIx(0));
        let node_of = |s: SourceIx| source_nodes[s.index()];

        let mut member_of: Vec<Option<SourceIx>> = vec![None; story.sources.len()];
        for (i, s) in story.sources.iter().enumerate() {
            if let Some(to) = s.member_of.as_deref().and_then(|m| source_ids.get(m)) {
                graph.add_edge(source_nodes[i], node_of(*to), Edge::MemberOf);
                member_of[i].get_or_insert(*to);
            }
        }
        // Resolved once here: the scorer asks for the root of every report's origin. The walk is bounded so a
        // member-of cycle (rejected by validation) cannot hang it.
        let roots: Vec<SourceIx> = (0..story.sources.len())
            .map(|i| {
                let start = SourceIx(ix(i));
                let mut cur = start;
                for _ in 0..member_of.len() {
                    match member_of[cur.index()] {
                        Some(next) if next != start => cur = next,
                        _ => break,
                    }
                }
                cur
            })
            .collect();
        let mut copies: Vec<Vec<(ArticleIx, f64)>> = vec![Vec::new(); story.articles.len()];
        let mut outlets = Vec::with_capacity(story.articles.len());
        let mut credits = Vec::with_capacity(story.articles.len());
        for (i, a) in story.articles.iter().enumerate() {
            let from = article_nodes[i];
            let outlet = src(&a.outlet);
            graph.add_edge(from, node_of(outlet), Edge::PublishedBy);
            outlets.push(outlet);
            let mut credited = Vec::new();
            for c in &a.credits {
                if let Some(&to) = source_ids.get(c) {
                    graph.add_edge(from, node_of(to), Edge::Credits);
                    credited.push(to);
                }
            }
            credits.push(credited);
            for c in &a.copied_from {
                if let Some(&to) = article_ids.get(&c.article) {
                    graph.add_edge(from, article_nodes[to.index()], Edge::CopiedFrom { containment: c.containment });
                    copies[i].push((to, c.containment));
                }
            }
        }
        let mut hops: HashMap<(SourceIx, SourceIx), EdgeIndex> = HashMap::new();
        let mut reports_by_claim: Vec<Vec<usize>> = vec![Vec::new(); story.claims.len()];
        let mut reports = Vec::with_capacity(story.reports.len());
        for (i, r) in story.reports.iter().enumerate() {
            let article = article_ids.get(&r.article).copied().unwrap_or(ArticleIx(0));
            let claim = claim_ids.get(&r.claim).copied().unwrap_or(ClaimIx(0));
            let chain: Vec<SourceIx> = r.chain.iter().map(|id| src(id)).collect();
            for w in chain.windows(2) {
                let key = (w[0], w[1]);
                if let Some(&eix) = hops.get(&key) {
                    if let Some(Edge::AttributedTo { reports }) = graph.edge_weight_mut(eix) {
                        reports.push(i);
                    }
                } else {
                    let eix = graph.add_edge(node_of(w[0]), node_of(w[1]), Edge::AttributedTo { reports: vec![i] });
                    hops.insert(key, eix);
                }
            }
            graph.add_edge(article_nodes[article.index()], claim_nodes[claim.index()], Edge::Reports(reports.len()));
            reports_by_claim[claim.index()].push(reports.len());
            reports.push(ReportEdge {
                index: i,
                article,
                claim,
                chain,
                speaker: r.speaker.clone(),
                cue: r.cue.clone(),
                stance: r.stance,
                caveats: r.caveats.clone(),
                quote: r.quote.clone(),
                span: r.span,
                inferred: r.inferred.clone(),
            });
        }
        let mut contradictions = Vec::with_capacity(story.contradictions.len());
        let mut contradictions_by_claim: Vec<Vec<usize>> = vec![Vec::new(); story.claims.len()];
        for c in &story.contradictions {
            let (Some(&a), Some(&b)) = (claim_ids.get(&c.a), claim_ids.get(&c.b)) else { continue };
            let k = contradictions.len();
            graph.add_edge(claim_nodes[a.index()], claim_nodes[b.index()], Edge::Contradicts(k));
            contradictions_by_claim[a.index()].push(k);
            if b != a {
                contradictions_by_claim[b.index()].push(k);
            }
            contradictions.push(ContradictionEdge {
                a,
                b,
                kind: c.kind.clone(),
                note: c.note.clone(),
                degree: c.degree.unwrap_or(1.0),
                evidence: c.evidence.clone(),
            });
        }
        ClaimGraph {
            graph,
            title: story.story.title.clone(),
            description: story.story.description.clone(),
            sides: story.sides.iter().map(|d| (d.id.clone(), d.opposes.clone())).collect(),
            sources: story.sources.clone(),
            articles: story.articles.clone(),
            claims: story.claims.clone(),
            source_nodes,
            article_nodes,
            claim_nodes,
            source_ids,
            article_ids,
            claim_ids,
            reports,
            reports_by_claim,
            copies,
            outlets,
            credits,
            contradictions,
            contradictions_by_claim,
            roots,
        }
    }

    /// Sources in story order.
    pub fn sources(&self) -> impl Iterator<Item = (SourceIx, &Source)> + '_ {
        self.sources.iter().enumerate().map(|(i, s)| (SourceIx(i as u32), s))
    }

    /// Articles in story order.
    pub fn articles(&self) -> impl Iterator<Item = (ArticleIx, &Article)> + '_ {
        self.articles.iter().enumerate().map(|(i, a)| (ArticleIx(i as u32), a))
    }

    /// Claims in story order.
    pub fn claims(&self) -> impl Iterator<Item = (ClaimIx, &Claim)> + '_ {
        self.claims.iter().enumerate().map(|(i, c)| (ClaimIx(i as u32), c))
    }

    /// The source of an index.
    #[must_use]
    pub fn source(&self, ix: SourceIx) -> &Source {
        &self.sources[ix.index()]
    }

    /// The article of an index.
    #[must_use]
    pub fn article(&self, ix: ArticleIx) -> &Article {
        &self.articles[ix.index()]
    }

    /// The claim of an index.
    #[must_use]
    pub fn claim(&self, ix: ClaimIx) -> &Claim {
        &self.claims[ix.index()]
    }

    /// The petgraph node of a source.
    #[must_use]
    pub fn source_node(&self, ix: SourceIx) -> NodeIndex {
        self.source_nodes[ix.index()]
    }

    /// The petgraph node of an article.
    #[must_use]
    pub fn article_node(&self, ix: ArticleIx) -> NodeIndex {
        self.article_nodes[ix.index()]
    }

    /// The petgraph node of a claim.
    #[must_use]
    pub fn claim_node(&self, ix: ClaimIx) -> NodeIndex {
        self.claim_nodes[ix.index()]
    }

    /// Index of a source id.
    #[must_use]
    pub fn source_ix(&self, id: &str) -> Option<SourceIx> {
        self.source_ids.get(id).copied()
    }

    /// Index of an article id.
    #[must_use]
    pub fn article_ix(&self, id: &str) -> Option<ArticleIx> {
        self.article_ids.get(id).copied()
    }

    /// Index of a claim id.
    #[must_use]
    pub fn claim_ix(&self, id: &str) -> Option<ClaimIx> {
        self.claim_ids.get(id).copied()
    }

    /// A report, by its position among the graph's reports (as stored on `Reports` edges).
    #[must_use]
    pub fn report(&self, k: usize) -> &ReportEdge {
        &self.reports[k]
    }

    /// Every report, in story order.
    #[must_use]
    pub fn reports(&self) -> &[ReportEdge] {
        &self.reports
    }

    /// The reports of a claim, in story order.
    pub fn reports_of(&self, claim: ClaimIx) -> impl Iterator<Item = &ReportEdge> + '_ {
        self.reports_by_claim[claim.index()].iter().map(|&k| &self.reports[k])
    }

    /// Number of reports of a claim.
    #[must_use]
    pub fn report_count(&self, claim: ClaimIx) -> usize {
        self.reports_by_claim[claim.index()].len()
    }

    /// Articles `article` copies from, with containment, in story order.
    #[must_use]
    pub fn copied_from(&self, article: ArticleIx) -> &[(ArticleIx, f64)] {
        &self.copies[article.index()]
    }

    /// Sources an article credits, in story order.
    #[must_use]
    pub fn credits(&self, article: ArticleIx) -> &[SourceIx] {
        &self.credits[article.index()]
    }

    /// The outlet of an article.
    #[must_use]
    pub fn outlet(&self, article: ArticleIx) -> SourceIx {
        self.outlets[article.index()]
    }

    /// Contradictions touching a claim, in story order, with the claim at the other end.
    pub fn contradictions_of(&self, claim: ClaimIx) -> impl Iterator<Item = (ClaimIx, &ContradictionEdge)> + '_ {
        self.contradictions_by_claim[claim.index()].iter().map(move |&k| {
            let c = &self.contradictions[k];
            (if c.a == claim { c.b } else { c.a }, c)
        })
    }

    /// Every contradiction in story order.
    #[must_use]
    pub fn contradictions(&self) -> &[ContradictionEdge] {
        &self.contradictions
    }

    /// The organisation a source speaks for, following member-of edges to the top (the source itself if none).
    ///
    /// Statements by Nusra's Twitter account and by a Nusra spokesman are one origin for independence.
    #[must_use]
    pub fn origin_root(&self, source: SourceIx) -> SourceIx {
        self.roots.get(source.index()).copied().unwrap_or(source)
    }

    /// Display name of a source.
    #[must_use]
    pub fn name(&self, ix: SourceIx) -> &str {
        &self.source(ix).name
    }

    /// Display label of any node: a source's name, an article's or claim's id.
    #[must_use]
    pub fn node_label(&self, node: NodeIndex) -> &str {
        match self.graph[node] {
            Node::Source(s) => &self.source(s).name,
            Node::Article(a) => &self.article(a).id,
            Node::Claim(c) => &self.claim(c).id,
        }
    }

    /// A chain written out for people: `Al Jazeera ← AFP ← SOHR (Rami Abdel Rahman)`.
    #[must_use]
    pub fn chain_text(&self, r: &ReportEdge) -> String {
        let mut out = r.chain.iter().map(|&ix| self.name(ix)).collect::<Vec<_>>().join(" ← ");
        if let Some(sp) = &r.speaker {
            out.push_str(&format!(" ({sp})"));
        }
        out
    }

    /// The attribution hops of the graph: (from, to, reports using it), in the order first used.
    pub fn hops(&self) -> impl Iterator<Item = (NodeIndex, NodeIndex, &[usize])> + '_ {
        self.graph.edge_references().filter_map(|e| match e.weight() {
            Edge::AttributedTo { reports } => Some((e.source(), e.target(), reports.as_slice())),
            _ => None,
        })
    }
}
