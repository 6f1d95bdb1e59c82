//! Outputs as bytes: three CSV files and two reports.
//!
//! Pure functions of the data, the estimate and the config, so that two runs on the same input give
//! byte-identical files: floats are printed with a fixed number of decimals, every sort has a full
//! tie-break (ending in names, which are unique), and nothing reads the clock or the environment.

use std::fmt::Write as _;

use crate::config::DiscoverConfig;
use crate::data::Dataset;
use crate::engine::{Discovery, Pair};

/// Writes one CSV field, quoted when it holds a separator, a quote, a line break or outer spaces.
fn csv_field(out: &mut String, s: &str) {
    let needs = s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ');
    if needs {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn csv_row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f);
    }
    out.push('\n');
}

/// Fixed-decimal float text; never prints `-0.000000` or `NaN`.
/// Appends `n` in decimal, padded with zeros to at least `width` digits.
fn push_digits(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut k = digits.len();
    while n > 0 || digits.len() - k < width {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend(digits[k..].iter().map(|&b| char::from(b)));
}

fn fixed(x: f64, decimals: usize) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    // Fast path for the usual magnitudes: the value scaled to an integer number of units of the last
    // decimal, printed as integer and fraction (the general formatter is many times slower).
    if decimals <= 9 && x.abs() < 1e9 {
        let scale = 10u64.pow(decimals as u32);
        let units = (x.abs() * scale as f64).round() as u64;
        let (int, frac) = (units / scale, units % scale);
        let mut out = String::with_capacity(24);
        if x < 0.0 && units > 0 {
            out.push('-');
        }
        push_digits(&mut out, int, 1);
        if decimals > 0 {
            out.push('.');
            push_digits(&mut out, frac, decimals);
        }
        return out;
    }
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') { s[1..].to_string() } else { s }
}

/// A pair as "copier copies original": the direction with the larger probability (ties: the source with
/// fewer claims of its own outside the pair is taken to be the copier, then the later name).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Directed<'a> {
    pub pair: &'a Pair,
    pub copier: u32,
    pub original: u32,
    /// Probability of this direction given that they are dependent.
    pub direction: f64,
}

pub(crate) fn directed<'a>(d: &Dataset, p: &'a Pair) -> Directed<'a> {
    let dep = p.dependence();
    let own = |s: u32| d.claims_by(s as usize).len().saturating_sub(p.shared as usize);
    let a_is_copier = if (p.a_copies_b - p.b_copies_a).abs() > 1e-12 * dep {
        p.a_copies_b > p.b_copies_a
    } else {
        own(p.a) < own(p.b) || (own(p.a) == own(p.b) && p.a > p.b)
    };
    let (copier, original, prob) = if a_is_copier { (p.a, p.b, p.a_copies_b) } else { (p.b, p.a, p.b_copies_a) };
    Directed { pair: p, copier, original, direction: if dep > 0.0 { prob / dep } else { 0.5 } }
}

/// Reported pairs: dependence at least the threshold, most dependent first, then by names.
pub(crate) fn reported<'a>(d: &Dataset, r: &'a Discovery, cfg: &DiscoverConfig) -> Vec<Directed<'a>> {
    let mut out: Vec<Directed> =
        r.pairs.iter().filter(|p| p.dependence() >= cfg.report_threshold).map(|p| directed(d, p)).collect();
    out.sort_by(|x, y| {
        y.pair
            .dependence()
            .total_cmp(&x.pair.dependence())
            .then_with(|| d.sources[x.copier as usize].cmp(&d.sources[y.copier as usize]))
            .then_with(|| d.sources[x.original as usize].cmp(&d.sources[y.original as usize]))
    });
    out
}

/// `truths.csv`: `object,value,confidence`, one row per object in object-name order.
#[must_use]
pub fn truths_csv(d: &Dataset, r: &Discovery) -> Vec<u8> {
    let mut out = String::with_capacity(d.objects.len() * 40);
    out.push_str("object,value,confidence\n");
    for (o, name) in d.objects.iter().enumerate() {
        let v = r.truth[o] as usize;
        csv_row(&mut out, &[name, &d.value_text[v], &fixed(r.probability[v], 6)]);
    }
    out.into_bytes()
}

/// The most likely original of each source among the reported pairs (copier side only).
fn originals<'a>(d: &Dataset, pairs: &[Directed<'a>]) -> Vec<Option<Directed<'a>>> {
    let mut best: Vec<Option<Directed>> = vec![None; d.sources.len()];
    for p in pairs {
        let slot = &mut best[p.copier as usize];
        let better = match slot {
            None => true,
            Some(q) => p.pair.dependence() * p.direction > q.pair.dependence() * q.direction,
        };
        if better {
            *slot = Some(*p);
        }
    }
    best
}

/// `sources.csv`: accuracy with its credible interval, claims, expected correct claims, and the most
/// likely original the source copies from (empty when no reported pair has it as the copier).
#[must_use]
pub fn sources_csv(d: &Dataset, r: &Discovery, cfg: &DiscoverConfig) -> Vec<u8> {
    let pairs = reported(d, r, cfg);
    let best = originals(d, &pairs);
    let mut out = String::with_capacity(d.sources.len() * 60);
    out.push_str("source,accuracy,accuracy_low,accuracy_high,claims,expected_correct,copies_from,copy_probability\n");
    for (s, name) in d.sources.iter().enumerate() {
        let (from, prob) = match best[s] {
            Some(p) => (d.sources[p.original as usize].as_str(), fixed(p.pair.dependence() * p.direction, 6)),
            None => ("", String::new()),
        };
        csv_row(
            &mut out,
            &[
                name,
                &fixed(r.accuracy[s], 6),
                &fixed(r.accuracy_low[s], 6),
                &fixed(r.accuracy_high[s], 6),
                &d.claims_by(s).len().to_string(),
                &fixed(r.correct[s], 3),
                from,
                &prob,
            ],
        );
    }
    out.into_bytes()
}

/// `copying.csv`: pairs whose dependence is at least `report_threshold`.
///
/// `copy_probability` is the probability that the two are dependent at all; `direction_probability` the
/// probability, given that, that the copier copies from the original rather than the reverse.
#[must_use]
pub fn copying_csv(d: &Dataset, r: &Discovery, cfg: &DiscoverConfig) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(
        "copier,original,copy_probability,direction_probability,shared_objects,same_values,expected_same_false\n",
    );
    for p in reported(d, r, cfg) {
        csv_row(
            &mut out,
            &[
                &d.sources[p.copier as usize],
                &d.sources[p.original as usize],
                &fixed(p.pair.dependence(), 6),
                &fixed(p.direction, 6),
                &p.pair.shared.to_string(),
                &p.pair.same.to_string(),
                &fixed(f64::from(p.pair.same) - p.pair.same_true, 3),
            ],
        );
    }
    out.into_bytes()
}

/// What a report shows, computed once for both formats.
struct Tables {
    summary: Vec<(&'static str, String)>,
    top: Vec<Vec<String>>,
    bottom: Vec<Vec<String>>,
    copying: Vec<Vec<String>>,
    uncertain: Vec<Vec<String>>,
}

fn source_head(cfg: &DiscoverConfig) -> [String; 5] {
    let interval = format!("{}% interval", fixed(cfg.interval_level * 100.0, 0));
    ["source".into(), "accuracy".into(), interval, "claims".into(), "copies from".into()]
}
const COPY_HEAD: [&str; 5] = ["copier", "original", "copy probability", "direction", "same / shared"];
const TRUTH_HEAD: [&str; 4] = ["object", "value", "confidence", "runner-up"];

fn tables(d: &Dataset, r: &Discovery, cfg: &DiscoverConfig, input: &str) -> Tables {
    let pairs = reported(d, r, cfg);
    let best = originals(d, &pairs);
    let mut order: Vec<usize> = (0..d.sources.len()).collect();
    order.sort_by(|&a, &b| r.accuracy[b].total_cmp(&r.accuracy[a]).then(a.cmp(&b)));
    let row = |s: usize| {
        vec![
            d.sources[s].clone(),
            fixed(r.accuracy[s], 3),
            format!("{} – {}", fixed(r.accuracy_low[s], 3), fixed(r.accuracy_high[s], 3)),
            d.claims_by(s).len().to_string(),
            best[s].map_or_else(String::new, |p| {
                format!("{} ({})", d.sources[p.original as usize], fixed(p.pair.dependence() * p.direction, 2))
            }),
        ]
    };
    let k = cfg.report_rows;
    let top: Vec<Vec<String>> = order.iter().take(k).map(|&s| row(s)).collect();
    let bottom: Vec<Vec<String>> =
        order.iter().rev().take(k.min(d.sources.len().saturating_sub(top.len()))).map(|&s| row(s)).collect();
    let copying = pairs
        .iter()
        .take(k)
        .map(|p| {
            vec![
                d.sources[p.copier as usize].clone(),
                d.sources[p.original as usize].clone(),
                fixed(p.pair.dependence(), 3),
                fixed(p.direction, 2),
                format!("{} / {}", p.pair.same, p.pair.shared),
            ]
        })
        .collect();
    let mut objs: Vec<usize> = (0..d.objects.len()).filter(|&o| d.values_of(o).len() > 1).collect();
    objs.sort_by(|&a, &b| {
        r.probability[r.truth[a] as usize].total_cmp(&r.probability[r.truth[b] as usize]).then(a.cmp(&b))
    });
    let uncertain = objs
        .iter()
        .take(k)
        .map(|&o| {
            let t = r.truth[o] as usize;
            let runner = d
                .values_of(o)
                .filter(|&v| v != t)
                .max_by(|&a, &b| r.probability[a].total_cmp(&r.probability[b]).then(b.cmp(&a)))
                .map_or_else(String::new, |v| format!("{} ({})", d.value_text[v], fixed(r.probability[v], 3)));
            vec![d.objects[o].clone(), d.value_text[t].clone(), fixed(r.probability[t], 3), runner]
        })
        .collect();
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    let summary = vec![
        ("input", input.to_string()),
        ("rows read", d.rows.to_string()),
        ("claims used", d.claims().to_string()),
        ("duplicate rows dropped (same object and source)", d.duplicates.to_string()),
        ("rows with an empty value dropped", d.empty_values.to_string()),
        ("objects", d.objects.len().to_string()),
        ("sources", d.sources.len().to_string()),
        ("distinct values", d.value_text.len().to_string()),
        ("iterations", r.iterations.to_string()),
        ("converged", yes(r.converged)),
        ("largest change in the last iteration", fixed(r.changes.last().copied().unwrap_or(0.0), 6)),
        ("copy detection", yes(cfg.copy_detection)),
        ("source pairs sharing a value", r.pairs.len().to_string()),
        ("pairs reported (copy probability ≥ threshold)", pairs.len().to_string()),
    ];
    Tables { summary, top, bottom, copying, uncertain }
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn md_table<S: AsRef<str>>(out: &mut String, head: &[S], rows: &[Vec<String>]) {
    if rows.is_empty() {
        out.push_str("_None._\n\n");
        return;
    }
    let head: Vec<&str> = head.iter().map(AsRef::as_ref).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| md_escape(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// The Markdown report. `input` is the name shown for the input (the file name, not its full path, so
/// that the report does not depend on where the file lives).
#[must_use]
pub fn report_md(d: &Dataset, r: &Discovery, cfg: &DiscoverConfig, input: &str) -> Vec<u8> {
    let t = tables(d, r, cfg, input);
    let mut out = String::new();
    out.push_str("# Truth discovery report\n\n");
    md_table(&mut out, &["", ""], &t.summary.iter().map(|(k, v)| vec![k.to_string(), v.clone()]).collect::<Vec<_>>());
    let _ = writeln!(out, "## Most accurate sources\n");
    md_table(&mut out, &source_head(cfg), &t.top);
    let _ = writeln!(out, "## Least accurate sources\n");
    md_table(&mut out, &source_head(cfg), &t.bottom);
    let _ = writeln!(out, "## Copying between sources\n");
    md_table(&mut out, &COPY_HEAD, &t.copying);
    let _ = writeln!(out, "## Least certain truths\n");
    md_table(&mut out, &TRUTH_HEAD, &t.uncertain);
    out.into_bytes()
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn html_table<S: AsRef<str>>(out: &mut String, head: &[S], rows: &[Vec<String>]) {
    if rows.is_empty() {
        out.push_str("<p><em>None.</em></p>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", html_escape(h.as_ref()));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            let _ = write!(out, "<td>{}</td>", html_escape(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The HTML report: one self-contained page (inline style, no scripts, no external resources), every
/// piece of input text escaped.
#[must_use]
pub fn report_html(d: &Dataset, r: &Discovery, cfg: &DiscoverConfig, input: &str) -> Vec<u8> {
    let t = tables(d, r, cfg, input);
    let mut out = String::new();
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>Truth discovery report</title>\n<style>\n\
         body{font-family:system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#222}\n\
         table{border-collapse:collapse;margin:0 0 1.5em}\n\
         th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\n\
         th{background:#f3f3f3}\ntd{overflow-wrap:anywhere}\n</style>\n</head>\n<body>\n\
         <h1>Truth discovery report</h1>\n",
    );
    out.push_str("<table>\n<tbody>\n");
    for (k, v) in &t.summary {
        let _ = writeln!(out, "<tr><th>{}</th><td>{}</td></tr>", html_escape(k), html_escape(v));
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str("<h2>Most accurate sources</h2>\n");
    html_table(&mut out, &source_head(cfg), &t.top);
    out.push_str("<h2>Least accurate sources</h2>\n");
    html_table(&mut out, &source_head(cfg), &t.bottom);
    out.push_str("<h2>Copying between sources</h2>\n");
    html_table(&mut out, &COPY_HEAD, &t.copying);
    out.push_str("<h2>Least certain truths</h2>\n");
    html_table(&mut out, &TRUTH_HEAD, &t.uncertain);
    out.push_str("</body>\n</html>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let mut s = String::new();
        csv_row(&mut s, &["plain", "a,b", "say \"x\"", " pad", "two\nlines"]);
        assert_eq!(s, "plain,\"a,b\",\"say \"\"x\"\"\",\" pad\",\"two\nlines\"\n");
    }

    #[test]
    fn fixed_never_prints_negative_zero() {
        assert_eq!(fixed(-0.0000001, 6), "0.000000");
        assert_eq!(fixed(f64::NAN, 2), "0.00");
        assert_eq!(fixed(0.5, 3), "0.500");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(fixed(123.456_789_4, 6), "123.456789");
        assert_eq!(fixed(0.999_999_6, 6), "1.000000");
        assert_eq!(fixed(7.0, 0), "7");
        assert_eq!(fixed(2e12, 2), "2000000000000.00");
    }

    #[test]
    fn escapes() {
        assert_eq!(html_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
        assert_eq!(md_escape("a|b*c\nd"), "a\\|b\\*c d");
    }
}
