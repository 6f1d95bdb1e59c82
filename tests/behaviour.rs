//! Properties the scorer must keep on any story, checked on generated stories: duplicates and copies add
//! nothing, an agreeing independent origin raises support, a caveat never raises it, a refuting origin lowers
//! it, and a party's self-serving claim scores below the same claim from a neutral monitor.

use credence::config::Settings;
use credence::model::{Article, Claim, CopiedFrom, Report, Source, Stance, Story, StoryInfo};
use credence::score::Assessment;
use proptest::prelude::*;

fn source(id: &str, kind: &str, side: Option<&str>) -> Source {
    Source {
        id: id.into(),
        name: id.to_uppercase(),
        kind: kind.into(),
        side: side.map(str::to_string),
        aliases: vec![],
        people: Vec::new(),
        domains: Vec::new(),
        grade: None,
        relay: None,
        member_of: None,
    }
}

fn article(id: &str, outlet: &str) -> Article {
    Article {
        id: id.into(),
        outlet: outlet.into(),
        path: None,
        title: id.into(),
        url: None,
        published: None,
        credits: vec![],
        copied_from: vec![],
    }
}

fn report(article: &str, claim: &str, chain: &[&str], cue: &str, stance: Stance, caveats: &[&str]) -> Report {
    Report {
        article: article.into(),
        claim: claim.into(),
        chain: chain.iter().map(std::string::ToString::to_string).collect(),
        speaker: None,
        cue: cue.into(),
        stance,
        caveats: caveats.iter().map(std::string::ToString::to_string).collect(),
        quote: None,
        span: None,
        inferred: None,
    }
}

/// Origins a generated report may end at (after the outlet and an optional agency).
const ORIGINS: [&str; 6] = ["monitor", "rebel-group", "rebel-account", "state-tv", "activist", "anon"];
const CUES: [&str; 7] = ["said", "told", "claimed", "according to", "appeared to show", "", "hailed"];
const CAVEATS: [&str; 4] = ["unverified", "hedge", "distancing", "weasel"];
const SIDES: [Option<&str>; 3] = [None, Some("rebels"), Some("government")];

/// Two parties opposing each other: the stories here declare their sides, as any story does.
fn two_sides() -> Vec<credence::model::SideDef> {
    let side = |id: &str, other: &str| credence::model::SideDef {
        id: id.into(),
        name: id.into(),
        members: vec![],
        opposes: vec![other.into()],
        inferred: None,
    };
    vec![side("government", "rebels"), side("rebels", "government")]
}
const KINDS: [&str; 3] = ["numeric", "predicate", "denial"];

/// Parameters of one generated report.
#[derive(Debug, Clone)]
struct GenReport {
    article: usize,
    claim: usize,
    shape: usize,
    origin: usize,
    cue: usize,
    refutes: bool,
    caveats: Vec<usize>,
}

#[derive(Debug, Clone)]
struct GenStory {
    outlets: Vec<usize>,
    copies: Vec<(usize, usize, f64)>,
    favours: Vec<usize>,
    reports: Vec<GenReport>,
    contradiction: Option<(usize, usize, usize)>,
}

fn gen_story() -> impl Strategy<Value = GenStory> {
    let report = (
        0usize..4,
        0usize..3,
        0usize..3,
        0usize..6,
        0usize..7,
        prop::bool::weighted(0.2),
        prop::collection::vec(0usize..4, 0..2),
    )
        .prop_map(|(article, claim, shape, origin, cue, refutes, caveats)| GenReport {
            article,
            claim,
            shape,
            origin,
            cue,
            refutes,
            caveats,
        });
    (
        prop::collection::vec(0usize..3, 1..5),
        prop::collection::vec((0usize..4, 0usize..4, 0.0f64..1.0), 0..3),
        prop::collection::vec(0usize..3, 1..4),
        prop::collection::vec(report, 1..14),
        prop::option::of((0usize..3, 0usize..3, 0usize..3)),
    )
        .prop_map(|(outlets, copies, favours, reports, contradiction)| GenStory {
            outlets,
            copies,
            favours,
            reports,
            contradiction,
        })
}

/// Builds a valid story from generated parameters (indices are taken modulo the sizes).
fn build(g: &GenStory) -> Story {
    let mut sources = vec![
        source("outlet-0", "outlet", None),
        source("outlet-1", "outlet", None),
        source("outlet-2", "outlet", None),
        source("agency", "wire-agency", None),
        source("monitor", "monitor", None),
        source("rebel-group", "armed-group", Some("rebels")),
        source("state-tv", "state-media", Some("government")),
        source("activist", "activist", Some("rebels")),
        source("anon", "anonymous", Some("government")),
    ];
    let mut account = source("rebel-account", "social-media", None);
    account.member_of = Some("rebel-group".into());
    sources.push(account);
    let n_art = g.outlets.len();
    let mut articles: Vec<Article> =
        g.outlets.iter().enumerate().map(|(i, o)| article(&format!("art-{i}"), &format!("outlet-{o}"))).collect();
    for (from, to, c) in &g.copies {
        let (from, to) = (from % n_art, to % n_art);
        if from != to && !articles[from].copied_from.iter().any(|x| x.article == articles[to].id) {
            let target = articles[to].id.clone();
            articles[from].copied_from.push(CopiedFrom { article: target, containment: *c, passages: vec![] });
        }
    }
    let n_claims = g.favours.len();
    let claims: Vec<Claim> = g
        .favours
        .iter()
        .enumerate()
        .map(|(i, f)| Claim {
            id: format!("claim-{i}"),
            text: format!("Claim {i}"),
            favours: SIDES[*f].map(str::to_string),
            base_rate: None,
            key: None,
        })
        .collect();
    let reports: Vec<Report> = g
        .reports
        .iter()
        .map(|r| {
            let art = &articles[r.article % n_art];
            let outlet = art.outlet.as_str();
            let origin = ORIGINS[r.origin];
            let chain: Vec<&str> = match r.shape {
                0 => vec![outlet],
                1 => vec![outlet, origin],
                _ => vec![outlet, "agency", origin],
            };
            let mut cav: Vec<&str> = r.caveats.iter().map(|&c| CAVEATS[c]).collect();
            cav.dedup();
            let stance = if r.refutes { Stance::Refutes } else { Stance::Supports };
            report(&art.id, &claims[r.claim % n_claims].id, &chain, CUES[r.cue], stance, &cav)
        })
        .collect();
    let contradictions = match g.contradiction {
        Some((a, b, k)) if n_claims > 1 && a % n_claims != b % n_claims => vec![credence::model::Contradiction {
            a: claims[a % n_claims].id.clone(),
            b: claims[b % n_claims].id.clone(),
            kind: KINDS[k].into(),
            note: None,
            degree: None,
            evidence: vec![],
        }],
        _ => vec![],
    };
    // A claim nothing reports is a validation error: the generated story keeps the claims it reports.
    let reported: std::collections::HashSet<String> = reports.iter().map(|r| r.claim.clone()).collect();
    let claims: Vec<Claim> = claims.into_iter().filter(|c| reported.contains(&c.id)).collect();
    let contradictions: Vec<credence::model::Contradiction> =
        contradictions.into_iter().filter(|x| reported.contains(&x.a) && reported.contains(&x.b)).collect();
    Story {
        story: StoryInfo { title: "generated".into(), description: None },
        sides: two_sides(),
        sources,
        articles,
        claims,
        reports,
        contradictions,
    }
}

fn assess(story: &Story) -> Assessment {
    credence::assess(story, &Settings::defaults()).expect("generated stories are valid")
}

fn support(a: &Assessment, claim: &str) -> (f64, f64) {
    let c = a.claims.iter().find(|c| c.id == claim).expect("claim scored");
    (c.support, c.uncertainty)
}

fn assert_same_support(before: &Assessment, after: &Assessment) -> Result<(), TestCaseError> {
    for c in &before.claims {
        let (p, u) = support(after, &c.id);
        prop_assert!((p - c.support).abs() < 1e-9, "claim {}: support {} became {}", c.id, c.support, p);
        prop_assert!((u - c.uncertainty).abs() < 1e-9, "claim {}: uncertainty {} became {}", c.id, c.uncertainty, u);
    }
    Ok(())
}

/// Adds a new outlet (kind outlet, like every generated outlet) and an article by it; returns their ids.
fn new_outlet_article(story: &mut Story, tag: &str) -> (String, String) {
    let outlet = format!("new-outlet-{tag}");
    let art = format!("new-article-{tag}");
    story.sources.push(source(&outlet, "outlet", None));
    story.articles.push(article(&art, &outlet));
    (outlet, art)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_stories_score_within_bounds(g in gen_story()) {
        let a = assess(&build(&g));
        for c in &a.claims {
            prop_assert!((0.0..=1.0).contains(&c.support));
            prop_assert!((c.belief + c.disbelief + c.uncertainty - 1.0).abs() < 1e-9);
            prop_assert!(c.interval[0] <= c.interval[1]);
            prop_assert!((1..=6).contains(&c.credibility));
        }
    }

    #[test]
    fn repeating_a_report_through_the_same_origin_changes_nothing(g in gen_story(), k in 0usize..14) {
        let story = build(&g);
        let before = assess(&story);
        let relayed: Vec<usize> = (0..story.reports.len()).filter(|&i| story.reports[i].chain.len() >= 2).collect();
        if relayed.is_empty() {
            return Ok(());
        }
        let k = relayed[k % relayed.len()];
        // The same statement, relayed by another outlet of the same kind that did not copy anything.
        let mut dup = story.clone();
        let orig = dup.reports[k].clone();
        let (outlet, art) = new_outlet_article(&mut dup, "dup");
        let mut r = orig.clone();
        r.article = art;
        r.chain[0] = outlet;
        dup.reports.push(r);
        assert_same_support(&before, &assess(&dup))?;
        // The identical report again in the same article.
        let mut twice = story.clone();
        twice.reports.push(orig);
        assert_same_support(&before, &assess(&twice))?;
    }

    #[test]
    fn repeating_a_report_through_a_copied_article_changes_nothing(g in gen_story(), k in 0usize..14) {
        let story = build(&g);
        let before = assess(&story);
        let k = k % story.reports.len();
        let mut dup = story.clone();
        let orig = dup.reports[k].clone();
        let (outlet, art) = new_outlet_article(&mut dup, "copy");
        dup.articles.last_mut().unwrap().copied_from.push(CopiedFrom { article: orig.article.clone(), containment: 0.9, passages: vec![] });
        let mut r = orig;
        r.article = art;
        // The copier presents the copied text in its own voice, or keeps the attribution.
        r.chain[0] = outlet;
        dup.reports.push(r);
        assert_same_support(&before, &assess(&dup))?;
    }

    #[test]
    fn an_agreeing_independent_origin_raises_support_and_lowers_uncertainty(g in gen_story(), claim in 0usize..3) {
        let story = build(&g);
        let before = assess(&story);
        let claim = story.claims[claim % story.claims.len()].id.clone();
        let mut more = story.clone();
        let (outlet, art) = new_outlet_article(&mut more, "agree");
        more.sources.push(source("new-monitor", "monitor", None));
        more.reports.push(report(&art, &claim, &[&outlet, "new-monitor"], "said", Stance::Supports, &[]));
        let (p0, u0) = support(&before, &claim);
        let (p1, u1) = support(&assess(&more), &claim);
        prop_assert!(p1 > p0, "support {p0} -> {p1}");
        prop_assert!(u1 < u0, "uncertainty {u0} -> {u1}");
    }

    #[test]
    fn a_refuting_independent_origin_lowers_support(g in gen_story(), claim in 0usize..3) {
        let story = build(&g);
        let before = assess(&story);
        let claim = story.claims[claim % story.claims.len()].id.clone();
        let mut more = story.clone();
        let (outlet, art) = new_outlet_article(&mut more, "refute");
        more.sources.push(source("new-monitor", "monitor", None));
        more.reports.push(report(&art, &claim, &[&outlet, "new-monitor"], "said", Stance::Refutes, &[]));
        let (p0, _) = support(&before, &claim);
        let (p1, _) = support(&assess(&more), &claim);
        prop_assert!(p1 < p0, "support {p0} -> {p1}");
    }

    #[test]
    fn adding_a_caveat_never_raises_support(g in gen_story(), k in 0usize..14, cav in 0usize..5) {
        let story = build(&g);
        let kind = ["unverified", "hedge", "distancing", "conditional", "weasel"][cav];
        let eligible: Vec<usize> = (0..story.reports.len())
            .filter(|&i| story.reports[i].stance == Stance::Supports && !story.reports[i].caveats.iter().any(|c| c == kind))
            .collect();
        if eligible.is_empty() {
            return Ok(());
        }
        let k = eligible[k % eligible.len()];
        let before = assess(&story);
        let mut more = story.clone();
        more.reports[k].caveats.push(kind.into());
        let claim = more.reports[k].claim.clone();
        let (p0, _) = support(&before, &claim);
        let (p1, _) = support(&assess(&more), &claim);
        prop_assert!(p1 <= p0 + 1e-12, "support {p0} -> {p1}");
    }

    #[test]
    fn a_caveat_on_a_denial_never_lowers_support(g in gen_story(), k in 0usize..14) {
        let story = build(&g);
        let denials: Vec<usize> = (0..story.reports.len())
            .filter(|&i| story.reports[i].stance == Stance::Refutes && !story.reports[i].caveats.iter().any(|c| c == "unverified"))
            .collect();
        if denials.is_empty() {
            return Ok(());
        }
        let k = denials[k % denials.len()];
        let before = assess(&story);
        let mut more = story.clone();
        more.reports[k].caveats.push("unverified".into());
        let claim = more.reports[k].claim.clone();
        prop_assert!(support(&assess(&more), &claim).0 >= support(&before, &claim).0 - 1e-12);
    }

    #[test]
    fn a_self_serving_claim_scores_below_the_same_claim_from_a_neutral_monitor(
        cue in 0usize..7, cav in prop::collection::vec(0usize..4, 0..2), agency in any::<bool>(), grade in 0usize..5,
    ) {
        let grade = ["A", "B", "C", "D", "E"][grade];
        let caveats: Vec<&str> = cav.iter().map(|&c| CAVEATS[c]).collect();
        let score = |origin: Source| {
            let origin_id = origin.id.clone();
            let chain: Vec<&str> = if agency { vec!["paper", "agency", &origin_id] } else { vec!["paper", &origin_id] };
            let story = Story {
                story: StoryInfo { title: "t".into(), description: None },
                sides: two_sides(),
                sources: vec![source("paper", "outlet", None), source("agency", "wire-agency", None), origin.clone()],
                articles: vec![article("a", "paper")],
                claims: vec![Claim { id: "c".into(), text: "Rebels took the town".into(), favours: Some("rebels".into()), base_rate: None, key: None }],
                reports: vec![report("a", "c", &chain, CUES[cue], Stance::Supports, &caveats)],
                contradictions: vec![],
            };
            support(&assess(&story), "c").0
        };
        let graded = |mut s: Source| {
            s.grade = Some(grade.into());
            s
        };
        let party = score(graded(source("party", "armed-group", Some("rebels"))));
        let monitor = score(graded(source("party", "monitor", None)));
        let opponent = score(graded(source("party", "state-media", Some("government"))));
        prop_assert!(party < monitor, "self-serving {party} vs neutral {monitor}");
        // And a concession by the other side is stronger than the neutral monitor's statement.
        prop_assert!(opponent > monitor, "admission {opponent} vs neutral {monitor}");
    }
}

#[test]
fn a_claim_without_reports_is_refused_not_scored_at_its_base_rate() {
    // Scored, it would show its base rate (0.3) as if it were a reading: validation refuses it instead.
    let story = Story {
        story: StoryInfo { title: "t".into(), description: None },
        claims: vec![Claim { id: "c".into(), text: "x".into(), favours: None, base_rate: Some(0.3), key: None }],
        ..Story::default()
    };
    let e = credence::assess(&story, &Settings::defaults()).expect_err("a claim with no report is invalid");
    assert!(e.to_string().contains("claim \"c\" has no report"), "{e}");
}
