//! Listings as aligned text (for a terminal) or CSV (for a spreadsheet), byte-for-byte deterministic.
//!
//! CSV follows RFC 4180: a header row, fields separated by commas, records ended by CRLF, and a field
//! wrapped in double quotes (a quote inside written twice) exactly when it holds a comma, a quote, a CR or
//! an LF. Lists inside a field are joined by `; `. Numbers are written the same on every machine: counts
//! of evidence as integers when whole (else with up to six decimals), probabilities with four decimals.
//! Rows come sorted by source key or claim, as the store returns them.

use std::fmt::Write as _;

use crate::{OutcomeRecord, SettleSummary, SourceRecord};

/// Writes one CSV field, quoted when RFC 4180 needs it.
pub fn csv_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

fn csv_row<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f.as_ref());
    }
    out.push_str("\r\n");
}

/// An evidence count: `3` when whole, else up to six decimals (`2.5`, `0.333333`).
#[must_use]
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A probability with four decimals.
#[must_use]
pub fn prob(x: f64) -> String {
    let s = format!("{:.4}", if x.is_finite() { x } else { 0.0 });
    if s == "-0.0000" { "0.0000".into() } else { s }
}

/// The sources listing as CSV; `mass` is the credible interval's mass (0.9 in the default config).
///
/// Columns: `source,name,kind,ids,aliases,domains,stories,claims,correct,wrong,asserted,refuted,relayed,
/// reliability,low,high`, where `reliability` is the mean of `Beta(correct + 1, wrong + 1)` and `low`–`high`
/// its central credible interval.
#[must_use]
pub fn sources_csv(sources: &[SourceRecord], mass: f64) -> String {
    let mut out = String::new();
    csv_row(
        &mut out,
        &[
            "source",
            "name",
            "kind",
            "ids",
            "aliases",
            "domains",
            "stories",
            "claims",
            "correct",
            "wrong",
            "asserted",
            "refuted",
            "relayed",
            "reliability",
            "low",
            "high",
        ],
    );
    for s in sources {
        let [lo, hi] = s.evidence.interval(mass);
        csv_row(
            &mut out,
            &[
                s.key.clone(),
                s.name.clone(),
                s.kind.clone(),
                s.ids.join("; "),
                s.aliases.join("; "),
                s.domains.join("; "),
                s.evidence.stories.to_string(),
                s.evidence.claims.to_string(),
                count(s.evidence.correct),
                count(s.evidence.wrong),
                s.asserted.to_string(),
                s.refuted.to_string(),
                s.relayed.to_string(),
                prob(s.evidence.mean()),
                prob(lo),
                prob(hi),
            ],
        );
    }
    out
}

fn outcome_word(o: Option<bool>) -> &'static str {
    match o {
        Some(true) => "true",
        Some(false) => "false",
        None => "unsettled",
    }
}

/// The outcomes listing as CSV.
///
/// Columns: `claim,story,title,text,outcome,method,rating,scale,verdict,reviewer,review_url,review_file,
/// claim_reviewed,revision,recorded,asserted_by,refuted_by`; `recorded` is `no` for a detached outcome (its
/// story's latest record lacks the claim), `scale` is `worst–best` of a rating.
#[must_use]
pub fn outcomes_csv(outcomes: &[OutcomeRecord]) -> String {
    let mut out = String::new();
    csv_row(
        &mut out,
        &[
            "claim",
            "story",
            "title",
            "text",
            "outcome",
            "method",
            "rating",
            "scale",
            "verdict",
            "reviewer",
            "review_url",
            "review_file",
            "claim_reviewed",
            "revision",
            "recorded",
            "asserted_by",
            "refuted_by",
        ],
    );
    for o in outcomes {
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        csv_row(
            &mut out,
            &[
                o.claim.to_string(),
                o.claim.story.clone(),
                o.title.clone(),
                opt(&o.text),
                outcome_word(o.outcome).to_string(),
                o.method.clone(),
                o.rating.map(|r| count(r.0)).unwrap_or_default(),
                o.rating.map(|r| format!("{}-{}", count(r.1), count(r.2))).unwrap_or_default(),
                opt(&o.verdict),
                opt(&o.reviewer),
                opt(&o.review_url),
                opt(&o.review_file),
                opt(&o.claim_reviewed),
                o.revision.to_string(),
                if o.text.is_some() { "yes" } else { "no" }.to_string(),
                o.asserted_by.join("; "),
                o.refuted_by.join("; "),
            ],
        );
    }
    out
}

/// Makes a value safe to print on a terminal: control characters and bidirectional overrides become
/// `\u{..}` escapes, so no stored text can move the cursor or reorder the line.
#[must_use]
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders rows as columns padded to their widest cell (in characters); numbers right-aligned.
fn table(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                l.push_str("  ");
            }
            let pad = width[i] - c.chars().count();
            if right[i] {
                l.extend(std::iter::repeat_n(' ', pad));
                l.push_str(c);
            } else {
                l.push_str(c);
                l.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&header.iter().map(std::string::ToString::to_string).collect::<Vec<_>>());
    for r in rows {
        line(r);
    }
    out
}

/// The sources listing as a text table: source, name, kind, stories, settled claims, correct, wrong,
/// reliability and its credible interval of `mass`.
#[must_use]
pub fn sources_table(sources: &[SourceRecord], mass: f64) -> String {
    let pct = format!("{}% interval", prob(mass * 100.0).trim_end_matches('0').trim_end_matches('.'));
    let header = ["source", "name", "kind", "stories", "claims", "correct", "wrong", "reliability", pct.as_str()];
    let rows: Vec<Vec<String>> = sources
        .iter()
        .map(|s| {
            let [lo, hi] = s.evidence.interval(mass);
            vec![
                printable(&s.key),
                printable(&s.name),
                printable(&s.kind),
                s.evidence.stories.to_string(),
                s.evidence.claims.to_string(),
                count(s.evidence.correct),
                count(s.evidence.wrong),
                prob(s.evidence.mean()),
                format!("{}-{}", prob(lo), prob(hi)),
            ]
        })
        .collect();
    table(&header, &rows, &[false, false, false, true, true, true, true, true, false])
}

/// The outcomes listing as a text table.
#[must_use]
pub fn outcomes_table(outcomes: &[OutcomeRecord]) -> String {
    let header = ["claim", "outcome", "method", "revision", "asserted by", "refuted by"];
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .map(|o| {
            vec![
                printable(&o.claim.to_string()) + if o.text.is_some() { "" } else { " (detached)" },
                outcome_word(o.outcome).to_string(),
                o.method.clone(),
                o.revision.to_string(),
                printable(&o.asserted_by.join(", ")),
                printable(&o.refuted_by.join(", ")),
            ]
        })
        .collect();
    table(&header, &rows, &[false, false, false, true, false, false])
}

/// What `settle` did, in lines: the claim, the outcome change, and each origin's evidence before → after.
#[must_use]
pub fn settle_report(s: &SettleSummary) -> String {
    let mut out = String::new();
    let prev = match s.previous {
        None => "never settled".to_string(),
        Some(o) => outcome_word(o).to_string(),
    };
    let _ = writeln!(out, "{}: {} (was {prev})", printable(&s.claim.to_string()), outcome_word(s.outcome));
    for c in &s.changes {
        let _ = writeln!(
            out,
            "  {}: correct {} -> {}, wrong {} -> {}",
            printable(&c.source),
            count(c.before.correct),
            count(c.after.correct),
            count(c.before.wrong),
            count(c.after.wrong)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4180_quoting() {
        let mut s = String::new();
        csv_row(&mut s, &["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""]);
        assert_eq!(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\r\n");
    }

    #[test]
    fn numbers() {
        assert_eq!(count(3.0), "3");
        assert_eq!(count(2.5), "2.5");
        assert_eq!(count(1.0 / 3.0), "0.333333");
        assert_eq!(count(f64::NAN), "0");
        assert_eq!(prob(0.5), "0.5000");
        assert_eq!(prob(-0.0), "0.0000");
    }

    #[test]
    fn printable_escapes_controls() {
        assert_eq!(printable("a\u{1b}[2Jb\u{202e}c"), "a\\u{1b}[2Jb\\u{202e}c");
    }
}
