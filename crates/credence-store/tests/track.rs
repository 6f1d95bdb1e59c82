//! Behaviour of the track record: what record, settle, sources and outcomes do, end to end on a file.

mod common;

use common::{HOMS, QUSAYR, TempDir, claim, homs, qusayr, source};
use credence_store::output::{outcomes_csv, outcomes_table, settle_report, sources_csv, sources_table};
use credence_store::{
    ClaimReview, Error, Identity, Match, OriginRef, PRIOR_WEIGHT, RecordedStory, SourceKey, SqliteStore, TrackRecord,
    TrustOpinion, Verdict, learned_trust,
};

const GRADE_C: TrustOpinion = TrustOpinion { b: 0.45, d: 0.20, u: 0.35, a: 0.5 };
const GRADE_D: TrustOpinion = TrustOpinion { b: 0.20, d: 0.45, u: 0.35, a: 0.5 };

#[test]
fn the_cli_can_hold_any_track_record_behind_the_trait() {
    let mut record: Box<dyn TrackRecord> = Box::new(SqliteStore::open_in_memory().unwrap());
    record.record(&[qusayr()]).unwrap();
    record.settle("held", &Verdict::manual(Some(false))).unwrap();
    assert_eq!(record.reliability(&SourceKey::id("sohr")).unwrap().unwrap().correct, 1.0);
}

fn store(dir: &TempDir) -> SqliteStore {
    SqliteStore::open(dir.path("track.sqlite3")).expect("open a new track record")
}

fn evidence(store: &SqliteStore, id: &str) -> (f64, f64, u32, u32) {
    let e = store.reliability(&SourceKey::id(id)).unwrap().unwrap_or_else(|| panic!("{id} is known"));
    (e.correct, e.wrong, e.claims, e.stories)
}

#[test]
fn a_claim_settled_true_raises_its_asserters_and_lowers_its_refuters() {
    let dir = TempDir::new("true");
    let mut s = store(&dir);
    s.record(&[qusayr()]).unwrap();
    let summary = s.settle("taken", &Verdict::manual(Some(true))).unwrap();
    assert_eq!(summary.claim.to_string(), format!("{QUSAYR}/taken"));
    assert_eq!(summary.previous, None);
    let changed: Vec<&str> = summary.changes.iter().map(|c| c.source.as_str()).collect();
    assert_eq!(changed, ["afp", "sana", "sohr"], "origins only, sorted; the outlet Al Jazeera is not one");

    for asserter in ["sohr", "afp"] {
        assert_eq!(evidence(&s, asserter), (1.0, 0.0, 1, 1));
        let e = s.reliability(&SourceKey::id(asserter)).unwrap().unwrap();
        assert!(e.mean() > 0.5);
        assert!(learned_trust(GRADE_C, &e, PRIOR_WEIGHT).projected() > GRADE_C.projected());
    }
    assert_eq!(evidence(&s, "sana"), (0.0, 1.0, 1, 1));
    let e = s.reliability(&SourceKey::id("sana")).unwrap().unwrap();
    assert!(e.mean() < 0.5 && learned_trust(GRADE_D, &e, PRIOR_WEIGHT).projected() < GRADE_D.projected());
    // Outlets and uninvolved origins are untouched.
    assert_eq!(evidence(&s, "aljazeera"), (0.0, 0.0, 0, 1));
    assert_eq!(evidence(&s, "hezbollah"), (0.0, 0.0, 0, 1));
}

#[test]
fn a_claim_settled_false_does_the_opposite() {
    let dir = TempDir::new("false");
    let mut s = store(&dir);
    s.record(&[qusayr()]).unwrap();
    s.settle("taken", &Verdict::manual(Some(false))).unwrap();
    assert_eq!(evidence(&s, "sohr"), (0.0, 1.0, 1, 1));
    assert_eq!(evidence(&s, "afp"), (0.0, 1.0, 1, 1));
    assert_eq!(evidence(&s, "sana"), (1.0, 0.0, 1, 1));
    // "held" settled false: SANA asserted it (wrong), SOHR refuted it (right).
    s.settle("held", &Verdict::manual(Some(false))).unwrap();
    assert_eq!(evidence(&s, "sohr"), (1.0, 1.0, 2, 1));
    assert_eq!(evidence(&s, "sana"), (1.0, 1.0, 2, 1));
}

#[test]
fn merged_members_of_a_cluster_are_credited_like_its_origin() {
    let dir = TempDir::new("merged");
    let mut s = store(&dir);
    s.record(&[qusayr()]).unwrap();
    s.settle("fought", &Verdict::manual(Some(true))).unwrap();
    assert_eq!(evidence(&s, "hezbollah"), (1.0, 0.0, 1, 1));
    assert_eq!(evidence(&s, "afp"), (1.0, 0.0, 1, 1));
}

#[test]
fn a_second_story_with_the_same_sources_accumulates() {
    let dir = TempDir::new("accumulate");
    let mut s = store(&dir);
    let first = s.record(&[qusayr()]).unwrap();
    assert!(first[0].sources.iter().all(|b| b.matched == Match::New));
    let second = s.record(&[homs()]).unwrap().remove(0);
    let how: Vec<(&str, &str, &Match)> =
        second.sources.iter().map(|b| (b.local_id.as_str(), b.source.as_str(), &b.matched)).collect();
    assert_eq!(
        how,
        [
            ("al-jazeera-english", "aljazeera", &Match::Domain("aljazeera.com".into())),
            ("syrian-observatory", "sohr", &Match::Label("syrian observatory for human rights".into())),
            ("SANA", "sana", &Match::Id),
            ("reuters", "reuters", &Match::New),
        ]
    );
    s.settle("taken", &Verdict::manual(Some(true))).unwrap();
    s.settle(&format!("{HOMS}/shelled"), &Verdict::manual(Some(true))).unwrap();
    assert_eq!(evidence(&s, "sohr"), (2.0, 0.0, 2, 2));
    assert_eq!(evidence(&s, "sana"), (0.0, 2.0, 2, 2));
    assert_eq!(evidence(&s, "reuters"), (1.0, 0.0, 1, 1));
    // Any name the source was recorded under finds it.
    for key in [
        SourceKey::id("syrian-observatory"),
        SourceKey::id("x").with_name("Syrian Observatory for Human Rights"),
        SourceKey::id("y").with_domain("http://syriahr.com/ar"),
    ] {
        match s.identify(&key).unwrap() {
            Identity::Known { source, .. } => assert_eq!(source, "sohr", "{key:?}"),
            other => panic!("{key:?}: {other:?}"),
        }
    }
    let list = s.sources().unwrap();
    let sohr = list.iter().find(|r| r.key == "sohr").unwrap();
    assert_eq!(sohr.ids, ["sohr", "syrian-observatory"]);
    assert_eq!(sohr.aliases, ["Syrian Observatory for Human Rights"]);
    assert_eq!(sohr.domains, ["syriahr.com"]);
    assert_eq!((sohr.asserted, sohr.refuted, sohr.relayed), (2, 1, 0));
    let aj = list.iter().find(|r| r.key == "aljazeera").unwrap();
    assert_eq!((aj.relayed, aj.evidence.stories), (3, 2));
}

#[test]
fn settling_again_replaces_the_outcome_and_never_double_counts() {
    let dir = TempDir::new("twice");
    let mut s = store(&dir);
    s.record(&[qusayr()]).unwrap();
    for _ in 0..3 {
        s.settle("taken", &Verdict::manual(Some(true))).unwrap();
    }
    assert_eq!(evidence(&s, "sohr"), (1.0, 0.0, 1, 1));
    let flip = s.settle("taken", &Verdict::manual(Some(false))).unwrap();
    assert_eq!(flip.previous, Some(Some(true)));
    let sohr = flip.changes.iter().find(|c| c.source == "sohr").unwrap();
    assert_eq!((sohr.before.correct, sohr.before.wrong, sohr.after.correct, sohr.after.wrong), (1.0, 0.0, 0.0, 1.0));
    assert_eq!(evidence(&s, "sohr"), (0.0, 1.0, 1, 1));
    let unsettle = s.settle("taken", &Verdict::manual(None)).unwrap();
    assert_eq!(unsettle.previous, Some(Some(false)));
    assert_eq!(evidence(&s, "sohr"), (0.0, 0.0, 0, 1));
    let outcomes = s.outcomes().unwrap();
    assert_eq!(outcomes.len(), 1);
    assert_eq!((outcomes[0].outcome, outcomes[0].revision), (None, 5));
    assert_eq!(settle_report(&unsettle).lines().next().unwrap(), format!("{QUSAYR}/taken: unsettled (was false)"));
}

#[test]
fn a_claimreview_settles_with_its_provenance() {
    let dir = TempDir::new("review");
    let mut s = store(&dir);
    s.record(&[qusayr()]).unwrap();
    let doc = r"<ignored>";
    assert!(ClaimReview::from_json(doc.as_bytes(), "x.json").is_err());
    let path = dir.path("review.json");
    std::fs::write(
        &path,
        r#"{"@context":"https://schema.org","@type":"ClaimReview","url":"https://check.example/qusayr",
            "claimReviewed":"The army took al-Qusayr","author":{"@type":"Organization","name":"Check, Desk"},
            "reviewRating":{"@type":"Rating","ratingValue":"5","bestRating":"5","worstRating":"1","alternateName":"True"}}"#,
    )
    .unwrap();
    let review = ClaimReview::from_file(&path).unwrap();
    s.settle("taken", &Verdict::from_review(review)).unwrap();
    assert_eq!(evidence(&s, "sohr"), (1.0, 0.0, 1, 1));
    let o = &s.outcomes().unwrap()[0];
    assert_eq!(
        (o.method.as_str(), o.rating, o.reviewer.as_deref()),
        ("claimreview", Some((5.0, 1.0, 5.0)), Some("Check, Desk"))
    );
    let csv = outcomes_csv(&s.outcomes().unwrap());
    assert!(csv.contains(",\"Check, Desk\",https://check.example/qusayr,"), "{csv}");

    // A rating of 3 leaves the claim unsettled; the review is still its provenance.
    let mid =
        ClaimReview::from_json(br#"{"@type":"ClaimReview","reviewRating":{"ratingValue":3}}"#, "mid.json").unwrap();
    s.settle("taken", &Verdict::from_review(mid)).unwrap();
    assert_eq!(evidence(&s, "sohr"), (0.0, 0.0, 0, 1));
    assert_eq!(s.outcomes().unwrap()[0].review_file.as_deref(), Some("mid.json"));
}

#[test]
fn claim_ids_resolve_or_say_what_was_meant() {
    let dir = TempDir::new("claims");
    let mut s = store(&dir);
    s.record(&[qusayr(), homs()]).unwrap();
    assert_eq!(s.resolve_claim("shelled").unwrap().to_string(), format!("{HOMS}/shelled"));
    assert_eq!(s.resolve_claim(&format!(" {QUSAYR}/held ")).unwrap().claim, "held");

    let e = s.resolve_claim("takn").unwrap_err();
    assert!(matches!(&e, Error::UnknownClaim { suggestions, .. } if suggestions == &[format!("{QUSAYR}/taken")]));
    let msg = e.to_string();
    assert!(msg.contains("track.sqlite3") && msg.contains("did you mean") && msg.contains("/taken"), "{msg}");
    let e = s.resolve_claim("qusayr-falls/taken").unwrap_err().to_string();
    assert!(e.contains(&format!("did you mean {QUSAYR}/taken")), "{e}");
    let e = s.resolve_claim("nothing-like-it-at-all").unwrap_err().to_string();
    assert!(e.contains("STORY-KEY/CLAIM-ID"), "{e}");

    // The same claim id in two stories: a bare id is ambiguous.
    let mut other = homs();
    other.key = "homs-again-00000003".into();
    other.claims[0].id = "taken".into();
    s.record(&[other]).unwrap();
    let e = s.settle("taken", &Verdict::manual(Some(true))).unwrap_err();
    assert!(
        matches!(&e, Error::AmbiguousClaim { candidates, .. } if candidates == &["homs-again-00000003/taken".to_string(), format!("{QUSAYR}/taken")]),
        "{e}"
    );
    assert!(s.outcomes().unwrap().is_empty(), "a failed settle records nothing");
}

#[test]
fn re_recording_a_story_replaces_it_and_keeps_its_outcomes() {
    let dir = TempDir::new("rerecord");
    let mut s = store(&dir);
    s.record(&[qusayr()]).unwrap();
    s.settle("taken", &Verdict::manual(Some(true))).unwrap();
    let again = s.record(&[qusayr()]).unwrap().remove(0);
    assert!(again.replaced && again.recordings == 2 && again.detached.is_empty());
    assert!(again.sources.iter().all(|b| b.matched == Match::Id));
    assert_eq!(evidence(&s, "sohr"), (1.0, 0.0, 1, 1), "the same story twice is one story");
    assert_eq!(s.sources().unwrap().len(), 5);

    // A new version without the settled claim: the outcome is kept but counts for nothing.
    let mut edited = qusayr();
    edited.claims.retain(|c| c.id != "taken");
    edited.sources[4].id = "hizb".into();
    edited.sources[4].name = "Hizb".into();
    for c in &mut edited.claims {
        for o in c.asserted_by.iter_mut().chain(c.refuted_by.iter_mut()) {
            if o.source == "hezbollah" {
                o.source = "hizb".into();
            }
        }
    }
    let r = s.record(&[edited]).unwrap().remove(0);
    assert_eq!(r.detached, ["taken"]);
    assert_eq!(evidence(&s, "sohr"), (0.0, 0.0, 0, 1));
    let o = &s.outcomes().unwrap()[0];
    assert!(o.text.is_none() && o.asserted_by.is_empty());
    assert!(outcomes_table(&s.outcomes().unwrap()).contains("(detached)"));
    // "hezbollah" is no longer listed by any story, so it is gone; "hizb" matched nothing and is new.
    let keys: Vec<String> = s.sources().unwrap().into_iter().map(|r| r.key).collect();
    assert_eq!(keys, ["afp", "aljazeera", "hizb", "sana", "sohr"]);
    assert_eq!(s.identify(&SourceKey::id("hezbollah")).unwrap(), Identity::Unknown);
    // The claim back: the outcome counts again.
    s.record(&[qusayr()]).unwrap();
    assert_eq!(evidence(&s, "sohr"), (1.0, 0.0, 1, 1));
}

#[test]
fn identity_limits_shared_aliases_anonymous_sources_and_platform_domains() {
    let dir = TempDir::new("identity");
    let mut s = store(&dir);
    let mut syria = source("mod-syria", "Syrian Ministry of Defence", "government-official");
    syria.aliases = vec!["Ministry of Defence".into()];
    let mut uk = source("mod-uk", "UK Ministry of Defence", "government-official");
    uk.aliases = vec!["Ministry of Defence".into()];
    let mut anon = source("official", "a security official", "anonymous");
    anon.aliases = vec!["an official".into()];
    let mut account = source("account-1", "@someone", "social-media");
    account.domains = vec!["https://twitter.com/someone".into()];
    let one = RecordedStory {
        key: "one-00000010".into(),
        title: "One".into(),
        sources: vec![syria, uk, anon, account],
        claims: vec![claim("c", "c", vec![OriginRef::new("mod-syria")], vec![OriginRef::new("mod-uk")])],
    };
    let r = s.record(&[one]).unwrap().remove(0);
    assert!(r.sources.iter().all(|b| b.matched == Match::New), "sources of one story are never merged: {r:?}");

    let mut ministry = source("ministry", "Ministry of Defence", "government-official");
    ministry.aliases = vec![];
    let mut anon2 = source("official-2", "a security official", "anonymous");
    anon2.aliases = vec!["an official".into()];
    let mut account2 = source("account-2", "@other", "social-media");
    account2.domains = vec!["twitter.com".into()];
    let two = RecordedStory {
        key: "two-00000011".into(),
        title: "Two".into(),
        sources: vec![ministry, anon2, account2],
        claims: vec![],
    };
    let r = s.record(&[two]).unwrap().remove(0);
    assert!(r.sources.iter().all(|b| b.matched == Match::New), "{r:?}");
    assert_eq!(r.notes.len(), 1);
    assert!(r.notes[0].contains("`ministry`") && r.notes[0].contains("mod-syria, mod-uk"), "{}", r.notes[0]);

    let key = SourceKey::id("someone-else").with_name("Ministry of Defence");
    assert_eq!(
        s.identify(&key).unwrap(),
        Identity::Ambiguous {
            by: "label ministry of defence".into(),
            candidates: vec!["ministry".into(), "mod-syria".into(), "mod-uk".into()]
        }
    );
    assert_eq!(s.reliability(&key).unwrap(), None, "an ambiguous source scores by its prior");
    assert_eq!(s.reliability(&SourceKey::id("nobody")).unwrap(), None);
    assert_eq!(
        s.identify(&SourceKey::id("x").with_kind("anonymous").with_name("a security official")).unwrap(),
        Identity::Unknown
    );
    assert_eq!(s.identify(&SourceKey::id("x").with_domain("twitter.com")).unwrap(), Identity::Unknown);
    // Ids win over labels: the id picks one of the sources sharing the alias.
    assert!(matches!(s.identify(&key.clone().with_name("x")).unwrap(), Identity::Ambiguous { .. }));
    assert!(matches!(
        s.identify(&SourceKey::id("MOD_UK").with_name("Ministry of Defence")).unwrap(),
        Identity::Known { source, matched: Match::Id, .. } if source == "mod-uk"
    ));
    assert_eq!(s.sources().unwrap().len(), 7);
}

#[test]
fn inconsistent_stories_are_refused_and_nothing_is_recorded() {
    let dir = TempDir::new("invalid");
    let mut s = store(&dir);
    let cases: Vec<(RecordedStory, &str)> = vec![
        (
            {
                let mut x = qusayr();
                x.key = "a/b".into();
                x
            },
            "contains `/`",
        ),
        (
            {
                let mut x = qusayr();
                x.key = String::new();
                x
            },
            "(no key)",
        ),
        (
            {
                let mut x = qusayr();
                x.claims[0].asserted_by.push(OriginRef::new("ghost"));
                x
            },
            "`ghost`",
        ),
        (
            {
                let mut x = qusayr();
                x.claims[1].refuted_by[0].outlets.push("nowhere".into());
                x
            },
            "`nowhere`",
        ),
        (
            {
                let mut x = qusayr();
                x.claims[1].id = "taken".into();
                x
            },
            "appears twice",
        ),
        (
            {
                let mut x = qusayr();
                x.sources[1].id = "Al_Jazeera".into();
                x.sources[0].id = "al-jazeera".into();
                x
            },
            "same id",
        ),
        (
            {
                let mut x = qusayr();
                x.sources[0].domains.push("not a domain".into());
                x
            },
            "not a host name",
        ),
        (
            {
                let mut x = qusayr();
                x.sources[0].id = " - ".into();
                x
            },
            "is empty",
        ),
    ];
    for (story, needle) in cases {
        let e = s.record(&[homs(), story]).unwrap_err();
        assert!(matches!(e, Error::InvalidStory { .. }), "{e}");
        assert!(e.to_string().contains(needle), "{e} lacks {needle}");
    }
    let e = s.record(&[homs(), homs()]).unwrap_err().to_string();
    assert!(e.contains("two stories of one record command"), "{e}");
    assert!(s.sources().unwrap().is_empty(), "all stories of a command or none");
}

#[test]
fn listings_are_deterministic_csv_and_tables() {
    let run = || {
        let dir = TempDir::new("listing");
        let mut s = store(&dir);
        let mut q = qusayr();
        q.sources[2].name = "SOHR, the \"Observatory\"".into();
        s.record(&[q, homs()]).unwrap();
        s.settle("taken", &Verdict::manual(Some(true))).unwrap();
        s.settle("shelled", &Verdict::manual(Some(false))).unwrap();
        s.settle("held", &Verdict::manual(Some(false))).unwrap();
        let list = s.sources().unwrap();
        (sources_csv(&list, 0.9), sources_table(&list, 0.9), outcomes_csv(&s.outcomes().unwrap()))
    };
    let (csv, table, outcomes) = run();
    assert_eq!((csv.clone(), table.clone(), outcomes.clone()), run(), "same operations, same bytes");
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "source,name,kind,ids,aliases,domains,stories,claims,correct,wrong,asserted,refuted,relayed,reliability,low,high"
    );
    let sohr = lines.iter().find(|l| l.starts_with("sohr,")).unwrap();
    // taken true (right), held false (right: refuted), shelled false (wrong: asserted).
    assert!(
        sohr.starts_with(
            "sohr,\"SOHR, the \"\"Observatory\"\"\",monitor,sohr; syrian-observatory,\
             Syrian Observatory for Human Rights,syriahr.com,2,3,2,1,2,1,0,0.6000,"
        ),
        "{sohr}"
    );
    let keys: Vec<&str> = lines[1..].iter().filter(|l| !l.is_empty()).map(|l| l.split(',').next().unwrap()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
    assert!(table.starts_with("source "), "{table}");
    assert!(table.contains("90% interval"), "{table}");
    assert!(outcomes.starts_with("claim,story,title,text,outcome,"));
    assert_eq!(outcomes.matches("\r\n").count(), 4);
}

#[test]
fn the_example_stories_are_the_test_stories_and_json_is_checked() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/stories");
    for (file, want) in [("qusayr.json", qusayr()), ("homs.json", homs())] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let got: RecordedStory = serde_json::from_str(&text).unwrap();
        assert_eq!(got, want, "{file}");
    }
    let e = serde_json::from_str::<RecordedStory>(
        r#"{"key":"k","title":"t","claims":[{"id":"c","text":"x","asserts":[]}]}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `asserts`"), "{e}");
    let review = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/review-shelled.json");
    assert_eq!(ClaimReview::from_file(&review).unwrap().outcome(), Some(true));
    let e = ClaimReview::from_file(&dir.join("missing.json")).unwrap_err().to_string();
    assert!(e.contains("missing.json") && e.contains("cannot read"), "{e}");
}
