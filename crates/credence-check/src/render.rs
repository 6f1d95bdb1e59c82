//! The pages of a check: Markdown and HTML for a person, JSON for programs, `ClaimReview` JSON-LD for
//! fact-check aggregators. Each is a pure function of a [`CheckReport`]: the same result gives the same bytes.

use std::fmt::Write as _;

use serde_json::{Value, json};

use credence_report::inert::{jsonld_bytes, neutralise_json, visible};
use credence_report::markup::esc;
use credence_stance::Stance;

use crate::{ArticleView, CheckError, CheckReport, EvidenceView, Verdict};

/// The formats of a check page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    /// Markdown.
    Md,
    /// One self-contained HTML page (no scripts, no external resources).
    Html,
    /// JSON following `schema/check.schema.json`.
    Json,
    /// schema.org `ClaimReview` JSON-LD with the verdict as the rating.
    Claimreview,
}

/// Most quotes shown each way on the person-readable pages.
const STRONGEST: usize = 5;

/// Writes `report` in `format`.
pub fn render(report: &CheckReport, format: CheckFormat) -> Result<Vec<u8>, CheckError> {
    Ok(match format {
        CheckFormat::Json => {
            let mut v = serde_json::to_value(report)?;
            neutralise_json(&mut v);
            let mut out = serde_json::to_vec_pretty(&v)?;
            out.push(b'\n');
            out
        }
        CheckFormat::Claimreview => jsonld_bytes(claimreview(report))?,
        CheckFormat::Md => markdown(report).into_bytes(),
        CheckFormat::Html => html(report).into_bytes(),
    })
}

/// What the verdict means, in a sentence.
fn verdict_words(v: Verdict) -> &'static str {
    match v {
        Verdict::Supported => "the coverage supports the claim",
        Verdict::Disputed => "the coverage is divided: some origins support the claim and some refute it",
        Verdict::Debunked => "the coverage refutes the claim",
        Verdict::Unverified => "the coverage does not settle the claim: too little of it commits either way",
    }
}

/// `ClaimReview` rating: 1 debunked, 2 disputed, 3 unverified, 5 supported (on a 1–5 scale).
fn rating_value(v: Verdict) -> u8 {
    match v {
        Verdict::Debunked => 1,
        Verdict::Disputed => 2,
        Verdict::Unverified => 3,
        Verdict::Supported => 5,
    }
}

fn claimreview(r: &CheckReport) -> Value {
    let appearances: Vec<Value> = r
        .articles
        .iter()
        .filter(|a| a.stance == Stance::Supports)
        .map(|a| {
            let mut v = json!({"@type": "CreativeWork", "identifier": a.path, "publisher": {"@type": "Organization", "name": a.outlet}});
            if let Some(h) = &a.headline {
                v["headline"] = json!(h);
            }
            if let Some(d) = &a.published {
                v["datePublished"] = json!(d);
            }
            v
        })
        .collect();
    let mut item = json!({"@type": "Claim", "text": r.claim, "appearance": appearances});
    if let Some(first) = r.timeline.iter().find(|t| t.stance == Stance::Supports) {
        item["datePublished"] = json!(first.date);
    }
    json!({
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": r.claim,
        "author": {"@type": "Organization", "name": "credence check"},
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating_value(r.verdict),
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": r.verdict.name(),
            "ratingExplanation": format!(
                "{}: support {:.2} ({:.0}% interval {:.2}–{:.2}) from {} supporting, {} refuting and {} observing origins over {} articles ({} unrelated). Scale: 1 debunked, 2 disputed, 3 unverified, 5 supported.",
                verdict_words(r.verdict),
                r.support,
                r.level * 100.0,
                r.interval[0],
                r.interval[1],
                r.counts.supports,
                r.counts.refutes,
                r.counts.observing,
                r.counts.articles,
                r.counts.unrelated
            ),
        },
    })
}

/// Markdown-escapes article text: visible control characters, no markup, no HTML.
fn md(s: &str) -> String {
    let s = visible(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A text bar of `width` cells for a value in [0, 1].
fn bar(x: f64, width: usize) -> String {
    let n = ((x.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(n), "░".repeat(width - n))
}

/// The strongest evidence of one stance over all articles: (article, evidence), most relevant first.
fn strongest(r: &CheckReport, stance: Stance) -> Vec<(&ArticleView, &EvidenceView)> {
    let mut all: Vec<(&ArticleView, &EvidenceView)> = r
        .articles
        .iter()
        .filter(|a| a.stance == stance)
        .flat_map(|a| a.evidence.iter().filter(move |e| e.stance == stance).map(move |e| (a, e)))
        .collect();
    all.sort_by(|x, y| y.1.relevance.total_cmp(&x.1.relevance).then_with(|| x.0.path.cmp(&y.0.path)));
    // One quote per origin: the strongest.
    let mut seen: Vec<&str> = Vec::new();
    all.retain(|(a, _)| {
        let o = a.origin.as_deref().unwrap_or("");
        if seen.contains(&o) {
            false
        } else {
            seen.push(o);
            true
        }
    });
    all.truncate(STRONGEST);
    all
}

fn markdown(r: &CheckReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Claim check: {}\n", md(&r.claim));
    let _ = writeln!(o, "**Verdict: {}** — {}.\n", r.verdict.name(), verdict_words(r.verdict));
    let _ = writeln!(
        o,
        "Support `{}` **{:.2}** ({:.0}% interval {:.2}–{:.2})\n",
        bar(r.support, 20),
        r.support,
        r.level * 100.0,
        r.interval[0],
        r.interval[1]
    );
    let c = &r.counts;
    let _ = writeln!(o, "| origins | supporting | refuting | observing | articles read | unrelated |");
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    let _ = writeln!(
        o,
        "| {} | {} (weight {:.2}) | {} (weight {:.2}) | {} | {} | {} |\n",
        r.origins.len(),
        c.supports,
        c.weight_for,
        c.refutes,
        c.weight_against,
        c.observing,
        c.articles,
        c.unrelated
    );
    let _ = writeln!(
        o,
        "Support is the mean of Beta({} + {:.2}, {} + {} × {:.2}): each origin counted once, weighed by its grade; observing origins add nothing either way.\n",
        r.settings.prior_for, c.weight_for, r.settings.prior_against, r.settings.refute_weight, c.weight_against
    );
    for (stance, title) in [(Stance::Refutes, "Strongest against"), (Stance::Supports, "Strongest for")] {
        let quotes = strongest(r, stance);
        if quotes.is_empty() {
            continue;
        }
        let _ = writeln!(o, "## {title}\n");
        for (a, e) in quotes {
            let _ = writeln!(o, "- “{}”", md(&e.quote));
            let mut line = format!("  — {}", md(&e.chain.join(" ← ")));
            line.push_str(&format!(", `{}`", md(&a.path)));
            if let Some(cue) = &e.cue {
                line.push_str(&format!("; cue “{}” ({})", md(cue), md(&e.reason)));
            }
            if !e.caveats.is_empty() {
                line.push_str(&format!("; caveats: {}", md(&e.caveats.join(", "))));
            }
            let _ = writeln!(o, "{line}");
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Origins\n");
    if r.origins.is_empty() {
        let _ = writeln!(o, "No article speaks to the claim.\n");
    } else {
        let _ = writeln!(o, "| origin | kind | grade | weight | stance | articles |");
        let _ = writeln!(o, "|---|---|---|---|---|---|");
        for g in &r.origins {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {:.2} | {} | {}{} |",
                md(&g.name),
                md(&g.kind),
                g.grade,
                g.weight,
                g.stance.name(),
                g.articles.len(),
                if g.superseded.is_empty() { String::new() } else { format!(" ({} superseded)", g.superseded.len()) }
            );
        }
        o.push('\n');
    }
    if !r.timeline.is_empty() {
        let _ = writeln!(o, "## Timeline\n");
        for t in &r.timeline {
            let _ = writeln!(
                o,
                "- {} — {}: {}{} (`{}`)",
                t.date,
                md(&t.outlet),
                t.stance.name(),
                if t.superseded { ", superseded later" } else { "" },
                md(&t.path)
            );
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## Articles and the sentences matched\n");
    for a in &r.articles {
        let _ = writeln!(
            o,
            "### `{}` — {}: {} (relevance {:.2})\n",
            md(&a.path),
            md(&a.outlet),
            a.stance.name(),
            a.relevance
        );
        if let Some(copy) = &a.copy_of {
            let _ = writeln!(o, "Copies `{}`.\n", md(copy));
        }
        if a.evidence.is_empty() {
            let _ = writeln!(o, "Nothing in it speaks to the claim.\n");
            continue;
        }
        for e in &a.evidence {
            let _ = writeln!(
                o,
                "- {}{} ({}, {:.2}): {}",
                if e.headline { "headline, " } else { "" },
                e.stance.name(),
                md(&e.reason),
                e.relevance,
                marked_md(e)
            );
        }
        o.push('\n');
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(o, "## Files not read\n");
        for s in &r.skipped {
            let _ = writeln!(o, "- `{}`: {}", md(&s.path), md(&s.reason));
        }
        o.push('\n');
    }
    o
}

/// The quote with the matched claim terms in bold.
fn marked_md(e: &EvidenceView) -> String {
    marked(e, md, "**", "**")
}

fn marked(e: &EvidenceView, escape: fn(&str) -> String, open: &str, close: &str) -> String {
    let mut spans = e.matched.clone();
    spans.sort_unstable();
    let mut out = String::new();
    let mut at = 0;
    for [s, t] in spans {
        if s < at {
            continue;
        }
        let (Some(before), Some(inner)) = (e.quote.get(at..s), e.quote.get(s..t)) else { continue };
        out.push_str(&escape(before));
        out.push_str(open);
        out.push_str(&escape(inner));
        out.push_str(close);
        at = t;
    }
    out.push_str(&escape(e.quote.get(at..).unwrap_or("")));
    out
}

const CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}\
main{max-width:46rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}\
.verdict{font-size:1.2rem;padding:.6rem .8rem;border-radius:.4rem;background:#eee}\
.v-supported{background:#dff3e2}.v-debunked{background:#f8dcdc}.v-disputed{background:#fbeccc}\
.bar{height:1rem;background:#e5e5e5;border-radius:.5rem;overflow:hidden;position:relative}\
.fill{height:100%;background:#3b7d4f}.iv{position:absolute;top:0;height:100%;border:2px solid #333;box-sizing:border-box}\
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left}\
.scroll{overflow-x:auto}blockquote{margin:.5rem 0;padding-left:.8rem;border-left:4px solid #bbb}\
.refutes{border-color:#b33}.supports{border-color:#3b7d4f}.observing{border-color:#c90}\
.meta{color:#555;font-size:.85rem}mark{background:#fff2a8}li{margin:.3rem 0;overflow-wrap:anywhere}";

fn html(r: &CheckReport) -> String {
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    let _ = writeln!(o, "<title>Claim check: {}</title>", esc(&r.claim));
    let _ = writeln!(o, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(o, "<h1>Claim check: {}</h1>", esc(&r.claim));
    let _ = writeln!(
        o,
        "<p class=\"verdict v-{0}\"><strong>{0}</strong> — {1}.</p>",
        r.verdict.name(),
        esc(verdict_words(r.verdict))
    );
    let pct = |x: f64| (x.clamp(0.0, 1.0) * 100.0).round();
    let _ = writeln!(
        o,
        "<p>Support <strong>{:.2}</strong> ({:.0}% interval {:.2}–{:.2})</p>\n<div class=\"bar\" role=\"img\" aria-label=\"support {:.2}\"><div class=\"fill\" style=\"width:{}%\"></div><div class=\"iv\" style=\"left:{}%;width:{}%\"></div></div>",
        r.support,
        r.level * 100.0,
        r.interval[0],
        r.interval[1],
        r.support,
        pct(r.support),
        pct(r.interval[0]),
        (pct(r.interval[1]) - pct(r.interval[0])).max(0.0)
    );
    let c = &r.counts;
    let _ = writeln!(
        o,
        "<div class=\"scroll\"><table><tr><th>origins</th><th>supporting</th><th>refuting</th><th>observing</th><th>articles</th><th>unrelated</th></tr><tr><td>{}</td><td>{} (weight {:.2})</td><td>{} (weight {:.2})</td><td>{}</td><td>{}</td><td>{}</td></tr></table></div>",
        r.origins.len(),
        c.supports,
        c.weight_for,
        c.refutes,
        c.weight_against,
        c.observing,
        c.articles,
        c.unrelated
    );
    let _ = writeln!(
        o,
        "<p class=\"meta\">Support is the mean of Beta({} + {:.2}, {} + {} × {:.2}): each origin counted once and weighed by its grade; observing origins add nothing either way.</p>",
        r.settings.prior_for, c.weight_for, r.settings.prior_against, r.settings.refute_weight, c.weight_against
    );
    for (stance, title) in [(Stance::Refutes, "Strongest against"), (Stance::Supports, "Strongest for")] {
        let quotes = strongest(r, stance);
        if quotes.is_empty() {
            continue;
        }
        let _ = writeln!(o, "<h2>{title}</h2>");
        for (a, e) in quotes {
            let _ = write!(
                o,
                "<blockquote class=\"{}\">{}<div class=\"meta\">{} · {}",
                stance.name(),
                marked_html(e),
                esc(&e.chain.join(" ← ")),
                esc(&a.path)
            );
            if let Some(cue) = &e.cue {
                let _ = write!(o, " · cue “{}” ({})", esc(cue), esc(&e.reason));
            }
            if !e.caveats.is_empty() {
                let _ = write!(o, " · caveats: {}", esc(&e.caveats.join(", ")));
            }
            o.push_str("</div></blockquote>\n");
        }
    }
    o.push_str("<h2>Origins</h2>\n");
    if r.origins.is_empty() {
        o.push_str("<p>No article speaks to the claim.</p>\n");
    } else {
        o.push_str("<div class=\"scroll\"><table><tr><th>origin</th><th>kind</th><th>grade</th><th>weight</th><th>stance</th><th>articles</th></tr>\n");
        for g in &r.origins {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{}</td><td>{}{}</td></tr>",
                esc(&g.name),
                esc(&g.kind),
                esc(&g.grade),
                g.weight,
                g.stance.name(),
                g.articles.len(),
                if g.superseded.is_empty() { String::new() } else { format!(" ({} superseded)", g.superseded.len()) }
            );
        }
        o.push_str("</table></div>\n");
    }
    if !r.timeline.is_empty() {
        o.push_str("<h2>Timeline</h2>\n<ul>\n");
        for t in &r.timeline {
            let _ = writeln!(
                o,
                "<li>{} — {}: {}{} <span class=\"meta\">{}</span></li>",
                esc(&t.date),
                esc(&t.outlet),
                t.stance.name(),
                if t.superseded { ", superseded later" } else { "" },
                esc(&t.path)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("<h2>Articles and the sentences matched</h2>\n");
    for a in &r.articles {
        let _ = writeln!(
            o,
            "<h3>{} <span class=\"meta\">{} · {} · relevance {:.2}</span></h3>",
            esc(&a.path),
            esc(&a.outlet),
            a.stance.name(),
            a.relevance
        );
        if let Some(copy) = &a.copy_of {
            let _ = writeln!(o, "<p class=\"meta\">Copies {}.</p>", esc(copy));
        }
        if a.evidence.is_empty() {
            o.push_str("<p class=\"meta\">Nothing in it speaks to the claim.</p>\n");
            continue;
        }
        o.push_str("<ul>\n");
        for e in &a.evidence {
            let _ = writeln!(
                o,
                "<li><span class=\"meta\">{}{} ({}, {:.2})</span> {}</li>",
                if e.headline { "headline, " } else { "" },
                e.stance.name(),
                esc(&e.reason),
                e.relevance,
                marked_html(e)
            );
        }
        o.push_str("</ul>\n");
    }
    if !r.skipped.is_empty() {
        o.push_str("<h2>Files not read</h2>\n<ul>\n");
        for s in &r.skipped {
            let _ = writeln!(o, "<li>{}: {}</li>", esc(&s.path), esc(&s.reason));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

fn marked_html(e: &EvidenceView) -> String {
    marked(e, esc, "<mark>", "</mark>")
}
