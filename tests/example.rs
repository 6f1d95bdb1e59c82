//! What the shipped example story (`examples/jisr-al-shughur/`) must show.

use credence::config::Settings;
use credence::graph::ClaimGraph;
use credence::model::{Story, validate};
use credence::score::{Assessment, ClaimScore, Interest, Scorer};

use crate::common::example;

fn assessment() -> Assessment {
    let settings = Settings::defaults();
    let file = Story::load(&example()).expect("example loads");
    let valid = validate(&file, &settings.vocabulary(), true).expect("example is valid, spans and quotes included");
    let graph = ClaimGraph::build(&valid);
    Scorer::new(&graph, &settings, credence::extract::Lexicons::builtin().attribution.cue_table()).assess()
}

fn claim<'a>(a: &'a Assessment, id: &str) -> &'a ClaimScore {
    a.claims.iter().find(|c| c.id == id).unwrap_or_else(|| panic!("claim {id} in the example"))
}

#[test]
fn the_example_is_big_enough_to_matter() {
    let file = Story::load(&example()).unwrap();
    assert!(file.story.claims.len() >= 15, "{} claims", file.story.claims.len());
    assert_eq!(file.story.articles.len(), 5);
    assert!(file.story.contradictions.len() >= 3);
}

#[test]
fn capture_ranks_above_a_single_origin_figure_above_a_self_serving_claim() {
    let a = assessment();
    let captured = claim(&a, "jisr-captured");
    let sixty = claim(&a, "soldiers-killed-60");
    let aircraft = claim(&a, "aircraft-destroyed-vehicles");
    assert!(
        captured.support > sixty.support && sixty.support > aircraft.support,
        "{} > {} > {}",
        captured.support,
        sixty.support,
        aircraft.support
    );
    assert!(captured.rank < sixty.rank && sixty.rank < aircraft.rank);

    // Several independent origins for the capture, and STANAG's "1" needs two or more.
    assert!(captured.independent_origins >= 4, "{}", captured.independent_origins);
    assert_eq!(captured.credibility, 1);

    // "At least 60" comes from SOHR alone, however many outlets carry it.
    assert_eq!(sixty.independent_origins, 1);
    let articles: std::collections::BTreeSet<&str> = sixty.reports.iter().map(|r| r.article.as_str()).collect();
    assert!(articles.len() >= 2, "carried by several articles: {articles:?}");
    assert!(sixty.reports.iter().all(|r| r.origin == "sohr"));
    assert_ne!(sixty.credibility, 1);

    // State media's aircraft claim is a party's claim in its own favour.
    assert!(aircraft.reports.iter().all(|r| r.interest == Interest::SelfServing));
    assert_eq!(aircraft.independent_origins, 1);
}

#[test]
fn chains_are_written_out_from_outlet_to_origin() {
    let a = assessment();
    let captured = claim(&a, "jisr-captured");
    assert!(
        captured.reports.iter().any(|r| r.chain_text
            == "Al Jazeera ← Agence France-Presse ← Syrian Observatory for Human Rights (Rami Abdel Rahman)"),
        "{:#?}",
        captured.reports.iter().map(|r| &r.chain_text).collect::<Vec<_>>()
    );
    let official = claim(&a, "army-redeployed");
    assert!(
        official
            .reports
            .iter()
            .any(|r| r.chain == ["independent", "syrian-government-media", "unnamed-military-official"])
    );
}

#[test]
fn wire_copy_is_one_origin_with_the_agency() {
    let a = assessment();
    // Al Jazeera republishes the AFP dispatch: its own-voice copy of AFP's text merges into AFP's cluster.
    let holds = claim(&a, "regime-holds-east-idlib");
    let afp = holds.origins.iter().find(|o| o.id == "afp").expect("AFP origin");
    assert!(afp.sources.contains(&"al-jazeera".to_string()), "{:?}", afp.sources);
    assert!(
        afp.merged_because.iter().any(|w| credence::report::words::merge_reason(w).contains("aj-jisr copies afp-jisr")),
        "{:?}",
        afp.merged_because
    );
}

#[test]
fn contradictions_are_visible_on_both_claims() {
    let a = assessment();
    let fighting = claim(&a, "army-still-fighting-jisr");
    assert!(fighting.contradicted_by.iter().any(|c| c.claim == "jisr-captured" && c.kind == "predicate"));
    assert!(fighting.refuting_origins >= 2);
    assert!(fighting.support < 0.5);
    let captured = claim(&a, "jisr-captured");
    assert!(captured.contradicted_by.iter().any(|c| c.claim == "army-still-fighting-jisr"));
    // The origins themselves disagree sharply even though discounting shrinks the visible conflict.
    assert!(captured.raw_conflict > captured.conflict);
    let thursday = claim(&a, "offensive-began-thursday");
    assert!(thursday.contradicted_by.iter().any(|c| c.claim == "battle-began-wednesday" && c.kind == "temporal"));
}

#[test]
fn caveats_and_admissions_are_read() {
    let a = assessment();
    let withdrew = claim(&a, "command-withdrew-latakia");
    assert!(withdrew.reports.iter().all(|r| r.caveats.iter().any(|c| c == "unverified")));
    let redeployed = claim(&a, "army-redeployed");
    assert!(redeployed.reports.iter().any(|r| r.interest == Interest::Admission));
    // Every number is traced: one explanation line per origin and per report.
    for c in &a.claims {
        assert!(c.explanation.len() > c.origins.len() + c.reports.len(), "{}", c.id);
    }
}
