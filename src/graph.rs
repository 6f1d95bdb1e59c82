//! The claim graph: sources, articles and claims as nodes, with typed edges.
//!
//! The story tables say the same things in a form people edit; the graph puts them in the form the scorer and
//! the reports walk: which article reports which claim through which chain of sources, which articles copy
//! which, which claims contradict which, and which source speaks for which organisation. Node and edge order
//! follows the story file, so everything read from the graph comes out in a deterministic order.

use std::collections::HashMap;

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::model::{Article, Claim, Source, Stance, Story};

/// A node of the claim graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A source of statements.
    Source(Source),
    /// An article.
    Article(Article),
    /// A claim.
    Claim(Claim),
}

/// One report, stored on the `Reports` edge from its article to its claim.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportEdge {
    /// Position of the report in the story file.
    pub index: usize,
    /// Source nodes from the outlet to the origin.
    pub chain: Vec<NodeIndex>,
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
}

/// A typed edge of the claim graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Edge {
    /// Article → its outlet.
    PublishedBy,
    /// Article → a source it credits (wire agencies).
    Credits,
    /// Article → claim: one report.
    Reports(ReportEdge),
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
    Contradicts {
        /// How strongly the claims conflict, in `[0, 1]`.
        degree: f64,
        /// The statements in conflict.
        evidence: Vec<crate::model::Evidence>,
        /// Contradiction kind.
        kind: String,
        /// Why.
        note: Option<String>,
    },
    /// Source → organisation it speaks for.
    MemberOf,
}

impl Edge {
    /// Name of the edge type, as used in the DOT export.
    pub fn label(&self) -> &'static str {
        match self {
            Edge::PublishedBy => "published-by",
            Edge::Credits => "credits",
            Edge::Reports(_) => "reports",
            Edge::AttributedTo { .. } => "attributed-to",
            Edge::CopiedFrom { .. } => "copied-from",
            Edge::Contradicts { .. } => "contradicts",
            Edge::MemberOf => "member-of",
        }
    }
}

/// The claim graph of a validated story.
#[derive(Debug, Clone)]
pub struct ClaimGraph {
    /// The petgraph graph.
    pub graph: DiGraph<Node, Edge>,
    /// Story title.
    pub title: String,
    /// Story description.
    pub description: Option<String>,
    sources: HashMap<String, NodeIndex>,
    articles: HashMap<String, NodeIndex>,
    claims: HashMap<String, NodeIndex>,
    source_order: Vec<NodeIndex>,
    article_order: Vec<NodeIndex>,
    claim_order: Vec<NodeIndex>,
    /// Reports edges per claim node, in story order.
    reports_by_claim: HashMap<NodeIndex, Vec<EdgeIndex>>,
    /// Copy edges per copying article (target, containment), in story order.
    copies: HashMap<NodeIndex, Vec<(NodeIndex, f64)>>,
    /// Contradiction edges per claim (either end), in story order.
    contradictions_by_claim: HashMap<NodeIndex, Vec<EdgeIndex>>,
    /// For every node index, the organisation at the top of its member-of links (itself if none).
    roots: Vec<NodeIndex>,
}

impl ClaimGraph {
    /// Builds the graph of a story that has passed [`crate::model::validate`].
    ///
    /// References to unknown ids are skipped rather than panicking, but validation reports them first.
    pub fn build(story: &Story) -> ClaimGraph {
        let n = story.sources.len() + story.articles.len() + story.claims.len();
        let e = story.reports.len() * 2 + story.articles.len() * 2 + story.contradictions.len();
        let mut graph = DiGraph::with_capacity(n, e);
        let mut sources = HashMap::with_capacity(story.sources.len());
        let mut articles = HashMap::with_capacity(story.articles.len());
        let mut claims = HashMap::with_capacity(story.claims.len());
        let mut source_order = Vec::with_capacity(story.sources.len());
        let mut article_order = Vec::with_capacity(story.articles.len());
        let mut claim_order = Vec::with_capacity(story.claims.len());
        for s in &story.sources {
            let ix = graph.add_node(Node::Source(s.clone()));
            sources.entry(s.id.clone()).or_insert(ix);
            source_order.push(ix);
        }
        for a in &story.articles {
            let ix = graph.add_node(Node::Article(a.clone()));
            articles.entry(a.id.clone()).or_insert(ix);
            article_order.push(ix);
        }
        for c in &story.claims {
            let ix = graph.add_node(Node::Claim(c.clone()));
            claims.entry(c.id.clone()).or_insert(ix);
            claim_order.push(ix);
        }
        let mut member_of: Vec<Option<NodeIndex>> = vec![None; graph.node_count()];
        for s in &story.sources {
            if let (Some(&from), Some(to)) = (sources.get(&s.id), s.member_of.as_ref().and_then(|m| sources.get(m))) {
                graph.add_edge(from, *to, Edge::MemberOf);
                member_of[from.index()].get_or_insert(*to);
            }
        }
        // Resolved once here: the scorer asks for the root of every report's origin. The walk is bounded so a
        // member-of cycle (rejected by validation) cannot hang it.
        let roots: Vec<NodeIndex> = (0..graph.node_count())
            .map(|i| {
                let start = NodeIndex::new(i);
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
        let mut copies: HashMap<NodeIndex, Vec<(NodeIndex, f64)>> = HashMap::new();
        for a in &story.articles {
            let from = articles[&a.id];
            if let Some(&outlet) = sources.get(&a.outlet) {
                graph.add_edge(from, outlet, Edge::PublishedBy);
            }
            for c in &a.credits {
                if let Some(&to) = sources.get(c) {
                    graph.add_edge(from, to, Edge::Credits);
                }
            }
            for c in &a.copied_from {
                if let Some(&to) = articles.get(&c.article) {
                    graph.add_edge(from, to, Edge::CopiedFrom { containment: c.containment });
                    copies.entry(from).or_default().push((to, c.containment));
                }
            }
        }
        let mut hops: HashMap<(NodeIndex, NodeIndex), EdgeIndex> = HashMap::new();
        let mut reports_by_claim: HashMap<NodeIndex, Vec<EdgeIndex>> = HashMap::new();
        for (i, r) in story.reports.iter().enumerate() {
            let (Some(&art), Some(&claim)) = (articles.get(&r.article), claims.get(&r.claim)) else { continue };
            let chain: Vec<NodeIndex> = r.chain.iter().filter_map(|id| sources.get(id).copied()).collect();
            if chain.len() != r.chain.len() || chain.is_empty() {
                continue;
            }
            for w in chain.windows(2) {
                let key = (w[0], w[1]);
                match hops.get(&key) {
                    Some(&eix) => {
                        if let Some(Edge::AttributedTo { reports }) = graph.edge_weight_mut(eix) {
                            reports.push(i);
                        }
                    }
                    None => {
                        let eix = graph.add_edge(w[0], w[1], Edge::AttributedTo { reports: vec![i] });
                        hops.insert(key, eix);
                    }
                }
            }
            let edge = ReportEdge {
                index: i,
                chain,
                speaker: r.speaker.clone(),
                cue: r.cue.clone(),
                stance: r.stance,
                caveats: r.caveats.clone(),
                quote: r.quote.clone(),
                span: r.span,
            };
            let eix = graph.add_edge(art, claim, Edge::Reports(edge));
            reports_by_claim.entry(claim).or_default().push(eix);
        }
        let mut contradictions_by_claim: HashMap<NodeIndex, Vec<EdgeIndex>> = HashMap::new();
        for c in &story.contradictions {
            if let (Some(&a), Some(&b)) = (claims.get(&c.a), claims.get(&c.b)) {
                let e = graph.add_edge(
                    a,
                    b,
                    Edge::Contradicts {
                        kind: c.kind.clone(),
                        note: c.note.clone(),
                        degree: c.degree.unwrap_or(1.0),
                        evidence: c.evidence.clone(),
                    },
                );
                contradictions_by_claim.entry(a).or_default().push(e);
                if b != a {
                    contradictions_by_claim.entry(b).or_default().push(e);
                }
            }
        }
        ClaimGraph {
            graph,
            title: story.story.title.clone(),
            description: story.story.description.clone(),
            sources,
            articles,
            claims,
            source_order,
            article_order,
            claim_order,
            reports_by_claim,
            copies,
            contradictions_by_claim,
            roots,
        }
    }

    /// Source nodes in story order.
    pub fn sources(&self) -> impl Iterator<Item = (NodeIndex, &Source)> + '_ {
        self.source_order.iter().filter_map(|&ix| match &self.graph[ix] {
            Node::Source(s) => Some((ix, s)),
            _ => None,
        })
    }

    /// Article nodes in story order.
    pub fn articles(&self) -> impl Iterator<Item = (NodeIndex, &Article)> + '_ {
        self.article_order.iter().filter_map(|&ix| match &self.graph[ix] {
            Node::Article(a) => Some((ix, a)),
            _ => None,
        })
    }

    /// Claim nodes in story order.
    pub fn claims(&self) -> impl Iterator<Item = (NodeIndex, &Claim)> + '_ {
        self.claim_order.iter().filter_map(|&ix| match &self.graph[ix] {
            Node::Claim(c) => Some((ix, c)),
            _ => None,
        })
    }

    /// The source at a node. Panics if the node is not a source (a programming error).
    pub fn source(&self, ix: NodeIndex) -> &Source {
        match &self.graph[ix] {
            Node::Source(s) => s,
            other => panic!("node {ix:?} is not a source: {other:?}"),
        }
    }

    /// The article at a node. Panics if the node is not an article (a programming error).
    pub fn article(&self, ix: NodeIndex) -> &Article {
        match &self.graph[ix] {
            Node::Article(a) => a,
            other => panic!("node {ix:?} is not an article: {other:?}"),
        }
    }

    /// Node of a source id.
    pub fn source_ix(&self, id: &str) -> Option<NodeIndex> {
        self.sources.get(id).copied()
    }

    /// Node of an article id.
    pub fn article_ix(&self, id: &str) -> Option<NodeIndex> {
        self.articles.get(id).copied()
    }

    /// Node of a claim id.
    pub fn claim_ix(&self, id: &str) -> Option<NodeIndex> {
        self.claims.get(id).copied()
    }

    /// The reports of a claim, in story order, each with its article node.
    pub fn reports_of(&self, claim: NodeIndex) -> Vec<(NodeIndex, &ReportEdge)> {
        self.reports_by_claim
            .get(&claim)
            .map(|edges| {
                edges
                    .iter()
                    .filter_map(|&e| {
                        let (art, _) = self.graph.edge_endpoints(e)?;
                        match &self.graph[e] {
                            Edge::Reports(r) => Some((art, r)),
                            _ => None,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How strongly a contradiction edge's claims conflict (1 for any other edge).
    pub fn degree(&self, edge: EdgeIndex) -> f64 {
        match self.graph.edge_weight(edge) {
            Some(Edge::Contradicts { degree, .. }) => *degree,
            _ => 1.0,
        }
    }

    /// Articles `article` copies from, with containment, in story order.
    pub fn copied_from(&self, article: NodeIndex) -> &[(NodeIndex, f64)] {
        self.copies.get(&article).map_or(&[], Vec::as_slice)
    }

    /// Sources an article credits, in story order.
    pub fn credits(&self, article: NodeIndex) -> Vec<NodeIndex> {
        let mut v: Vec<NodeIndex> = self
            .graph
            .edges_directed(article, Direction::Outgoing)
            .filter(|e| matches!(e.weight(), Edge::Credits))
            .map(|e| e.target())
            .collect();
        v.sort_by_key(|ix| ix.index());
        v
    }

    /// The outlet of an article.
    pub fn outlet(&self, article: NodeIndex) -> Option<NodeIndex> {
        self.graph
            .edges_directed(article, Direction::Outgoing)
            .find(|e| matches!(e.weight(), Edge::PublishedBy))
            .map(|e| e.target())
    }

    /// Contradictions touching a claim: (other claim, kind, note, edge), in story order, both directions.
    pub fn contradictions_of(&self, claim: NodeIndex) -> Vec<(NodeIndex, &str, Option<&str>, EdgeIndex)> {
        let Some(edges) = self.contradictions_by_claim.get(&claim) else { return Vec::new() };
        edges
            .iter()
            .filter_map(|&e| {
                let (s, t) = self.graph.edge_endpoints(e)?;
                match &self.graph[e] {
                    Edge::Contradicts { kind, note, .. } => {
                        Some((if s == claim { t } else { s }, kind.as_str(), note.as_deref(), e))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// Every contradiction edge in story order: (a, b, kind, note, edge).
    pub fn contradictions(&self) -> Vec<(NodeIndex, NodeIndex, &str, Option<&str>, EdgeIndex)> {
        self.graph
            .edge_references()
            .filter_map(|e| match e.weight() {
                Edge::Contradicts { kind, note, .. } => {
                    Some((e.source(), e.target(), kind.as_str(), note.as_deref(), e.id()))
                }
                _ => None,
            })
            .collect()
    }

    /// The evidence statements of a contradiction edge (empty for any other edge).
    pub fn evidence(&self, edge: EdgeIndex) -> &[crate::model::Evidence] {
        match self.graph.edge_weight(edge) {
            Some(Edge::Contradicts { evidence, .. }) => evidence,
            _ => &[],
        }
    }

    /// The organisation a source speaks for, following member-of edges to the top (the source itself if none).
    ///
    /// Statements by Nusra's Twitter account and by a Nusra spokesman are one origin for independence.
    pub fn origin_root(&self, source: NodeIndex) -> NodeIndex {
        self.roots.get(source.index()).copied().unwrap_or(source)
    }

    /// Display name of a source node.
    pub fn name(&self, ix: NodeIndex) -> &str {
        match &self.graph[ix] {
            Node::Source(s) => &s.name,
            Node::Article(a) => &a.id,
            Node::Claim(c) => &c.id,
        }
    }

    /// A chain written out for people: `Al Jazeera ← AFP ← SOHR (Rami Abdel Rahman)`.
    pub fn chain_text(&self, r: &ReportEdge) -> String {
        let mut out = r.chain.iter().map(|&ix| self.name(ix)).collect::<Vec<_>>().join(" ← ");
        if let Some(sp) = &r.speaker {
            out.push_str(&format!(" ({sp})"));
        }
        out
    }
}
