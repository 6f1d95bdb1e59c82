//! The ingest stage on real material: the five seed articles in `../shared` (read at run time, never copied
//! into the repository; skipped with a message when the folder is missing) and our own rewrites in
//! `examples/jisr-al-shughur/articles/`. Assertions quote at most a few words of seed text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use credence::ingest::{BoilerplateLexicon, DocFormat, Document, IngestOptions, parse_text, read_dir, read_file};
use credence::model::{Date, Story};

use crate::common::root;

fn seeds_dir() -> Option<PathBuf> {
    let dir = root().join("../shared/stories/jisr-al-shughur");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is missing (the seed articles live next to the repository)", dir.display());
        None
    }
}

fn lex() -> BoilerplateLexicon {
    BoilerplateLexicon::builtin()
}

fn read(path: &Path) -> Document {
    read_file(path, &IngestOptions::default(), &lex()).expect("an article")
}

/// The seed file whose name starts with `prefix` ("000").
fn seed(dir: &Path, prefix: &str) -> Document {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    assert_eq!(names.len(), 1, "one seed file starting {prefix}");
    read(&names.remove(0))
}

fn example(name: &str) -> Document {
    read(&root().join("examples/jisr-al-shughur/articles").join(name))
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

fn kept(d: &Document) -> Vec<&str> {
    d.paragraph_texts().collect()
}

fn reasons(d: &Document) -> BTreeMap<&str, usize> {
    let mut m = BTreeMap::new();
    for x in &d.dropped {
        *m.entry(x.reason.as_str()).or_default() += 1;
    }
    m
}

fn map<'a>(pairs: &[(&'a str, usize)]) -> BTreeMap<&'a str, usize> {
    pairs.iter().copied().collect()
}

/// Nothing silently lost: every paragraph is non-empty and trimmed, and every non-blank line of the file lies
/// wholly inside kept paragraphs, credit lines and dropped pieces; each dropped piece names its line.
fn check(d: &Document) {
    let file = std::fs::read_to_string(&d.path).unwrap();
    assert_eq!(d.text, file, "a .txt file's text is the file");
    let mut covered = vec![false; d.text.len()];
    for r in d.paragraphs.iter().chain(&d.meta.credit_lines) {
        let s = &d.text[r.clone()];
        assert!(!s.trim_matches(is_space).is_empty(), "{}: empty range {r:?}", d.path.display());
        covered[r.clone()].iter_mut().for_each(|c| *c = true);
    }
    for r in &d.paragraphs {
        let s = &d.text[r.clone()];
        assert_eq!(s, s.trim_matches(is_space), "{}: paragraph not trimmed", d.path.display());
    }
    for x in &d.dropped {
        assert_eq!(x.text, d.text[x.span.clone()]);
        assert_eq!(x.line, d.text[..x.span.start].matches('\n').count() + 1);
        covered[x.span.clone()].iter_mut().for_each(|c| *c = true);
    }
    let mut start = 0;
    for (n, line) in d.text.split('\n').enumerate() {
        for (i, c) in line.char_indices() {
            assert!(
                is_space(c) || covered[start + i],
                "{}:{}: this line is neither kept, a credit nor dropped: {line:?}",
                d.path.display(),
                n + 1
            );
        }
        start += line.len() + 1;
    }
}

fn starting<'a>(d: &'a Document, words: &str) -> Vec<&'a str> {
    kept(d).into_iter().filter(|p| p.starts_with(words)).collect()
}

#[test]
fn seed_000_caption_printed_twice_and_related_stories() {
    let Some(dir) = seeds_dir() else { return };
    let d = seed(&dir, "000");
    check(&d);
    assert_eq!(d.paragraphs.len(), 18);
    assert_eq!(reasons(&d), map(&[("repeated caption", 2), ("after end-of-article credit", 9)]));
    assert!(d.dropped.iter().filter(|x| x.reason == "repeated caption").all(|x| x.text.ends_with("[Reuters]")));
    assert!(kept(&d).iter().all(|p| !p.ends_with("[Reuters]")));
    assert_eq!(d.meta.outlet.as_deref(), Some("Al Jazeera"));
    assert_eq!(d.meta.credits, ["agencies"]);
    assert_eq!(d.meta.title.as_deref().map(|t| t.starts_with("Reports:")), Some(true));
    assert!(d.meta.standfirst.as_deref().unwrap().starts_with("Security units withdraw"));
    // The last article paragraph is kept; everything after the SOURCE line is gone.
    let last = kept(&d)[17];
    assert!(last.starts_with("Al Jazeera has not been"), "{last}");
    let source = d.text.find("SOURCE:").unwrap();
    assert!(d.paragraphs.iter().all(|r| r.end < source));
    assert!(d.dropped.iter().filter(|x| x.span.start > source).all(|x| x.reason == "after end-of-article credit"));
    // A subheading inside the article stays.
    assert_eq!(starting(&d, "Twitter statement").len(), 1);
}

#[test]
fn seed_001_registration_form_is_dropped_entirely() {
    let Some(dir) = seeds_dir() else { return };
    let d = seed(&dir, "001");
    check(&d);
    assert_eq!(d.paragraphs.len(), 29);
    assert_eq!(reasons(&d), map(&[("repeated caption", 2), ("registration form", 31), ("comments prompt", 3)]));
    assert!(
        kept(&d).iter().all(|p| !p.contains("Please enter") && !p.contains("characters") && !p.contains("reCAPTCHA"))
    );
    assert_eq!(d.meta.credits, ["AP"]);
    let credit = d.text.find("Additional reporting by AP").unwrap();
    assert!(d.paragraphs.iter().all(|r| r.end < credit), "nothing after the sign-off is kept");
    assert!(kept(&d)[28].starts_with("An estimated 220,000 people"));
    // Single captions without a photo credit are kept: they are not repeated and carry claims.
    assert_eq!(starting(&d, "A picture posted on Twitter").len(), 1);
}

#[test]
fn seed_001_form_goes_even_without_the_credit_line() {
    let Some(dir) = seeds_dir() else { return };
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("001"))
        .unwrap();
    let text = std::fs::read_to_string(path).unwrap().replace("Additional reporting by AP", "");
    let d = parse_text(Path::new("001.txt"), &text, DocFormat::Text, &lex());
    assert_eq!(d.paragraphs.len(), 29, "the lexicon alone removes the whole form");
    assert!(d.meta.credits.is_empty());
    assert!(!reasons(&d).contains_key("after end-of-article credit"));
}

#[test]
fn seed_002_adverts_dateline_and_trailing_credit() {
    let Some(dir) = seeds_dir() else { return };
    let d = seed(&dir, "002");
    check(&d);
    assert_eq!(d.paragraphs.len(), 13);
    assert_eq!(reasons(&d), map(&[("advertisement", 2)]));
    assert!(kept(&d).iter().all(|p| *p != "Advertisement"));
    assert_eq!(d.meta.credits, ["AFP"]);
    assert_eq!(d.meta.dateline.as_deref(), Some("BEIRUT"));
    assert_eq!(d.meta.dateline_date, Some((4, 25)));
    assert_eq!(d.meta.published, None, "the dateline has no year");
    assert_eq!(d.meta.title, None, "the file starts with the dateline paragraph");
    assert!(kept(&d)[0].starts_with("BEIRUT, April 25"), "the dateline paragraph is kept whole");
    let last = kept(&d)[12];
    assert!(last.ends_with("Abu Duhur.") && !last.contains("AFP"), "{last}");
    assert_eq!(&d.text[d.meta.credit_lines[0].clone()], "\u{2014} AFP");
}

#[test]
fn seed_003_app_line_and_opinion_sidebar() {
    let Some(dir) = seeds_dir() else { return };
    let d = seed(&dir, "003");
    check(&d);
    assert_eq!(d.paragraphs.len(), 12);
    assert_eq!(reasons(&d), map(&[("app promotion", 1), ("sidebar header", 2), ("after end-of-article credit", 27)]));
    assert_eq!(d.meta.outlet.as_deref(), Some("Dawn"));
    assert_eq!(d.meta.published, Some(Date { year: 2015, month: 4, day: 26 }));
    assert_eq!(d.meta.dateline.as_deref(), Some("BEIRUT"));
    assert!(d.meta.credits.is_empty());
    let dropped: Vec<&str> = d.dropped.iter().map(|x| x.text.as_str()).collect();
    assert!(dropped.contains(&"Opinion") && dropped.contains(&"Editorial"));
    assert!(d.dropped.iter().any(|x| x.reason == "app promotion" && x.text.contains("Google Play")));
    // The line without a final full stop (a sentence that lost it) is kept, on its own.
    assert_eq!(starting(&d, "Opposition fighters and the Syrian").len(), 1);
}

#[test]
fn seed_004_donation_pitch_and_glued_first_sentence() {
    let Some(dir) = seeds_dir() else { return };
    let d = seed(&dir, "004");
    check(&d);
    assert_eq!(d.paragraphs.len(), 27);
    assert_eq!(
        reasons(&d),
        map(&[("donation pitch", 4), ("glued boilerplate", 1), ("subscription prompt", 2), ("comments prompt", 3)])
    );
    let first = d.paragraphs.iter().find(|r| d.text[r.start..].starts_with("Jihadists claim to have taken")).unwrap();
    let glued = d.dropped.iter().find(|x| x.reason == "glued boilerplate").unwrap();
    assert_eq!(glued.span.end, first.start, "the kept sentence starts exactly at the glue point");
    assert_eq!(&d.text[first.start - 1..first.start], ".");
    assert_eq!(glued.line, d.text[..first.start].matches('\n').count() + 1, "same line");
    assert_eq!(d.meta.credits, ["agencies"]);
    assert!(d.meta.standfirst.as_deref().unwrap().starts_with("The reports could be"));
    assert!(kept(&d).iter().all(|p| !p.contains("Your support") && !p.contains("paywall")));
}

#[test]
fn seeds_through_read_dir() {
    let Some(dir) = seeds_dir() else { return };
    let (docs, skipped) = read_dir(&dir, &IngestOptions::default(), &lex()).unwrap();
    assert_eq!(docs.len(), 5);
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].to_string().contains("readme, not an article"));
    let counts: Vec<usize> = docs.iter().map(|d| d.paragraphs.len()).collect();
    assert_eq!(counts, [18, 29, 13, 12, 27]);
    assert!(docs.iter().all(|d| d.warnings.is_empty() && d.format == DocFormat::Text));
}

#[test]
fn examples_read_like_their_seeds() {
    type Case<'a> = (&'a str, usize, &'a [(&'a str, usize)]);
    let cases: &[Case] = &[
        ("000-al-jazeera.txt", 19, &[("repeated caption", 2), ("after end-of-article credit", 9)]),
        ("001-independent-jisr.txt", 29, &[("repeated caption", 2), ("registration form", 31), ("comments prompt", 3)]),
        ("002-afp-wire.txt", 14, &[("advertisement", 2)]),
        ("003-dawn.txt", 13, &[("app promotion", 1), ("sidebar header", 2), ("after end-of-article credit", 19)]),
        (
            "004-independent-idlib.txt",
            27,
            &[("donation pitch", 4), ("glued boilerplate", 1), ("subscription prompt", 2), ("comments prompt", 3)],
        ),
    ];
    for (name, paragraphs, dropped) in cases {
        let d = example(name);
        check(&d);
        assert_eq!(d.paragraphs.len(), *paragraphs, "{name}");
        assert_eq!(reasons(&d), map(dropped), "{name}");
    }
    let d = example("000-al-jazeera.txt");
    assert_eq!(
        (d.meta.outlet.as_deref(), d.meta.credits.as_slice()),
        (Some("Al Jazeera"), &["news agencies".to_string()][..])
    );
    let d = example("001-independent-jisr.txt");
    assert_eq!(d.meta.credits, ["AP"]);
    let d = example("002-afp-wire.txt");
    assert_eq!(
        d.meta.title.as_deref(),
        Some("Jihadists overrun Syria\u{2019}s Jisr al-Shughur, last big regime city in Idlib")
    );
    assert_eq!(d.meta.standfirst, None);
    assert_eq!((d.meta.dateline.as_deref(), d.meta.dateline_date), (Some("BEIRUT"), Some((4, 25))));
    assert_eq!(d.meta.credits, ["AFP"]);
    let d = example("003-dawn.txt");
    assert_eq!(d.meta.outlet.as_deref(), Some("Dawn"));
    assert_eq!(d.meta.published, Some(Date { year: 2015, month: 4, day: 26 }));
    let d = example("004-independent-idlib.txt");
    assert_eq!(d.meta.credits, ["agencies"]);
    let first = d.paragraphs.iter().find(|r| d.text[r.start..].starts_with("Jihadists claim they have")).unwrap();
    assert_eq!(d.dropped.iter().find(|x| x.reason == "glued boilerplate").unwrap().span.end, first.start);
}

/// The hand-made story quotes the example articles by byte span. Every quoted span must lie inside a kept
/// paragraph, with one known exception: the Al Jazeera photo caption, printed twice, which the ingest stage
/// drops as a caption.
#[test]
fn example_story_quotes_lie_in_kept_paragraphs() {
    let file = Story::load(&root().join("examples/jisr-al-shughur/story.toml")).unwrap();
    let base = file.base_dir();
    let mut docs = BTreeMap::new();
    for a in &file.story.articles {
        if let Some(p) = &a.path {
            docs.insert(a.id.clone(), read(&base.join(p)));
        }
    }
    let mut outside = Vec::new();
    let mut checked = 0;
    for r in &file.story.reports {
        let (Some([start, end]), Some(d)) = (r.span, docs.get(&r.article)) else { continue };
        checked += 1;
        if !d.paragraphs.iter().any(|p| p.start <= start && end <= p.end) {
            outside.push(d.text[start..end].to_string());
        }
    }
    assert!(checked >= 80, "{checked} spans");
    assert_eq!(outside, ["Jisr al-Shughur is the second major Syrian city the fighters have taken"]);
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
}

/// The example articles as web pages: one `<p>` per line (the first an `<h1>`), inside page furniture. The
/// HTML path must keep and drop exactly what the text path does, and map every kept paragraph back to its
/// escaped source.
#[test]
fn examples_as_html_pages_read_like_the_text_files() {
    let dir = root().join("examples/jisr-al-shughur/articles");
    for name in [
        "000-al-jazeera.txt",
        "001-independent-jisr.txt",
        "002-afp-wire.txt",
        "003-dawn.txt",
        "004-independent-idlib.txt",
    ] {
        let txt = example(name);
        let source = std::fs::read_to_string(dir.join(name)).unwrap();
        let mut html = String::from(
            "<!doctype html>\n<html><head><title>Page</title><script>var s = \"</p><p>Subscribe now</p>\";</script>\
             <style>p > a { x: '</p>' }</style></head>\n<body><nav><ul><li>Home</li><li>World</li></ul></nav>\n\
             <main><article>\n",
        );
        for (i, line) in source.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            let tag = if i == 0 { "h1" } else { "p" };
            html.push_str(&format!("<{tag} class=\"x\">{}</{tag}><!-- {i} -->\n", escape(line)));
        }
        html.push_str("</article></main><footer>About us</footer></body></html>\n");
        let page = parse_text(Path::new("page.html"), &html, DocFormat::Html, &lex());
        let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let want: Vec<String> = kept(&txt).into_iter().map(collapse).collect();
        let got: Vec<String> = kept(&page).into_iter().map(collapse).collect();
        assert_eq!(got, want, "{name}");
        let mut text_reasons = reasons(&txt);
        text_reasons.insert("<nav> element", 1);
        text_reasons.insert("<footer> element", 1);
        assert_eq!(reasons(&page), text_reasons, "{name}");
        assert_eq!(page.meta.credits, txt.meta.credits, "{name}");
        assert_eq!(page.meta.outlet, txt.meta.outlet, "{name}");
        for r in &page.paragraphs {
            let src = page.source_span(r.clone());
            assert_eq!(collapse(&unescape(&html[src])), collapse(&page.text[r.clone()]), "{name}");
        }
    }
}
