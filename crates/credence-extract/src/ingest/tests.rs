//! Rule tables for the ingest pipeline: one small hand-written article per rule, run through [`parse_text`] or
//! [`read_file`]. Every text here is made up for the test.

use super::*;

fn lex() -> BoilerplateLexicon {
    BoilerplateLexicon::builtin()
}

fn parse(text: &str) -> Document {
    parse_text(Path::new("t.txt"), text, DocFormat::Text, &lex())
}

fn parse_as(text: &str, format: DocFormat) -> Document {
    parse_text(Path::new("t"), text, format, &lex())
}

fn kept(d: &Document) -> Vec<&str> {
    d.paragraph_texts().collect()
}

fn dropped(d: &Document) -> Vec<(&str, &str)> {
    d.dropped.iter().map(|x| (x.text.as_str(), x.reason.as_str())).collect()
}

/// The invariants every document keeps: paragraphs are non-empty, trimmed and in order; dropped pieces are
/// in order with the right text and line; and every non-space byte of `text` is in a kept paragraph, a credit
/// line or a dropped piece (Markdown heading marks aside).
pub(crate) fn check_invariants(d: &Document) {
    let mut covered = vec![false; d.text.len()];
    let mut last = 0;
    for r in &d.paragraphs {
        let s = &d.text[r.clone()];
        assert!(!s.is_empty(), "empty paragraph at {r:?}");
        assert_eq!(s, s.trim_matches(is_space), "paragraph {r:?} is not trimmed");
        assert!(r.start >= last, "paragraphs out of order at {r:?}");
        last = r.end;
        covered[r.clone()].iter_mut().for_each(|c| *c = true);
    }
    for r in &d.meta.credit_lines {
        covered[r.clone()].iter_mut().for_each(|c| *c = true);
    }
    let mut last = 0;
    for x in &d.dropped {
        assert!(x.span.start >= last, "dropped out of order at {:?}", x.span);
        last = x.span.start;
        if !x.span.is_empty() {
            assert_eq!(x.text, d.text[x.span.clone()]);
        }
        assert!(!x.reason.is_empty());
        if d.source_offsets.is_none() && !x.span.is_empty() {
            assert_eq!(x.line, d.text[..x.span.start].matches('\n').count() + 1, "line of {:?}", x.text);
        }
        covered[x.span.clone()].iter_mut().for_each(|c| *c = true);
    }
    for (i, c) in d.text.char_indices() {
        if is_space(c) || covered[i] || (d.format == DocFormat::Markdown && c == '#') {
            continue;
        }
        let line_start = d.text[..i].rfind('\n').map_or(0, |p| p + 1);
        let line_end = d.text[i..].find('\n').map_or(d.text.len(), |p| i + p);
        panic!("byte {i} ({c:?}) is neither kept, a credit nor dropped; line: {:?}", &d.text[line_start..line_end]);
    }
    if let (Some(starts), Some(ends)) = (&d.source_offsets, &d.source_ends) {
        assert_eq!(starts.len(), d.text.len() + 1);
        assert_eq!(ends.len(), d.text.len() + 1);
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "source offsets go backwards");
    }
}

// Rule 1: the paragraph model, title and standfirst.

#[test]
fn paragraphs_title_and_standfirst() {
    let d = parse(
        "Rebels take the river town\n\
         A short line under the headline\n\
         \n\
         \x20   Fighters entered the town on Saturday, a monitor said, after\n\
         three days of shelling.\n\
         The army said it had pulled back.\n",
    );
    check_invariants(&d);
    assert_eq!(
        kept(&d),
        [
            "Rebels take the river town",
            "A short line under the headline",
            "Fighters entered the town on Saturday, a monitor said, after\nthree days of shelling.",
            "The army said it had pulled back."
        ]
    );
    assert_eq!(d.meta.title.as_deref(), Some("Rebels take the river town"));
    assert_eq!(d.meta.standfirst.as_deref(), Some("A short line under the headline"));
    assert!(d.dropped.is_empty());
}

#[test]
fn no_title_when_the_first_paragraph_is_a_sentence_or_a_dateline() {
    let d = parse("The army said it had pulled back from the town.\n\nIt gave no figures.");
    assert_eq!(d.meta.title, None);
    let d = parse("TOWNVILLE, May 3 \u{2014} Rebels said they held the town.\n\nThe army denied it.");
    assert_eq!(d.meta.title, None);
    assert_eq!(d.meta.dateline.as_deref(), Some("TOWNVILLE"));
    assert_eq!(d.meta.dateline_date, Some((5, 3)));
    assert_eq!(d.meta.published, None, "no year, no date");
    assert_eq!(
        kept(&d)[0],
        "TOWNVILLE, May 3 \u{2014} Rebels said they held the town.",
        "the dateline paragraph is kept whole"
    );
}

#[test]
fn a_standfirst_is_short() {
    let d = parse("Town falls\n\nFighters entered the town. The army left. Residents fled north overnight.\n\nMore.");
    assert_eq!(d.meta.title.as_deref(), Some("Town falls"));
    assert_eq!(d.meta.standfirst, None, "three sentences are not a standfirst");
}

#[test]
fn crlf_and_bom_and_tabs() {
    let d = parse("\u{FEFF}Headline here\r\n\r\n\tFirst paragraph.\r\nSecond paragraph.\r\n");
    check_invariants(&d);
    assert_eq!(kept(&d), ["Headline here", "First paragraph.", "Second paragraph."]);
}

// Rule 2: repeated lines.

#[test]
fn repeated_lines() {
    let d = parse(
        "Town falls to rebels\n\n\
         Smoke over the old market after the shelling [Reuters]\n\
         Smoke over the old market after the shelling [Reuters]\n\n\
         Fighters entered the town on Saturday.\n\n\
         Residents fled\n\n\
         Many residents fled towards the border overnight.\n\n\
         Residents fled\n\n\
         Many residents fled towards the border overnight.\n\n\
         Town falls to rebels\n",
    );
    check_invariants(&d);
    assert_eq!(
        kept(&d),
        [
            "Town falls to rebels",
            "Fighters entered the town on Saturday.",
            "Many residents fled towards the border overnight."
        ]
    );
    assert_eq!(
        dropped(&d),
        [
            ("Smoke over the old market after the shelling [Reuters]", "repeated caption"),
            ("Smoke over the old market after the shelling [Reuters]", "repeated caption"),
            ("Residents fled", "repeated heading"),
            ("Residents fled", "repeated heading"),
            ("Many residents fled towards the border overnight.", "repeated paragraph"),
            ("Town falls to rebels", "repeated title"),
        ]
    );
}

#[test]
fn single_captions_with_a_photo_credit() {
    let d = parse(
        "Headline\n\nText of the story here.\n\nA boy walks past a ruined shop (AFP Photo)\n\nPhoto: the old bridge\n\nMore text.",
    );
    check_invariants(&d);
    assert_eq!(kept(&d), ["Headline", "Text of the story here.", "More text."]);
    assert_eq!(d.dropped.iter().filter(|x| x.reason == "photo caption").count(), 2);
}

// Rule 3: forms, prompts and the other lexicon rules; rule 6: advertisements.

#[test]
fn forms_prompts_and_adverts() {
    let d = parse(
        "Headline\n\n\
         Fighters entered the town.\n\n\
         Advertisement\n\n\
         The army said it had withdrawn.\n\n\
         Sign up free to read on\n\
         Please type your email address\n\
         Choose at least 8 characters\n\
         Only adults may register\n\
         Already have an account? Log in\n\n\
         Share this article\n\n\
         Residents fled north.\n",
    );
    check_invariants(&d);
    assert_eq!(
        kept(&d),
        ["Headline", "Fighters entered the town.", "The army said it had withdrawn.", "Residents fled north."]
    );
    let reasons: Vec<&str> = d.dropped.iter().map(|x| x.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "advertisement",
            "registration form",
            "registration form",
            "registration form",
            "registration form",
            "registration form",
            "share buttons"
        ]
    );
}

#[test]
fn a_weak_phrase_alone_keeps_the_line() {
    // "register" is a form word only next to other form lines or when the line addresses the reader.
    let d = parse("Headline\n\nVoters must register by Friday, officials said.\n\nThe vote is on Sunday.");
    assert_eq!(d.paragraphs.len(), 3);
}

#[test]
fn a_pitch_spreads_over_paragraphs_in_the_outlets_voice() {
    let d = parse(
        "Headline\n\
         Standfirst line\n\
         Help us keep reporting\n\
         From the front line to the courts, we go where the story is and our reporters stay.\n\
         Your donation pays for it.\n\
         Fighters entered the town on Saturday, a monitor said.\n",
    );
    check_invariants(&d);
    assert_eq!(kept(&d), ["Headline", "Standfirst line", "Fighters entered the town on Saturday, a monitor said."]);
    assert!(d.dropped.iter().all(|x| x.reason == "donation pitch"), "{:?}", dropped(&d));
    assert_eq!(d.dropped.len(), 3);
}

#[test]
fn quotations_are_never_pitches() {
    let d =
        parse("Headline\n\n“We thank you for your support and your donation,” the commander told fighters.\n\nMore.");
    assert_eq!(d.paragraphs.len(), 3);
}

// Rule 4: glued boilerplate.

#[test]
fn glued_boilerplate_is_cut_at_the_glue_point() {
    let text = "Headline\n\nYour support keeps us going.Fighters entered the town on Saturday.\n\nMore text here.";
    let d = parse(text);
    check_invariants(&d);
    assert_eq!(kept(&d), ["Headline", "Fighters entered the town on Saturday.", "More text here."]);
    let glue = text.find("Fighters").unwrap();
    assert_eq!(d.paragraphs[1].start, glue);
    assert_eq!(d.dropped[0].reason, "glued boilerplate");
    assert_eq!(d.dropped[0].span, text.find("Your").unwrap()..glue);
    // Article text followed by a glued prompt: the prompt goes.
    let d = parse("Headline\n\nThe army withdrew.Subscribe to our newsletter\n\nMore.");
    assert_eq!(kept(&d), ["Headline", "The army withdrew.", "More."]);
    // No boilerplate on either side: nothing is cut.
    let d = parse("Headline\n\nTroops of the U.S.Army left.\n\nMore.");
    assert_eq!(kept(&d)[1], "Troops of the U.S.Army left.");
}

// Rule 5: end-of-article credits.

#[test]
fn credits_end_the_article() {
    let text = "Headline\n\nFighters entered the town on Saturday.\n\nThe army said it had withdrawn.\n\n\
                SOURCE: Example News and agencies\n\nA related story title\n\nAnother related story, with a sentence.";
    let d = parse(text);
    check_invariants(&d);
    assert_eq!(kept(&d), ["Headline", "Fighters entered the town on Saturday.", "The army said it had withdrawn."]);
    assert_eq!(d.meta.outlet.as_deref(), Some("Example News"));
    assert_eq!(d.meta.credits, ["agencies"]);
    assert_eq!(d.meta.credit_lines.len(), 1);
    assert_eq!(&text[d.meta.credit_lines[0].clone()], "SOURCE: Example News and agencies");
    assert_eq!(d.dropped.iter().filter(|x| x.reason == "after end-of-article credit").count(), 2);
}

#[test]
fn credit_lines_in_a_row_are_all_read() {
    let d = parse(
        "Headline\n\nFighters entered the town on Saturday.\n\nAdditional reporting by Reuters and AP\n\
         Published in The Example Times, March 3rd, 2016\n\nGet our app: App Store\n\nA sidebar story.",
    );
    check_invariants(&d);
    assert_eq!(d.meta.credits, ["Reuters", "AP"]);
    assert_eq!(d.meta.outlet.as_deref(), Some("The Example Times"));
    assert_eq!(d.meta.published, Some(Date { year: 2016, month: 3, day: 3 }));
    assert_eq!(d.meta.credit_lines.len(), 2);
    assert_eq!(
        dropped(&d),
        [("Get our app: App Store", "app promotion"), ("A sidebar story.", "after end-of-article credit")]
    );
}

#[test]
fn a_trailing_agency_credit_is_cut_off_its_paragraph() {
    let text =
        "Fighters entered the town on Saturday.\n\nThe army still holds two bases. \u{2014} AFP\n\nRelated: a story";
    let d = parse(text);
    check_invariants(&d);
    assert_eq!(kept(&d), ["Fighters entered the town on Saturday.", "The army still holds two bases."]);
    assert_eq!(d.meta.credits, ["AFP"]);
    assert_eq!(&text[d.meta.credit_lines[0].clone()], "\u{2014} AFP");
    assert_eq!(dropped(&d), [("Related: a story", "after end-of-article credit")]);
}

#[test]
fn a_headline_with_an_agency_credit_does_not_end_the_article() {
    let d = parse("Rebels take the river town - Reuters\n\nFighters entered the town on Saturday.\n\nMore text.");
    check_invariants(&d);
    assert_eq!(kept(&d), ["Rebels take the river town", "Fighters entered the town on Saturday.", "More text."]);
    assert_eq!(d.meta.credits, ["Reuters"]);
    assert_eq!(d.meta.title.as_deref(), Some("Rebels take the river town"));
}

#[test]
fn lines_that_only_look_like_credits_do_not_end_the_article() {
    // A chart source naming no agency, and a credit before any prose, are kept.
    let d = parse(
        "Headline\n\nAdditional reporting by AP\n\nFighters entered the town.\n\nSource: World Bank\n\nThe army withdrew.",
    );
    check_invariants(&d);
    assert_eq!(d.paragraphs.len(), 5);
    assert!(d.meta.credits.is_empty());
}

#[test]
fn dateline_agency_is_a_credit() {
    let text = "NEW TOWN (Reuters) - The army said it had pulled back.\n\nMore text.";
    let d = parse(text);
    assert_eq!(d.meta.dateline.as_deref(), Some("NEW TOWN"));
    assert_eq!(d.meta.credits, ["Reuters"]);
    assert_eq!(&text[d.meta.credit_lines[0].clone()], "(Reuters)");
    assert_eq!(kept(&d)[0], "NEW TOWN (Reuters) - The army said it had pulled back.");
}

#[test]
fn a_dateline_with_a_year_dates_the_article() {
    let d = parse("OLDPORT, March 3, 2016 \u{2014} The port reopened.\n\nMore.");
    assert_eq!(d.meta.published, Some(Date { year: 2016, month: 3, day: 3 }));
}

// Rule 7: Markdown.

#[test]
fn markdown_front_matter_and_headings() {
    let text = "+++\ntitle = \"The stated title\"\noutlet = \"The Paper\"\npublished = 2015-04-26\ncredits = [\"AFP\"]\n\
                url = \"https://example.org/x\"\n+++\n\n# A heading title\n\nBody text here. \u{2014} Reuters\n\n***\n\n## Sub\n\nMore.";
    let d = parse_as(text, DocFormat::Markdown);
    check_invariants(&d);
    assert_eq!(kept(&d), ["A heading title", "Body text here."]);
    assert_eq!(d.meta.title.as_deref(), Some("The stated title"), "front matter wins");
    assert_eq!(d.meta.outlet.as_deref(), Some("The Paper"));
    assert_eq!(d.meta.published, Some(Date { year: 2015, month: 4, day: 26 }));
    assert_eq!(d.meta.url.as_deref(), Some("https://example.org/x"));
    assert_eq!(d.meta.credits, ["AFP"], "front matter credits replace the ones read from the text");
    let reasons: Vec<&str> = d.dropped.iter().map(|x| x.reason.as_str()).collect();
    assert_eq!(reasons.iter().filter(|r| **r == "front matter").count(), 7);
    assert!(reasons.contains(&"markup"));
    assert_eq!(d.dropped[0].line, 1);
}

#[test]
fn markdown_headings_without_front_matter_give_the_title() {
    let d = parse_as("# Town falls\n\nFighters entered the town.", DocFormat::Markdown);
    assert_eq!(d.meta.title.as_deref(), Some("Town falls"));
    assert_eq!(d.paragraphs[0], 2..12);
}

#[test]
fn yaml_front_matter_is_dropped_with_a_warning() {
    let d = parse_as("---\ntitle: A title\ntags:\n  - war\n---\n\n# Heading\n\nBody.", DocFormat::Markdown);
    check_invariants(&d);
    assert_eq!(kept(&d), ["Heading", "Body."]);
    assert_eq!(d.dropped.iter().filter(|x| x.reason == "front matter").count(), 5);
    assert!(d.warnings[0].contains("YAML front matter") && d.warnings[0].contains("+++"), "{:?}", d.warnings);
    // A thematic break followed by prose is not front matter.
    let d = parse_as("---\nSome text here.\n---\nMore.", DocFormat::Markdown);
    assert!(d.warnings.is_empty());
    assert_eq!(kept(&d), ["Some text here.", "More."]);
}

#[test]
fn bad_front_matter_is_a_warning() {
    let d = parse_as("+++\ntitle = \n+++\nBody.", DocFormat::Markdown);
    assert_eq!(kept(&d), ["Body."]);
    assert!(d.warnings[0].starts_with("t:") && d.warnings[0].contains("not valid TOML"), "{:?}", d.warnings);
    let d = parse_as("+++\ntitle = \"x\"\nBody.", DocFormat::Markdown);
    assert!(d.warnings[0].contains("never closed"), "{:?}", d.warnings);
    assert_eq!(kept(&d), ["+++\ntitle = \"x\"", "Body."], "read as text");
}

// Rule 8: HTML.

const PAGE: &str = r#"<!DOCTYPE html>
<HTML lang="en"><head>
<title>Town falls to rebels | The Example Post</title>
<meta property="og:site_name" content="The Example Post">
<meta property="article:published_time" content="2016-03-03T08:00:00Z">
<meta property="og:url" content="https://example.org/town-falls">
<style>p { color: red } /* </p> */</style>
<script>var x = "</p><p>Subscribe now</p>"; if (a < b && c > d) {}</script>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<header class="site"><p>The Example Post</p></header>
<article>
<header><h1>Town falls to <em>rebels</em></h1>
<p class="standfirst">The army says it is still fighting</p></header>
<figure><img src="a.jpg" alt="x"><figcaption>Smoke over the town [Reuters]</figcaption></figure>
<p>OLDPORT, March 3 &mdash; Fighters entered the town on Saturday, a monitor said.<!-- <p>hidden</p> --></p>
<P data-note="a > b">The army said it had &quot;redeployed&quot; to the hills &amp; villages.</P>
<p>Advertisement</p>
<div class="promo"><p>Your support keeps us going.</p><p>Please consider a donation today.</p></div>
<p>Residents said they saw <b>dozens of <i>trucks</b></i> leave<br>overnight.
<p><![CDATA[ not shown ]]>The monitor gave no figures. &#8212; AFP</p>
<aside><h2>Related</h2><ul><li>Another story</li></ul></aside>
<p>Read more: a story in the sidebar</p>
</article>
<footer>Copyright &copy; 2016 The Example Post</footer>
<form><input name="email"><button>Sign up</button></form>
</body></HTML>"#;

#[test]
fn html_page() {
    let d = parse_as(PAGE, DocFormat::Html);
    check_invariants(&d);
    assert_eq!(
        kept(&d),
        [
            "Town falls to rebels",
            "The army says it is still fighting",
            "OLDPORT, March 3 \u{2014} Fighters entered the town on Saturday, a monitor said.",
            "The army said it had \"redeployed\" to the hills & villages.",
            "Residents said they saw dozens of trucks leave",
            "overnight.",
            "The monitor gave no figures.",
        ]
    );
    assert_eq!(d.meta.title.as_deref(), Some("Town falls to rebels"));
    assert_eq!(d.meta.standfirst.as_deref(), Some("The army says it is still fighting"));
    assert_eq!(d.meta.outlet.as_deref(), Some("The Example Post"));
    assert_eq!(d.meta.published, Some(Date { year: 2016, month: 3, day: 3 }));
    assert_eq!(d.meta.url.as_deref(), Some("https://example.org/town-falls"));
    assert_eq!(d.meta.dateline.as_deref(), Some("OLDPORT"));
    assert_eq!(d.meta.credits, ["AFP"]);
    let reasons: Vec<(&str, &str)> = dropped(&d);
    for want in [
        ("Home | World", "<nav> element"),
        ("The Example Post", "<header> element"),
        ("Smoke over the town [Reuters]", "photo caption"),
        ("Advertisement", "advertisement"),
        ("Your support keeps us going.", "donation pitch"),
        ("Please consider a donation today.", "donation pitch"),
        ("Related Another story", "<aside> element"),
        ("Read more: a story in the sidebar", "after end-of-article credit"),
        ("Copyright \u{A9} 2016 The Example Post", "<footer> element"),
        ("Sign up", "<form> element"),
    ] {
        assert!(reasons.contains(&want), "{want:?} not in {reasons:?}");
    }
    // Source offsets lead back to the file.
    let p = d.paragraphs[3].clone();
    let src = d.source_span(p);
    assert_eq!(&PAGE[src.clone()], "The army said it had &quot;redeployed&quot; to the hills &amp; villages.");
    assert_eq!(
        d.dropped.iter().find(|x| x.reason == "advertisement").unwrap().line,
        PAGE[..PAGE.find("<p>Advertisement").unwrap()].matches('\n').count() + 1
    );
    let nav = d.dropped.iter().find(|x| x.reason == "<nav> element").unwrap();
    assert_eq!(nav.line, 10);
    assert!(nav.span.is_empty());
}

#[test]
fn html_logo_in_a_page_header_is_not_the_title() {
    let d = parse_as(
        "<header><h1>The Example Post</h1></header><meta property='og:title' content='Town falls'><p>Text.</p>",
        DocFormat::Html,
    );
    assert_eq!(d.meta.title.as_deref(), Some("Town falls"));
}

#[test]
fn html_title_falls_back_to_the_title_element() {
    let d = parse_as(
        "<title>Town falls | The Example Post</title><meta property=og:site_name content='The Example Post'><p>Text.</p>",
        DocFormat::Html,
    );
    assert_eq!(d.meta.title.as_deref(), Some("Town falls"));
}

// Rule 9: bad input, through real files.

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("credence-ingest-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(path: &Path) -> Result<Document, Skipped> {
    read_file(path, &IngestOptions::default(), &lex())
}

#[test]
fn invalid_utf8_is_decoded_with_a_warning() {
    let dir = Scratch::new("utf8");
    let p = dir.file("a.txt", b"Headline\n\nCaf\xE9 owners said the town fell.\n");
    let d = read(&p).unwrap();
    check_invariants(&d);
    assert_eq!(d.warnings.len(), 1);
    assert!(
        d.warnings[0].contains("a.txt: invalid UTF-8 at byte 13, decoded with replacement characters"),
        "{:?}",
        d.warnings
    );
    assert_eq!(kept(&d)[1], "Caf\u{FFFD} owners said the town fell.");
    // Offsets lead back to the file's bytes.
    let src = d.source_span(d.paragraphs[1].clone());
    assert_eq!(src, 10..41);
    assert_eq!(&std::fs::read(&p).unwrap()[src], b"Caf\xE9 owners said the town fell.");
}

#[test]
fn binary_empty_large_and_unsupported_files_are_skipped() {
    let dir = Scratch::new("skips");
    let nul = dir.file("nul.txt", b"text\0more");
    assert_eq!(read(&nul), Err(Skipped::new(&nul, SkipReason::Binary)));
    let ctl = dir.file("ctl.txt", &[1, 2, 3, 4, 5, b'a']);
    assert!(matches!(read(&ctl), Err(Skipped { reason: SkipReason::Binary, .. })));
    let empty = dir.file("empty.md", b"");
    assert_eq!(read(&empty), Err(Skipped::new(&empty, SkipReason::Empty)));
    let blank = dir.file("blank.html", b" \n\t\n");
    assert!(matches!(read(&blank), Err(Skipped { reason: SkipReason::Empty, .. })));
    let big = dir.file("big.txt", &[b'a'; 100]);
    let small = IngestOptions { max_bytes: 50, ..IngestOptions::default() };
    let got = read_file(&big, &small, &lex()).unwrap_err();
    assert_eq!(got, Skipped::new(&big, SkipReason::TooLarge(100, 50)));
    assert!(got.is_loss());
    let msg = got.to_string();
    assert!(msg.contains("100 bytes") && msg.contains("limit of 50 bytes") && msg.contains("--max-bytes"), "{msg}");
    let pdf = dir.file("a.pdf", b"%PDF");
    let got = read(&pdf).unwrap_err();
    assert_eq!(got, Skipped::new(&pdf, SkipReason::Unsupported));
    assert!(!got.is_loss());
    assert!(got.to_string().contains(".txt, .md, .markdown, .html and .htm"));
    assert!(Skipped::new(&nul, SkipReason::Binary).to_string().contains("UTF-8"));
}

#[test]
fn an_unreadable_path_is_skipped_with_the_reason() {
    let got = read_file(Path::new("/nonexistent/credence/a.txt"), &IngestOptions::default(), &lex()).unwrap_err();
    assert!(matches!(got.reason, SkipReason::Unreadable(_)), "{got}");
    assert!(got.is_loss());
    assert!(got.to_string().contains("/nonexistent/credence/a.txt"));
}

#[cfg(unix)]
#[test]
fn devices_fifos_and_broken_links_are_skipped_not_read() {
    let dir = Scratch::new("special");
    let zero = dir.path().join("zero.txt");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let broken = dir.path().join("broken.txt");
    std::os::unix::fs::symlink(dir.path().join("missing.txt"), &broken).unwrap();
    let fifo = dir.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    dir.file("real.txt", b"Headline here\n\nThe council said the bridge would reopen on Monday.\n");
    let (docs, skipped) = read_dir(dir.path(), &IngestOptions::default(), &lex()).unwrap();
    assert_eq!(docs.len(), 1);
    let reason = |p: &Path| skipped.iter().find(|s| s.path == p).map(super::Skipped::code);
    assert_eq!(reason(&zero), Some("not-regular"));
    assert_eq!(reason(&broken), Some("unreadable"));
    if made {
        assert_eq!(reason(&fifo), Some("not-regular"));
    }
}

#[test]
fn hidden_files_are_listed_and_utf16_is_decoded() {
    let dir = Scratch::new("hidden16");
    dir.file(".draft.txt", b"Headline\n\nThe mayor said the road would close.\n");
    let mut le = vec![0xFF, 0xFE];
    for u in "Headline\n\nThe mayor said the road would close on Friday.\n".encode_utf16() {
        le.extend(u.to_le_bytes());
    }
    let p = dir.file("wide.txt", &le);
    let (docs, skipped) = read_dir(dir.path(), &IngestOptions::default(), &lex()).unwrap();
    assert_eq!(skipped.iter().map(Skipped::code).collect::<Vec<_>>(), ["hidden"]);
    assert_eq!(docs.len(), 1);
    let d = &docs[0];
    assert_eq!(d.path, p);
    assert!(d.warnings.iter().any(|w| w.contains("UTF-16LE")), "{:?}", d.warnings);
    let last = d.paragraphs.last().unwrap().clone();
    assert_eq!(&d.text[last.clone()], "The mayor said the road would close on Friday.");
    // The span leads back to the UTF-16 bytes of the sentence.
    let src = d.source_span(last);
    let back: Vec<u16> = le[src].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    assert_eq!(String::from_utf16(&back).unwrap(), "The mayor said the road would close on Friday.");
}

#[test]
fn folders_are_read_in_name_order() {
    let dir = Scratch::new("dir");
    dir.file("b.md", b"# B\n\nText.");
    dir.file("a.txt", b"A\n\nText.");
    dir.file("C.html", b"<p>Text.</p>");
    dir.file("README.md", b"# About these files");
    dir.file("story.toml", b"[story]");
    dir.file(".hidden.txt", b"x");
    dir.file("notes.docx", b"x");
    std::fs::create_dir(dir.0.join("sub")).unwrap();
    let (docs, skipped) = read_dir(&dir.0, &IngestOptions::default(), &lex()).unwrap();
    let names: Vec<String> = docs.iter().map(|d| d.path.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["C.html", "a.txt", "b.md"], "byte order of names");
    assert_eq!(docs[0].format, DocFormat::Html);
    assert_eq!(docs[2].format, DocFormat::Markdown);
    let skipped: Vec<String> = skipped.iter().map(std::string::ToString::to_string).collect();
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    assert!(skipped[0].contains(".hidden.txt") && skipped[0].contains("hidden file"));
    assert!(skipped[1].contains("README.md") && skipped[1].contains("readme, not an article"));
    assert!(skipped[2].contains("notes.docx") && skipped[2].contains("not an article file"));
    assert!(skipped[3].contains("sub") && skipped[3].contains("folder"));
    assert!(read_dir(&dir.0.join("missing"), &IngestOptions::default(), &lex()).is_err());
}

#[test]
fn formats_from_extensions() {
    assert_eq!(DocFormat::from_path(Path::new("a.TXT")), Some(DocFormat::Text));
    assert_eq!(DocFormat::from_path(Path::new("a.markdown")), Some(DocFormat::Markdown));
    assert_eq!(DocFormat::from_path(Path::new("a.Htm")), Some(DocFormat::Html));
    assert_eq!(DocFormat::from_path(Path::new("a")), None);
    assert_eq!(DocFormat::from_path(Path::new("a.json")), None);
}

// Any input: no panic, and the invariants hold.

mod any_input {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-zA-Z\u{e9} ]{0,12}",
            2 => Just("\n".to_string()),
            2 => Just("\n\n".to_string()),
            2 => Just(". ".to_string()),
            1 => Just(".".to_string()),
            1 => any::<char>().prop_map(|c| c.to_string()),
            1 => prop::sample::select(vec![
                "Advertisement", "Please enter your email", "Your support keeps us going.", "SOURCE: Paper and agencies",
                "Additional reporting by AP", "Published in Paper, May 2nd, 2019", " \u{2014} AFP", "BEIRUT, April 25 \u{2014} ",
                "[Reuters]", "(AFP Photo)", "+++", "# ", "---", "- ", "\u{201C}", "\u{201D}", "\"", "\u{2019}", "\u{a0}",
                "\r\n", "\t", "<p>", "</p>", "<div>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>", "&amp;",
                "&#x2014;", "&", "<a href=\"x>y\">", "<", ">", "<br>", "<nav>", "</nav>", "<h1>", "</h1>", "<title>",
                "<meta property=og:site_name content=P>",
            ])
            .prop_map(str::to_string),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn every_format_keeps_the_invariants(pieces in prop::collection::vec(piece(), 0..80)) {
            let text = pieces.concat();
            for format in [DocFormat::Text, DocFormat::Markdown, DocFormat::Html] {
                let d = parse_as(&text, format);
                check_invariants(&d);
                if format != DocFormat::Html {
                    prop_assert_eq!(&d.text, &text);
                }
                for r in &d.paragraphs {
                    let src = d.source_span(r.clone());
                    prop_assert!(src.start <= src.end && src.end <= text.len());
                }
            }
        }

        #[test]
        fn any_bytes_decode_and_map_back(
            bytes in prop::collection::vec(prop_oneof![any::<u8>(), Just(b'\n'), Just(b' '), Just(b'<'), Just(b'&')], 0..200),
            bom in any::<bool>(),
        ) {
            let mut bytes = bytes;
            if bom {
                bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
            }
            for format in [DocFormat::Text, DocFormat::Html] {
                let decoded = text::decode(&bytes);
                let d = build(Path::new("b"), format, decoded.text, decoded.map, &bytes, &lex(), Vec::new());
                check_invariants(&d);
                for r in &d.paragraphs {
                    let src = d.source_span(r.clone());
                    prop_assert!(src.start <= src.end && src.end <= bytes.len());
                    // A paragraph without replacement characters or references is the file's bytes.
                    let p = &d.text[r.clone()];
                    if format == DocFormat::Text && !p.contains('\u{FFFD}') {
                        prop_assert_eq!(&bytes[src], p.as_bytes());
                    }
                }
            }
        }
    }
}

#[test]
fn collapse_borrows_only_what_is_already_collapsed() {
    let reference = |s: &str| s.split(is_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    for s in ["", "a", "a b", " a", "a ", "a  b", "a\tb", "a\u{A0}b", "a\u{200B}b", "  ", "é ü", "a b\n"] {
        let got = collapse(s);
        assert_eq!(got, reference(s), "{s:?}");
        assert_eq!(matches!(got, Cow::Borrowed(_)), got == s, "{s:?}: borrowed exactly when unchanged");
    }
}
