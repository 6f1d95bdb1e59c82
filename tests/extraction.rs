//! Extraction end to end: raw articles to a story, checked against what a reader can see in the seed
//! articles (`../shared/stories/jisr-al-shughur`, skipped with a printed reason when absent) and in our own
//! example articles. Assertions quote at most a few words of the seed text.

use std::path::{Path, PathBuf};

use credence::config::Settings;
use credence::extract::{ExtractOptions, Lexicons, extract_dir};
use credence::model::{Report, Stance, Story, StoryFile, validate};

use crate::common::{root, run};

fn seeds() -> Option<PathBuf> {
    let dir = root().join("../shared/stories/jisr-al-shughur");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} not found (CI always has it)", dir.display());
        None
    }
}

fn extract(dir: &Path) -> Story {
    let ex = extract_dir(dir, None, &ExtractOptions::new(dir), &Lexicons::builtin()).expect("articles read");
    // Every span the extractor wrote must hold its quote in the file.
    let file = StoryFile {
        story: ex.story.clone(),
        path: dir.join("story.toml"),
        text: String::new(),
        syntax: credence::locate::Syntax::Toml,
    };
    validate(&file, &Settings::defaults(), true).expect("the extracted story is valid, spans included");
    ex.story
}

/// The article whose file name starts with `prefix`.
fn article<'a>(s: &'a Story, prefix: &str) -> &'a credence::model::Article {
    s.articles
        .iter()
        .find(|a| a.path.as_deref().is_some_and(|p| p.starts_with(prefix)))
        .unwrap_or_else(|| panic!("article {prefix}"))
}

fn reports<'a>(s: &'a Story, prefix: &str) -> Vec<&'a Report> {
    let id = &article(s, prefix).id;
    s.reports.iter().filter(|r| &r.article == id).collect()
}

/// The report of an article whose quote contains `words`.
fn find<'a>(s: &'a Story, prefix: &str, words: &str) -> &'a Report {
    let rs = reports(s, prefix);
    rs.iter().copied().find(|r| r.quote.as_deref().is_some_and(|q| q.contains(words))).unwrap_or_else(|| {
        panic!(
            "no report in {prefix} quoting {words:?}:\n{:#?}",
            rs.iter().map(|r| (&r.chain, &r.quote)).collect::<Vec<_>>()
        )
    })
}

fn chain(r: &Report) -> Vec<&str> {
    r.chain.iter().map(String::as_str).collect()
}

#[test]
fn seed_articles_outlets_credits_and_dates() {
    let Some(dir) = seeds() else { return };
    let s = extract(&dir);
    assert_eq!(s.articles.len(), 5);
    assert_eq!(article(&s, "000").outlet, "al-jazeera");
    assert_eq!(article(&s, "002").outlet, "afp", "a dispatch signed with the agency's name is the agency's");
    assert_eq!(article(&s, "003").outlet, "dawn");
    assert_eq!(article(&s, "003").published.map(|d| d.to_string()).as_deref(), Some("2015-04-26"));
    assert!(article(&s, "001").credits.iter().any(|c| c == "ap"), "additional reporting credits AP");
    assert_ne!(article(&s, "001").outlet, "ap", "a contributor is not the publisher");
}

#[test]
fn seed_articles_chains_through_agencies_and_relays() {
    let Some(dir) = seeds() else { return };
    let s = extract(&dir);
    // "Rami Abdel Rahman, head of the ... (SOHR), told AFP": outlet ← agency ← monitor, speaker named.
    let r = find(&s, "000", "took control of almost all");
    assert_eq!(chain(r), ["al-jazeera", "afp", "sohr"]);
    assert_eq!(r.speaker.as_deref(), Some("Rami Abdel Rahman"));
    assert_eq!(r.cue, "told");
    // The quotation runs on into the next paragraph with no new attribution: same speaker.
    let r = find(&s, "000", "Government forces fled");
    assert_eq!(chain(r), ["al-jazeera", "afp", "sohr"]);
    // In AFP's own dispatch the chain is one hop shorter.
    assert_eq!(chain(find(&s, "002", "took control of almost all")), ["afp", "sohr"]);
    // "a monitoring group said" is the Observatory named in the next sentence.
    assert_eq!(chain(find(&s, "002", "overran the last major")), ["afp", "sohr"]);
    // State media and the state agency are separate origins.
    assert_eq!(chain(find(&s, "002", "aircraft bombed groups")), ["afp", "sana"]);
    assert_eq!(chain(find(&s, "002", "engaged in fierce clashes")), ["afp", "syrian-state-tv"]);
    // "Syrian government media, quoting an unnamed military official, said ...": a two-hop chain.
    let r = find(&s, "001", "troops engaged in fierce battles");
    assert_eq!(chain(r)[1..], ["syrian-state-media", "unnamed-military-official"]);
    // "An Syrian military official quoted by state-run news agency Sana claimed ...".
    let r = find(&s, "004", "still engaged in");
    assert_eq!(chain(r)[1], "sana", "{:?}", r.chain);
    assert_eq!(r.cue, "claimed");
    // "The fighters said on their official Twitter account": the group's own account.
    let r = find(&s, "000", "entered the city centre");
    assert!(r.chain.last().is_some_and(|id| id.ends_with("-account")), "{:?}", r.chain);
    // A spokesman named by his organisation, then by name alone.
    let r = find(&s, "003", "more important than Idlib itself");
    assert_eq!(r.chain.last().map(String::as_str), Some("ahrar-al-sham"), "{:?}", r.chain);
    assert_eq!(r.speaker.as_deref(), Some("Ahmad"));
    // Activists behind "according to reports from activists".
    assert_eq!(chain(find(&s, "000", "withdrew towards Latakia")), ["al-jazeera", "activists"]);
    // The Local Coordination Committees and the Observatory in the Idlib story.
    assert_eq!(find(&s, "004", "almost complete").chain.last().map(String::as_str), Some("lcc"));
    assert_eq!(find(&s, "004", "after four days of fighting").chain.last().map(String::as_str), Some("sohr"));
}

#[test]
fn seed_articles_caveats_and_their_scope() {
    let Some(dir) = seeds() else { return };
    let s = extract(&dir);
    let has = |r: &Report, k: &str| r.caveats.iter().any(|c| c == k);
    // The outlet says it cannot verify what activists' networks report: that caveat governs every report
    // from the activists in that article, wherever it is.
    for r in reports(&s, "000").into_iter().filter(|r| r.chain.iter().any(|c| c == "activists")) {
        assert!(has(r, "unverified"), "{:?}", r.quote);
    }
    // Reports from others in the same article are not touched.
    assert!(!has(find(&s, "000", "took control of almost all"), "unverified"));
    // "... have reportedly fled ..., although the claims could not be independently confirmed."
    let r = find(&s, "001", "Government troops have reportedly fled");
    assert!(has(r, "hedge") && has(r, "unverified"), "{:?}", r.caveats);
    assert_eq!(chain(r).len(), 1, "the outlet's own voice");
    // "If Idlib has fallen, ..." is conditional.
    assert!(has(find(&s, "004", "If Idlib has fallen"), "conditional"));
    // "The following video claims to show ... and cannot be verified."
    let r = find(&s, "004", "victorious jihadists");
    assert!(has(r, "unverified"), "{:?}", r.caveats);
    assert_eq!(r.cue, "claims to show");
    // "Sources say": agentless.
    assert!(has(find(&s, "003", "formation of alliances"), "weasel"));
    // "so-called" distances the writer.
    assert!(
        reports(&s, "001")
            .iter()
            .any(|r| has(r, "distancing") && r.quote.as_deref().is_some_and(|q| q.contains("so-called")))
    );
}

#[test]
fn seed_articles_boilerplate_never_becomes_a_claim() {
    let Some(dir) = seeds() else { return };
    let s = extract(&dir);
    for r in &s.reports {
        let q = r.quote.as_deref().unwrap_or_default();
        for junk in ["Please enter", "Register for free", "Advertisement", "Apple Store", "bookmark", "Typhoon Haiyan"]
        {
            assert!(!q.contains(junk), "boilerplate {junk:?} reached a report: {q:?}");
        }
    }
    // Every claim has a report, and no report is a denial here (no one in these articles denies anything).
    assert!(s.claims.len() <= s.reports.len());
    assert!(s.reports.iter().all(|r| r.stance == Stance::Supports));
}

#[test]
fn score_a_folder_of_raw_articles() {
    let Some(dir) = seeds() else { return };
    let out = run(&["score", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("paragraphs kept"), "the summary says what was read: {}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v["claims"].as_array().is_some_and(|c| c.len() > 50));
    // `extract` writes an editable story that scores the same way, and --show-dropped lists each removed line.
    let tmp = crate::common::scratch("extract-seeds");
    let story = tmp.join("story.toml");
    let out = run(&["extract", dir.to_str().unwrap(), "-o", story.to_str().unwrap(), "--show-dropped"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("[registration form]"), "{}", out.stderr);
    assert!(out.stderr.contains("skipped") && out.stderr.contains("README.md"), "{}", out.stderr);
    let check = run(&["check", story.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn example_articles_extract_like_the_hand_made_story() {
    let dir = root().join("examples/jisr-al-shughur/articles");
    let s = extract(&dir);
    let hand = Story::load(&root().join("examples/jisr-al-shughur/story.toml")).unwrap().story;
    // The hand-made story's outlets for the three articles that name theirs.
    for (prefix, outlet) in [("000", "al-jazeera"), ("002", "afp"), ("003", "dawn")] {
        assert_eq!(article(&s, prefix).outlet, outlet, "{prefix}");
    }
    // Every hand-made chain through an agency to the Observatory is found by extraction too.
    let hand_afp_sohr =
        hand.reports.iter().filter(|r| r.chain.len() == 3 && r.chain[1] == "afp" && r.chain[2] == "sohr").count();
    let found = s.reports.iter().filter(|r| r.chain.len() == 3 && r.chain[1] == "afp" && r.chain[2] == "sohr").count();
    assert!(
        found >= hand_afp_sohr.min(1),
        "al-jazeera ← afp ← sohr chains: extracted {found}, hand-made {hand_afp_sohr}"
    );
    // Origins the hand-made story names are found, by the same ids.
    for origin in ["sohr", "sana", "lcc", "ahrar-al-sham"] {
        assert!(s.reports.iter().any(|r| r.chain.last().is_some_and(|o| o == origin)), "origin {origin} not extracted");
    }
}
