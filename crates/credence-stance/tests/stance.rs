//! Behaviour tables on short sentences written for these tests.

use credence_stance::{ClaimQuery, Lexicon, Stance, TermKind};

fn check(claim: &str, table: &[(&str, Stance, &str)]) {
    let lex = Lexicon::default();
    let q = ClaimQuery::new(&lex, claim);
    let mut failures = Vec::new();
    for (text, stance, reason) in table {
        let a = q.assess_sentence(&lex, text);
        if a.stance != *stance || (!reason.is_empty() && a.reason != *reason) {
            failures.push(format!(
                "{text:?}: got {:?} ({}, relevance {:.2}, cues {:?}), want {stance:?} ({reason})",
                a.stance, a.reason, a.relevance, a.cues
            ));
        }
        for s in a.matched.iter().chain(a.cues.iter().map(|c| &c.span)) {
            assert!(text.get(s.start..s.end).is_some(), "span {s:?} off char boundaries in {text:?}");
        }
    }
    assert!(failures.is_empty(), "claim {claim:?}:\n{}", failures.join("\n"));
}

use Stance::{Observing, Refutes, Supports, Unrelated};

#[test]
fn death_claim() {
    check(
        "The actor Dorian Vale is dead",
        &[
            ("Dorian Vale died at home on Tuesday", Supports, "plain"),
            ("Actor Dorian Vale passed away after a short illness", Supports, ""),
            ("Vale found dead in his flat", Supports, ""),
            ("Dorian Vale is alive and well, says his agent", Refutes, "contrary"),
            ("Vale is not dead", Refutes, ""),
            ("Reports of Vale's death are a hoax", Refutes, "debunk"),
            ("Vale's family denies that he died", Refutes, "denial"),
            ("Dorian Vale reportedly died overnight", Observing, "hedge"),
            ("Dorian Vale dead?", Observing, "question"),
            // A teaser question before a plain statement of the claim does not make it a doubt.
            ("Sad news for film fans? Dorian Vale died on Sunday", Supports, "plain"),
            ("Rumours spread that Dorian Vale has died", Observing, "rumour"),
            // Calling the rumour groundless outweighs the rumour word.
            ("His agent said there is no validity to the rumour that Vale has died", Refutes, "debunk"),
            ("There is no basis for reports that Dorian Vale died", Refutes, "debunk"),
            ("His agent could not confirm that Vale died", Observing, "unverified"),
            ("The council approved a new parking plan", Unrelated, "unrelated"),
        ],
    );
}

#[test]
fn negated_claim() {
    check(
        "Portmere police will no longer arrest people for small amounts of cannabis",
        &[
            ("Officers in Portmere will no longer arrest people caught with small amounts of cannabis", Supports, ""),
            // A verb of stopping before a gerund negates it, as "no longer" does.
            ("Portmere police will stop arresting people for small amounts of cannabis", Supports, ""),
            ("Portmere police will still arrest people for small amounts of cannabis", Refutes, "negated_predicate"),
        ],
    );
}

#[test]
fn split_claim_paraphrases_and_entities() {
    check(
        "Hewlett-Packard will split into two companies",
        &[
            ("HP to break up into two businesses", Supports, ""),
            ("Hewlett-Packard plans spin-off of its printer unit", Supports, ""),
            ("Hewlett-Packard may split in two", Observing, "modal"),
            ("Hewlett-Packard says it has no plans to split", Refutes, ""),
            ("The weather in Lisbon stayed warm all week", Unrelated, ""),
        ],
    );
}

#[test]
fn arrest_claim_negation_scope() {
    check(
        "The street artist Kito Marr was arrested in Paris",
        &[
            ("Kito Marr detained by Paris police", Supports, ""),
            ("Police took Kito Marr into custody", Supports, ""),
            ("Kito Marr was not arrested, police say", Refutes, "negated_predicate"),
            ("Marr has NOT been arrested", Refutes, "negated_predicate"),
            // The negation governs another clause: the arrest itself is stated plainly.
            ("No charges yet, but Kito Marr was arrested in Paris", Supports, ""),
            ("Was Kito Marr arrested in Paris?", Observing, "question"),
            ("The story of Marr's arrest is fake", Refutes, "debunk"),
            // A refuting word under negation argues for the claim.
            ("Marr's arrest in Paris is not a hoax", Supports, ""),
        ],
    );
}

#[test]
fn observing_forms() {
    check(
        "The mayor of Dunmore resigned",
        &[
            ("Dunmore mayor allegedly resigned last night", Observing, "hedge"),
            ("Dunmore's mayor might resign, aides say", Observing, ""),
            ("According to sources, the Dunmore mayor stepped down", Observing, "attribution"),
            ("Officials have not confirmed that the Dunmore mayor resigned", Observing, ""),
            ("Unconfirmed: Dunmore mayor quits", Observing, "unverified"),
            ("Dunmore mayor steps down", Supports, "plain"),
        ],
    );
}

#[test]
fn negated_claim_is_supported_by_negation() {
    check(
        "The minister did not attend the summit",
        &[("The minister did not attend the summit in Oslo", Supports, ""), ("Minister skips summit", Supports, "")],
    );
}

#[test]
fn claim_query_terms() {
    let lex = Lexicon::default();
    let q = ClaimQuery::new(&lex, "Singer Dorian Vale sold 3 million albums in May");
    let entity = q.terms.iter().find(|t| t.kind == TermKind::Entity && t.text.contains("Dorian")).unwrap();
    assert!(entity.aliases.iter().any(|a| a == "Vale"), "{entity:?}");
    assert!(q.terms.iter().any(|t| t.kind == TermKind::Number && t.text == "3"));
    assert!(q.terms.iter().any(|t| t.kind == TermKind::Predicate && t.text == "sell"));
    let total: f64 = q.terms.iter().map(|t| t.weight).sum();
    assert!((total - 1.0).abs() < 1e-9);
    let acronym = ClaimQuery::new(&lex, "The New York Police Department bought drones");
    assert!(acronym.terms.iter().any(|t| t.aliases.iter().any(|a| a == "NYPD")), "{:?}", acronym.terms);
    let a = acronym.assess_sentence(&lex, "NYPD buys two drones");
    assert!(a.relevance > 0.5, "{a:?}");
}

#[test]
fn sentence_openers_and_dates_are_no_entities() {
    let lex = Lexicon::default();
    // "Woman" is capitalised only because it opens the claim; "Monday" and "March" are dates.
    let q = ClaimQuery::new(&lex, "Woman dies after surgery on Monday in March");
    let entities: Vec<&str> = q.terms.iter().filter(|t| t.kind == TermKind::Entity).map(|t| t.text.as_str()).collect();
    assert!(entities.is_empty(), "{entities:?}");
    // An acronym or a capitalised run opening the claim is still a name.
    let q = ClaimQuery::new(&lex, "NASA found water on Monday");
    assert!(q.terms.iter().any(|t| t.kind == TermKind::Entity && t.text == "NASA"), "{:?}", q.terms);
    let q = ClaimQuery::new(&lex, "Dorian Vale died on Friday");
    assert!(q.terms.iter().any(|t| t.kind == TermKind::Entity && t.text == "Dorian Vale"), "{:?}", q.terms);
}

#[test]
fn matched_spans_are_the_claim_terms() {
    let lex = Lexicon::default();
    let q = ClaimQuery::new(&lex, "Dorian Vale is dead");
    let text = "Tributes as Dorian Vale dies";
    let a = q.assess_sentence(&lex, text);
    let words: Vec<&str> = a.matched.iter().map(|s| s.text(text)).collect();
    assert_eq!(words, ["Dorian Vale", "dies"]);
}

#[test]
fn articles_combine_headline_and_body() {
    let lex = Lexicon::default();
    let q = ClaimQuery::new(&lex, "The actor Dorian Vale is dead");
    // A headline alone.
    let a = q.assess_article(&lex, Some("Dorian Vale dies at 80"), &[]);
    assert_eq!(a.stance, Supports);
    assert_eq!(a.evidence.len(), 1);
    assert_eq!(a.evidence[0].sentence, None);
    // A body that reports a rumour and then debunks it: the refutation carries the article.
    let body = [
        "A post claiming Dorian Vale had died spread quickly on Sunday.",
        "The post turned out to be a hoax.",
        "Vale is alive and well and filming in Rome, his agent said.",
    ];
    let a = q.assess_article(&lex, None, &body);
    assert_eq!(a.stance, Refutes, "{a:?}");
    assert!(a.evidence.iter().any(|e| e.sentence == Some(2)));
    // In body prose a hedge governs its own clause; a headline's hedge governs all of it.
    let q2 = ClaimQuery::new(&lex, "The street artist Kito Marr was arrested in Paris");
    let body = ["Police arrested Kito Marr in Paris on Friday, and the hearing may take weeks."];
    assert_eq!(q2.assess_article(&lex, None, &body).stance, Supports);
    assert_eq!(q2.assess_sentence(&lex, body[0]).stance, Observing);
    // Nothing about the claim.
    let a = q.assess_article(&lex, Some("Local bakery wins prize"), &["Its rye bread was praised."]);
    assert_eq!(a.stance, Unrelated);
    assert!(a.evidence.is_empty());
}

#[test]
fn serialises_as_plain_data() {
    let lex = Lexicon::default();
    let q = ClaimQuery::new(&lex, "Dorian Vale is dead");
    let a = q.assess_article(&lex, Some("Dorian Vale death hoax"), &[]);
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["stance"], "refutes");
    assert_eq!(json["evidence"][0]["assessment"]["reason"], "debunk");
    assert!(json["evidence"][0]["assessment"]["cues"][0]["span"]["start"].is_u64());
    assert!(serde_json::to_string(&q).unwrap().contains("\"kind\":\"entity\""));
}

#[test]
fn deterministic() {
    let lex = Lexicon::default();
    let q = ClaimQuery::new(&lex, "Apple will buy a car maker");
    let t = "Apple reportedly in talks to buy a car maker, sources say";
    assert_eq!(q.assess_sentence(&lex, t), q.assess_sentence(&lex, t));
}

/// The relevance-only path (which stops at each term's first match and may reuse predicate phrases found once
/// for the sentence) gives the relevance the full assessment reports, and a sentence prepared for one lexicon
/// is read afresh by another.
#[test]
fn relevance_only_equals_the_full_assessment() {
    use credence_stance::{BUILTIN_LEXICON, Tokenized};
    let lex = Lexicon::default();
    let claims = [
        "The actor Dorian Vale is dead",
        "Vale Motors will split into two companies",
        "Three people were arrested in Harrowgate after the 2 March protest",
        "Mayor Ines Okafor resigned",
    ];
    let sentences = [
        "Dorian Vale died at home on Tuesday, and Vale's agent said Dorian Vale had been ill.",
        "Vale Motors said it would split into two companies; Vale Motors shares rose.",
        "Police said three people, two of them students, were arrested in Harrowgate on 2 March.",
        "Okafor has not resigned, a spokesman for Mayor Ines Okafor said.",
        "Nothing here matches anything.",
        "",
    ];
    for claim in claims {
        let q = ClaimQuery::new(&lex, claim);
        for s in sentences {
            let full = q.assess_sentence(&lex, s).relevance;
            let plain = q.relevance_tokenized(&lex, &Tokenized::new(s));
            let prepared = q.relevance_tokenized(&lex, &Tokenized::for_lexicon(s, &lex));
            assert!(
                (full - plain).abs() < 1e-12 && (full - prepared).abs() < 1e-12,
                "{claim:?} / {s:?}: {full} {plain} {prepared}"
            );
            let from_tokens = ClaimQuery::from_tokenized(&lex, claim, &Tokenized::for_lexicon(claim, &lex));
            assert_eq!(from_tokens.terms, q.terms, "{claim:?}");
        }
    }

    // Without "succumbed" as a death phrase, a sentence prepared for the built-in lexicon no longer matches the
    // predicate when read with the edited one.
    let edited = Lexicon::from_toml("edited.toml", &BUILTIN_LEXICON.replacen("\"succumbed\", ", "", 1)).unwrap();
    let s = "Dorian Vale succumbed on Tuesday";
    let prepared = Tokenized::for_lexicon(s, &lex);
    let q_builtin = ClaimQuery::new(&lex, "Dorian Vale died");
    let q_edited = ClaimQuery::new(&edited, "Dorian Vale died");
    let builtin = q_builtin.relevance_tokenized(&lex, &prepared);
    let with_edited = q_edited.relevance_tokenized(&edited, &prepared);
    assert!((with_edited - q_edited.assess_sentence(&edited, s).relevance).abs() < 1e-12);
    assert!(with_edited < builtin, "edited {with_edited} vs built-in {builtin}");
}

/// Whom the predicate is about, as `same_participants` compares it: (wording, name or noun it is about).
#[test]
fn participants_by_word_order() {
    use credence_stance::Participant;
    let lex = Lexicon::default();
    let table: &[(&str, Option<&str>)] = &[
        ("Dorian Vale was killed in a raid near Portmere", Some("Dorian Vale")),
        ("Dorian Vale has reportedly been killed by an air strike", Some("Dorian Vale")),
        ("An air strike on Monday killed Hugo Brant, a close aide to Dorian Vale", Some("Hugo Brant")),
        ("A close aide to Dorian Vale was killed on Monday", Some("aid")), // a noun by its stem
        ("Dorian Vale's bodyguard was killed on Monday", Some("bodyguard")),
        ("The strike killed at least two members of the militia", Some("member")),
        ("Reports of the death of militia leader Dorian Vale spread on Monday", Some("Dorian Vale")),
        ("Fans mourned Dorian Vale's death", Some("Dorian Vale")),
        ("Lena Varga, the singer, died on Sunday", Some("Lena Varga")),
        ("The right-hand man of Dorian Vale was killed on Monday", Some("man")),
        ("An aide to al-Hassan was also killed", Some("aid")),
        ("There were reports of Dorian Vale being killed", Some("Dorian Vale")),
        ("Rumours of the death of the singer Lena Varga spread across Budapest", Some("Lena Varga")),
        ("The reported killing of militia leader Dorian Vale", Some("Dorian Vale")),
        ("He was killed on Monday", None),
    ];
    for (text, want) in table {
        let q = ClaimQuery::new(&lex, text);
        let got = q.participants.first().map(|(_, p)| match p {
            Participant::Entity(i) => q.terms[*i].text.clone(),
            Participant::Other(stem) => stem.clone(),
        });
        assert_eq!(got.as_deref(), *want, "{text}: {:?}", q.participants);
    }
}

#[test]
fn same_participants_tells_an_aide_from_the_leader() {
    let lex = Lexicon::default();
    let q = |t: &str| ClaimQuery::new(&lex, t);
    let leader = q("Militia leader Dorian Vale was killed by an air strike");
    assert_eq!(leader.same_participants(&q("An air strike killed Dorian Vale on Monday")), Some(true));
    assert_eq!(leader.same_participants(&q("Officials said Vale has been killed")), Some(true));
    assert_eq!(leader.same_participants(&q("An air strike killed Hugo Brant, an aide to Dorian Vale")), Some(false));
    assert_eq!(leader.same_participants(&q("A close aide to Dorian Vale was killed")), Some(false));
    // Nothing to compare: no participant shown, or no predicate shared.
    assert_eq!(leader.same_participants(&q("He was killed on Monday")), None);
    assert_eq!(leader.same_participants(&q("Dorian Vale resigned on Monday")), None);
}
