//! Outcomes from fact checks: a schema.org `ClaimReview` in JSON-LD.
//!
//! The review is found wherever it sits in the document (the top object, an array, `@graph`, or nested in
//! another object). Its `reviewRating.ratingValue` (a number, or a string holding one) gives the outcome on a
//! 1–5 scale: 4 or more is **true**, 2 or less **false**, anything between (3) or no rating leaves the claim
//! unsettled. When the rating states `worstRating` and `bestRating` other than 1 and 5, the value is first
//! moved linearly onto 1–5 (`1 + 4·(v − worst)/(best − worst)`). A rating outside its own scale, several
//! reviews in one file, or none at all, is an error naming the file.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Result};

/// Largest review file read.
pub const MAX_REVIEW_BYTES: u64 = 16 * 1024 * 1024;

/// The parts of a `ClaimReview` the track record keeps as an outcome's provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimReview {
    /// The review file, as given.
    pub file: String,
    /// `reviewRating.ratingValue`, if present.
    pub rating: Option<f64>,
    /// `reviewRating.worstRating` (1 when absent).
    pub worst: f64,
    /// `reviewRating.bestRating` (5 when absent).
    pub best: f64,
    /// `reviewRating.alternateName`: the verdict in words ("Mostly false").
    pub verdict: Option<String>,
    /// `author.name` (the first author's).
    pub reviewer: Option<String>,
    /// `url` of the review.
    pub url: Option<String>,
    /// `claimReviewed`: the claim as the fact checker wrote it.
    pub claim_reviewed: Option<String>,
}

impl ClaimReview {
    /// Reads and parses a review file (at most [`MAX_REVIEW_BYTES`]).
    pub fn from_file(path: &Path) -> Result<ClaimReview> {
        let name = path.display().to_string();
        let err = |problem: String| Error::ClaimReview { file: name.clone(), problem };
        let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read the ClaimReview file: {e}")))?;
        if meta.len() > MAX_REVIEW_BYTES {
            return Err(err(format!(
                "the file has {} bytes, more than a ClaimReview needs ({MAX_REVIEW_BYTES})",
                meta.len()
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read the ClaimReview file: {e}")))?;
        ClaimReview::from_json(&bytes, &name)
    }

    /// Parses review JSON-LD; `file` names it in errors and in the outcome's provenance.
    pub fn from_json(bytes: &[u8], file: &str) -> Result<ClaimReview> {
        let err = |problem: String| Error::ClaimReview { file: file.to_string(), problem };
        let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
            err(format!(
                "not JSON at line {}, column {}: {e} (give the ClaimReview JSON-LD block itself)",
                e.line(),
                e.column()
            ))
        })?;
        let mut found = Vec::new();
        collect(&doc, &mut found);
        let review = match found.as_slice() {
            [one] => *one,
            [] => return Err(err("no object with \"@type\": \"ClaimReview\" in the file".into())),
            many => {
                return Err(err(format!(
                    "{} ClaimReview objects in the file; give a file with the one review of this claim",
                    many.len()
                )));
            }
        };
        let rating = review.get("reviewRating");
        let rating = match rating {
            Some(Value::Array(items)) => items.first(),
            other => other,
        };
        let number = |key: &str| -> Result<Option<f64>> {
            match rating.and_then(|r| r.get(key)) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(n.as_f64().filter(|x| x.is_finite())),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => match s.trim().parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(Some(x)),
                    _ => Err(err(format!("reviewRating.{key} `{}` is not a number", s.escape_debug()))),
                },
                Some(other) => Err(err(format!("reviewRating.{key} is {}, not a number", kind(other)))),
            }
        };
        let value = number("ratingValue")?;
        let worst = number("worstRating")?.unwrap_or(1.0);
        let best = number("bestRating")?.unwrap_or(5.0);
        if best <= worst {
            return Err(err(format!("reviewRating.bestRating {best} is not above worstRating {worst}")));
        }
        if let Some(v) = value
            && !(worst..=best).contains(&v)
        {
            return Err(err(format!("reviewRating.ratingValue {v} lies outside its scale {worst}–{best}")));
        }
        Ok(ClaimReview {
            file: file.to_string(),
            rating: value,
            worst,
            best,
            verdict: rating.and_then(|r| text(r.get("alternateName"))),
            reviewer: author(review.get("author")),
            url: text(review.get("url")),
            claim_reviewed: text(review.get("claimReviewed")),
        })
    }

    /// The rating moved onto the 1–5 scale.
    #[must_use]
    pub fn scaled(&self) -> Option<f64> {
        self.rating.map(|v| 1.0 + 4.0 * (v - self.worst) / (self.best - self.worst))
    }

    /// The outcome: `Some(true)` at 4 or more on the 1–5 scale, `Some(false)` at 2 or less, else `None`.
    #[must_use]
    pub fn outcome(&self) -> Option<bool> {
        match self.scaled() {
            Some(v) if v >= 4.0 - 1e-9 => Some(true),
            Some(v) if v <= 2.0 + 1e-9 => Some(false),
            _ => None,
        }
    }
}

fn is_claim_review(v: &Value) -> bool {
    let name = |t: &Value| t.as_str().is_some_and(|s| s == "ClaimReview" || s.ends_with("/ClaimReview"));
    match v.get("@type") {
        Some(Value::Array(types)) => types.iter().any(name),
        Some(t) => name(t),
        None => false,
    }
}

fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(map) => {
            if is_claim_review(v) {
                out.push(v);
            } else {
                map.values().for_each(|x| collect(x, out));
            }
        }
        Value::Array(items) => items.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(items) => items.iter().find_map(|x| text(Some(x))),
        _ => None,
    }
}

fn author(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Object(map) => text(map.get("name")),
        Value::Array(items) => items.iter().find_map(|x| author(Some(x))),
        other => text(Some(other)),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(rating: &str) -> String {
        format!(
            r#"{{"@context":"https://schema.org","@type":"ClaimReview","url":"https://factcheck.example/r/1",
               "claimReviewed":"Rebels took Qusayr","author":{{"@type":"Organization","name":"Check Desk"}},
               "reviewRating":{{"@type":"Rating",{rating}}}}}"#
        )
    }

    #[test]
    fn ratings_map_to_outcomes() {
        for (rating, want) in [
            (r#""ratingValue":5"#, Some(true)),
            (r#""ratingValue":"4""#, Some(true)),
            (r#""ratingValue":3"#, None),
            (r#""ratingValue":2"#, Some(false)),
            (r#""ratingValue":"1","alternateName":"False""#, Some(false)),
            (r#""alternateName":"Unproven""#, None),
            (r#""ratingValue":8,"bestRating":10,"worstRating":0"#, Some(true)),
            (r#""ratingValue":"0","bestRating":"10","worstRating":"0""#, Some(false)),
        ] {
            let r = ClaimReview::from_json(review(rating).as_bytes(), "r.json").unwrap();
            assert_eq!(r.outcome(), want, "{rating}");
            assert_eq!(r.reviewer.as_deref(), Some("Check Desk"));
            assert_eq!(r.claim_reviewed.as_deref(), Some("Rebels took Qusayr"));
        }
    }

    #[test]
    fn reviews_are_found_in_graphs_and_arrays() {
        let doc = format!(r#"{{"@graph":[{{"@type":"WebPage"}},{}]}}"#, review(r#""ratingValue":1"#));
        assert_eq!(ClaimReview::from_json(doc.as_bytes(), "g.json").unwrap().outcome(), Some(false));
        let doc = format!(r"[{}]", review(r#""ratingValue":5"#));
        assert_eq!(ClaimReview::from_json(doc.as_bytes(), "a.json").unwrap().outcome(), Some(true));
    }

    #[test]
    fn bad_reviews_are_errors_naming_the_file() {
        for (doc, needle) in [
            ("not json".to_string(), "not JSON"),
            (r#"{"@type":"WebPage"}"#.to_string(), "no object"),
            (format!("[{},{}]", review(r#""ratingValue":1"#), review(r#""ratingValue":5"#)), "2 ClaimReview"),
            (review(r#""ratingValue":"high""#), "not a number"),
            (review(r#""ratingValue":7"#), "outside its scale"),
            (review(r#""ratingValue":true"#), "a boolean"),
            (review(r#""ratingValue":3,"bestRating":1,"worstRating":5"#), "not above"),
        ] {
            let e = ClaimReview::from_json(doc.as_bytes(), "bad.json").unwrap_err().to_string();
            assert!(e.starts_with("bad.json: ") && e.contains(needle), "{e}");
        }
    }
}
