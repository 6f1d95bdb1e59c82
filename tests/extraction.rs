//! Extraction end to end: raw articles to a story, checked against what a reader can see in the seed
//! articles (`../shared/stories/jisr-al-shughur`, skipped with a printed reason when absent) and in our own
//! example articles. Assertions quote at most a few words of the seed text.

use serde_json::json;
use std::path::{Path, PathBuf};

use credence::config::Settings;
use credence::extract::{Lexicons, extract_dir};
use credence::model::{Report, Stance, Story, StoryFile, validate};

use crate::common::{root, run};

fn extract(dir: &Path) -> Story {
    // What the folder's story file states (its parties) wins, as `credence score DIR` does.
    let stated = dir.join("story.toml");
    let stated = stated.is_file().then(|| Story::load(&stated).expect("story file").story);
    let ex = extract_dir(dir, stated.as_ref(), &credence::extraction_options(dir), &Lexicons::builtin())
        .expect("articles read");
    // Every span the extractor wrote must hold its quote in the file.
    let file = StoryFile {
        story: ex.story.clone(),
        path: dir.join("story.toml"),
        text: String::new(),
        syntax: credence::locate::Syntax::Toml,
    };
    validate(&file, &Settings::defaults().vocabulary(), true).expect("the extracted story is valid, spans included");
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
    let Some(dir) = crate::common::seeds_with_parties() else { return };
    let s = extract(&dir);
    assert_eq!(s.articles.len(), 5);
    assert_eq!(article(&s, "000").outlet, "al-jazeera");
    assert_eq!(article(&s, "002").outlet, "afp", "a dispatch signed with the agency's name is the agency's");
    assert_eq!(article(&s, "003").outlet, "dawn");
    assert_eq!(article(&s, "003").published.map(|d| d.to_string()).as_deref(), Some("2015-04-26"));
    assert!(article(&s, "001").credits.iter().any(|c| c == "ap"), "additional reporting credits AP");
    // Al Jazeera republishes the AFP dispatch; the Independent reuses its own background paragraphs.
    let aj = &article(&s, "000").copied_from;
    assert!(aj.len() == 1 && aj[0].article == article(&s, "002").id && aj[0].containment > 0.2, "{aj:?}");
    let ind = &article(&s, "001").copied_from;
    assert!(ind.iter().any(|c| c.article == article(&s, "004").id && c.containment < 0.2), "{ind:?}");
    assert!(article(&s, "002").copied_from.is_empty(), "the wire dispatch copies no one");
    assert_ne!(article(&s, "001").outlet, "ap", "a contributor is not the publisher");
}

#[test]
fn seed_articles_chains_through_agencies_and_relays() {
    let Some(dir) = crate::common::seeds_with_parties() else { return };
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
    let Some(dir) = crate::common::seeds_with_parties() else { return };
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
    let Some(dir) = crate::common::seeds_with_parties() else { return };
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
    let Some(dir) = crate::common::seeds_with_parties() else { return };
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
    let check = run(&["validate", story.to_str().unwrap()]);
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
    // The copy relations the hand-made story records are found, in the same direction.
    let aj = &article(&s, "000").copied_from;
    assert!(aj.iter().any(|c| c.article == article(&s, "002").id), "{aj:?}");
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

/// A small folder of our own articles in every format, with bad files beside them.
fn mixed_folder(name: &str) -> PathBuf {
    let dir = crate::common::scratch(name);
    std::fs::write(
        dir.join("a-wire.txt"),
        "Rebels take river town\n\nHAMA, May 2 — Rebel units seized the river town of Qalaat on Friday, the regional monitor said.\n\n\u{201c}The garrison has gone,\u{201d} Sami Haddad, who heads the Regional Monitor, told AFP.\n\nAdditional reporting by AFP\n\nSign up for our newsletter\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b-notes.md"),
        "+++\noutlet = \"Valley Courier\"\npublished = 2016-05-03\n+++\n# Town changes hands\n\nState television said the army had repositioned around Qalaat to protect residents.\n\nThe claims could not be independently verified.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("c-page.html"),
        "<html><head><title>Qalaat &amp; the river</title><meta property=\"og:site_name\" content=\"Hill Post\"></head><body><nav>Home | World</nav><article><h1>Qalaat falls</h1><p>Fighters entered Qalaat overnight, according to local activists.</p><p>They said the bridge was intact &mdash; for now.</p></article><footer>Subscribe today</footer><script>var x = \"</p>\";</script></body></html>",
    )
    .unwrap();
    std::fs::write(dir.join("d-empty.txt"), "  \n\n").unwrap();
    std::fs::write(dir.join("e-binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    let mut bad = b"The monitor counted the dead \xff\xfe in the square, it said.\n".to_vec();
    bad.extend_from_slice(b"More lines follow here.\n");
    std::fs::write(dir.join("f-latin.txt"), bad).unwrap();
    std::fs::write(dir.join("notes.csv"), "a,b\n").unwrap();
    dir
}

#[test]
fn folders_of_mixed_formats_and_bad_files() {
    let dir = mixed_folder("mixed");
    let out = run(&["extract", dir.to_str().unwrap(), "-o", dir.join("story.toml").to_str().unwrap()]);
    // The binary .txt is an article lost: the run is partial (exit 6), but the story is written.
    assert_eq!(out.code, 6, "{}", out.stderr);
    assert!(out.stderr.contains("error: the run was partial"), "{}", out.stderr);
    // Bad files are reported, not silently dropped, and do not stop the others.
    for msg in ["d-empty.txt", "e-binary.txt", "notes.csv", "invalid UTF-8"] {
        assert!(out.stderr.contains(msg), "expected {msg:?} in the summary:\n{}", out.stderr);
    }
    assert!(out.stderr.contains("f-latin.txt") && out.stderr.contains("byte 29"), "{}", out.stderr);
    let s = Story::load(&dir.join("story.toml")).unwrap().story;
    assert_eq!(s.articles.len(), 4, "three good articles and the lossily decoded one");
    // Markdown front matter states the outlet and date; HTML metadata names the site.
    assert_eq!(article(&s, "b-notes").outlet, "valley-courier");
    assert_eq!(article(&s, "b-notes").published.map(|d| d.to_string()).as_deref(), Some("2016-05-03"));
    assert_eq!(article(&s, "c-page").outlet, "hill-post");
    // Chains and caveats in each format.
    let told = find(&s, "a-wire", "The garrison has gone");
    assert_eq!(told.chain[1..], ["afp".to_string(), "regional-monitor".to_string()], "{:?}", told.chain);
    assert_eq!(told.speaker.as_deref(), Some("Sami Haddad"));
    let tv = find(&s, "b-notes", "repositioned");
    let tv_kind = s.sources.iter().find(|x| x.id == tv.chain[1]).map(|x| x.kind.as_str());
    assert_eq!(tv_kind, Some("state-media"), "{:?}", tv.chain);
    let activists = find(&s, "c-page", "entered Qalaat").chain.last().cloned().unwrap();
    assert_eq!(s.sources.iter().find(|x| x.id == activists).map(|x| x.kind.as_str()), Some("activist"));
    // "They said": the activists again.
    assert_eq!(find(&s, "c-page", "bridge was intact").chain.last(), Some(&activists));
    // Boilerplate and script text never reach a report.
    assert!(s.reports.iter().all(|r| !r.quote.as_deref().unwrap_or_default().contains("newsletter")));
    assert!(s.reports.iter().all(|r| !r.quote.as_deref().unwrap_or_default().contains("var x")));
    // The written story checks: spans point into the files (the HTML one into its markup).
    assert_eq!(run(&["validate", dir.join("story.toml").to_str().unwrap()]).code, 0);
    // A size limit skips large files with a message saying how to raise it.
    let out = run(&["extract", dir.to_str().unwrap(), "--max-bytes", "100"]);
    assert_eq!(out.code, 6);
    assert!(out.stderr.contains("--max-bytes"), "{}", out.stderr);
}

#[test]
fn what_the_user_states_wins() {
    let dir = mixed_folder("stated");
    // A story file with metadata and a source alias, but no reports: extraction fills in the rest.
    std::fs::write(
        dir.join("story.toml"),
        "[story]\ntitle = \"Qalaat\"\n\n[[source]]\nid = \"rm\"\nname = \"Regional Monitor\"\nkind = \"monitor\"\naliases = [\"Regional Monitor\", \"regional monitor\"]\n\n[[source]]\nid = \"wire-desk\"\nname = \"Wire desk\"\nkind = \"outlet\"\n\n[[article]]\nid = \"wire\"\noutlet = \"wire-desk\"\npath = \"a-wire.txt\"\ntitle = \"Stated title\"\n",
    )
    .unwrap();
    let out = run(&["score", dir.to_str().unwrap(), "-f", "json", "-q"]);
    assert_eq!(out.code, 6, "partial: the binary .txt is skipped\n{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let wire = v["articles"].as_array().unwrap().iter().find(|a| a["id"] == "wire").expect("the stated article id");
    assert_eq!(wire["outlet"], "wire-desk");
    assert_eq!(wire["title"], "Stated title");
    assert_eq!(v["story"]["title"], "Qalaat");
    let chains: Vec<String> = v["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["reports"].as_array().unwrap().iter().map(|r| r["chain_text"].as_str().unwrap().to_string()))
        .collect();
    assert!(chains.iter().any(|c| c.starts_with("Wire desk ← Agence France-Presse ← Regional Monitor")), "{chains:#?}");
}

#[test]
fn skipped_files_are_in_every_report() {
    let dir = mixed_folder("skipped-in-report");
    let out = run(&["score", dir.to_str().unwrap(), "-f", "json", "-q"]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let skipped = v["skipped"].as_array().unwrap();
    let reason = |name: &str| {
        skipped
            .iter()
            .find(|s| s["file"].as_str().unwrap().ends_with(name))
            .map(|s| (s["reason"].clone(), s["lost"].clone()))
    };
    assert_eq!(reason("e-binary.txt"), Some((json!("binary"), json!(true))));
    assert_eq!(reason("d-empty.txt"), Some((json!("empty"), json!(false))));
    assert_eq!(reason("notes.csv"), Some((json!("unsupported"), json!(false))));
    let md = run(&["score", dir.to_str().unwrap(), "-f", "md", "-q"]);
    assert!(md.stdout.contains("**Partial run:** 1 article file could not be read"), "{}", md.stdout);
    assert!(md.stdout.contains("## Files not read") && md.stdout.contains("e-binary.txt"));
    let html = run(&["score", dir.to_str().unwrap(), "-f", "html", "-q"]);
    assert!(html.stdout.contains("Files not read") && html.stdout.contains("e-binary.txt"));
}

#[test]
fn a_bad_entry_never_sinks_the_folder() {
    // A headline ending in a dash, a paragraph that is only a quotation mark, and a sentence whose attributed
    // content has no words: none may become an empty claim that fails the story's own validation.
    let dir = crate::common::scratch("bad-entry");
    std::fs::write(dir.join("a.txt"), "Council votes on the bridge —\n\n\u{201c}\n\nThe mayor said: —\n\nThe council said the bridge would reopen in May.\n").unwrap();
    std::fs::write(dir.join("b.txt"), "Second report\n\nThe engineers said the bridge had been inspected twice.\n")
        .unwrap();
    let out = run(&["score", dir.to_str().unwrap(), "-f", "json", "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        v["claims"].as_array().unwrap().iter().all(|c| c["text"].as_str().unwrap().chars().any(char::is_alphanumeric))
    );
    assert_eq!(v["articles"].as_array().unwrap().len(), 2);
    let dropped = run(&["extract", dir.to_str().unwrap(), "--show-dropped"]);
    assert!(dropped.stderr.contains("left out"), "{}", dropped.stderr);
}

#[test]
fn factual_sentences_with_intention_cues_or_estimates_become_reports() {
    // Each once produced no report and no notice: the cue covered the sentence but made no report.
    let dir = crate::common::scratch("vanishing");
    std::fs::write(
        dir.join("a.txt"),
        "Bridge vote\n\nThe council voted on Monday to build a second bridge, seeking to ease traffic downtown.\n\n\
         Crews continued to clear the debris from the flooded depot on Tuesday.\n\n\
         An estimated 4,000 people attended the vigil in the harbour square.\n\n\
         The drivers' union threatened to strike if the fare offer was not improved.\n",
    )
    .unwrap();
    let out = run(&["extract", dir.to_str().unwrap(), "-o", dir.join("story.toml").to_str().unwrap(), "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = Story::load(&dir.join("story.toml")).unwrap().story;
    for words in
        ["seeking to ease traffic", "continued to clear the debris", "An estimated 4,000", "threatened to strike"]
    {
        assert!(
            s.reports.iter().any(|r| r.quote.as_deref().is_some_and(|q| q.contains(words))),
            "no report holds {words:?}: {:#?}",
            s.reports.iter().map(|r| r.quote.clone()).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_folder_story_file_is_checked_against_its_own_lines() {
    let dir = mixed_folder("stated-bad");
    std::fs::write(
        dir.join("story.toml"),
        "[story]\ntitle = \"Qalaat\"\n\n[[source]]\nid = \"rm\"\nname = \"Regional Monitor\"\nkind = \"monitr\"\n",
    )
    .unwrap();
    let out = run(&["score", dir.to_str().unwrap(), "-q"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("story.toml:7:"), "the file and line of the bad kind: {}", out.stderr);
    assert!(!out.stderr.contains("(extracted story)"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_listed_not_fatal() {
    use std::os::unix::ffi::OsStrExt;
    let dir = crate::common::scratch("bad-name");
    std::fs::write(dir.join("good.txt"), "Harbour news\n\nThe harbour master said the ferry would resume on Friday.\n")
        .unwrap();
    std::fs::write(dir.join(std::ffi::OsStr::from_bytes(b"bad\xff.txt")), "Other\n\nThe mayor said so.\n").unwrap();
    let out = run(&["score", dir.to_str().unwrap(), "-f", "json", "-q"]);
    assert_eq!(out.code, 6, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["articles"].as_array().unwrap().len(), 1);
    assert!(v["skipped"].as_array().unwrap().iter().any(|s| s["reason"] == "bad-name"));
}

/// What a user configures reaches extraction as well as scoring: the sides of `--config`, the cue classes and
/// thresholds of `--lexicon`.
#[test]
fn the_users_sides_cues_and_thresholds_reach_extraction() {
    let articles = root().join("examples/jisr-al-shughur/articles");
    let dir = crate::common::scratch("plan-reaches");
    let extract = |extra: &[&str]| {
        let out_file = dir.join("draft.toml");
        let mut args = vec!["extract", articles.to_str().unwrap(), "-q", "-o", out_file.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        Story::load(&out_file).unwrap().story
    };
    let default = extract(&[]);
    // Sides: with the story's two sides stated as opposing no one, a withdrawal no longer implies the other side's
    // capture (the sides are the story's own: its story file states them).
    let inferred = |s: &Story| s.reports.iter().filter(|r| r.inferred.is_some()).count();
    assert!(inferred(&default) > 0);
    let calm = dir.join("calm");
    std::fs::create_dir_all(&calm).unwrap();
    for e in std::fs::read_dir(&articles).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, calm.join(p.file_name().unwrap())).unwrap();
    }
    let stated = std::fs::read_to_string(articles.join("story.toml")).unwrap();
    std::fs::write(
        calm.join("story.toml"),
        stated.replace("opposes = [\"rebels\"]", "").replace("opposes = [\"government\"]", ""),
    )
    .unwrap();
    let out = run(&["extract", calm.to_str().unwrap(), "-q", "-o", dir.join("calm.toml").to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(inferred(&Story::load(&dir.join("calm.toml")).unwrap().story), 0);
    // Cue classes: "said" as an intention makes no report of its own.
    let cues = crate::common::write(
        &dir,
        "attribution.toml",
        &credence::attribution::BUILTIN_LEXICON.replacen(
            "forms = [\"say\", \"says\", \"said\", \"saying\"]",
            "forms = [\"say\", \"says\"]\n\n[[cue]]\nclass = \"intention\"\nforms = [\"said\", \"saying\"]",
            1,
        ),
    );
    let said = |s: &Story| s.reports.iter().filter(|r| r.cue.eq_ignore_ascii_case("said")).count();
    assert!(said(&default) > 5);
    assert_eq!(said(&extract(&["--lexicon", &cues])), 0);
    // Thresholds: a copy lexicon asking for 90% shared text records no copy between these articles.
    let copies = crate::common::write(&dir, "copies.toml", "min_containment = 0.9\n");
    let edges = |s: &Story| s.articles.iter().map(|a| a.copied_from.len()).sum::<usize>();
    assert!(edges(&default) > 0);
    assert_eq!(edges(&extract(&["--lexicon", &copies])), 0);
    // A lexicon override names its file and line when it is wrong.
    let bad = crate::common::write(&dir, "frames.toml", "[limits]\nmax_wordz = 3\n");
    let out = run(&["extract", articles.to_str().unwrap(), "-q", "--lexicon", &bad]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("frames.toml:2:") && out.stderr.contains("did you mean `max_words`"), "{}", out.stderr);
}

/// The cue classes of a `--lexicon` reach the scorer too: the same story scores differently.
#[test]
fn the_users_cue_classes_reach_scoring() {
    let dir = crate::common::scratch("plan-scoring");
    let hedged = crate::common::write(
        &dir,
        "attribution.toml",
        &credence::attribution::BUILTIN_LEXICON.replacen(
            "class = \"neutral\"\nforms = [\"say\", \"says\", \"said\", \"saying\"]",
            "class = \"hedged\"\nforms = [\"say\", \"says\", \"said\", \"saying\"]",
            1,
        ),
    );
    let example = crate::common::example();
    let support = |extra: &[&str]| {
        let mut args = vec!["score", example.to_str().unwrap(), "-f", "json", "-q"];
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        v["claims"].as_array().unwrap().iter().map(|c| c["support"].as_f64().unwrap()).sum::<f64>()
    };
    assert!(support(&["--lexicon", &hedged]) < support(&[]) - 0.1);
}
