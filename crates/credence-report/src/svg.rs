//! The claim graph as an SVG picture, laid out here in Rust so no external program (Graphviz) is needed.
//!
//! The layout is layered, in the direction information travels: origins on the left, then the agencies and
//! outlets relaying them, the articles, and the claims on the right. A source's column is how many hops it
//! stands from an outlet on the longest chain it appears in (capped, so a cycle of quoting cannot run away).
//! Within each column the nodes are ordered by barycentre sweeps (each node moves towards the mean position of
//! its neighbours), keeping the ordering with the fewest edge crossings, then placed vertically near their
//! neighbours without overlapping. Everything is deterministic: ties are broken by story order.
//!
//! Big stories degrade: only the best-supported claims (and the articles and sources behind them) are drawn,
//! with a visible note, so the picture stays readable and its size bounded.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::markup::{claim_anchor, esc, pct, truncate, wrap};
use super::{Exporter, ReportInput};
use credence_model::error::Result;
use credence_model::story::Stance;
use credence_score::graph::{ClaimGraph, Edge, Node};
use credence_score::score::ClaimScore;

/// Renders the claim graph alone as a standalone SVG file (`credence graph`).
pub struct SvgExporter;

impl Exporter for SvgExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&graph_svg(input, &input.svg));
        Ok(out.into_bytes())
    }
}

/// How the picture is drawn.
#[derive(Debug, Clone)]
pub struct SvgOptions {
    /// Most claims drawn; beyond this only the best-supported are, with a note.
    pub max_claims: usize,
    /// Most articles drawn (those reporting the drawn claims most often).
    pub max_articles: usize,
    /// Most sources drawn (those on the most drawn chains).
    pub max_sources: usize,
    /// Make claim nodes links to their section of the HTML report.
    pub link_claims: bool,
}

impl Default for SvgOptions {
    fn default() -> SvgOptions {
        SvgOptions { max_claims: 40, max_articles: 60, max_sources: 60, link_claims: false }
    }
}

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const LINE: f64 = 12.5;
/// Average width of a character at the 11px label size, for wrapping (a little generous, so labels fit).
const CHAR_W: f64 = 6.2;
const PAD: f64 = 5.0;
const GAP: f64 = 7.0;
const COL_GAP: f64 = 80.0;
const MARGIN: f64 = 20.0;
const CLAIM_W: f64 = 340.0;
/// Deepest source column: origins more hops away than this from an outlet share the leftmost column.
const MAX_DEPTH: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Source,
    Article,
    Claim,
}

struct LNode<'a> {
    ix: NodeIndex,
    kind: Kind,
    col: usize,
    lines: Vec<String>,
    sub: String,
    tooltip: String,
    fill: &'static str,
    claim: Option<&'a ClaimScore>,
    h: f64,
    y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EKind {
    Hop,
    Published,
    Supports,
    Refutes,
    Copy,
    Contradicts,
    MemberOf,
}

struct LEdge {
    from: usize,
    to: usize,
    kind: EKind,
    weight: usize,
    label: String,
}

const SIDE_FILLS: [&str; 6] = ["#fde4e1", "#dfeafc", "#e3f3d6", "#fbeccb", "#eee1f6", "#d9f2f0"];

/// Which claims, articles and sources are drawn, and the note saying what was left out.
struct Selection<'a> {
    claims: Vec<&'a ClaimScore>,
    /// (article node, claim node, report) for every drawn report.
    reports: Vec<(NodeIndex, NodeIndex, &'a credence_score::graph::ReportEdge)>,
    articles: Vec<NodeIndex>,
    sources: Vec<NodeIndex>,
    note: Option<String>,
}

fn select<'a>(input: &ReportInput<'a>, opts: &SvgOptions) -> Selection<'a> {
    let g = input.graph;
    let all = &input.assessment.claims;
    let claims: Vec<&ClaimScore> = all.iter().take(opts.max_claims.max(1)).collect();
    let mut notes = Vec::new();
    if claims.len() < all.len() {
        notes.push(format!("the {} best-supported of {} claims", claims.len(), all.len()));
    }
    let mut reports = Vec::new();
    for c in &claims {
        if let Some(cix) = g.claim_ix(&c.id) {
            for r in g.reports_of(cix) {
                reports.push((g.article_node(r.article), g.claim_node(cix), r));
            }
        }
    }
    // Articles: those carrying the most drawn reports, shown in story order.
    let mut count: HashMap<NodeIndex, usize> = HashMap::new();
    for (a, _, _) in &reports {
        *count.entry(*a).or_default() += 1;
    }
    let story_articles: Vec<NodeIndex> =
        g.articles().map(|(ix, _)| g.article_node(ix)).filter(|ix| count.contains_key(ix)).collect();
    let articles = keep_top(&story_articles, &count, opts.max_articles);
    if articles.len() < story_articles.len() {
        notes.push(format!("{} of {} articles", articles.len(), story_articles.len()));
    }
    let kept_articles: HashSet<NodeIndex> = articles.iter().copied().collect();
    reports.retain(|(a, _, _)| kept_articles.contains(a));
    // Sources: on the drawn chains, outlets of the drawn articles, and the organisations they speak for.
    let mut count: HashMap<NodeIndex, usize> = HashMap::new();
    for (_, _, r) in &reports {
        for s in &r.chain {
            *count.entry(g.source_node(*s)).or_default() += 1;
        }
    }
    for &a in &articles {
        if let Some(o) = outlet_node(g, a) {
            *count.entry(o).or_default() += 1;
        }
    }
    let members: Vec<NodeIndex> = count.keys().copied().collect();
    for s in members {
        let root = root_node(g, s);
        if root != s {
            count.entry(root).or_default();
        }
    }
    let story_sources: Vec<NodeIndex> =
        g.sources().map(|(ix, _)| g.source_node(ix)).filter(|ix| count.contains_key(ix)).collect();
    let sources = keep_top(&story_sources, &count, opts.max_sources);
    if sources.len() < story_sources.len() {
        notes.push(format!("{} of {} sources", sources.len(), story_sources.len()));
    }
    let note =
        (!notes.is_empty()).then(|| format!("Large story: showing {}, and what connects them.", notes.join(", ")));
    Selection { claims, reports, articles, sources, note }
}

/// The node of an article's outlet (`None` for a node that is not an article).
fn outlet_node(g: &ClaimGraph, article: NodeIndex) -> Option<NodeIndex> {
    match g.graph[article] {
        Node::Article(a) => Some(g.source_node(g.outlet(a))),
        _ => None,
    }
}

/// The node of the organisation a source speaks for (the node itself for anything else).
fn root_node(g: &ClaimGraph, source: NodeIndex) -> NodeIndex {
    match g.graph[source] {
        Node::Source(s) => g.source_node(g.origin_root(s)),
        _ => source,
    }
}

/// The `max` nodes of `order` with the highest counts, kept in `order`'s order (ties: earlier first).
fn keep_top(order: &[NodeIndex], count: &HashMap<NodeIndex, usize>, max: usize) -> Vec<NodeIndex> {
    if order.len() <= max {
        return order.to_vec();
    }
    let mut ranked: Vec<(usize, NodeIndex)> = order.iter().enumerate().map(|(i, ix)| (i, *ix)).collect();
    ranked.sort_by(|a, b| count[&b.1].cmp(&count[&a.1]).then(a.0.cmp(&b.0)));
    ranked.truncate(max);
    ranked.sort_by_key(|(i, _)| *i);
    ranked.into_iter().map(|(_, ix)| ix).collect()
}

/// Column depth of each source: 0 for outlets, one more than the deepest source that quotes it otherwise.
fn depths(sources: &[NodeIndex], hops: &BTreeMap<(NodeIndex, NodeIndex), usize>) -> HashMap<NodeIndex, usize> {
    let mut d: HashMap<NodeIndex, usize> = sources.iter().map(|s| (*s, 0)).collect();
    // Bellman-Ford style relaxation; the cap bounds every value, so this ends even on quoting cycles.
    for _ in 0..=sources.len() {
        let mut changed = false;
        for &(from, to) in hops.keys() {
            let want = (d.get(&to).copied().unwrap_or(0) + 1).min(MAX_DEPTH);
            if let Some(v) = d.get_mut(&from)
                && *v < want
            {
                *v = want;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    d
}

/// The claim graph as an `<svg>` element (no XML declaration), for embedding in HTML or writing alone.
pub fn graph_svg(input: &ReportInput<'_>, opts: &SvgOptions) -> String {
    let g = input.graph;
    let sel = select(input, opts);
    let source_out: HashMap<&str, &credence_score::score::SourceOut> =
        input.assessment.sources.iter().map(|s| (s.id.as_str(), s)).collect();

    // Edges between drawn nodes, aggregated.
    let drawn_sources: HashSet<NodeIndex> = sel.sources.iter().copied().collect();
    let mut hops: BTreeMap<(NodeIndex, NodeIndex), usize> = BTreeMap::new();
    let mut report_edges: BTreeMap<(NodeIndex, NodeIndex, bool), usize> = BTreeMap::new();
    for (a, c, r) in &sel.reports {
        for w in r.chain.windows(2) {
            let (w0, w1) = (g.source_node(w[0]), g.source_node(w[1]));
            if drawn_sources.contains(&w0) && drawn_sources.contains(&w1) && w0 != w1 {
                *hops.entry((w1, w0)).or_default() += 1;
            }
        }
        *report_edges.entry((*a, *c, r.stance == Stance::Refutes)).or_default() += 1;
    }
    let mut depth = depths(&sel.sources, &hops);
    // A source that publishes no drawn article and quotes no one is not an outlet: an organisation drawn
    // because its members speak for it. It stands with its deepest member, or with the origins.
    let outlets: HashSet<NodeIndex> = sel.articles.iter().filter_map(|&a| outlet_node(g, a)).collect();
    let quoting: HashSet<NodeIndex> = hops.keys().flat_map(|&(f, t)| [f, t]).collect();
    let deepest = sel.sources.iter().map(|s| depth[s]).max().unwrap_or(0).max(1);
    for &s in &sel.sources {
        if !outlets.contains(&s) && !quoting.contains(&s) {
            let members = sel.sources.iter().filter(|&&m| m != s && root_node(g, m) == s).map(|m| depth[m]).max();
            depth.insert(s, members.unwrap_or(deepest));
        }
    }
    let max_d = sel.sources.iter().map(|s| depth[s]).max().unwrap_or(0);
    let art_col = max_d + 1;
    let claim_col = max_d + 2;

    // Nodes.
    let mut sides: Vec<&str> = Vec::new();
    for s in &input.assessment.sources {
        if let Some(side) = s.side.as_deref()
            && !sides.contains(&side)
        {
            sides.push(side);
        }
    }
    let src_chars = ((160.0 - 2.0 * PAD) / CHAR_W) as usize;
    let art_chars = ((190.0 - 2.0 * PAD) / CHAR_W) as usize;
    let claim_chars = ((CLAIM_W - 2.0 * PAD) / CHAR_W) as usize;
    let mut nodes: Vec<LNode<'_>> = Vec::new();
    for &ix in &sel.sources {
        let Node::Source(s) = g.graph[ix] else { continue };
        let s = g.source(s);
        let out = source_out.get(s.id.as_str());
        let grade = out.map(|o| o.grade.to_string()).unwrap_or_default();
        let fill = match s.side.as_deref().and_then(|x| sides.iter().position(|y| *y == x)) {
            Some(i) => SIDE_FILLS[i % SIDE_FILLS.len()],
            None => "#eef1f5",
        };
        nodes.push(LNode {
            ix,
            kind: Kind::Source,
            col: max_d - depth[&ix],
            lines: wrap(&s.name, src_chars, 2),
            sub: truncate(&format!("{} · {}", s.kind, grade), src_chars),
            tooltip: format!(
                "source {}: {} ({}{}), grade {}",
                s.id,
                s.name,
                s.kind,
                s.side.as_deref().map(|x| format!(", {x}")).unwrap_or_default(),
                grade
            ),
            fill,
            claim: None,
            h: 0.0,
            y: 0.0,
        });
    }
    for &ix in &sel.articles {
        let Node::Article(aix) = g.graph[ix] else { continue };
        let a = g.article(aix);
        let outlet = g.name(g.outlet(aix)).to_string();
        let title = if a.title.trim().is_empty() { a.id.clone() } else { a.title.clone() };
        let date = a.published.map(|d| d.to_string());
        nodes.push(LNode {
            ix,
            kind: Kind::Article,
            col: art_col,
            lines: wrap(&title, art_chars, 2),
            sub: truncate(&[outlet.as_str(), date.as_deref().unwrap_or("")].join(" · "), art_chars)
                .trim_end_matches(" · ")
                .to_string(),
            tooltip: format!("article {}: {}", a.id, a.title),
            fill: "#ffffff",
            claim: None,
            h: 0.0,
            y: 0.0,
        });
    }
    let sel_interval = input.assessment.parameters.interval;
    for c in &sel.claims {
        let Some(ix) = g.claim_ix(&c.id).map(|c| g.claim_node(c)) else { continue };
        nodes.push(LNode {
            ix,
            kind: Kind::Claim,
            col: claim_col,
            lines: wrap(&c.text, claim_chars, 2),
            sub: format!("#{} · {:.2} · {}", c.rank, c.support, c.grade),
            tooltip: format!(
                "claim {}: {} (#{}, support {:.3}, {:.0}% interval {:.3}-{:.3}, {}; grade {})",
                c.id,
                c.text,
                c.rank,
                c.support,
                sel_interval * 100.0,
                c.interval[0],
                c.interval[1],
                c.likelihood,
                c.grade
            ),
            fill: "#f4f7fc",
            claim: Some(c),
            h: 0.0,
            y: 0.0,
        });
    }
    for n in &mut nodes {
        n.h = 2.0 * PAD + LINE * (n.lines.len().max(1) + 1) as f64 + 2.0;
    }
    let pos: HashMap<NodeIndex, usize> = nodes.iter().enumerate().map(|(i, n)| (n.ix, i)).collect();

    let mut edges: Vec<LEdge> = Vec::new();
    let name = |ix: NodeIndex| g.node_label(ix).to_string();
    for (&(from, to), &n) in &hops {
        edges.push(LEdge {
            from: pos[&from],
            to: pos[&to],
            kind: EKind::Hop,
            weight: n,
            label: format!("{} ← {}: {} report{}", name(to), name(from), n, plural(n)),
        });
    }
    for &a in &sel.articles {
        if let Some(o) = outlet_node(g, a)
            && let (Some(&f), Some(&t)) = (pos.get(&o), pos.get(&a))
        {
            edges.push(LEdge {
                from: f,
                to: t,
                kind: EKind::Published,
                weight: 1,
                label: format!("{} published", name(o)),
            });
        }
        let Node::Article(aix) = g.graph[a] else { continue };
        for &(orig, containment) in g.copied_from(aix) {
            let orig = g.article_node(orig);
            if let Some(&f) = pos.get(&orig) {
                edges.push(LEdge {
                    from: pos[&a],
                    to: f,
                    kind: EKind::Copy,
                    weight: 1,
                    label: format!("{} copies {:.0}% of its text from {}", name(a), containment * 100.0, name(orig)),
                });
            }
        }
    }
    for (&(a, c, refutes), &n) in &report_edges {
        edges.push(LEdge {
            from: pos[&a],
            to: pos[&c],
            kind: if refutes { EKind::Refutes } else { EKind::Supports },
            weight: n,
            label: format!(
                "{} {} {}: {} report{}",
                name(a),
                if refutes { "refutes" } else { "supports" },
                name(c),
                n,
                plural(n)
            ),
        });
    }
    // Read off the edges directly (rather than through `ClaimGraph::contradictions`, whose tuple grows as
    // the model learns more about contradictions): only the ends and the kind are drawn.
    for e in g.graph.edge_references() {
        let Edge::Contradicts(k) = e.weight() else { continue };
        let kind = &g.contradictions()[*k].kind;
        let (a, b) = (e.source(), e.target());
        if let (Some(&f), Some(&t)) = (pos.get(&a), pos.get(&b))
            && f != t
        {
            edges.push(LEdge {
                from: f,
                to: t,
                kind: EKind::Contradicts,
                weight: 1,
                label: format!("{} contradicts {} ({kind})", name(a), name(b)),
            });
        }
    }
    for &s in &sel.sources {
        let root = root_node(g, s);
        if root != s
            && let Some(&t) = pos.get(&root)
        {
            edges.push(LEdge {
                from: pos[&s],
                to: t,
                kind: EKind::MemberOf,
                weight: 1,
                label: format!("{} speaks for {}", name(s), name(root)),
            });
        }
    }

    let n_cols = claim_col + 1;
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); n_cols];
    for (i, n) in nodes.iter().enumerate() {
        cols[n.col].push(i);
    }
    // The claims keep their rank order (best supported at the top); the other columns are ordered to suit.
    order_columns(&mut cols, &nodes, &edges, claim_col);

    // Geometry.
    let widths: Vec<f64> = (0..n_cols)
        .map(|c| {
            if c == claim_col {
                CLAIM_W
            } else if c == art_col {
                190.0
            } else {
                160.0
            }
        })
        .collect();
    let mut xs = Vec::with_capacity(n_cols);
    let mut x = MARGIN;
    for w in &widths {
        xs.push(x);
        x += w + COL_GAP;
    }
    let width = x - COL_GAP + MARGIN + 40.0;
    let top = MARGIN + 64.0 + if sel.note.is_some() { 18.0 } else { 0.0 };
    let col_h =
        |col: &Vec<usize>| col.iter().map(|&i| nodes[i].h).sum::<f64>() + GAP * col.len().saturating_sub(1) as f64;
    let inner = cols.iter().map(col_h).fold(0.0, f64::max).max(40.0);
    place(&cols, &mut nodes, &edges, top, inner);
    let height = top + inner + MARGIN;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"claim-graph\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-labelledby=\"cg-title cg-desc\" font-family=\"{FONT}\" font-size=\"11\">"
    );
    let _ = writeln!(out, "<title id=\"cg-title\">Claim graph: {}</title>", esc(&g.title));
    let _ = writeln!(
        out,
        "<desc id=\"cg-desc\">{} sources, {} articles and {} claims; arrows run from the origin of a statement through the sources relaying it to the articles reporting it and the claim.{}</desc>",
        sel.sources.len(),
        sel.articles.len(),
        sel.claims.len(),
        sel.note.as_deref().map(|n| format!(" {}", esc(n))).unwrap_or_default()
    );
    out.push_str(
        "<defs>\
<marker id=\"cg-a\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#5b6b80\"/></marker>\
<marker id=\"cg-ag\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#2e7d32\"/></marker>\
<marker id=\"cg-ar\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c62828\"/></marker>\
<marker id=\"cg-ao\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#e08e0b\"/></marker>\
</defs>\n",
    );
    let _ = writeln!(out, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    let _ = writeln!(
        out,
        "<text x=\"{MARGIN}\" y=\"{:.0}\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2733\">{}</text>",
        MARGIN + 4.0,
        esc(&truncate(&format!("Claim graph: {}", g.title), ((width - 2.0 * MARGIN) / 7.5) as usize))
    );
    legend(&mut out, MARGIN + 24.0);
    if let Some(n) = &sel.note {
        let _ = writeln!(
            out,
            "<text class=\"cg-note\" x=\"{MARGIN}\" y=\"{:.0}\" font-size=\"12\" font-style=\"italic\" fill=\"#8a4b00\">{}</text>",
            MARGIN + 62.0,
            esc(n)
        );
    }
    for (c, x) in xs.iter().enumerate() {
        let label = if c == claim_col {
            "Claims"
        } else if c == art_col {
            "Articles"
        } else if c == max_d {
            "Outlets"
        } else if c == 0 {
            "Origins"
        } else {
            "Relays and origins"
        };
        let _ = writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12\" font-weight=\"600\" fill=\"#5b6b80\">{label}</text>",
            top - 10.0
        );
    }
    out.push_str("<g class=\"cg-edges\" fill=\"none\">\n");
    let mut order: Vec<usize> = (0..edges.len()).collect();
    order.sort_by_key(|&i| (edges[i].kind, i));
    for i in order {
        draw_edge(&mut out, &edges[i], &nodes, &xs, &widths);
    }
    out.push_str("</g>\n<g class=\"cg-nodes\">\n");
    for n in &nodes {
        draw_node(&mut out, n, xs[n.col], widths[n.col], g, opts.link_claims);
    }
    out.push_str("</g>\n</svg>\n");
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn legend(out: &mut String, y: f64) {
    let items: [(&str, &str, &str); 6] = [
        ("#5b6b80", "", "attribution (quoted by)"),
        ("#9aa5b1", "2 3", "published"),
        ("#2e7d32", "", "reports, supporting"),
        ("#c62828", "", "reports, refuting"),
        ("#e08e0b", "6 3", "copies text from"),
        ("#c62828", "6 3", "contradicts"),
    ];
    let mut x = MARGIN;
    for (color, dash, label) in items {
        let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
        let _ = writeln!(
            out,
            "<line x1=\"{x:.0}\" y1=\"{y:.0}\" x2=\"{:.0}\" y2=\"{y:.0}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/><text x=\"{:.0}\" y=\"{:.0}\" fill=\"#3a4654\">{label}</text>",
            x + 24.0,
            x + 30.0,
            y + 4.0
        );
        x += 40.0 + label.len() as f64 * CHAR_W;
    }
}

/// Orders the nodes inside each column but `keep` by barycentre sweeps, keeping the ordering with the fewest
/// crossings; column `keep` stays in the order given.
fn order_columns(cols: &mut [Vec<usize>], nodes: &[LNode<'_>], edges: &[LEdge], keep: usize) {
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nodes.len()];
    for e in edges {
        if nodes[e.from].col != nodes[e.to].col {
            let w = 1.0 + (e.weight as f64).ln();
            adj[e.from].push((e.to, w));
            adj[e.to].push((e.from, w));
        }
    }
    let place_of = |cols: &[Vec<usize>]| {
        let mut p = vec![0.0; nodes.len()];
        for col in cols {
            for (k, &i) in col.iter().enumerate() {
                p[i] = (k as f64 + 0.5) / col.len() as f64;
            }
        }
        p
    };
    let mut best = cols.to_vec();
    let mut best_x = crossings(&place_of(cols), nodes, edges);
    for round in 0..8 {
        let forward = round % 2 == 0;
        let order: Vec<usize> = if forward { (0..cols.len()).collect() } else { (0..cols.len()).rev().collect() };
        for c in order.into_iter().filter(|&c| c != keep) {
            let p = place_of(cols);
            let mut keyed: Vec<(f64, usize, usize)> = cols[c]
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    let (mut s, mut w) = (0.0, 0.0);
                    for &(j, wt) in &adj[i] {
                        let side = nodes[j].col;
                        if (forward && side < c) || (!forward && side > c) {
                            s += p[j] * wt;
                            w += wt;
                        }
                    }
                    (if w > 0.0 { s / w } else { p[i] }, k, i)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            cols[c] = keyed.into_iter().map(|(_, _, i)| i).collect();
        }
        let x = crossings(&place_of(cols), nodes, edges);
        if x < best_x {
            best_x = x;
            best = cols.to_vec();
        }
    }
    cols.clone_from_slice(&best);
}

/// Number of pairs of edges that cross, with each edge a straight segment between (column, relative position).
/// Only computed for pictures of a few thousand edges; the count is quadratic.
fn crossings(p: &[f64], nodes: &[LNode<'_>], edges: &[LEdge]) -> usize {
    if edges.len() > 3000 {
        return 0;
    }
    let segs: Vec<(f64, f64, f64, f64)> = edges
        .iter()
        .filter(|e| nodes[e.from].col != nodes[e.to].col)
        .map(|e| {
            let (a, b) = (&nodes[e.from], &nodes[e.to]);
            let (x1, y1, x2, y2) = (a.col as f64, p[e.from], b.col as f64, p[e.to]);
            if x1 <= x2 { (x1, y1, x2, y2) } else { (x2, y2, x1, y1) }
        })
        .collect();
    let at = |s: &(f64, f64, f64, f64), x: f64| s.1 + (s.3 - s.1) * (x - s.0) / (s.2 - s.0);
    let mut n = 0;
    for i in 0..segs.len() {
        for j in i + 1..segs.len() {
            let (a, b) = (&segs[i], &segs[j]);
            let lo = a.0.max(b.0);
            let hi = a.2.min(b.2);
            if hi <= lo {
                continue;
            }
            let d1 = at(a, lo) - at(b, lo);
            let d2 = at(a, hi) - at(b, hi);
            if d1 * d2 < -1e-12 {
                n += 1;
            }
        }
    }
    n
}

/// Places the nodes vertically: the tallest column packed, every other column pulled towards the mean height
/// of its neighbours without overlaps, in a few passes.
fn place(cols: &[Vec<usize>], nodes: &mut [LNode<'_>], edges: &[LEdge], top: f64, inner: f64) {
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for e in edges {
        if nodes[e.from].col != nodes[e.to].col {
            adj[e.from].push(e.to);
            adj[e.to].push(e.from);
        }
    }
    // Start evenly spread.
    for col in cols {
        let content: f64 = col.iter().map(|&i| nodes[i].h).sum();
        let gap = if col.len() > 1 { ((inner - content) / (col.len() - 1) as f64).max(GAP) } else { 0.0 };
        let mut y = if col.len() == 1 { top + (inner - content) / 2.0 } else { top };
        for &i in col {
            nodes[i].y = y;
            y += nodes[i].h + gap;
        }
    }
    let tallest = (0..cols.len())
        .max_by(|&a, &b| {
            let h = |c: usize| cols[c].iter().map(|&i| nodes[i].h + GAP).sum::<f64>();
            h(a).total_cmp(&h(b)).then(b.cmp(&a))
        })
        .unwrap_or(0);
    for _ in 0..4 {
        for (c, col) in cols.iter().enumerate() {
            if c == tallest || col.is_empty() {
                continue;
            }
            let desired: Vec<f64> = col
                .iter()
                .map(|&i| {
                    let ns = &adj[i];
                    if ns.is_empty() {
                        nodes[i].y
                    } else {
                        ns.iter().map(|&j| nodes[j].y + nodes[j].h / 2.0).sum::<f64>() / ns.len() as f64
                            - nodes[i].h / 2.0
                    }
                })
                .collect();
            let hs: Vec<f64> = col.iter().map(|&i| nodes[i].h).collect();
            let ys = resolve(&desired, &hs, top, top + inner);
            for (k, &i) in col.iter().enumerate() {
                nodes[i].y = ys[k];
            }
        }
    }
}

/// Tops as close to `desired` as the order, the gap and the bounds allow.
fn resolve(desired: &[f64], h: &[f64], lo: f64, hi: f64) -> Vec<f64> {
    let n = desired.len();
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = if i == 0 { desired[0].max(lo) } else { desired[i].max(y[i - 1] + h[i - 1] + GAP) };
    }
    if n > 0 && y[n - 1] + h[n - 1] > hi {
        y[n - 1] = hi - h[n - 1];
        for i in (0..n - 1).rev() {
            y[i] = y[i].min(y[i + 1] - h[i] - GAP);
        }
    }
    for i in 0..n {
        let floor = if i == 0 { lo } else { y[i - 1] + h[i - 1] + GAP };
        y[i] = y[i].max(floor);
    }
    y
}

fn draw_edge(out: &mut String, e: &LEdge, nodes: &[LNode<'_>], xs: &[f64], widths: &[f64]) {
    let (a, b) = (&nodes[e.from], &nodes[e.to]);
    let (ya, yb) = (a.y + a.h / 2.0, b.y + b.h / 2.0);
    let (color, dash, marker) = match e.kind {
        EKind::Hop => ("#5b6b80", "", "cg-a"),
        EKind::Published => ("#9aa5b1", "2 3", "cg-a"),
        EKind::Supports => ("#2e7d32", "", "cg-ag"),
        EKind::Refutes => ("#c62828", "", "cg-ar"),
        EKind::Copy => ("#e08e0b", "6 3", "cg-ao"),
        EKind::Contradicts => ("#c62828", "6 3", "cg-ar"),
        EKind::MemberOf => ("#9aa5b1", "1 3", "cg-a"),
    };
    let d = if a.col == b.col {
        // Same column: an arc, on the left of articles (copies), on the right otherwise.
        let left = a.kind == Kind::Article;
        let x = if left { xs[a.col] } else { xs[a.col] + widths[a.col] };
        let bulge = (18.0 + (yb - ya).abs() * 0.15).min(COL_GAP * 0.45);
        let bx = if left { x - bulge } else { x + bulge };
        format!("M{x:.1},{ya:.1} C{bx:.1},{ya:.1} {bx:.1},{yb:.1} {x:.1},{yb:.1}")
    } else if a.col < b.col {
        let (x1, x2) = (xs[a.col] + widths[a.col], xs[b.col]);
        let m = (x2 - x1) * 0.5;
        format!("M{x1:.1},{ya:.1} C{:.1},{ya:.1} {:.1},{yb:.1} {x2:.1},{yb:.1}", x1 + m, x2 - m)
    } else {
        let (x1, x2) = (xs[a.col], xs[b.col] + widths[b.col]);
        let m = (x1 - x2) * 0.5;
        format!("M{x1:.1},{ya:.1} C{:.1},{ya:.1} {:.1},{yb:.1} {x2:.1},{yb:.1}", x1 - m, x2 + m)
    };
    let width = 1.0 + (e.weight.min(8) as f64 - 1.0) * 0.35;
    let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
    let ends = if e.kind == EKind::Contradicts {
        format!(" marker-start=\"url(#{marker})\" marker-end=\"url(#{marker})\"")
    } else {
        format!(" marker-end=\"url(#{marker})\"")
    };
    let _ = writeln!(
        out,
        "<path d=\"{d}\" stroke=\"{color}\" stroke-width=\"{width:.2}\" stroke-opacity=\"0.75\"{dash}{ends}><title>{}</title></path>",
        esc(&e.label)
    );
}

fn draw_node(out: &mut String, n: &LNode<'_>, x: f64, w: f64, g: &credence_score::graph::ClaimGraph, link: bool) {
    let (class, rx, stroke) = match n.kind {
        Kind::Source => ("cg-source", 12.0, "#7b8794"),
        Kind::Article => ("cg-article", 2.0, "#7b8794"),
        Kind::Claim => ("cg-claim", 4.0, "#4a6fa5"),
    };
    let id = match g.graph[n.ix] {
        Node::Source(s) => format!("cg-source-{}", pct(&g.source(s).id)),
        Node::Article(a) => format!("cg-article-{}", pct(&g.article(a).id)),
        Node::Claim(c) => format!("cg-{}", claim_anchor(&g.claim(c).id)),
    };
    let href = match (g.graph[n.ix], link) {
        (Node::Claim(c), true) => Some(claim_anchor(&g.claim(c).id)),
        _ => None,
    };
    if let Some(h) = &href {
        let _ = writeln!(out, "<a href=\"#{}\">", esc(h));
    }
    let _ = writeln!(out, "<g class=\"cg-node {class}\" id=\"{}\"><title>{}</title>", esc(&id), esc(&n.tooltip));
    let _ = writeln!(
        out,
        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.0}\" height=\"{:.1}\" rx=\"{rx}\" fill=\"{}\" stroke=\"{stroke}\"/>",
        n.y, n.h, n.fill
    );
    let weight = if n.kind == Kind::Claim { "" } else { " font-weight=\"600\"" };
    for (k, line) in n.lines.iter().enumerate() {
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#1d2733\"{weight}>{}</text>",
            x + PAD,
            n.y + PAD + LINE * (k as f64 + 1.0) - 2.0,
            esc(line)
        );
    }
    let sub_y = n.y + PAD + LINE * (n.lines.len().max(1) as f64 + 1.0) - 2.0;
    let _ = writeln!(
        out,
        "<text x=\"{:.1}\" y=\"{sub_y:.1}\" font-size=\"10\" fill=\"#5b6b80\">{}</text>",
        x + PAD,
        esc(&n.sub)
    );
    if let Some(c) = n.claim {
        // Support bar on the right of the last line: interval as a band, support as a tick.
        let bw = (w * 0.45).min(140.0);
        let bx = x + w - PAD - bw;
        let by = sub_y - 7.0;
        let [lo, hi] = c.interval;
        let _ = writeln!(
            out,
            "<rect x=\"{bx:.1}\" y=\"{by:.1}\" width=\"{bw:.1}\" height=\"6\" fill=\"#dde3ea\"/><rect x=\"{:.1}\" y=\"{by:.1}\" width=\"{:.1}\" height=\"6\" fill=\"#9db8dc\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"2.5\" height=\"10\" fill=\"#1f4e8c\"/>",
            bx + bw * clamp01(lo),
            bw * (clamp01(hi) - clamp01(lo)).max(0.0),
            bx + bw * clamp01(c.support) - 1.25,
            by - 2.0
        );
    }
    out.push_str("</g>\n");
    if href.is_some() {
        out.push_str("</a>\n");
    }
}

fn clamp01(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) }
}
