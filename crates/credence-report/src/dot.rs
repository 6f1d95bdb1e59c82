//! Graphviz DOT export of the claim graph: sources (ellipses), articles (boxes) and claims (notes), with one
//! edge style per relation. Claims are labelled with their support so the picture can be read on its own.
//!
//! Every string from the story goes through [`esc`]: control and bidi characters made visible, then quoted
//! for a DOT string, so no label can end its string early or run into the next statement.

use std::collections::HashMap;
use std::fmt::Write;

use petgraph::visit::EdgeRef;

use super::inert::visible;
use super::{Exporter, ReportInput};
use credence_model::error::Result;
use credence_score::graph::{Edge, Node};

/// Renders the claim graph as DOT.
pub struct DotExporter;

/// Escapes a string for a double-quoted DOT label: hidden characters made visible (`<U+001B>`), `"` and `\`
/// backslash-escaped, line breaks turned into spaces, and `&` written `&amp;` (Graphviz reads HTML entities in
/// labels, so `&lt;` from an article would otherwise be drawn as `<`).
fn esc(s: &str) -> String {
    let s = visible(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn wrap(s: &str, width: usize) -> String {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in visible(s).split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + w.chars().count() + 1 > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines.iter().map(|l| esc(l)).collect::<Vec<_>>().join("\\n")
}

impl Exporter for DotExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        let cg = input.graph;
        let g = &cg.graph;
        let support: HashMap<&str, (f64, &str)> =
            input.assessment.claims.iter().map(|c| (c.id.as_str(), (c.support, c.grade.as_str()))).collect();
        let mut out = String::new();
        let _ = writeln!(out, "digraph credence {{");
        let _ = writeln!(out, "  label=\"{}\";", esc(&input.graph.title));
        let _ = writeln!(
            out,
            "  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];"
        );
        for ix in g.node_indices() {
            let id = ix.index();
            let line = match g[ix] {
                Node::Source(s) => {
                    let s = cg.source(s);
                    format!(
                        "  n{id} [shape=ellipse, label=\"{}\\n({}{})\", tooltip=\"source {}\"];",
                        esc(&s.name),
                        esc(&s.kind),
                        s.side.as_ref().map(|x| format!(", {}", esc(x))).unwrap_or_default(),
                        esc(&s.id)
                    )
                }
                Node::Article(a) => {
                    let a = cg.article(a);
                    format!(
                        "  n{id} [shape=box, label=\"{}\\n{}\", tooltip=\"article {}\"];",
                        esc(&a.id),
                        wrap(&a.title, 40),
                        esc(&a.id)
                    )
                }
                Node::Claim(c) => {
                    let c = cg.claim(c);
                    let (p, grade) = support.get(c.id.as_str()).copied().unwrap_or((f64::NAN, "?"));
                    format!(
                        "  n{id} [shape=note, style=filled, fillcolor=\"#eef3fb\", label=\"{}\\nsupport {p:.2} · {grade}\", tooltip=\"claim {}\"];",
                        wrap(&c.text, 40),
                        esc(&c.id)
                    )
                }
            };
            let _ = writeln!(out, "{line}");
        }
        for e in g.edge_references() {
            let (s, t) = (e.source().index(), e.target().index());
            let attrs = match e.weight() {
                Edge::PublishedBy => "label=\"published-by\", style=dotted".to_string(),
                Edge::Credits => "label=\"credits\", style=dotted, color=gray40".to_string(),
                Edge::Reports(k) => {
                    let r = cg.report(*k);
                    format!(
                        "label=\"{} {}{}\", color={}",
                        if r.cue.is_empty() { "(own voice)".to_string() } else { esc(&r.cue) },
                        r.stance,
                        if r.caveats.is_empty() { String::new() } else { format!(" [{}]", esc(&r.caveats.join(", "))) },
                        if r.stance == credence_model::story::Stance::Refutes { "red" } else { "darkgreen" }
                    )
                }
                Edge::AttributedTo { reports } => format!("label=\"attributed-to ×{}\", color=blue", reports.len()),
                Edge::CopiedFrom { containment } => {
                    format!("label=\"copied-from {containment:.2}\", style=dashed, color=orange")
                }
                Edge::Contradicts(k) => {
                    format!(
                        "label=\"contradicts ({})\", color=red, style=bold, dir=both",
                        esc(&cg.contradictions()[*k].kind)
                    )
                }
                Edge::MemberOf => "label=\"member-of\", style=dotted, color=gray40".to_string(),
            };
            let _ = writeln!(out, "  n{s} -> n{t} [{attrs}];");
        }
        out.push_str("}\n");
        Ok(out.into_bytes())
    }
}
