//! schema.org `ClaimReview` JSON-LD: one review per claim, for fact-check tooling (Google's Fact Check Explorer,
//! `ClaimReview` aggregators) that reads this vocabulary.
//!
//! The rating follows the one scale of every format ([`super::Scale`], the `[[likelihood]]` bands of the
//! config): a claim's support falls in a band, whose ICD 203 words name the rating and whose `rating` (1 to 5)
//! is its `ratingValue`. With the defaults: below 0.20 → 1, 0.20–0.45 → 2, 0.45–0.55 → 3, 0.55–0.80 → 4,
//! 0.80 and above → 5. A claim that cannot be judged (Admiralty credibility 6: uncertainty at or above
//! `credibility.cannot_judge_u`) is named "Unproven" and carries no `ratingValue` (a number would suggest a
//! verdict the evidence does not give). The claim's authors are its supporting origins, its appearances the
//! articles that report it as made.
//!
//! The document is meant to be embedded in a web page (`<script type="application/ld+json">`), so it is
//! written inert: every string in its visible form and `<`, `>`, `&` escaped ([`super::inert::jsonld_bytes`]).
//! Only checked `http(s)` URLs ([`web_url`]) go into `url` fields: an article whose `url` is anything else is
//! named by its `urn:credence:article:` id alone, and a review URL that is not one is refused.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use super::inert::{jsonld_bytes, web_url};
use super::markup::{claim_anchor, pct};
use super::{Exporter, ReportInput};
use credence_model::error::{Error, Result};
use credence_model::story::Stance;
use credence_model::text::Slice;
use credence_score::score::ClaimScore;

/// Renders one `ClaimReview` per claim as a JSON-LD `@graph`.
pub struct ClaimReviewExporter;

/// The rating of a claim on the one scale (see [`super::Scale`]): `(ratingValue, alternateName)`, the value
/// `None` when the claim cannot be judged (credibility 6: too little evidence), named "Unproven".
#[must_use]
pub fn rating(c: &ClaimScore, scale: &super::Scale) -> (Option<u8>, String) {
    let Some(value) = scale.rating(c) else {
        return (None, "Unproven".to_string());
    };
    let mut name = c.likelihood.clone();
    if let Some(first) = name.get(..1) {
        name = first.to_ascii_uppercase() + name.part(1..);
    }
    (Some(value), name)
}

fn r3(x: f64) -> Value {
    let r = (x * 1000.0).round() / 1000.0;
    serde_json::Number::from_f64(if r == 0.0 { 0.0 } else { r }).map_or(Value::Null, Value::Number)
}

impl Exporter for ClaimReviewExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        let a = input.assessment;
        let g = input.graph;
        let sources: HashMap<&str, &credence_score::score::SourceOut> =
            a.sources.iter().map(|s| (s.id.as_str(), s)).collect();
        let review_base = match input.review_url {
            Some(u) => Some(web_url(u).ok_or_else(|| Error::Render {
                format: "claimreview",
                message: "the review URL is not an absolute http(s) URL".into(),
            })?),
            None => None,
        };
        let mut reviews = Vec::with_capacity(a.claims.len());
        for c in &a.claims {
            let (value, name) = rating(c, &input.scale);
            let origin_names: Vec<&str> =
                c.origins.iter().filter(|o| o.stance == Stance::Supports).map(|o| o.name.as_str()).collect();
            let explanation = format!(
                "Support {:.3} (90% interval {:.3}-{:.3}; uncertainty {:.3}) from {} independent supporting origin{}{}{}; grade {} ({}). Scale: {}; a claim whose uncertainty reaches {} cannot be judged (grade 6) and is Unproven, with no value. Reports sharing an origin or copied text count once.",
                c.support,
                c.interval[0],
                c.interval[1],
                c.uncertainty,
                c.independent_origins,
                if c.independent_origins == 1 { "" } else { "s" },
                if origin_names.is_empty() { String::new() } else { format!(" ({})", origin_names.join("; ")) },
                if c.refuting_origins > 0 { format!(", {} refuting", c.refuting_origins) } else { String::new() },
                c.grade,
                c.credibility_label,
                input.scale.legend().join("; "),
                input.scale.cannot_judge_u
            );
            let mut rating = Map::new();
            rating.insert("@type".into(), json!("Rating"));
            rating.insert("alternateName".into(), json!(name));
            if let Some(v) = value {
                rating.insert("ratingValue".into(), json!(v));
                rating.insert("bestRating".into(), json!(5));
                rating.insert("worstRating".into(), json!(1));
            }
            rating.insert("ratingExplanation".into(), json!(explanation));

            // Authors: the source organisations of the supporting origin clusters, in cluster order.
            let mut seen = BTreeSet::new();
            let mut authors = Vec::new();
            for o in c.origins.iter().filter(|o| o.stance == Stance::Supports && o.via_contradictions.is_empty()) {
                for id in &o.sources {
                    if !seen.insert(id.as_str()) {
                        continue;
                    }
                    let s = sources.get(id.as_str());
                    let person = s.is_some_and(|s| s.kind == "person");
                    let mut au = Map::new();
                    au.insert("@type".into(), json!(if person { "Person" } else { "Organization" }));
                    au.insert("@id".into(), json!(format!("urn:credence:source:{}", pct(id))));
                    au.insert("name".into(), json!(s.map_or(id.as_str(), |s| s.name.as_str())));
                    authors.push(Value::Object(au));
                }
            }

            // Appearances: articles with a supporting report, in story order.
            let mut in_articles: Vec<&str> = Vec::new();
            for r in c.reports.iter().filter(|r| r.stance == Stance::Supports) {
                if !in_articles.contains(&r.article.as_str()) {
                    in_articles.push(&r.article);
                }
            }
            let order: HashMap<&str, usize> = a.articles.iter().enumerate().map(|(i, x)| (x.id.as_str(), i)).collect();
            in_articles.sort_by_key(|id| order.get(id).copied().unwrap_or(usize::MAX));
            let mut appearances = Vec::new();
            let mut first: Option<(String, Value)> = None;
            for id in in_articles {
                let Some(ix) = g.article_ix(id) else { continue };
                let art = g.article(ix);
                let mut w = Map::new();
                w.insert("@type".into(), json!("NewsArticle"));
                match art.url.as_deref().and_then(web_url) {
                    Some(u) => {
                        w.insert("@id".into(), json!(u));
                        w.insert("url".into(), json!(u));
                    }
                    None => {
                        w.insert("@id".into(), json!(format!("urn:credence:article:{}", pct(id))));
                    }
                }
                w.insert("identifier".into(), json!(id));
                if !art.title.is_empty() {
                    w.insert("headline".into(), json!(art.title));
                }
                if let Some(d) = art.published {
                    w.insert("datePublished".into(), json!(d.to_string()));
                }
                w.insert("publisher".into(), json!({"@type": "Organization", "name": g.name(g.outlet(ix))}));
                let w = Value::Object(w);
                if let Some(d) = art.published.map(|d| d.to_string())
                    && first.as_ref().is_none_or(|(fd, _)| d < *fd)
                {
                    first = Some((d, w.clone()));
                }
                appearances.push(w);
            }

            let mut claim = Map::new();
            claim.insert("@type".into(), json!("Claim"));
            claim.insert("@id".into(), json!(format!("urn:credence:claim:{}", pct(&c.id))));
            claim.insert("identifier".into(), json!(c.id));
            claim.insert("text".into(), json!(c.text));
            if !authors.is_empty() {
                claim.insert("author".into(), Value::Array(authors));
            }
            if let Some((d, w)) = first {
                claim.insert("datePublished".into(), json!(d));
                claim.insert("firstAppearance".into(), w);
            }
            if !appearances.is_empty() {
                claim.insert("appearance".into(), Value::Array(appearances));
            }

            let url = match review_base {
                Some(base) => format!("{}#{}", base.split('#').next().unwrap_or(base), claim_anchor(&c.id)),
                None => format!("urn:credence:claim:{}", pct(&c.id)),
            };
            let mut review = Map::new();
            review.insert("@type".into(), json!("ClaimReview"));
            review.insert("@id".into(), json!(format!("urn:credence:claim-review:{}", pct(&c.id))));
            review.insert("url".into(), json!(url));
            review.insert("claimReviewed".into(), json!(c.text));
            review.insert("itemReviewed".into(), Value::Object(claim));
            review.insert("reviewRating".into(), Value::Object(rating));
            review.insert(
                "additionalProperty".into(),
                json!([
                    {"@type": "PropertyValue", "name": "support", "value": r3(c.support)},
                    {"@type": "PropertyValue", "name": "interval", "value": [r3(c.interval[0]), r3(c.interval[1])]},
                    {"@type": "PropertyValue", "name": "uncertainty", "value": r3(c.uncertainty)},
                    {"@type": "PropertyValue", "name": "grade", "value": c.grade},
                    {"@type": "PropertyValue", "name": "independentOrigins", "value": c.independent_origins},
                    {"@type": "PropertyValue", "name": "refutingOrigins", "value": c.refuting_origins},
                    {"@type": "PropertyValue", "name": "rank", "value": c.rank},
                ]),
            );
            reviews.push(Value::Object(review));
        }
        let doc = json!({"@context": "https://schema.org", "@graph": reviews});
        jsonld_bytes(doc).map_err(|e| Error::Render { format: "claimreview", message: e.to_string() })
    }
}
