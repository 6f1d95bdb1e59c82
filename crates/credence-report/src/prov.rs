//! W3C PROV-O JSON-LD of the attribution chains and copy derivations, for provenance tooling and triple
//! stores.
//!
//! The mapping:
//! - every source is a `prov:Agent` (a `prov:Person` for sources of kind `person`, else a
//!   `prov:Organization`); a source speaking for an organisation (`member_of`) `prov:actedOnBehalfOf` it, and a
//!   named speaker is a `prov:Person` acting on behalf of the origin;
//! - every article is a `prov:Entity` `prov:wasAttributedTo` its outlet; an article that copies text from
//!   another `prov:wasDerivedFrom` it, with a qualified `prov:Derivation` carrying the containment;
//! - every report is a chain of statement entities, one per link: `…/report/I/0` is the statement as the
//!   article publishes it, attributed to the outlet and part of the article; `…/report/I/K` is the same
//!   statement as the K-th link of the chain made it, attributed to that source. Each link is derived from the
//!   next (`prov:wasQuotedFrom` for the article's own rendering of a quotation, `prov:wasDerivedFrom`
//!   otherwise), and the first `prov:hadPrimarySource` the last: the origin's statement. Walking the
//!   derivations from `…/0` and reading each statement's source gives the chain back, outlet first;
//! - every claim is a `prov:Entity` derived from the statements reporting it.
//!
//! The `@context` is inline (the W3C publishes no normative JSON-LD context for PROV), so the document parses
//! offline. Terms credence adds (cue, stance, caveat, containment, claim) are in the `urn:credence:vocab:`
//! namespace.
//!
//! Like `ClaimReview`, the document is written inert ([`super::inert::jsonld_bytes`]: strings in their visible
//! form, `<`, `>`, `&` escaped), and an article's `prov:atLocation` is given only for an `http(s)` URL
//! ([`web_url`]).

use serde_json::{Map, Value, json};

use super::inert::{jsonld_bytes, web_url};
use super::markup::pct;
use super::{Exporter, ReportInput};
use credence_model::error::{Error, Result};
use credence_model::story::Stance;

/// Renders the provenance of every report as PROV-O JSON-LD.
pub struct ProvExporter;

fn source_iri(id: &str) -> String {
    format!("urn:credence:source:{}", pct(id))
}

fn article_iri(id: &str) -> String {
    format!("urn:credence:article:{}", pct(id))
}

/// The IRI of the statement at link `k` of report `index` (0 is the article's own rendering).
pub(crate) fn statement_iri(index: usize, k: usize) -> String {
    format!("urn:credence:report/{index}/{k}")
}

fn id_ref(iri: &str) -> Value {
    json!({ "@id": iri })
}

fn has_quotation_marks(s: &str) -> bool {
    s.contains(['"', '“', '”', '«', '»'])
}

impl Exporter for ProvExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        let g = input.graph;
        let a = input.assessment;
        let mut nodes: Vec<Value> = Vec::new();
        let kinds: std::collections::HashMap<&str, &str> =
            a.sources.iter().map(|s| (s.id.as_str(), s.kind.as_str())).collect();

        for (_, s) in g.sources() {
            let person = kinds.get(s.id.as_str()).is_some_and(|k| *k == "person");
            let mut n = Map::new();
            n.insert("@id".into(), json!(source_iri(&s.id)));
            n.insert("@type".into(), json!(["prov:Agent", if person { "prov:Person" } else { "prov:Organization" }]));
            n.insert("rdfs:label".into(), json!(s.name));
            n.insert("credence:kind".into(), json!(s.kind));
            if let Some(side) = &s.side {
                n.insert("credence:side".into(), json!(side));
            }
            if let Some(m) = &s.member_of {
                n.insert("prov:actedOnBehalfOf".into(), id_ref(&source_iri(m)));
            }
            nodes.push(Value::Object(n));
        }

        // Speakers: one person per (origin, name), in order of first appearance.
        let mut speakers: Vec<(String, String)> = Vec::new();

        for (ix, art) in g.articles() {
            let mut n = Map::new();
            n.insert("@id".into(), json!(article_iri(&art.id)));
            n.insert("@type".into(), json!(["prov:Entity", "credence:Article"]));
            n.insert("credence:id".into(), json!(art.id));
            if !art.title.is_empty() {
                n.insert("rdfs:label".into(), json!(art.title));
            }
            if let Some(u) = art.url.as_deref().and_then(web_url) {
                n.insert("prov:atLocation".into(), json!(u));
            }
            if let Some(d) = art.published {
                n.insert("dcterms:issued".into(), json!({"@value": d.to_string(), "@type": "xsd:date"}));
            }
            n.insert("prov:wasAttributedTo".into(), id_ref(&source_iri(&g.source(g.outlet(ix)).id)));
            let copies = g.copied_from(ix);
            if !copies.is_empty() {
                let from: Vec<Value> = copies.iter().map(|&(t, _)| id_ref(&article_iri(&g.article(t).id))).collect();
                let qualified: Vec<Value> = copies
                    .iter()
                    .map(|&(t, c)| {
                        json!({
                            "@type": "prov:Derivation",
                            "prov:entity": id_ref(&article_iri(&g.article(t).id)),
                            "credence:containment": {"@value": format!("{c:.6}"), "@type": "xsd:decimal"},
                        })
                    })
                    .collect();
                n.insert("prov:wasDerivedFrom".into(), Value::Array(from));
                n.insert("prov:qualifiedDerivation".into(), Value::Array(qualified));
            }
            nodes.push(Value::Object(n));
        }

        for (cix, claim) in g.claims() {
            let reports: Vec<&credence_score::graph::ReportEdge> = g.reports_of(cix).collect();
            let mut n = Map::new();
            n.insert("@id".into(), json!(format!("urn:credence:claim:{}", pct(&claim.id))));
            n.insert("@type".into(), json!(["prov:Entity", "credence:Claim"]));
            n.insert("credence:id".into(), json!(claim.id));
            n.insert("prov:value".into(), json!(claim.text));
            let from: Vec<Value> = reports.iter().map(|r| id_ref(&statement_iri(r.index, 0))).collect();
            if !from.is_empty() {
                n.insert("prov:wasDerivedFrom".into(), Value::Array(from));
            }
            nodes.push(Value::Object(n));

            for r in reports {
                let art = r.article;
                let last = r.chain.len().saturating_sub(1);
                for (k, &src) in r.chain.iter().enumerate() {
                    let sid = &g.source(src).id;
                    let mut s = Map::new();
                    s.insert("@id".into(), json!(statement_iri(r.index, k)));
                    s.insert("@type".into(), json!(["prov:Entity", "credence:Statement"]));
                    let mut attributed = vec![id_ref(&source_iri(sid))];
                    if k == last
                        && let Some(name) = r.speaker.as_deref().filter(|n| !n.trim().is_empty())
                    {
                        let key = (sid.clone(), name.to_string());
                        if !speakers.contains(&key) {
                            speakers.push(key);
                        }
                        attributed.push(id_ref(&speaker_iri(sid, name)));
                    }
                    s.insert(
                        "prov:wasAttributedTo".into(),
                        if attributed.len() == 1 { attributed.remove(0) } else { Value::Array(attributed) },
                    );
                    if k == 0 {
                        s.insert("dcterms:isPartOf".into(), id_ref(&article_iri(&g.article(art).id)));
                        s.insert("credence:claim".into(), id_ref(&format!("urn:credence:claim:{}", pct(&claim.id))));
                        s.insert("credence:report".into(), json!(r.index));
                        s.insert("credence:stance".into(), json!(r.stance.to_string()));
                        if !r.cue.is_empty() {
                            s.insert("credence:cue".into(), json!(r.cue));
                        }
                        if !r.caveats.is_empty() {
                            s.insert("credence:caveat".into(), json!(r.caveats));
                        }
                        if let Some(q) = &r.quote {
                            s.insert("prov:value".into(), json!(q));
                        }
                        if last > 0 {
                            s.insert("prov:hadPrimarySource".into(), id_ref(&statement_iri(r.index, last)));
                        }
                        if r.stance == Stance::Refutes {
                            s.insert("rdfs:comment".into(), json!("the statement denies the claim"));
                        }
                    }
                    if k < last {
                        let rel = if k == 0 && r.quote.as_deref().is_some_and(has_quotation_marks) {
                            "prov:wasQuotedFrom"
                        } else {
                            "prov:wasDerivedFrom"
                        };
                        s.insert(rel.into(), id_ref(&statement_iri(r.index, k + 1)));
                    }
                    nodes.push(Value::Object(s));
                }
            }
        }

        for (origin, name) in &speakers {
            nodes.push(json!({
                "@id": speaker_iri(origin, name),
                "@type": ["prov:Agent", "prov:Person"],
                "rdfs:label": name,
                "prov:actedOnBehalfOf": id_ref(&source_iri(origin)),
            }));
        }

        let doc = json!({
            "@context": {
                "prov": "http://www.w3.org/ns/prov#",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                "dcterms": "http://purl.org/dc/terms/",
                "credence": "urn:credence:vocab:",
                "prov:atLocation": {"@type": "@id"},
            },
            "@graph": nodes,
        });
        jsonld_bytes(doc).map_err(|e| Error::Render { format: "prov", message: e.to_string() })
    }
}

fn speaker_iri(origin: &str, name: &str) -> String {
    format!("urn:credence:speaker:{}:{}", pct(origin), pct(name))
}
