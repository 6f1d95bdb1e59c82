//! Across articles: claim alignment, copy and passage reuse, contradictions, party interest and independence,
//! on the seed articles (`../shared/stories/jisr-al-shughur`, skipped with a printed reason when absent), on
//! our own example articles, and on small texts written here for the cases that must *not* be flagged.

use std::path::{Path, PathBuf};

use credence::align::{ArticleContext, RawReport, Sides, align};
use credence::config::Settings;
use credence::extract::{Lexicons, extract_dir};
use credence::frame::FrameLexicon;
use credence::model::{Report, Stance, Story};
use credence::score::{Assessment, ClaimScore, Interest};

use crate::common::root;

fn example_articles() -> PathBuf {
    root().join("examples/jisr-al-shughur/articles")
}

fn extract(dir: &Path) -> Story {
    // What the folder's story file states (its parties) wins, as `credence score DIR` does.
    let stated = dir.join("story.toml");
    let stated = stated.is_file().then(|| Story::load(&stated).expect("story file").story);
    extract_dir(dir, stated.as_ref(), &credence::extraction_options(dir), &Lexicons::builtin())
        .expect("articles read")
        .story
}

fn assess(story: &Story) -> Assessment {
    credence::assess(story, &Settings::defaults()).expect("the extracted story is valid")
}

fn claim<'a>(a: &'a Assessment, id: &str) -> &'a ClaimScore {
    a.claims.iter().find(|c| c.id == id).unwrap_or_else(|| {
        let ids: Vec<&str> = a.claims.iter().map(|c| c.id.as_str()).collect();
        panic!("no claim {id}; claims: {ids:?}")
    })
}

fn reports<'a>(s: &'a Story, claim: &str) -> Vec<&'a Report> {
    s.reports.iter().filter(|r| r.claim == claim).collect()
}

fn has_contradiction(s: &Story, a: &str, b: &str, kind: &str) -> bool {
    s.contradictions.iter().any(|c| ((c.a == a && c.b == b) || (c.a == b && c.b == a)) && c.kind == kind)
}

/// Checks shared by the seed articles and our rewrite of them: the same structure must come out of both.
fn check_story_structure(s: &Story, label: &str) {
    let a = assess(s);
    // 1. Alignment: the capture of Jisr al-Shughur is one claim, stated in different words and spellings by
    //    several articles.
    let capture = reports(s, "capture-rebels-jisr-al-shughur");
    let articles: std::collections::BTreeSet<&str> = capture.iter().map(|r| r.article.as_str()).collect();
    assert!(articles.len() >= 4, "{label}: capture reported by {} articles only", articles.len());
    let quotes: Vec<String> = capture.iter().filter_map(|r| r.quote.clone()).map(|q| q.to_lowercase()).collect();
    for variant in ["shughour", "shughur"] {
        assert!(quotes.iter().any(|q| q.contains(variant)), "{label}: spelling {variant} not aligned");
    }
    let c = claim(&a, "capture-rebels-jisr-al-shughur");
    assert!(c.independent_origins >= 4, "{label}: {} origins", c.independent_origins);
    assert_eq!(c.favours.as_deref(), Some("rebels"));

    // 2. Contradictions of each kind, with both claims, evidence spans and a degree.
    assert!(
        has_contradiction(
            s,
            "withdrawal-government-jisr-al-shughur-flight",
            "withdrawal-government-jisr-al-shughur-redeployme",
            "predicate"
        ),
        "{label}: fled vs. redeployed not found: {:?}",
        s.contradictions
    );
    assert!(
        has_contradiction(
            s,
            "offensive-rebels-jisr-al-shughur-thursday",
            "offensive-rebels-jisr-al-shughur-wednesday",
            "temporal"
        ),
        "{label}: Thursday vs. Wednesday not found"
    );
    assert!(
        has_contradiction(s, "capture-rebels-jisr-al-shughur-most", "capture-rebels-jisr-al-shughur-full", "numeric"),
        "{label}: almost all vs. fully not found"
    );
    assert!(
        has_contradiction(s, "capture-rebels-jisr-al-shughur", "fighting-jisr-al-shughur", "predicate"),
        "{label}: control vs. fighting not found"
    );
    for c in &s.contradictions {
        assert!(c.evidence.len() >= 2, "{label}: {} vs {} has no evidence on both sides", c.a, c.b);
        assert!(c.degree.is_some_and(|d| d > 0.0 && d <= 1.0));
        assert!(c.evidence.iter().any(|e| e.claim == c.a) && c.evidence.iter().any(|e| e.claim == c.b));
    }
    // The contradiction feeds the scorer.
    assert!(a.claims.iter().any(|c| !c.contradicted_by.is_empty()));

    // 3. Party interest: state media conceding a redeployment is an admission; a jihadist group hailing the
    //    capture is self-serving.
    let redeploy = claim(&a, "withdrawal-government-jisr-al-shughur-redeployme");
    assert_eq!(redeploy.favours.as_deref(), Some("rebels"));
    assert!(
        redeploy.reports.iter().all(|r| r.interest == Interest::Admission),
        "{label}: {:?}",
        redeploy.reports.iter().map(|r| (&r.chain, r.interest)).collect::<Vec<_>>()
    );
    assert!(c.reports.iter().any(|r| r.interest == Interest::SelfServing), "{label}: no self-serving report");
    // The admission also supports the capture, by implication.
    assert!(
        capture.iter().any(|r| r.inferred.is_some() && r.caveats.iter().any(|k| k == "inferred")),
        "{label}: the withdrawal does not support the capture"
    );

    // 4. Independence: the monitor quoted through the agency and through the outlets is one origin.
    let sohr: Vec<_> = c.origins.iter().filter(|o| o.sources.iter().any(|x| x == "sohr")).collect();
    assert_eq!(sohr.len(), 1, "{label}: the monitor is split over origins");
    assert!(sohr[0].reports.len() >= 3, "{label}: the monitor's reports were not merged");
    assert!(!sohr[0].merged_because.is_empty(), "{label}: no reason given for the merge");
}

#[test]
fn seed_articles_are_aligned_across_articles() {
    let Some(dir) = crate::common::seeds_with_parties() else { return };
    let s = extract(&dir);
    check_story_structure(&s, "seeds");
    // Copy detection: the Al Jazeera story reuses the AFP dispatch; the two Independent stories share
    // background paragraphs (partial reuse by one outlet), with the passages listed.
    let by_prefix = |p: &str| s.articles.iter().find(|a| a.path.as_deref().is_some_and(|x| x.starts_with(p))).unwrap();
    let aj = by_prefix("000");
    let afp = by_prefix("002");
    let copy = aj.copied_from.iter().find(|c| c.article == afp.id).expect("Al Jazeera copies AFP");
    assert!(copy.containment > 0.2, "{}", copy.containment);
    assert!(!copy.passages.is_empty());
    let ind = by_prefix("001");
    let other = by_prefix("004");
    let reuse = ind.copied_from.iter().find(|c| c.article == other.id).expect("background reuse");
    assert!(reuse.containment < 0.2 && !reuse.passages.is_empty());
    // Reports inside a reused passage are merged with the copied article's, whatever the containment.
    let a = assess(&s);
    let merged_by_passage = a
        .claims
        .iter()
        .flat_map(|c| &c.origins)
        .flat_map(|o| &o.merged_because)
        .map(credence::report::words::merge_reason)
        .any(|w| w.contains(&ind.id) && w.contains(&other.id) && w.contains("bytes"));
    assert!(merged_by_passage, "no report merged through a reused passage");
}

#[test]
fn example_articles_show_the_same_structure() {
    let s = extract(&example_articles());
    check_story_structure(&s, "example");
}

#[test]
fn seed_ranking_puts_multi_origin_captures_above_single_party_claims() {
    let Some(dir) = crate::common::seeds_with_parties() else { return };
    let a = assess(&extract(&dir));
    let support = |id: &str| claim(&a, id).support;
    // Many independent origins (monitor, agencies, outlets, both parties) > one party's self-serving claim.
    assert!(support("capture-rebels-jisr-al-shughur") > support("crossing-rebels-jisr-al-shughur"));
    assert!(support("withdrawal-government-jisr-al-shughur") > support("withdrawal-government-jisr-al-shughur-flight"));
    // Contradicted specifics stay below the general claim they refine.
    assert!(support("capture-rebels-jisr-al-shughur") > support("capture-rebels-jisr-al-shughur-full"));
}

// ---- Small texts written here: what must and must not be aligned or flagged. ----

fn raw<'a>(article: usize, chain: &[&str], text: &'a str) -> RawReport<'a> {
    RawReport {
        report: std::borrow::Cow::Owned(Report {
            article: format!("a{article}"),
            claim: String::new(),
            chain: chain.iter().map(std::string::ToString::to_string).collect(),
            speaker: None,
            cue: "said".into(),
            stance: Stance::Supports,
            caveats: vec![],
            quote: Some(text.into()),
            span: Some([0, text.len()]),
            inferred: None,
        }),
        text: text.into(),
        sentence: text.into(),
        article,
    }
}

fn run_align(texts: &[(usize, &[&str], &str)]) -> credence::align::Alignment {
    let raws: Vec<RawReport> = texts.iter().map(|(a, c, t)| raw(*a, c, t)).collect();
    let n = texts.iter().map(|t| t.0).max().unwrap_or(0) + 1;
    let context = texts.iter().map(|t| t.2).collect::<Vec<_>>().join(" ");
    let articles = vec![ArticleContext { text: context.into(), weekday: Some("saturday".into()) }; n];
    let sides = Sides {
        of_source: [("army-media".to_string(), "government".to_string())].into_iter().collect(),
        opposes: [
            ("government".to_string(), vec!["rebels".to_string()]),
            ("rebels".to_string(), vec!["government".to_string()]),
        ]
        .into_iter()
        .collect(),
    };
    let frames = FrameLexicon::builtin();
    align(&raws, &articles, &sides, &frames.with_sides(&frames.generic_sides()), &credence_stance::Lexicon::default())
}

#[test]
fn different_wordings_of_one_event_share_a_claim() {
    let al = run_align(&[
        (0, &["o1", "m"], "Rebel units overran the town of Kafr Dala on Friday"),
        (1, &["o2"], "Kafr Dala fell to the insurgents after a long siege"),
        (2, &["o3", "x"], "the jihadists captured the town of Kafr Dalla"),
    ]);
    let general: Vec<&Report> = al.reports.iter().filter(|r| r.claim == "capture-rebels-kafr-dala").collect();
    assert_eq!(general.len(), 3, "{:?}", al.reports.iter().map(|r| &r.claim).collect::<Vec<_>>());
    assert!(al.contradictions.is_empty(), "{:?}", al.contradictions);
}

#[test]
fn compatible_counts_are_one_claim_and_no_contradiction() {
    let al = run_align(&[
        (0, &["o1", "m"], "at least 60 soldiers were killed in the town of Tal Sabr"),
        (1, &["o2", "n"], "more than 50 soldiers were killed in Tal Sabr"),
    ]);
    assert!(al.contradictions.is_empty(), "{:?}", al.contradictions);
    let counted: Vec<&str> = al
        .claims
        .iter()
        .filter(|c| c.key.as_deref().is_some_and(|k| k.contains("count")))
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(counted.len(), 1, "one count claim expected: {counted:?}");
    // Whereas incompatible counts are a numeric contradiction.
    let bad = run_align(&[
        (0, &["o1", "m"], "at least 60 soldiers were killed in the town of Tal Sabr"),
        (1, &["o2", "n"], "12 soldiers were killed in Tal Sabr"),
    ]);
    assert!(bad.contradictions.iter().any(|c| c.kind == "numeric"), "{:?}", bad.contradictions);
}

#[test]
fn a_region_is_not_the_town_in_it() {
    let al = run_align(&[
        (0, &["o1", "m"], "Rebels captured the town of Tal Sabr"),
        (1, &["o2", "army-media"], "The army still controls several areas of Hama province"),
    ]);
    assert!(al.contradictions.is_empty(), "{:?}", al.contradictions);
}

#[test]
fn a_later_recapture_does_not_contradict_the_capture() {
    let al = run_align(&[
        (0, &["o1", "m"], "Rebels captured the town of Tal Sabr"),
        (1, &["o2", "n"], "The army recaptured Tal Sabr after a counter-attack"),
    ]);
    assert!(al.contradictions.is_empty(), "{:?}", al.contradictions);
    // Two sides each said to take the whole place at one time do conflict.
    let both = run_align(&[
        (0, &["o1", "m"], "Rebels captured the town of Tal Sabr"),
        (1, &["o2", "n"], "Government forces captured the town of Tal Sabr"),
    ]);
    assert!(both.contradictions.iter().any(|c| c.kind == "predicate"), "{:?}", both.contradictions);
}

#[test]
fn partial_fighting_does_not_contradict_control_of_most() {
    let al = run_align(&[
        (0, &["o1", "m"], "Rebels took control of most of the town of Tal Sabr"),
        (1, &["o2", "m"], "Clashes go on in some neighbourhoods of Tal Sabr"),
    ]);
    assert!(al.contradictions.is_empty(), "{:?}", al.contradictions);
}

#[test]
fn denials_refute_the_claim_they_deny() {
    let al = run_align(&[
        (0, &["o1", "m"], "Rebels captured the town of Tal Sabr"),
        (1, &["o2", "army-media"], "Rebels never captured the town of Tal Sabr"),
    ]);
    let rs: Vec<&Report> = al.reports.iter().filter(|r| r.claim == "capture-rebels-tal-sabr").collect();
    assert_eq!(rs.len(), 2);
    assert_eq!(rs.iter().filter(|r| r.stance == Stance::Refutes).count(), 1);
}

#[test]
fn different_days_of_a_one_off_event_conflict_but_not_of_ongoing_fighting() {
    let al = run_align(&[
        (0, &["o1", "m"], "The rebels launched their attack on Tal Sabr on Monday"),
        (1, &["o2", "n"], "The rebels launched their attack on Tal Sabr on Tuesday"),
        (0, &["o1", "m"], "heavy fighting continued in Tal Sabr on Monday"),
        (1, &["o2", "n"], "heavy fighting continued in Tal Sabr on Wednesday"),
    ]);
    let kinds: Vec<&str> = al.contradictions.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, vec!["temporal"], "{:?}", al.contradictions);
}

#[test]
fn unaligned_sentences_fall_back_to_near_identical_wording() {
    let al = run_align(&[
        (0, &["o1"], "The coalition includes groups known as Ahrar al-Sham and Jund al-Aqsa among others"),
        (1, &["o2"], "The jihadist coalition includes groups known as Ahrar al-Sham and Jund al-Aqsa among others"),
        (2, &["o3"], "The weather in the valley was mild for the season"),
    ]);
    assert_eq!(al.claims.len(), 2, "{:?}", al.claims);
}
