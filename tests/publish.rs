//! The formats people read and publish: the self-contained HTML report, the SVG claim graph, `ClaimReview` and
//! PROV-O JSON-LD, and the terminal summary. What must hold whatever the story: nothing from a story becomes
//! markup, the HTML loads nothing, the JSON-LD carries the required fields, PROV gives the story's chains back.

use std::collections::HashMap;

use credence::config::Settings;
use credence::locate::Syntax;
use credence::model::Story;
use credence::report::{Exporter, Format, ReportInput, SvgOptions, graph_svg};
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
            // Text attributes (title) may show "javascript:" from a story; attributes that hold a URL may not.
            if matches!(attr.as_str(), "href" | "xlink:href" | "style" | "formaction" | "action") {
                assert!(!v.contains("javascript:"), "{what}: javascript: in {tag:?}");
            }
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
    // Text is escaped; ids appear inside code spans, where Markdown shows them literally (or, holding a pipe in
    // a table, as escaped text): see `hostile_markdown_keeps_its_structure` for the whole check.
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
    let (g, a) = credence::scored(&story, &settings).unwrap();
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
        for k in 0..=(i % 3) {
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
        assert!(rating["ratingExplanation"].as_str().unwrap().contains("0.55 to below 0.8: likely (rating 4)"));
        let (support, grade) = (c["support"].as_f64().unwrap(), c["grade"].as_str().unwrap());
        // One scale: unrated exactly when the Admiralty grade says truth cannot be judged (credibility 6);
        // otherwise the value is the likelihood band's point, the same band whose words the report shows.
        if grade.ends_with('6') {
            assert_eq!(name, "Unproven");
            assert!(rating.get("ratingValue").is_none());
        } else {
            rated += 1;
            let v = rating["ratingValue"].as_u64().unwrap();
            let band = [(0.05, 1), (0.2, 1), (0.45, 2), (0.55, 3), (0.8, 4), (0.95, 5), (1.01, 5)]
                .into_iter()
                .find(|(below, _)| support < *below)
                .map(|(_, r)| r)
                .unwrap();
            assert_eq!(v, band, "support {support}");
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
            assert_eq!(nodes[&people[0]]["rdfs:label"], shown(sp).as_str());
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

/// Text with markup, quotes, control characters and non-ASCII, to put in every free-text field and every id.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,30}",
        "\\PC{0,20}",
        // A dense mix of controls, bidi characters, line separators and Markdown, HTML and DOT syntax.
        "[\\x00-\\x1f\\x7f-\\x9f\\u{61c}\\u{200e}\\u{200f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{2028}\\u{2029}\\u{fffe}\\u{ffff}`|<>&\\\\\"'#*_~\\[\\]()!:/@. a-z0-9-]{0,24}",
        Just("<script>alert(1)</script>".to_string()),
        Just("\"'><img src=x onerror=alert(1)>".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("]]></svg><!--".to_string()),
        Just("\u{0}\u{1b}[31m\u{7f}\u{fffe}".to_string()),
        Just("\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[H".to_string()),
        Just("\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\ \u{9b}2J\u{85}".to_string()),
        Just("abc\u{202e}fed\u{202c} \u{2066}x\u{2069} \u{200f}\u{61c}".to_string()),
        Just("``` `` ` | || \\| </script><!-- ` ".to_string()),
        Just("# h\n- l\n1. o\n> q\n    code\n---".to_string()),
        Just("www.example.org https://x.org a@b.co [x](javascript:1) <https://y.org>".to_string()),
        Just("line\r\nbreak\rCR\u{2028}LS\u{2029}PS\ttab".to_string()),
    ]
}

/// Article URLs: valid web URLs (some with `&`), near misses and plain hostile text.
fn any_url() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://example.org/ok?x=1&y=2".to_string()),
        Just(" HTTP://Example.org:8080/a ".to_string()),
        Just(" JaVaScRiPt:alert(1)".to_string()),
        Just("data:text/html,<script>alert(1)</script>".to_string()),
        Just("https://example.org/\u{1b}]8;;x\u{7}".to_string()),
        Just("https://user@example.org/".to_string()),
        "https?://[a-z]{1,8}\\.[a-z]{2,3}/[ -~]{0,10}",
        nasty(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the text of a story, ids included, every exporter succeeds and its output is inert: no raw
    /// control, C1 or bidi character anywhere (the coloured table's own colours aside); the HTML and SVG hold
    /// only their own markup, and the SVG is well-formed XML; the JSON-LD holds no `<`, `>` or `&`, carries
    /// only http(s) URLs and reads back as shown; the JSON reads back exactly; the Markdown keeps its tables,
    /// code spans and blocks; the DOT is well-formed.
    #[test]
    fn any_text_renders_inert(
        texts in prop::collection::vec(nasty(), 20),
        urls in prop::collection::vec(any_url(), 2),
        cycle in any::<bool>(),
    ) {
        // Prefixed so no required field is empty and no two ids are equal (validation would rightly refuse).
        let t = |i: usize| format!("x{}", texts[i]);
        let id = |p: &str, i: usize| format!("{p}{}", texts[i]);
        let (paper, wire, mon) = (id("p", 12), id("w", 13), id("m", 14));
        let (a1, a2, c1, c2) = (id("a", 15), id("b", 16), id("c", 17), id("d", 18));
        let chain2 = if cycle { vec![&paper, &mon, &wire] } else { vec![&paper, &wire] };
        let story = parse(&json!({
            "story": {"title": t(0), "description": t(1)},
            "source": [
                {"id": paper, "name": t(0), "kind": "outlet"},
                {"id": wire, "name": t(1), "kind": "wire-agency"},
                {"id": mon, "name": t(2), "kind": "monitor", "aliases": [t(8)]},
            ],
            "article": [
                {"id": a1, "outlet": paper, "title": t(3), "url": urls[0], "credits": [wire]},
                {"id": a2, "outlet": paper, "title": t(5), "url": urls[1],
                 "copied_from": [{"article": a1, "containment": 0.3}]},
            ],
            "claim": [{"id": c1, "text": t(6)}, {"id": c2, "text": t(7)}],
            "report": [
                {"article": a1, "claim": c1, "chain": [&paper, &wire, &mon], "speaker": t(8), "cue": t(9),
                 "quote": t(10)},
                {"article": a2, "claim": c2, "chain": chain2, "cue": "said", "stance": "refutes",
                 "caveats": ["hedge"], "quote": t(11)},
                {"article": a2, "claim": c1, "chain": [&paper], "cue": t(19), "quote": t(4)},
            ],
            "contradiction": [{"a": c1, "b": c2, "kind": "predicate", "note": t(2)}],
        }));
        let settings = Settings::defaults();
        let (g, a) = credence::scored(&story, &settings).unwrap();
        let input = ReportInput::new(&a, &g);
        prop_assert!(a.claims.len() == 2);
        for f in [Format::Html, Format::Svg, Format::Claimreview, Format::Prov, Format::Table, Format::Md, Format::Dot, Format::Json] {
            let bytes = f.exporter().render(&input).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            match f {
                Format::Html => {
                    only_known_markup(&text, "generated HTML");
                    no_raw_controls(&text, "generated HTML");
                }
                Format::Svg => {
                    only_known_markup(&text, "generated SVG");
                    svg_well_formed(&text, "generated SVG");
                }
                Format::Claimreview => {
                    let doc = inert_json(&text, "generated ClaimReview");
                    jsonld_urls(&doc, "generated ClaimReview");
                    claimreview_values(&doc, &story);
                }
                Format::Prov => {
                    let doc = inert_json(&text, "generated PROV");
                    jsonld_urls(&doc, "generated PROV");
                    prov_values(&doc, &story);
                }
                Format::Json => json_values(&inert_json(&text, "generated JSON"), &story),
                Format::Md => markdown_inert(&text, &story, "generated Markdown"),
                Format::Dot => {
                    dot_well_formed(&text, "generated DOT");
                }
                Format::Table => no_raw_controls(&text, "generated table"),
            }
        }
        let coloured = credence::report::TerminalExporter { color: true, width: 100 }.render(&input).unwrap();
        no_raw_controls(&strip_sgr(&String::from_utf8(coloured).unwrap()), "generated coloured table");
        let svg = graph_svg(&input, &SvgOptions { link_claims: true, ..SvgOptions::default() });
        svg_well_formed(&svg, "generated SVG with links");
    }
}

// ---- Inert output everywhere: the checks every format must pass, for the hostile story and any generated one.
//
// The expectations are written here independently of the library's own neutraliser: which characters no output
// may hold raw, and how a story string reads once shown (`<U+XXXX>` for each of them, a CRLF as a line feed).

/// Characters no output may hold raw: C0 controls but tab and line feed, DEL, C1, bidi marks, overrides and
/// isolates, and the non-characters U+FFFE and U+FFFF.
fn raw_control(c: char) -> bool {
    let u = u32::from(c);
    (u < 0x20 && c != '\n' && c != '\t')
        || (0x7f..=0x9f).contains(&u)
        || matches!(u, 0x61c | 0x200e | 0x200f | 0x202a..=0x202e | 0x2066..=0x2069 | 0xfffe | 0xffff)
}

/// A story string as every format shows it: each raw control as `<U+XXXX>`, CRLF as a line feed.
fn shown(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    let mut out = String::new();
    for c in s.chars() {
        if raw_control(c) {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `shown`, on one line: what a Markdown code span holds.
fn shown_line(s: &str) -> String {
    shown(s).chars().map(|c| if matches!(c, '\n' | '\t' | '\u{2028}' | '\u{2029}') { ' ' } else { c }).collect()
}

/// Up to 40 characters either side of byte `i`, for messages.
fn around(text: &str, i: usize) -> String {
    let before: String = text[..i].chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
    let after: String = text[i..].chars().take(40).collect();
    format!("{before}{after}")
}

/// The first raw control in `text`, described.
fn raw_control_in(text: &str, what: &str) -> Result<(), String> {
    match text.char_indices().find(|&(_, c)| raw_control(c)) {
        Some((i, c)) => Err(format!("{what}: raw U+{:04X} at byte {i}: {:?}", u32::from(c), around(text, i))),
        None => Ok(()),
    }
}

#[track_caller]
fn no_raw_controls(text: &str, what: &str) {
    if let Err(e) = raw_control_in(text, what) {
        panic!("{e}");
    }
}

/// Returns `Err(message)` from the enclosing checker unless the condition holds.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)*) => {
        if !$cond {
            return Err(format!($($msg)*));
        }
    };
}

/// The coloured table less its own SGR colour sequences (`ESC [ digits m`); anything else starting with ESC
/// is left in place for [`no_raw_controls`] to find.
fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let digits = after.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
        if after[digits..].starts_with('m') {
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[i..i + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// JSON or JSON-LD that can sit in a `<script>` element: no `<`, `>`, `&`, U+2028 or U+2029 in its bytes (the
/// structure never needs them, so inside strings they are escapes), no raw control; it parses.
#[track_caller]
fn inert_json(text: &str, what: &str) -> Value {
    no_raw_controls(text, what);
    if let Some(i) = text.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        panic!("{what}: raw markup character at byte {i}: {:?}", around(text, i));
    }
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} does not parse: {e}"))
}

/// An absolute http(s) URL with a host (no user name before it) and nothing that could leave an attribute or
/// act on a terminal.
fn is_web_url(s: &str) -> bool {
    let low = s.to_ascii_lowercase();
    let Some(rest) = low.strip_prefix("https://").or_else(|| low.strip_prefix("http://")) else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.split(':').next().unwrap_or("");
    !host.is_empty()
        && !authority.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || raw_control(c) || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\'))
}

/// Every `url` and `prov:atLocation` of a JSON-LD document is an http(s) URL, or for a review's own `url`,
/// its credence URN; every `@id` is a credence URN or an http(s) URL.
#[track_caller]
fn jsonld_urls(v: &Value, what: &str) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("url", Value::String(u)) => {
                        assert!(is_web_url(u) || u.starts_with("urn:credence:claim:"), "{what}: url {u:?}");
                    }
                    ("prov:atLocation", Value::String(u)) => assert!(is_web_url(u), "{what}: prov:atLocation {u:?}"),
                    ("@id", Value::String(u)) => {
                        assert!(is_web_url(u) || u.starts_with("urn:credence:"), "{what}: @id {u:?}");
                    }
                    _ => jsonld_urls(x, what),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| jsonld_urls(x, what)),
        _ => {}
    }
}

/// The URL a story's article may publish, as the JSON-LD must carry it: trimmed, and only when it is a web URL.
fn article_url(a: &credence::model::Article) -> Option<String> {
    a.url.as_deref().map(str::trim).filter(|u| is_web_url(u)).map(str::to_string)
}

/// `ClaimReview` values read back as shown: claim texts, ids, headlines; article urls only when http(s).
#[track_caller]
fn claimreview_values(doc: &Value, story: &Story) {
    let reviews = doc["@graph"].as_array().expect("@graph");
    assert_eq!(reviews.len(), story.claims.len());
    for r in reviews {
        let item = &r["itemReviewed"];
        let id = item["identifier"].as_str().unwrap();
        let claim = story.claims.iter().find(|c| shown(&c.id) == id).unwrap_or_else(|| panic!("no claim {id:?}"));
        assert_eq!(r["claimReviewed"], shown(&claim.text).as_str());
        assert_eq!(item["text"], shown(&claim.text).as_str());
        for w in item["appearance"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
            let aid = w["identifier"].as_str().unwrap();
            let art = story.articles.iter().find(|a| shown(&a.id) == aid).unwrap();
            if !art.title.is_empty() {
                assert_eq!(w["headline"], shown(&art.title).as_str());
            }
            assert_eq!(w["url"].as_str().map(str::to_string), article_url(art), "url of article {aid:?}");
            if article_url(art).is_none() {
                assert_eq!(w["@id"], format!("urn:credence:article:{}", pct(&art.id)));
            }
        }
    }
}

/// PROV values read back as shown: source names, article ids and titles, claim texts, quotes, cues, speakers;
/// `prov:atLocation` only for http(s) article URLs.
#[track_caller]
fn prov_values(doc: &Value, story: &Story) {
    let nodes: HashMap<&str, &Value> =
        doc["@graph"].as_array().unwrap().iter().map(|n| (n["@id"].as_str().unwrap(), n)).collect();
    for s in &story.sources {
        let n = nodes[format!("urn:credence:source:{}", pct(&s.id)).as_str()];
        assert_eq!(n["rdfs:label"], shown(&s.name).as_str());
    }
    for a in &story.articles {
        let n = nodes[format!("urn:credence:article:{}", pct(&a.id)).as_str()];
        assert_eq!(n["credence:id"], shown(&a.id).as_str());
        if !a.title.is_empty() {
            assert_eq!(n["rdfs:label"], shown(&a.title).as_str());
        }
        assert_eq!(n["prov:atLocation"].as_str().map(str::to_string), article_url(a), "location of {:?}", a.id);
    }
    for c in &story.claims {
        let n = nodes[format!("urn:credence:claim:{}", pct(&c.id)).as_str()];
        assert_eq!(n["credence:id"], shown(&c.id).as_str());
        assert_eq!(n["prov:value"], shown(&c.text).as_str());
    }
    for (i, r) in story.reports.iter().enumerate() {
        let n = nodes[statement(i, 0).as_str()];
        if let Some(q) = &r.quote {
            assert_eq!(n["prov:value"], shown(q).as_str());
        }
        if !r.cue.is_empty() {
            assert_eq!(n["credence:cue"], shown(&r.cue).as_str());
        }
        if let Some(sp) = r.speaker.as_deref().filter(|s| !s.trim().is_empty()) {
            let origin = nodes[statement(i, r.chain.len() - 1).as_str()];
            let person =
                ids(&origin["prov:wasAttributedTo"]).into_iter().find(|a| a.starts_with("urn:credence:speaker:"));
            assert_eq!(nodes[person.unwrap().as_str()]["rdfs:label"], shown(sp).as_str());
        }
    }
}

/// The plain JSON report keeps every value exactly (controls included: it is the run's data record), while its
/// bytes stay inert.
#[track_caller]
fn json_values(doc: &Value, story: &Story) {
    let claims = doc["claims"].as_array().unwrap();
    for c in &story.claims {
        let out = claims.iter().find(|x| x["id"] == c.id.as_str()).unwrap_or_else(|| panic!("no claim {:?}", c.id));
        assert_eq!(out["text"], c.text.as_str());
    }
    for a in &story.articles {
        let out = doc["articles"].as_array().unwrap().iter().find(|x| x["id"] == a.id.as_str()).unwrap();
        assert_eq!(out["title"], a.title.as_str());
    }
    assert_eq!(doc["story"]["title"], story.story.title.as_str());
}

/// Marks a backslash-escaped character in [`md_line`]'s outside text.
const ESCAPED: char = '\u{fffc}';

/// One Markdown line split as `CommonMark` reads it: the text outside code spans (each backslash-escaped
/// character replaced by [`ESCAPED`]), the code spans' contents (one padding space stripped from each side as
/// the spec does), and whether a backtick run was left unclosed.
fn md_line(line: &str) -> (String, Vec<String>, bool) {
    let chars: Vec<char> = line.chars().collect();
    let run = |i: usize| chars[i..].iter().take_while(|&&c| c == '`').count();
    let (mut out, mut spans, mut unclosed) = (String::new(), Vec::new(), false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(char::is_ascii_punctuation) {
            out.push(ESCAPED);
            i += 2;
        } else if c == '`' {
            let n = run(i);
            let mut j = i + n;
            let mut close = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let m = run(j);
                    if m == n {
                        close = Some(j);
                        break;
                    }
                    j += m;
                } else {
                    j += 1;
                }
            }
            if let Some(j) = close {
                let content: String = chars[i + n..j].iter().collect();
                let strip = content.len() >= 2
                    && content.starts_with(' ')
                    && content.ends_with(' ')
                    && !content.chars().all(|c| c == ' ');
                spans.push(if strip { content[1..content.len() - 1].to_string() } else { content });
                i = j + n;
            } else {
                unclosed = true;
                out.extend(std::iter::repeat_n('`', n));
                i += n;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    (out, spans, unclosed)
}

/// The number of cells of a GFM table row: split at every `|` not escaped by a backslash (GitHub splits cells
/// before it reads code spans, so a pipe inside one splits too), outer pipes not counted.
fn gfm_cells(row: &str) -> usize {
    let chars: Vec<char> = row.trim().chars().collect();
    let mut pipes = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\\' && chars.get(i + 1).is_some_and(char::is_ascii_punctuation) {
            i += 2;
            continue;
        }
        if chars[i] == '|' {
            pipes.push(i);
        }
        i += 1;
    }
    let lead = pipes.first() == Some(&0);
    let trail = chars.len() > 1 && pipes.last() == Some(&(chars.len() - 1));
    pipes.len() + 1 - usize::from(lead) - usize::from(trail)
}

/// Whether Markdown text at the start of a block would open one: a heading, list, quote, thematic break,
/// indented code, fence or HTML block.
fn opens_block(s: &str, allow_bold: bool) -> bool {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && matches!(s.as_bytes().get(digits), Some(b'.' | b')')))
        || s.starts_with(['#', '-', '+', '=', '>', '`', '~', '<', '|', '_', ' ', '\t'])
        || (s.starts_with('*') && !(allow_bold && s.starts_with("**")))
}

/// The Markdown report keeps its own structure whatever the story holds: no raw control; outside code spans no
/// `<`, no `>` but the quote markers, no `&` but the three entities it writes, no link syntax and no bare URL
/// (GitHub's e-mail autolinks cannot be escaped and are let be), no unclosed code span; every table row has
/// its table's cells; no story text starts a block; every claim id stands whole in its heading's code span.
#[track_caller]
fn markdown_inert(md: &str, story: &Story, what: &str) {
    if let Err(e) = markdown_check(md, story, what) {
        panic!("{e}");
    }
}

fn markdown_check(md: &str, story: &Story, what: &str) -> Result<(), String> {
    raw_control_in(md, what)?;
    let mut table_cells: Option<usize> = None;
    let mut headings = Vec::new();
    for (n, line) in md.lines().enumerate() {
        let at = format!("{what} line {}: {line:?}", n + 1);
        // Block structure: only the report's own prefixes start a block.
        let (body, allow_bold) = if let Some(rest) = line.strip_prefix("  > ") {
            (rest, false)
        } else if let Some(rest) = line.strip_prefix("- ") {
            (rest, true)
        } else if line.starts_with("# Reliability report: ")
            || line.starts_with("## ")
            || line.starts_with('|')
            || line == "---"
            || line.is_empty()
        {
            ("", true)
        } else if let Some(rest) = line.strip_prefix("### ") {
            headings.push(rest);
            ("", true)
        } else {
            (line, true)
        };
        ensure!(!opens_block(body, allow_bold), "{at}: story text starts a block");
        // Tables: every row has the header's number of cells.
        if line.starts_with('|') {
            let cells = gfm_cells(line);
            match table_cells {
                None => table_cells = Some(cells),
                Some(k) => ensure!(cells == k, "{at}: a row with {cells} cells in a table of {k}"),
            }
        } else {
            table_cells = None;
        }
        let (outside, spans, unclosed) = md_line(line.strip_prefix("  > ").unwrap_or(line));
        ensure!(!unclosed, "{at}: an unclosed backtick run");
        for s in &spans {
            ensure!(!s.contains('\n'), "{at}: a code span over two lines");
        }
        ensure!(!outside.contains('<'), "{at}: a raw < outside code");
        ensure!(!outside.contains('>'), "{at}: a raw > outside code");
        for (i, _) in outside.match_indices('&') {
            let rest = &outside[i..];
            ensure!(["&lt;", "&gt;", "&amp;"].iter().any(|e| rest.starts_with(e)), "{at}: a raw & outside code");
        }
        ensure!(!outside.contains("://"), "{at}: an autolinked URL");
        ensure!(!outside.to_ascii_lowercase().contains("www."), "{at}: an autolinked www. address");
        for (i, _) in outside.match_indices('[') {
            ensure!(outside[i + 1..].starts_with(|c: char| c.is_ascii_digit()), "{at}: a [ that may open a link");
        }
        for (i, _) in outside.match_indices(']') {
            ensure!(!outside[i + 1..].starts_with(['(', '[', ':']), "{at}: a ] that may close a link");
        }
    }
    for c in &story.claims {
        let id = shown_line(&c.id);
        let found = headings.iter().any(|h| md_line(h).1.last().is_some_and(|s| *s == id));
        ensure!(found, "{what}: the heading of claim {:?} does not end with its id as a code span", c.id);
    }
    Ok(())
}

/// One DOT token.
#[derive(Debug, PartialEq)]
enum Tok {
    Id(String),
    Str(String),
    Punct(&'static str),
}

/// A DOT line as tokens; quoted strings decoded. Panics on an unterminated string or an escape other than the
/// three the exporter writes (`\"`, `\\`, `\n`).
fn dot_tokens(line: &str, at: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' {
            i += 1;
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(format!("{at}: unterminated string")),
                    Some('"') => break,
                    Some('\\') => {
                        let e = chars.get(i + 1).copied();
                        let e = match e {
                            Some('n') => '\n',
                            Some(x @ ('"' | '\\')) => x,
                            other => return Err(format!("{at}: escape \\{other:?}")),
                        };
                        s.push(e);
                        i += 2;
                    }
                    Some(&x) => {
                        s.push(x);
                        i += 1;
                    }
                }
            }
            i += 1;
            toks.push(Tok::Str(s));
        } else if c == '-' && chars.get(i + 1) == Some(&'>') {
            toks.push(Tok::Punct("->"));
            i += 2;
        } else if let Some(p) = ["[", "]", "=", ",", ";", "{", "}"].iter().find(|p| p.starts_with(c)) {
            toks.push(Tok::Punct(p));
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                i += 1;
            }
            toks.push(Tok::Id(chars[start..i].iter().collect()));
        } else {
            return Err(format!("{at}: stray character {c:?} outside a string"));
        }
    }
    Ok(toks)
}

/// The DOT output is well-formed for any story: a `digraph` whose every line is one statement (a graph
/// attribute, a node or an edge with an attribute list) and whose strings all close on their line. Returns the
/// decoded strings, for checks on their text.
#[track_caller]
fn dot_well_formed(dot: &str, what: &str) -> Vec<String> {
    dot_check(dot, what).unwrap_or_else(|e| panic!("{e}"))
}

fn dot_check(dot: &str, what: &str) -> Result<Vec<String>, String> {
    raw_control_in(dot, what)?;
    let lines: Vec<&str> = dot.lines().collect();
    ensure!(lines.len() >= 2 && lines[0] == "digraph credence {", "{what}: does not open the digraph");
    ensure!(lines.last() == Some(&"}"), "{what}: does not close the digraph");
    let mut strings = Vec::new();
    for (n, line) in lines[1..lines.len() - 1].iter().enumerate() {
        let at = format!("{what} line {}: {line:?}", n + 2);
        let toks = dot_tokens(line, &at)?;
        let p = |i: usize, s: &str| {
            toks.get(i)
                == Some(&Tok::Punct(match s {
                    "[" => "[",
                    "]" => "]",
                    "=" => "=",
                    "," => ",",
                    ";" => ";",
                    _ => "->",
                }))
        };
        let value = |i: usize| matches!(toks.get(i), Some(Tok::Id(_) | Tok::Str(_)));
        let id = |i: usize| matches!(toks.get(i), Some(Tok::Id(_)));
        // attrs from i: key=value (, key=value)* ] ;
        let attrs = |mut i: usize| -> bool {
            loop {
                if !(id(i) && p(i + 1, "=") && value(i + 2)) {
                    return false;
                }
                i += 3;
                if p(i, ",") {
                    i += 1;
                    continue;
                }
                return p(i, "]") && p(i + 1, ";") && i + 2 == toks.len();
            }
        };
        let ok = (id(0) && p(1, "=") && value(2) && p(3, ";") && toks.len() == 4)
            || (id(0) && p(1, "[") && attrs(2))
            || (id(0) && p(1, "->") && id(2) && p(3, "[") && attrs(4));
        ensure!(ok, "{at}: not a DOT statement: {toks:?}");
        strings.extend(toks.into_iter().filter_map(|t| if let Tok::Str(s) = t { Some(s) } else { None }));
    }
    Ok(strings)
}

/// The SVG parses as XML, and neither its text nor its attributes hold a raw control. Returns every text node.
#[track_caller]
fn svg_well_formed(svg: &str, what: &str) -> Vec<String> {
    no_raw_controls(svg, what);
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{what} is not well-formed XML: {e}"));
    let mut texts = Vec::new();
    for node in doc.descendants() {
        if let Some(t) = node.text().filter(|_| node.is_text()) {
            no_raw_controls(t, what);
            texts.push(t.to_string());
        }
        for a in node.attributes() {
            no_raw_controls(a.value(), what);
        }
    }
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    texts
}

fn hostile_story() -> Story {
    Story::load(&root().join(HOSTILE)).unwrap().story
}

#[test]
fn hostile_controls_are_visible_and_inert_in_every_format() {
    let story = hostile_story();
    // The fixture does carry what it should, so the checks below are not vacuous.
    let all: String = story.claims.iter().map(|c| c.id.clone() + &c.text).collect::<Vec<_>>().join(" ");
    for needle in
        ["\u{1b}]0;pwned\u{7}", "\u{1b}[2J", "\u{9b}", "\u{202e}", "\u{2028}", "\u{0}", "``", "|", "</script>"]
    {
        assert!(all.contains(needle), "the hostile claims lack {needle:?}");
    }
    for format in ["md", "json", "html", "svg", "dot", "table", "claimreview", "prov"] {
        no_raw_controls(&render(format, HOSTILE), format);
    }
    // The table in colour, wide enough that the title is not cut before its controls.
    let coloured = std::process::Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(["score", HOSTILE, "-q", "-f", "table", "--color", "always"])
        .env("COLUMNS", "400")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(coloured.status.success());
    let coloured = String::from_utf8(coloured.stdout).unwrap();
    assert!(coloured.contains("\u{1b}[32m") || coloured.contains("\u{1b}[31m"));
    no_raw_controls(&strip_sgr(&coloured), "coloured table");
    assert!(coloured.contains("<U+001B>]0;pwned<U+0007><U+001B>[2J<U+202E>esrever"), "{coloured}");
    // `explain` prints the Markdown section to the terminal: the same escaping.
    // (c2's section names c3, whose id holds a NUL that no command line can carry.)
    let explain = run(&["explain", HOSTILE, "c2", "-q"]);
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    no_raw_controls(&explain.stdout, "explain");
    // HTML and SVG show the controls too (escaped), not silently dropped.
    let html = render("html", HOSTILE);
    only_known_markup(&html, "hostile HTML");
    assert!(html.contains("&lt;U+001B&gt;]0;pwned&lt;U+0007&gt;"));
    assert!(html.contains("&lt;U+202E&gt;right to left&lt;U+202C&gt;"));
    // Only the http(s) URL becomes a link; the others are shown as text.
    assert!(html.contains("<a href=\"https://example.org/a3?x=1&amp;y=2\" rel=\"noopener noreferrer nofollow\">"));
    assert_eq!(html.matches("<a href=\"http").count(), 1, "one article has a web URL");
    assert!(html.contains("(url: <code> JaVaScRiPt:document.body.setAttribute("));
    assert!(
        html.contains("(url: <code>https://example.org/&lt;U+001B&gt;]8;;javascript:alert(1)&lt;U+0007&gt;</code>")
    );
}

#[test]
fn hostile_jsonld_embeds_safely_and_reads_back_as_shown() {
    let story = hostile_story();
    let cr = inert_json(&render("claimreview", HOSTILE), "hostile ClaimReview");
    jsonld_urls(&cr, "hostile ClaimReview");
    claimreview_values(&cr, &story);
    let prov = inert_json(&render("prov", HOSTILE), "hostile PROV");
    jsonld_urls(&prov, "hostile PROV");
    prov_values(&prov, &story);
    let raw = render("claimreview", HOSTILE);
    assert!(raw.contains("\\u003c/script\\u003e\\u003c!--"), "</script><!-- is not escaped");
    assert!(raw.contains("\"url\": \"https://example.org/a3?x=1\\u0026y=2\""));
    for bad in ["javascript", "JaVaScRiPt", "127.0.0.1:9/article"] {
        for (k, v) in [("url", &cr), ("prov:atLocation", &prov)] {
            let text = v.to_string();
            assert!(!text.contains(&format!("\"{k}\":\" {bad}")) && !text.contains(&format!("\"{k}\":\"{bad}")));
        }
    }
    // The plain JSON keeps the exact values, controls included, in inert bytes.
    let json = inert_json(&render("json", HOSTILE), "hostile JSON");
    json_values(&json, &story);
}

#[test]
fn hostile_markdown_keeps_its_structure() {
    let story = hostile_story();
    let md = render("md", HOSTILE);
    markdown_inert(&md, &story, "hostile Markdown");
    // The worst claim id: a code span whose fence is longer than its backtick runs, padded as it starts with one.
    assert!(md.contains("(``` `c3 </script><!--|<U+001B>[2J<U+202E>`` # x<U+0000><U+0085>  ```)"), "{md}");
    // In a table the id holds a pipe, so it is escaped text, not a code span that GitHub would split.
    assert!(md.contains("| \\`c3 &lt;/script&gt;&lt;!--\\|&lt;U+001B&gt;\\[2J"), "{md}");
    // Story text at the start of a block is escaped.
    assert!(md.contains("  > \\# not a heading"));
    assert!(md.contains("  > 1\\. not a list item - nor this"));
    assert!(md.contains("  > \\- &gt; not a quote"));
    // The checker itself notices what it is there for.
    let caught = |bad: &str| markdown_check(bad, &Story::default(), "probe").is_err();
    assert!(caught("| a | b |\n|---|---|\n| x | y | z |\n"));
    assert!(caught("text `code\n"));
    assert!(caught("see <img src=x>\n"));
    assert!(caught("# Reliability report: x\n\n# injected\n"));
    assert!(caught("a [link](javascript:x)\n"));
    assert!(caught("plain \u{1b}[2J\n"));
    assert!(!caught("| a | b |\n|---|---|\n| `x\\|y` \\| | y |\n"));
}

#[test]
fn hostile_dot_and_svg_are_well_formed() {
    let story = hostile_story();
    let dot = render("dot", HOSTILE);
    let strings = dot_well_formed(&dot, "hostile DOT");
    let wire = &story.sources.iter().find(|s| s.id.starts_with(" wire")).unwrap().id;
    let tooltip = format!("source {}", shown_line(wire));
    assert!(strings.contains(&tooltip), "no tooltip {tooltip:?} in {strings:?}");
    assert!(strings.iter().any(|s| s.contains("&amp;") || s.contains("<U+001B>")));
    let caught = |bad: &str| dot_check(bad, "probe").is_err();
    assert!(caught("digraph credence {\n  n0 [label=\"a\"b\"];\n}\n"));
    assert!(caught("digraph credence {\n  n0 [label=\"a\n\"];\n}\n"));
    assert!(caught("digraph credence {\n  n0 [label=\"a\"]; n1 [label=\"b\"];\n}\n"));
    assert!(!caught("digraph credence {\n  n0 [label=\"a\\\"b\\\\\\n\"];\n}\n"));
    for svg in [render("svg", HOSTILE), run(&["graph", HOSTILE, "-q"]).stdout] {
        let texts = svg_well_formed(&svg, "hostile SVG");
        assert!(texts.iter().any(|t| t.contains("<U+001B>]0;pwned<U+0007>")), "the controls are not shown");
        assert!(texts.iter().any(|t| t.contains("</script><!--")), "the markup is not shown as text");
    }
}

#[test]
fn review_url_must_be_a_web_url() {
    for bad in ["javascript:alert(1)", "data:text/html,x", "/report.html", "https://x.org/\u{1b}]0;t\u{7}", "https://"]
    {
        let out = run(&["score", EX, "-q", "-f", "claimreview", "--review-url", bad]);
        assert_eq!(out.code, 2, "{bad:?}: {}", out.stderr);
        assert!(out.stderr.contains("--review-url"), "{bad:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    let out = run(&["score", EX, "-q", "-f", "claimreview", "--review-url", "https://example.org/r.html#top"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = inert_json(&out.stdout, "ClaimReview with a review URL");
    jsonld_urls(&doc, "ClaimReview with a review URL");
    assert_eq!(doc["@graph"][0]["url"], "https://example.org/r.html#claim-route-to-coast");
    // A library caller passing a bad URL gets an error, not a javascript: url.
    let story = hostile_story();
    let settings = Settings::defaults();
    let (g, a) = credence::scored(&story, &settings).unwrap();
    let input = ReportInput { review_url: Some("javascript:alert(1)"), ..ReportInput::new(&a, &g) };
    assert!(Format::Claimreview.exporter().render(&input).is_err());
}

#[test]
fn example_outputs_pass_the_inert_checks() {
    let story = Story::load(&root().join(EX)).unwrap().story;
    markdown_inert(&render("md", EX), &story, "example Markdown");
    let dot = dot_well_formed(&render("dot", EX), "example DOT");
    assert!(dot.iter().any(|s| s.contains("support")));
    svg_well_formed(&run(&["graph", EX, "-q"]).stdout, "example SVG");
    for f in ["claimreview", "prov"] {
        jsonld_urls(&inert_json(&render(f, EX), f), f);
    }
    json_values(&inert_json(&render("json", EX), "example JSON"), &story);
    claimreview_values(&inert_json(&render("claimreview", EX), "example ClaimReview"), &story);
    prov_values(&inert_json(&render("prov", EX), "example PROV"), &story);
    no_raw_controls(&strip_sgr(&render("table", EX)), "example table");
}
