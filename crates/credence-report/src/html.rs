//! The HTML report: one self-contained page to read, print or publish.
//!
//! Self-contained means the page makes no request of any kind when opened: the CSS is inline, the claim graph
//! is inline SVG, there are no web fonts, no images other than the SVG, and no script at all. Claims expand to
//! their evidence with `<details>`, which needs no script. A Content-Security-Policy meta tag (`default-src
//! 'none'`) backs this up: even if escaping ever failed, a browser would refuse to run injected script or to
//! fetch anything.
//!
//! Every string that came from the story or the articles goes through [`esc`]; only `http(s)` URLs become
//! links (see [`safe_link`]). The page is laid out for a phone-sized screen as well as a desktop, and prints
//! with every claim's evidence opened.

use std::collections::HashMap;
use std::fmt::Write;

use super::markup::{claim_anchor, esc, highlight_html, highlights, safe_link};
use super::svg::{SvgOptions, graph_svg};
use super::{Exporter, ReportInput, f3};
use credence_model::error::Result;
use credence_model::story::Stance;
use credence_score::score::{Assessment, ClaimScore, Interest, ReportScore, SourceOut};

/// Renders the assessment as one self-contained HTML page.
pub struct HtmlExporter;

impl Exporter for HtmlExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        Ok(render(input).into_bytes())
    }
}

const CSS: &str = r#"
:root{--fg:#1d2733;--muted:#5b6b80;--bg:#fff;--panel:#f5f7fa;--line:#d9dee5;--accent:#1f4e8c;--good:#2e7d32;--bad:#c62828;--warn:#8a4b00;
--cue:#d6e8ff;--speaker:#e5f5d8;--caveat:#ffe2a8;color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1180px;margin:0 auto;padding:1rem 1.25rem 3rem;overflow-wrap:anywhere}
h1{font-size:1.55rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
p{margin:.4rem 0}
a{color:var(--accent)}
nav{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.9rem;margin:.5rem 0 1rem}
.muted,.note{color:var(--muted)}
.note{font-size:.9rem}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0;padding:0;list-style:none}
.counts li{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.3rem .7rem}
.counts b{font-size:1.1rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,.id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;overflow-wrap:anywhere}
.claims{list-style:none;padding:0;margin:0}
details.claim{border:1px solid var(--line);border-radius:8px;margin:.5rem 0;background:var(--bg)}
details.claim[open]{box-shadow:0 1px 4px rgba(0,0,0,.08)}
details.claim>summary{cursor:pointer;list-style:none;padding:.6rem .8rem;display:grid;grid-template-columns:2.2rem minmax(0,1fr) 13rem;gap:.2rem .8rem;align-items:start}
details.claim>summary::-webkit-details-marker{display:none}
details.claim>summary::before{content:"▸";position:absolute;margin-left:-.7rem;color:var(--muted)}
details.claim[open]>summary::before{content:"▾"}
.rank{font-weight:700;color:var(--muted);font-variant-numeric:tabular-nums}
.ctext{font-weight:600}
.facts{grid-column:2/4;display:flex;flex-wrap:wrap;gap:.25rem .9rem;font-size:.85rem;color:var(--muted)}
.facts b{color:var(--fg)}
.score{font-variant-numeric:tabular-nums;font-size:.85rem}
.score .num{font-weight:700;font-size:1rem;color:var(--fg)}
svg.bar{display:block;width:100%;height:12px;margin:.15rem 0}
.grade{display:inline-block;min-width:2.2em;text-align:center;border-radius:4px;padding:0 .3em;font-weight:700;background:#e8edf4;color:var(--fg)}
.g-A,.g-B{background:#d7efd9}.g-C{background:#e8edf4}.g-D{background:#fdf0d2}.g-E,.g-F{background:#fbdcdc}
.conflict{color:var(--bad)}
.body{padding:.2rem .9rem .9rem;border-top:1px solid var(--line)}
.evidence{list-style:none;padding:0;margin:.3rem 0}
.evidence>li{border-left:4px solid var(--good);background:var(--panel);margin:.5rem 0;padding:.45rem .7rem;border-radius:0 6px 6px 0}
.evidence>li.refutes{border-left-color:var(--bad)}
.evidence>li.repeat{opacity:.8;border-left-style:dashed}
.chain{font-weight:600;overflow-wrap:anywhere}
.chain .hop.origin{text-decoration:underline;text-decoration-color:var(--accent);text-underline-offset:3px}
.chain .arrow{color:var(--muted);font-weight:400;padding:0 .4em}
blockquote{margin:.35rem 0;padding:.1rem 0 .1rem .7rem;border-left:2px solid var(--line);font-style:normal;overflow-wrap:anywhere}
mark{border-radius:3px;padding:0 .12em;color:inherit}
mark.cue{background:var(--cue)}mark.speaker{background:var(--speaker)}mark.caveat{background:var(--caveat)}
.badges{display:flex;flex-wrap:wrap;gap:.25rem;font-size:.8rem;margin:.2rem 0}
.badge{border:1px solid var(--line);border-radius:999px;padding:0 .5rem;background:var(--bg);max-width:100%;overflow-wrap:anywhere}
.badge.caveat{background:var(--caveat)}.badge.refutes,.badge.self-serving{border-color:var(--bad);color:var(--bad)}
.badge.admission{border-color:var(--good);color:var(--good)}
.trust{font-size:.8rem;color:var(--muted);font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.lead{font-size:1.1rem;font-weight:600;margin:.6rem 0}
.answer h3{margin:.9rem 0 .2rem}
ul.short{margin:.2rem 0;padding-left:1.2rem}
ul.short li{margin:.15rem 0}
.legend-box{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.3rem .8rem;margin:.8rem 0;font-size:.9rem}
.legend-box>summary{cursor:pointer;font-weight:600}
.legend-box ul{margin:.3rem 0;padding-left:1.2rem}
ul.tree,ul.tree ul{list-style:none;margin:0;padding-left:1.1rem}
ul.tree{padding-left:0;margin:.4rem 0}
ul.tree ul li{border-left:1px solid var(--line);padding-left:.6rem;position:relative}
ul.tree ul li::before{content:"";position:absolute;left:0;top:.75em;width:.45rem;border-top:1px solid var(--line)}
ul.tree li{overflow-wrap:anywhere}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem;margin:.3rem 0}
.explain{font-size:.9rem}
.graph{overflow:auto;border:1px solid var(--line);border-radius:8px;max-height:90vh;background:#fff}
.graph svg{display:block;max-width:none;height:auto}
footer{margin-top:2.5rem;font-size:.8rem;color:var(--muted);border-top:1px solid var(--line);padding-top:.6rem}
@media (max-width:700px){
 main{padding:.6rem .7rem 2rem}
 body{font-size:14px}
 h1{font-size:1.25rem}
 details.claim>summary{grid-template-columns:1.8rem minmax(0,1fr)}
 details.claim>summary .score{grid-column:2}
 .facts{grid-column:1/3}
 .hide-narrow{display:none}
}
@media print{
 body{font-size:10.5pt}
 main{max-width:none;padding:0}
 nav,.graph-hint{display:none}
 details.claim{break-inside:auto;box-shadow:none}
 details.claim>summary::before{content:none}
 details.claim::details-content{content-visibility:visible;display:contents}
 details.claim:not([open])>.body{display:block}
 .graph{overflow:visible;max-height:none;border:none}
 .graph svg{max-width:100%}
 .evidence>li,.counts li,th,mark,.grade,.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit;text-decoration:none}
}
"#;

fn render(input: &ReportInput<'_>) -> String {
    let a = input.assessment;
    let sources: HashMap<&str, &SourceOut> = a.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut out = String::with_capacity(256 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
    );
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"credence\">\n");
    let _ = writeln!(out, "<title>Reliability report: {}</title>", esc(&a.story.title));
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>\n<main>");

    // The answer first, then the claims by support and how they reached the story; what was read and how,
    // and every source, in the appendix.
    summary(&mut out, input);
    claims(&mut out, input, &sources);
    graph(&mut out, input);
    contradictions(&mut out, a);
    out.push_str("<section id=\"appendix\">\n<h2>Appendix</h2>\n");
    articles(&mut out, input);
    sources_table(&mut out, a);
    out.push_str("</section>\n");
    footer(&mut out, a);

    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The last part of a path: a published page names no folder of the machine it was made on.
fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(out: &mut String, input: &ReportInput<'_>) {
    let a = input.assessment;
    let _ = writeln!(out, "<header>\n<p class=\"muted\">Reliability report</p>\n<h1>{}</h1>", esc(&a.story.title));
    if let Some(d) = &a.story.description {
        let _ = writeln!(out, "<p>{}</p>", esc(d));
    }
    let n_reports: usize = a.claims.iter().map(|c| c.reports.len()).sum();
    let answer = super::words::answer(&a.claims, &input.scale);
    let _ =
        writeln!(out, "<section id=\"answer\" class=\"answer\">\n<p class=\"lead\">{}</p>", esc(&answer.sentence()));
    for (heading, group) in answer.groups() {
        let _ = writeln!(
            out,
            "<h3>{} <span class=\"muted\">({})</span></h3>\n<ul class=\"short\">",
            esc(heading),
            group.len()
        );
        for c in group.iter().take(ANSWER_SHOWN) {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a> <span class=\"muted\">{} · {}</span></li>",
                esc(&claim_anchor(&c.id)),
                esc(&c.text),
                f3(c.support),
                esc(&super::words::reading(c, &input.scale))
            );
        }
        if group.len() > ANSWER_SHOWN {
            let _ = writeln!(
                out,
                "<li class=\"muted\"><a href=\"#claims\">and {} more</a></li>",
                group.len() - ANSWER_SHOWN
            );
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">From {}, {} and {}.</p>",
        plural(n_reports, "report", "reports"),
        plural(a.articles.len(), "article", "articles"),
        plural(a.sources.len(), "source", "sources")
    );
    out.push_str("<details class=\"legend-box\" open><summary>How to read the scores</summary>\n<ul>\n");
    for line in super::words::scale_legend(&input.scale, a.parameters.interval) {
        let _ = writeln!(out, "<li>{}</li>", esc(&line));
    }
    out.push_str(
        "<li>Reports that share an origin or come through copied text count once; each is discounted by the trust of its attribution chain.</li>\n</ul></details>\n</section>\n",
    );
    out.push_str("<nav><a href=\"#claims\">Claims</a><a href=\"#graph\">Claim graph</a>");
    if !a.contradictions.is_empty() {
        out.push_str("<a href=\"#contradictions\">Contradictions</a>");
    }
    out.push_str("<a href=\"#articles\">Articles read</a><a href=\"#sources\">Sources</a></nav>\n</header>\n");
}

/// How many claims of each group of the answer are listed at the top (the rest are a link away).
const ANSWER_SHOWN: usize = 3;

/// The appendix's table of the articles read (and the files not read).
fn articles(out: &mut String, input: &ReportInput<'_>) {
    let a = input.assessment;
    // Articles read.
    out.push_str("<section id=\"articles\">\n<h3>Articles read</h3>\n");
    let readings: HashMap<&str, &super::ArticleReading> =
        input.readings.unwrap_or(&[]).iter().map(|r| (r.article.as_str(), r)).collect();
    match input.readings {
        Some(_) => out.push_str(
            "<p class=\"note\">Extracted from a folder of article files: each file's kept paragraphs and the lines removed as boilerplate (sign-up forms, pitches, captions, sidebars), by rule.</p>\n",
        ),
        None => out.push_str(
            "<p class=\"note\">Scored from a story file: the article files were not read again, so boilerplate counts are not known here (score the folder of articles to see them).</p>\n",
        ),
    }
    let names: HashMap<&str, &str> = a.sources.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect();
    let titles: HashMap<&str, &str> = a.articles.iter().map(|x| (x.id.as_str(), x.title.as_str())).collect();
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr><th>Article</th><th>Outlet</th><th>Published</th>");
    if input.readings.is_some() {
        out.push_str("<th class=\"n\">Paragraphs</th><th>Boilerplate dropped</th>");
    }
    out.push_str("<th>Copies text from</th><th class=\"n\">Reports</th></tr></thead>\n<tbody>\n");
    let mut reports_per: HashMap<&str, usize> = HashMap::new();
    for c in &a.claims {
        for r in &c.reports {
            *reports_per.entry(r.article.as_str()).or_default() += 1;
        }
    }
    for ar in &a.articles {
        let link = input
            .graph
            .article_ix(&ar.id)
            .and_then(|ix| input.graph.article(ix).url.as_deref())
            .map(|u| match safe_link(u) {
                Some(l) => format!(" <a href=\"{}\" rel=\"noopener noreferrer nofollow\">link</a>", esc(l)),
                None => format!(" <span class=\"muted\">(url: <code>{}</code>)</span>", esc(u)),
            })
            .unwrap_or_default();
        let title = if ar.title.is_empty() { "(untitled)" } else { ar.title.as_str() };
        let _ = write!(
            out,
            "<tr><td>{}{link}<br><span class=\"id\">{}</span></td><td>{}</td><td>{}</td>",
            esc(title),
            esc(&ar.id),
            esc(names.get(ar.outlet.as_str()).copied().unwrap_or(&ar.outlet)),
            esc(ar.published.as_deref().unwrap_or("—"))
        );
        if input.readings.is_some() {
            match readings.get(ar.id.as_str()) {
                Some(r) => {
                    let rules = r.rules.iter().map(|(k, n)| format!("{} {n}", esc(k))).collect::<Vec<_>>().join(", ");
                    let _ = write!(
                        out,
                        "<td class=\"n\">{}</td><td>{}{}<br><span class=\"id\">{}</span></td>",
                        r.paragraphs,
                        plural(r.dropped, "line", "lines"),
                        if rules.is_empty() { String::new() } else { format!(" ({rules})") },
                        esc(file_name(&r.file))
                    );
                }
                None => out.push_str("<td class=\"n\">—</td><td>—</td>"),
            }
        }
        let copies: Vec<String> = ar
            .copied_from
            .iter()
            .map(|c| {
                format!(
                    "{} <span class=\"muted\">(containment {:.0}%)</span>",
                    esc(titles.get(c.article.as_str()).filter(|t| !t.is_empty()).copied().unwrap_or(&c.article)),
                    c.containment * 100.0
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<td>{}</td><td class=\"n\">{}</td></tr>",
            if copies.is_empty() { "—".to_string() } else { copies.join("<br>") },
            reports_per.get(ar.id.as_str()).copied().unwrap_or(0)
        );
    }
    out.push_str("</tbody></table></div>\n");
    if !a.skipped.is_empty() {
        let lost = a.skipped.iter().filter(|s| s.lost).count();
        let _ = writeln!(
            out,
            "<h4 id=\"skipped\">Files not read</h4>\n<p class=\"note\">{}</p>\n<div class=\"scroll\"><table>\n<thead><tr><th>File</th><th>Reason</th><th>What to do</th></tr></thead>\n<tbody>",
            if lost > 0 {
                format!(
                    "Partial run: {} looked like articles but could not be read; the report covers the rest.",
                    plural(lost, "file", "files")
                )
            } else {
                "No article was lost: these files are not articles.".to_string()
            }
        );
        for s in &a.skipped {
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{}{}</td><td>{}</td></tr>",
                esc(file_name(&s.file)),
                esc(&s.reason),
                if s.lost { " <strong>(article lost)</strong>" } else { "" },
                esc(&s.message)
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
    out.push_str("</section>\n");
}

/// A horizontal bar: the credible interval as a light band, the support as a dark tick.
fn bar(c: &ClaimScore, scale: &super::Scale) -> String {
    let pct = |x: f64| if x.is_nan() { 0.0 } else { (x.clamp(0.0, 1.0) * 100.0 * 10.0).round() / 10.0 };
    let (lo, hi, p) = (pct(c.interval[0]), pct(c.interval[1]), pct(c.support));
    let fill = match scale.tone(c) {
        super::Tone::Good => "#2e7d32",
        super::Tone::Even => "#4a6fa5",
        super::Tone::Bad => "#c62828",
        super::Tone::Unrated => "#8a96a8",
    };
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 100 12\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect width=\"100\" height=\"12\" fill=\"#e4e8ee\"/><rect x=\"0\" y=\"3\" width=\"{p:.1}\" height=\"6\" fill=\"{fill}\"/><rect x=\"{lo:.1}\" y=\"0\" width=\"{:.1}\" height=\"12\" fill=\"{fill}\" fill-opacity=\"0.25\"/><rect x=\"{:.1}\" y=\"0\" width=\"1.2\" height=\"12\" fill=\"#1d2733\"/></svg>",
        (hi - lo).max(0.0),
        (p - 0.6).max(0.0)
    )
}

fn grade_badge(grade: &str) -> String {
    let letter = grade.chars().next().filter(char::is_ascii_uppercase).unwrap_or('C');
    format!("<span class=\"grade g-{letter}\">{}</span>", esc(grade))
}

fn conflicts(c: &ClaimScore) -> String {
    let mut parts = Vec::new();
    if c.refuting_origins > 0 {
        parts.push(plural(c.refuting_origins, "refuting origin", "refuting origins"));
    }
    if !c.contradicted_by.is_empty() {
        parts.push(plural(c.contradicted_by.len(), "contradicting claim", "contradicting claims"));
    }
    if parts.is_empty() {
        "no conflicts".to_string()
    } else {
        format!("<span class=\"conflict\">{}</span>", parts.join(", "))
    }
}

fn claims(out: &mut String, input: &ReportInput<'_>, sources: &HashMap<&str, &SourceOut>) {
    let a = input.assessment;
    let texts: HashMap<&str, &str> = a.claims.iter().map(|c| (c.id.as_str(), c.text.as_str())).collect();
    out.push_str("<section id=\"claims\">\n<h2>Claims, by support</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">Each bar shows the support (dark) and its {:.0}% credible interval (light band). Open a claim for its evidence: every report's sentence with the <mark class=\"cue\">reporting cue</mark>, the <mark class=\"speaker\">speaker</mark> and <mark class=\"caveat\">caveat phrases</mark> highlighted, its attribution chain from the outlet back to the origin, and how the score came about.</p>",
        a.parameters.interval * 100.0
    );
    out.push_str("<ol class=\"claims\">\n");
    for c in &a.claims {
        let _ = writeln!(out, "<li><details class=\"claim\" id=\"{}\">", esc(&claim_anchor(&c.id)));
        let _ = writeln!(
            out,
            "<summary><span class=\"rank\">{}</span><span class=\"ctext\">{}</span><span class=\"score\"><span class=\"num\">{}</span> support, {:.0}% interval {}–{}{}</span>",
            c.rank,
            esc(&c.text),
            f3(c.support),
            a.parameters.interval * 100.0,
            f3(c.interval[0]),
            f3(c.interval[1]),
            bar(c, &input.scale)
        );
        let _ = writeln!(
            out,
            "<span class=\"facts\"><span><b>{}</b></span><span><b>{}</b></span><span>{}</span><span>grade {} <span class=\"hide-narrow\">({})</span></span><span class=\"id\">{}</span></span></summary>",
            esc(&super::words::reading(c, &input.scale)),
            plural(c.independent_origins, "independent origin", "independent origins"),
            conflicts(c),
            grade_badge(&c.grade),
            esc(c.credibility_label),
            esc(&c.id)
        );
        out.push_str("<div class=\"body\">\n");
        claim_body(out, c, input, sources, &texts);
        out.push_str("</div>\n</details></li>\n");
    }
    out.push_str("</ol>\n</section>\n");
}

fn claim_body(
    out: &mut String,
    c: &ClaimScore,
    input: &ReportInput<'_>,
    sources: &HashMap<&str, &SourceOut>,
    texts: &HashMap<&str, &str>,
) {
    // How the claim reached the story, as a small tree: the claim, its origins, the outlets relaying each.
    let name = |id: &str| sources.get(id).map_or(id, |s| s.name.as_str()).to_string();
    let _ = writeln!(
        out,
        "<ul class=\"tree\" aria-label=\"how the claim reached the story\"><li><b>{}</b>\n<ul>",
        esc(&c.text)
    );
    for (origin, relays) in super::words::claim_tree(c, &name) {
        let _ = writeln!(out, "<li>{}<ul>", esc(&origin));
        for r in relays {
            let _ = writeln!(out, "<li>{}</li>", esc(&r));
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul></li></ul>\n");
    let _ = writeln!(
        out,
        "<p>Belief {}, disbelief {}, uncertainty {}; base rate {}.{}</p>",
        f3(c.belief),
        f3(c.disbelief),
        f3(c.uncertainty),
        f3(c.base_rate),
        c.favours.as_deref().map(|f| format!(" Favours: {}.", esc(f))).unwrap_or_default()
    );
    if c.conflict > 0.0 || c.raw_conflict > 0.0 {
        let _ = writeln!(
            out,
            "<p>Degree of conflict between supporting and refuting evidence: {} after discounting, {} between the origins' own assertions.</p>",
            f3(c.conflict),
            f3(c.raw_conflict)
        );
    }
    let _ = writeln!(
        out,
        "<h3>Origins: {} supporting, {} refuting</h3>\n<div class=\"scroll\"><table><thead><tr><th>Origin</th><th>Stance</th><th class=\"n\">Reports</th><th class=\"n\">b</th><th class=\"n\">d</th><th class=\"n\">u</th><th class=\"n\">Contribution</th><th>Merged because</th></tr></thead><tbody>",
        c.independent_origins, c.refuting_origins
    );
    for o in &c.origins {
        let via = if o.via_contradictions.is_empty() {
            String::new()
        } else {
            format!(
                " <span class=\"muted\">(via {})</span>",
                o.via_contradictions.iter().map(|v| format!("<code>{}</code>", esc(v))).collect::<Vec<_>>().join(", ")
            )
        };
        let _ = writeln!(
            out,
            "<tr><td>{}{via}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:+.3}</td><td>{}</td></tr>",
            esc(&o.name),
            o.stance,
            o.reports.len(),
            f3(o.opinion.b),
            f3(o.opinion.d),
            f3(o.opinion.u),
            o.contribution,
            if o.merged_because.is_empty() {
                "—".to_string()
            } else {
                esc(&super::words::merge_reasons(&o.merged_because))
            }
        );
    }
    out.push_str("</tbody></table></div>\n");
    let _ =
        writeln!(out, "<h3>Evidence: {}</h3>\n<ol class=\"evidence\">", plural(c.reports.len(), "report", "reports"));
    for r in &c.reports {
        report_item(out, r, input, sources);
    }
    out.push_str("</ol>\n");
    if !c.contradicted_by.is_empty() {
        out.push_str("<h3>Conflicts</h3>\n<ul>\n");
        for x in &c.contradicted_by {
            let _ = writeln!(
                out,
                "<li>Contradicted by <a href=\"#{}\">{}</a> ({}, weight {}): degree of conflict {}</li>",
                esc(&claim_anchor(&x.claim)),
                esc(texts.get(x.claim.as_str()).copied().unwrap_or(&x.claim)),
                esc(&x.kind),
                f3(x.weight),
                f3(x.conflict)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h3>How the score came about</h3>\n<ul class=\"explain\">\n");
    for e in super::words::explanations(c) {
        let _ = writeln!(out, "<li>{}</li>", esc(&e));
    }
    out.push_str("</ul>\n");
}

fn report_item(out: &mut String, r: &ReportScore, input: &ReportInput<'_>, sources: &HashMap<&str, &SourceOut>) {
    let g = input.graph;
    let mut class = vec![if r.stance == Stance::Refutes { "refutes" } else { "supports" }];
    if !r.counted {
        class.push("repeat");
    }
    let _ = writeln!(out, "<li class=\"{}\">", class.join(" "));
    // The chain, outlet first: outlet ← agency ← origin (speaker).
    let n = r.chain.len();
    let hops: Vec<String> = r
        .chain
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let name = sources.get(id.as_str()).map_or(id.as_str(), |s| s.name.as_str());
            let role = if i + 1 == n {
                " origin"
            } else if i == 0 {
                " outlet"
            } else {
                ""
            };
            format!("<span class=\"hop{role}\" title=\"{}\">{}</span>", esc(id), esc(name))
        })
        .collect();
    let _ = writeln!(
        out,
        "<div class=\"chain\">{}{}</div>",
        hops.join("<span class=\"arrow\" aria-label=\"quoting\">←</span>"),
        r.speaker.as_deref().map(|s| format!(" <span class=\"speaker\">({})</span>", esc(s))).unwrap_or_default()
    );
    match &r.quote {
        Some(q) if !q.trim().is_empty() => {
            // Whose name to highlight: the speaker, else the origin's name or one of its aliases.
            let mut names: Vec<&str> = Vec::new();
            if let Some(s) = &r.speaker {
                names.push(s);
            }
            if let Some(origin) = r.chain.last().and_then(|id| g.source_ix(id)).map(|ix| g.source(ix)) {
                names.push(&origin.name);
                let mut aliases: Vec<&str> = origin.aliases.iter().map(String::as_str).collect();
                aliases.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
                names.extend(aliases);
            }
            let marks = highlights(q, &r.cue, &names, input.caveats_of(r.index));
            let _ = writeln!(out, "<blockquote>{}</blockquote>", highlight_html(q, &marks));
        }
        _ => out.push_str("<p class=\"muted\">(no quote recorded)</p>\n"),
    }
    let mut badges: Vec<String> = Vec::new();
    badges.push(format!("<span class=\"badge {0}\">{0}</span>", r.stance));
    badges.push(if r.cue.is_empty() {
        "<span class=\"badge\">outlet's own voice</span>".to_string()
    } else {
        format!("<span class=\"badge\">cue “{}” ({})</span>", esc(&r.cue), r.cue_class.name())
    });
    for k in &r.caveats {
        badges.push(format!("<span class=\"badge caveat\">caveat: {}</span>", esc(k)));
    }
    match r.interest {
        Interest::SelfServing => badges.push("<span class=\"badge self-serving\">self-serving</span>".into()),
        Interest::Admission => badges.push("<span class=\"badge admission\">admission against interest</span>".into()),
        Interest::None => {}
    }
    if !r.counted {
        badges.push("<span class=\"badge\">repeat of the same origin's statement, not counted</span>".into());
    }
    let title = g.article_ix(&r.article).map(|ix| g.article(ix).title.as_str()).filter(|t| !t.is_empty());
    badges.push(format!(
        "<span class=\"badge\">{}{}</span>",
        esc(title.unwrap_or(&r.article)),
        r.span.map(|[a, b]| format!(", bytes {a}–{b}")).unwrap_or_default()
    ));
    let _ = writeln!(out, "<div class=\"badges\">{}</div>", badges.join(""));
    let hops: Vec<String> =
        r.trust.iter().map(|h| format!("{} {} {} {}", esc(&h.source), h.role, h.grade, f3(h.adjusted))).collect();
    let _ = writeln!(
        out,
        "<div class=\"trust\">trust {} = {} → belief {}, disbelief {}, uncertainty {}</div>\n</li>",
        hops.join(" × "),
        f3(r.discount),
        f3(r.opinion.b),
        f3(r.opinion.d),
        f3(r.opinion.u)
    );
}

fn graph(out: &mut String, input: &ReportInput<'_>) {
    out.push_str("<section id=\"graph\">\n<h2>Claim graph</h2>\n");
    out.push_str(
        "<p class=\"note\">Statements travel left to right: from their origins through the agencies and outlets relaying them to the articles and the claims they support (green) or refute (red). Dashed orange: an article copies text from another; dashed red: claims that contradict each other. Hover a node or an edge for details; click a claim to open its evidence.</p>\n<p class=\"note graph-hint\">On a small screen, scroll the picture sideways.</p>\n",
    );
    let opts = SvgOptions { link_claims: true, ..input.svg.clone() };
    out.push_str("<div class=\"graph\">\n");
    out.push_str(&graph_svg(input, &opts));
    out.push_str("</div>\n</section>\n");
}

fn contradictions(out: &mut String, a: &Assessment) {
    if a.contradictions.is_empty() {
        return;
    }
    let texts: HashMap<&str, &str> = a.claims.iter().map(|c| (c.id.as_str(), c.text.as_str())).collect();
    let link =
        |id: &str| format!("<a href=\"#{}\">{}</a>", esc(&claim_anchor(id)), esc(texts.get(id).copied().unwrap_or(id)));
    out.push_str("<section id=\"contradictions\">\n<h2>Contradictions</h2>\n<div class=\"scroll\"><table>\n");
    out.push_str("<thead><tr><th>Claim</th><th>Contradicts</th><th>Kind</th><th class=\"n\">Weight</th><th class=\"n\">Conflict</th><th>Note</th></tr></thead>\n<tbody>\n");
    for x in &a.contradictions {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            link(&x.a),
            link(&x.b),
            esc(&x.kind),
            f3(x.weight),
            f3(x.conflict),
            esc(x.note.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

fn sources_table(out: &mut String, a: &Assessment) {
    out.push_str("<section id=\"sources\">\n<h3>Sources</h3>\n");
    out.push_str(
        "<p class=\"note\">Grade: reliability letter as an origin (and as a relay). Claims and reports originated: where the source is the last link of the chain. Caveated: reports it originates that carry a caveat. Contradicted: claims it supports that another claim contradicts. On chains: reports it appears in anywhere on the chain.</p>\n",
    );
    out.push_str("<div class=\"scroll\"><table>\n<thead><tr><th>Source</th><th>Kind</th><th>Side</th><th>Grade</th><th class=\"n\">Claims originated</th><th class=\"n\">Reports originated</th><th class=\"n\">Caveated</th><th class=\"n\">Contradicted</th><th class=\"n\">On chains</th></tr></thead>\n<tbody>\n");
    for s in &a.sources {
        let _ = writeln!(
            out,
            "<tr><td>{}<br><span class=\"id\">{}</span></td><td>{}</td><td>{}</td><td>{} <span class=\"muted\">(relay {})</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&s.name),
            esc(&s.id),
            esc(&s.kind),
            esc(s.side.as_deref().unwrap_or("—")),
            grade_badge(&s.grade.to_string()),
            s.relay,
            s.claims,
            s.reports,
            s.caveated,
            s.contradicted,
            s.relayed
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
}

fn footer(out: &mut String, a: &Assessment) {
    let p = &a.parameters;
    let _ = writeln!(
        out,
        "<footer><p>Parameters: prior weight W = {}, base rate {}, minimum uncertainty {}, {:.0}% intervals, within-origin fusion {}, across-origin fusion {}, copy threshold {}, unnamed repetitions pooled under {}, self-serving factor {}, admission boost {}, conflict alert {}. Config: {}.</p><p>Made by credence. This page is self-contained: it loads nothing from the network and runs no script.</p></footer>",
        p.prior_weight,
        p.base_rate,
        p.min_uncertainty,
        p.interval * 100.0,
        p.within_origin,
        p.across_origins,
        p.copy_threshold,
        esc(&super::words::pooled(&p.pooled_caveats)),
        p.self_serving,
        p.admission,
        p.conflict_alert,
        esc(&p.config_files.join(" + "))
    );
}
