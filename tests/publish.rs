//! The formats people read and publish: the self-contained HTML report, the SVG claim graph, ClaimReview and
//! PROV-O JSON-LD, and the terminal summary. What must hold whatever the story: nothing from a story becomes
//! markup, the HTML loads nothing, the JSON-LD carries the required fields, PROV gives the story's chains back.

use std::collections::HashMap;

use credence::config::Settings;
use credence::graph::ClaimGraph;
use credence::locate::Syntax;
use credence::model::Story;
use credence::report::{Format, ReportInput, SvgOptions, graph_svg};
use credence::score::Scorer;
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::common::{example, root, run, scratch};

const EX: &str = "examples/jisr-al-shughur/story.toml";
const HOSTILE: &str = "tests/fixtures/hostile/story.toml";

fn render(format: &str, story: &str) -> String {
    let out = run(&["score", story, "--format", format, "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn json(format: &str, story: &str) -> Value {
    serde_json::from_str(&render(format, story)).unwrap_or_else(|e| panic!("{format} output is not JSON: {e}"))
}

/// Tag names the HTML report and the SVG may contain; anything else came from a story.
const TAGS: &[&str] = &[
    "!DOCTYPE",
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "nav",
    "section",
    "footer",
    "h1",
    "h2",
    "h3",
    "p",
    "a",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "span",
    "b",
    "br",
    "code",
    "blockquote",
    "mark",
    "details",
    "summary",
    "svg",
    "desc",
    "defs",
    "marker",
    "path",
    "rect",
    "text",
    "line",
    "g",
    "?xml",
];

/// Every tag opened in `markup` is one of [`TAGS`], and no tag has an event handler, a script link or an
/// attribute that loads something. (Escaped text holds no `<`, so every `<` opens a real tag, and a tag's
/// quoted attribute values hold no `>`.)
fn only_known_markup(markup: &str, what: &str) {
    for (i, _) in markup.match_indices('<') {
        let rest = &markup[i + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '!' | '?')).collect();
        let tag = &markup[i..markup[i..].find('>').map_or(markup.len(), |e| i + e + 1)];
        assert!(TAGS.contains(&name.as_str()), "{what}: unexpected tag <{name}> at byte {i}: {tag:?}");
        if name == "style" || name == "!DOCTYPE" || name == "?xml" {
            continue;
        }
        for (attr, value) in attributes(&tag[1 + name.len()..]) {
            let v = value.to_ascii_lowercase();
            assert!(!attr.starts_with("on"), "{what}: event handler {attr} in {tag:?}");
            assert!(!v.contains("javascript:"), "{what}: javascript: in {tag:?}");
            for loading in ["src", "srcset", "data", "action", "xlink:href", "poster", "background"] {
                assert_ne!(attr, loading, "{what}: {attr} in {tag:?}");
            }
            if attr == "href" {
                assert!(name == "a" && (v.starts_with('#') || v.starts_with("http")), "{what}: link in {tag:?}");
            }
        }
    }
    // The page's own style sheets load nothing.
    for part in markup.split("<style>").skip(1) {
        let css = part.split("</style>").next().unwrap_or("").to_ascii_lowercase();
        assert!(!css.contains("@import") && !css.contains("url("), "{what}: a style sheet loads something");
    }
}

/// The attributes of a tag (after its name): (lower-case name, value), values unquoted.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let b: Vec<char> = tag.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_whitespace() || b[i] == '/') {
            i += 1;
        }
        if i >= b.len() || b[i] == '>' {
            break;
        }
        let start = i;
        while i < b.len() && !b[i].is_whitespace() && !matches!(b[i], '=' | '>' | '/') {
            i += 1;
        }
        let name: String = b[start..i].iter().collect::<String>().to_ascii_lowercase();
        let mut value = String::new();
        if i < b.len() && b[i] == '=' {
            i += 1;
            if i < b.len() && (b[i] == '"' || b[i] == '\'') {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    value.push(b[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < b.len() && !b[i].is_whitespace() && b[i] != '>' {
                    value.push(b[i]);
                    i += 1;
                }
            }
        }
        out.push((name, value));
    }
    out
}

#[test]
fn html_report_is_self_contained_and_complete() {
    let html = render("html", EX);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    ));
    only_known_markup(&html, "example HTML");
    assert!(!html.to_ascii_lowercase().contains("<script"));
    // Nothing that loads: no src, no link elements, no url() but to the page's own markers.
    for (i, _) in html.match_indices("url(") {
        assert!(html[i..].starts_with("url(#"), "a url() outside the page at byte {i}");
    }
    assert_eq!(html.matches("<details class=\"claim\"").count(), 32);
    assert_eq!(html.matches("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"claim-graph\"").count(), 1);
    assert_eq!(html.matches("class=\"cg-node cg-claim\"").count(), 32);
    for section in ["id=\"articles\"", "id=\"claims\"", "id=\"graph\"", "id=\"contradictions\"", "id=\"sources\""] {
        assert!(html.contains(section), "no {section}");
    }
    // Claims sorted by support, each anchored for the graph's links and ClaimReview urls.
    let first = html.find("id=\"claim-route-to-coast\"").unwrap();
    let last = html.find("id=\"claim-idlib-army-still-fighting\"").unwrap();
    assert!(first < last);
    assert!(html.contains("<a href=\"#claim-jisr-captured\">"));
    // Evidence: cue, speaker and caveat phrases marked in the quotes; chains outlet first.
    assert!(html.contains("<mark class=\"cue\">told</mark>"));
    assert!(html.contains("<mark class=\"speaker\">Rami Abdel Rahman</mark>"));
    assert!(html.contains("<mark class=\"caveat\" title=\"caveat: unverified\">"));
    assert!(html.contains(
        "<span class=\"hop outlet\" title=\"al-jazeera\">Al Jazeera</span><span class=\"arrow\" aria-label=\"quoting\">←</span><span class=\"hop\" title=\"afp\">Agence France-Presse</span>"
    ));
    // A story file's articles were not re-read: the report says so instead of showing zeros.
    assert!(html.contains("boilerplate counts are not known"));
}

#[test]
fn html_of_a_folder_shows_what_was_dropped() {
    let dir = scratch("html-folder");
    let out_path = dir.join("report.html");
    let out = run(&["score", "examples/jisr-al-shughur/articles/", "-q", "-o", out_path.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(&out_path).unwrap();
    assert!(html.contains("<th>Boilerplate dropped</th>"));
    assert!(html.contains("000-al-jazeera.txt"));
    only_known_markup(&html, "folder HTML");
}

#[test]
fn hostile_story_renders_as_inert_text_in_every_format() {
    let html = render("html", HOSTILE);
    only_known_markup(&html, "hostile HTML");
    assert!(html.contains("&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"));
    assert!(html.contains("&lt;/style&gt;"));
    // The javascript: URL is shown, not linked; so is an http URL with quotes in it.
    assert!(html.contains("(url: <code>javascript:document.body.setAttribute("));
    assert!(!html.contains("<a href=\"http://127.0.0.1:9/article"));
    // The title element holds the escaped title, so a browser shows it as typed.
    assert!(html.contains("<title>Reliability report: Hostile &lt;script&gt;"));
    let svg = render("svg", HOSTILE);
    only_known_markup(&svg, "hostile SVG");
    assert!(svg.contains("&lt;script&gt;"));
    let md = render("md", HOSTILE);
    // Text is escaped; ids appear only inside code spans, where Markdown shows them literally.
    assert!(!md.contains("<script>document") && !md.contains("<img"));
    for f in ["claimreview", "prov", "json"] {
        json(f, HOSTILE);
    }
    let table = render("table", HOSTILE);
    assert!(!table.contains('\x1b'));
}

#[test]
fn svg_graph_alone() {
    let out = run(&["graph", EX]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"")
    );
    assert!(out.stdout.trim_end().ends_with("</svg>"));
    only_known_markup(&out.stdout, "SVG");
    assert_eq!(out.stdout.matches("class=\"cg-node cg-claim\"").count(), 32);
    assert_eq!(out.stdout.matches("class=\"cg-node cg-article\"").count(), 5);
    for col in [">Origins</text>", ">Outlets</text>", ">Articles</text>", ">Claims</text>"] {
        assert!(out.stdout.contains(col), "no column {col}");
    }
    // Contradictions and copies are drawn.
    assert!(
        out.stdout.contains("contradicts army-still-fighting-jisr (predicate)")
            || out.stdout.contains("contradicts jisr-captured")
    );
    assert!(out.stdout.contains("copies 30% of its text from afp-jisr"));
    // Without links: the standalone picture has no report to link into.
    assert!(!out.stdout.contains("<a href"));
    let dir = scratch("graph");
    let path = dir.join("g.svg");
    let out = run(&["graph", EX, "-o", path.to_str().unwrap()]);
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("wrote"));
    assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
    // `score -o x.svg` gives the same picture.
    let path2 = dir.join("s.svg");
    assert_eq!(run(&["score", EX, "-q", "-o", path2.to_str().unwrap()]).code, 0);
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&path2).unwrap());
}

#[test]
fn large_stories_draw_the_top_claims_with_a_note() {
    let out = run(&["graph", EX, "--max-claims", "5"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Large story: showing the 5 best-supported of 32 claims"), "no note");
    assert_eq!(out.stdout.matches("class=\"cg-node cg-claim\"").count(), 5);
    assert!(out.stdout.contains("id=\"cg-claim-route-to-coast\""));
    assert!(!out.stdout.contains("id=\"cg-claim-idlib-army-still-fighting\""));

    // A generated story with 120 claims, 60 articles and a quoting cycle between two agencies.
    let story = big_story(120, 60);
    let settings = Settings::defaults();
    let a = credence::assess(&story, &settings).unwrap();
    let g = ClaimGraph::build(&story);
    let svg = graph_svg(&ReportInput::new(&a, &g), &SvgOptions::default());
    assert!(svg.contains("the 40 best-supported of 120 claims"));
    assert_eq!(svg.matches("class=\"cg-node cg-claim\"").count(), 40);
    assert!(svg.matches("class=\"cg-node cg-article\"").count() <= 60);
}

/// Parses a story written as JSON. Tests build stories this way rather than with struct literals, so fields
/// the model gains later (all optional in the file format) do not break them.
fn parse(v: &Value) -> Story {
    Story::parse("generated.json", &v.to_string(), Syntax::Json).expect("the generated story is valid")
}

fn big_story(n_claims: usize, n_articles: usize) -> Story {
    let mut sources = vec![
        json!({"id": "paper", "name": "Paper", "kind": "outlet"}),
        json!({"id": "wire-a", "name": "Wire A", "kind": "wire-agency"}),
        json!({"id": "wire-b", "name": "Wire B", "kind": "wire-agency"}),
    ];
    for i in 0..10 {
        sources.push(json!({"id": format!("m{i}"), "name": format!("Monitor {i}"), "kind": "monitor"}));
    }
    let articles: Vec<Value> = (0..n_articles)
        .map(|i| {
            let mut a = json!({"id": format!("a{i}"), "outlet": "paper", "title": format!("Article {i}")});
            if i > 0 && i % 7 == 0 {
                a["copied_from"] = json!([{"article": format!("a{}", i - 1), "containment": 0.5}]);
            }
            a
        })
        .collect();
    let claims: Vec<Value> =
        (0..n_claims).map(|i| json!({"id": format!("c{i}"), "text": format!("Claim number {i} holds")})).collect();
    let mut reports = Vec::new();
    for i in 0..n_claims {
        for k in 0..(1 + i % 3) {
            // The two agencies quote each other on different chains: a cycle the layout must survive.
            let (mid, other) = if (i + k) % 2 == 0 { ("wire-a", "wire-b") } else { ("wire-b", "wire-a") };
            reports.push(json!({
                "article": format!("a{}", (i * 7 + k) % n_articles),
                "claim": format!("c{i}"),
                "chain": ["paper", mid, other, format!("m{}", (i + k) % 10)],
                "cue": "said",
                "stance": if k == 2 { "refutes" } else { "supports" },
                "quote": format!("Monitor {} said claim {i} holds", (i + k) % 10),
            }));
        }
    }
    parse(&json!({
        "story": {"title": "Big"},
        "source": sources,
        "article": articles,
        "claim": claims,
        "report": reports,
    }))
}

#[test]
fn claimreview_carries_the_required_fields_and_the_documented_scale() {
    let doc = json("claimreview", EX);
    assert_eq!(doc["@context"], "https://schema.org");
    let reviews = doc["@graph"].as_array().expect("@graph");
    let report = json("json", EX);
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(reviews.len(), claims.len());
    let names: HashMap<&str, &str> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["name"].as_str().unwrap()))
        .collect();
    let mut rated = 0;
    for (r, c) in reviews.iter().zip(claims) {
        assert_eq!(r["@type"], "ClaimReview");
        // Google's required fields: url, claimReviewed, reviewRating.alternateName.
        assert_eq!(r["url"], format!("urn:credence:claim:{}", c["id"].as_str().unwrap()));
        assert_eq!(r["claimReviewed"], c["text"]);
        let rating = &r["reviewRating"];
        assert_eq!(rating["@type"], "Rating");
        let name = rating["alternateName"].as_str().unwrap();
        assert!(!name.is_empty());
        assert!(rating["ratingExplanation"].as_str().unwrap().contains("ratingValue = 1 + round(4 x support)"));
        let (support, u) = (c["support"].as_f64().unwrap(), c["uncertainty"].as_f64().unwrap());
        if u > 0.5 {
            assert_eq!(name, "Unproven");
            assert!(rating.get("ratingValue").is_none());
        } else {
            rated += 1;
            let v = rating["ratingValue"].as_u64().unwrap();
            assert_eq!(v, 1 + (4.0 * support).round() as u64);
            assert!((1..=5).contains(&v));
            assert_eq!((rating["worstRating"].as_u64(), rating["bestRating"].as_u64()), (Some(1), Some(5)));
            assert_eq!(name.to_lowercase(), c["likelihood"].as_str().unwrap());
        }
        let item = &r["itemReviewed"];
        assert_eq!(item["@type"], "Claim");
        // Authors: the supporting origins, by name.
        let authors: Vec<&str> = item["author"]
            .as_array()
            .map(|a| a.iter().map(|x| x["name"].as_str().unwrap()).collect())
            .unwrap_or_default();
        for o in c["origins"].as_array().unwrap() {
            if o["stance"] == "supports" && o["via_contradictions"].as_array().unwrap().is_empty() {
                for s in o["sources"].as_array().unwrap() {
                    assert!(authors.contains(&names[s.as_str().unwrap()]), "{} lacks author {s}", c["id"]);
                }
            }
        }
        // Appearances: one per article with a supporting report.
        let mut arts: Vec<&str> = c["reports"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["stance"] == "supports")
            .map(|x| x["article"].as_str().unwrap())
            .collect();
        arts.sort_unstable();
        arts.dedup();
        let appearances = item["appearance"].as_array().map_or(0, Vec::len);
        assert_eq!(appearances, arts.len(), "{}", c["id"]);
    }
    assert!(rated > 0 && rated < reviews.len(), "the example has rated and unproven claims");
    // The first appearance of the capture is the earliest article that reports it.
    let jisr = reviews.iter().find(|r| r["itemReviewed"]["identifier"] == "jisr-captured").unwrap();
    assert_eq!(jisr["itemReviewed"]["datePublished"], "2015-04-25");
    // With a publication URL, reviews point into the HTML report.
    let out = run(&["score", EX, "-q", "-f", "claimreview", "--review-url", "https://example.org/r.html"]);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["@graph"][0]["url"], "https://example.org/r.html#claim-route-to-coast");
}

/// The IRI of a report's statement at link k, as the PROV exporter writes it.
fn statement(i: usize, k: usize) -> String {
    format!("urn:credence:report/{i}/{k}")
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() + 1 {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn ids(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().flat_map(ids).collect(),
        Value::Object(o) => o.get("@id").and_then(Value::as_str).map(|s| vec![s.to_string()]).unwrap_or_default(),
        _ => vec![],
    }
}

/// Walks every report's statements in the PROV graph and compares the chain with the story's.
fn prov_chains_match(story_path: &str) {
    let doc = json("prov", story_path);
    assert_eq!(doc["@context"]["prov"], "http://www.w3.org/ns/prov#");
    let nodes: HashMap<String, &Value> =
        doc["@graph"].as_array().unwrap().iter().map(|n| (n["@id"].as_str().unwrap().to_string(), n)).collect();
    let story = Story::load(&root().join(story_path)).unwrap().story;
    for (i, r) in story.reports.iter().enumerate() {
        let mut chain = Vec::new();
        let mut at = statement(i, 0);
        let first = nodes.get(&at).unwrap_or_else(|| panic!("no statement {at}"));
        assert_eq!(ids(&first["dcterms:isPartOf"]), vec![format!("urn:credence:article:{}", pct(&r.article))]);
        loop {
            let n = nodes[&at];
            let agents: Vec<String> = ids(&n["prov:wasAttributedTo"])
                .into_iter()
                .filter_map(|a| a.strip_prefix("urn:credence:source:").map(pct_decode))
                .collect();
            assert_eq!(agents.len(), 1, "{at} is attributed to one source");
            chain.push(agents[0].clone());
            let next = ids(&n["prov:wasQuotedFrom"]).into_iter().chain(ids(&n["prov:wasDerivedFrom"])).next();
            match next {
                Some(x) => at = x,
                None => break,
            }
        }
        assert_eq!(chain, r.chain, "report {i}: the PROV chain differs from the story's");
        if r.chain.len() > 1 {
            assert_eq!(ids(&first["prov:hadPrimarySource"]), vec![statement(i, r.chain.len() - 1)]);
        }
        if let Some(sp) = &r.speaker {
            let origin = nodes[&statement(i, r.chain.len() - 1)];
            let people: Vec<String> = ids(&origin["prov:wasAttributedTo"])
                .into_iter()
                .filter(|a| a.starts_with("urn:credence:speaker:"))
                .collect();
            assert_eq!(people.len(), 1);
            assert_eq!(nodes[&people[0]]["rdfs:label"], sp.as_str());
        }
    }
    for a in &story.articles {
        let n = nodes[&format!("urn:credence:article:{}", pct(&a.id))];
        let from = ids(&n["prov:wasDerivedFrom"]);
        let want: Vec<String> =
            a.copied_from.iter().map(|c| format!("urn:credence:article:{}", pct(&c.article))).collect();
        assert_eq!(from, want, "copies of {}", a.id);
        for (q, c) in
            n["prov:qualifiedDerivation"].as_array().map(Vec::as_slice).unwrap_or(&[]).iter().zip(&a.copied_from)
        {
            let v: f64 = q["credence:containment"]["@value"].as_str().unwrap().parse().unwrap();
            assert!((v - c.containment).abs() < 1e-6);
        }
        assert_eq!(ids(&n["prov:wasAttributedTo"]), vec![format!("urn:credence:source:{}", pct(&a.outlet))]);
    }
}

fn pct(s: &str) -> String {
    credence::report::markup::pct(s)
}

#[test]
fn prov_chains_match_the_story() {
    prov_chains_match(EX);
    prov_chains_match(HOSTILE);
}

#[test]
fn terminal_table_fits_and_colours_only_when_asked() {
    let plain = render("table", EX);
    assert!(!plain.contains('\x1b'));
    let rank_line = |l: &&str| {
        let t = l.trim_start();
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && t[digits..].starts_with(". ")
    };
    assert_eq!(plain.lines().filter(rank_line).count(), 32);
    assert!(plain.lines().all(|l| l.chars().count() <= 100), "a line is wider than 100");
    let coloured = run(&["score", EX, "-q", "-f", "table", "--color", "always"]);
    assert!(coloured.stdout.contains("\x1b[32m"));
    // NO_COLOR and a pipe: no colour in auto mode; and by default a pipe still gets Markdown, byte for byte.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(["score", EX, "-q", "-f", "table", "--color", "auto"])
        .env("NO_COLOR", "1")
        .env("COLUMNS", "70")
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'));
    assert!(text.lines().all(|l| l.chars().count() <= 70), "COLUMNS=70 is not respected:\n{text}");
    assert!(run(&["score", EX, "-q"]).stdout.starts_with("# Reliability report"));
    assert_eq!(run(&["score", EX, "--color", "sometimes"]).code, 2);
}

#[test]
fn formats_follow_the_output_extension() {
    let dir = scratch("publish-ext");
    for (file, starts) in [
        ("r.html", "<!DOCTYPE html>"),
        ("r.htm", "<!DOCTYPE html>"),
        ("g.svg", "<?xml"),
        ("reviews.jsonld", "{\n  \"@context\": \"https://schema.org\""),
        ("chains.prov.jsonld", "{\n  \"@context\": {\n    \"credence\""),
        ("summary.txt", "The fall of Jisr"),
    ] {
        let p = dir.join(file);
        let out = run(&["score", EX, "-o", p.to_str().unwrap()]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.contains("wrote"), "{}", out.stderr);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with(starts), "{file}: {}", &text[..60.min(text.len())]);
    }
}

#[test]
fn new_formats_are_byte_identical_across_runs() {
    for format in ["html", "svg", "claimreview", "prov", "table"] {
        let first = run(&["score", EX, "--format", format, "-q"]);
        assert_eq!(first.code, 0);
        for _ in 0..2 {
            assert_eq!(run(&["score", EX, "--format", format, "-q"]).bytes, first.bytes, "{format} changed");
        }
    }
    let _ = example();
}

/// Text with markup, quotes, control characters and non-ASCII, to put in every free-text field.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,30}",
        "\\PC{0,20}",
        Just("<script>alert(1)</script>".to_string()),
        Just("\"'><img src=x onerror=alert(1)>".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("]]></svg><!--".to_string()),
        Just("\u{0}\u{1b}[31m\u{7f}\u{fffe}".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the text of a story, every exporter succeeds, the HTML and SVG hold only their own markup,
    /// and the JSON-LD parses.
    #[test]
    fn any_text_renders_inert(texts in prop::collection::vec(nasty(), 12), cycle in any::<bool>()) {
        // Prefixed so no required field is empty (validation would rightly refuse the story).
        let t = |i: usize| format!("x{}", texts[i]);
        let chain2 = if cycle { vec!["paper", "mon", "wire"] } else { vec!["paper", "wire"] };
        let story = parse(&json!({
            "story": {"title": t(0), "description": t(1)},
            "source": [
                {"id": "paper", "name": t(0), "kind": "outlet"},
                {"id": "wire", "name": t(1), "kind": "wire-agency"},
                {"id": "mon", "name": t(2), "kind": "monitor", "aliases": [t(8)]},
            ],
            "article": [
                {"id": "a<1>", "outlet": "paper", "title": t(3), "url": t(4)},
                {"id": "a2", "outlet": "paper", "title": t(5), "copied_from": [{"article": "a<1>", "containment": 0.3}]},
            ],
            "claim": [{"id": "c\"1", "text": t(6)}, {"id": "c2", "text": t(7)}],
            "report": [
                {"article": "a<1>", "claim": "c\"1", "chain": ["paper", "wire", "mon"], "speaker": t(8), "cue": t(9),
                 "quote": t(10)},
                {"article": "a2", "claim": "c2", "chain": chain2, "cue": "said", "stance": "refutes",
                 "caveats": ["hedge"], "quote": t(11)},
            ],
            "contradiction": [{"a": "c\"1", "b": "c2", "kind": "predicate", "note": t(2)}],
        }));
        let settings = Settings::defaults();
        let a = credence::assess(&story, &settings).unwrap();
        let g = ClaimGraph::build(&story);
        let input = ReportInput::new(&a, &g);
        prop_assert!(Scorer::new(&g, &settings).assess().claims.len() == 2);
        for f in [Format::Html, Format::Svg, Format::Claimreview, Format::Prov, Format::Table, Format::Md, Format::Dot, Format::Json] {
            let bytes = f.exporter().render(&input).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            match f {
                Format::Html => only_known_markup(&text, "generated HTML"),
                Format::Svg => {
                    only_known_markup(&text, "generated SVG");
                    prop_assert!(!text.chars().any(|c| (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r')));
                }
                Format::Claimreview | Format::Prov | Format::Json => {
                    serde_json::from_str::<Value>(&text).unwrap();
                }
                _ => {}
            }
        }
    }
}
