//! No input text makes the crate panic, and every span it returns is on char boundaries.

use credence_stance::{ClaimQuery, Lexicon};
use proptest::prelude::*;

/// Built once: compiling the lexicon per case would dominate the test's time.
fn lexicon() -> &'static Lexicon {
    static LEX: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    LEX.get_or_init(Lexicon::default)
}

fn check(lex: &Lexicon, claim: &str, text: &str) {
    let q = ClaimQuery::new(lex, claim);
    let a = q.assess_sentence(lex, text);
    assert!((0.0..=1.0).contains(&a.relevance));
    for s in a.matched.iter().chain(a.cues.iter().map(|c| &c.span)) {
        assert!(s.start <= s.end && text.get(s.start..s.end).is_some(), "{s:?} in {text:?}");
    }
    let art = q.assess_article(lex, Some(text), &[text, claim, ""]);
    assert!((0.0..=1.0).contains(&art.relevance));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_unicode(claim in "\\PC{0,60}", text in "\\PC{0,120}") {
        let lex = lexicon();
        check(lex, &claim, &text);
    }

    #[test]
    fn any_bytes(claim in proptest::collection::vec(any::<u8>(), 0..60), text in proptest::collection::vec(any::<u8>(), 0..160)) {
        let lex = lexicon();
        check(lex, &String::from_utf8_lossy(&claim), &String::from_utf8_lossy(&text));
    }

    #[test]
    fn stemmer_takes_any_ascii_word(word in "[a-z]{0,14}") {
        let s = credence_stance::stem::stem(&word);
        prop_assert!(s.len() <= word.len() + 1);
    }

    #[test]
    fn claim_words_mixed_with_noise(noise in "[\\PC’'?!.,:; -]{0,40}") {
        let lex = lexicon();
        let text = format!("Ünïcode Vale n’t{noise}didn’t die? İstanbul’s HOAX ’s DIDN’T Won’T {noise}");
        check(lex, "Dorian Vale İstanbul is dead", &text);
    }
}

#[test]
fn edge_cases() {
    let lex = lexicon();
    for (claim, text) in
        [("", ""), ("?", "?"), ("n't", "n't n't"), ("’s", "’s’s"), ("a", "\u{0}\u{FFFD}"), ("1,000.", "1,000.5,")]
    {
        check(lex, claim, text);
    }
}

#[test]
fn long_text_stays_fast() {
    // 40,000 words full of claim terms and cues: no quadratic step may hide in the matching.
    let lex = lexicon();
    let text = "Dorian Vale is not dead, a hoax? Reportedly Vale died. ".repeat(4_000);
    let q = ClaimQuery::new(lex, "Dorian Vale is dead");
    let started = std::time::Instant::now();
    let a = q.assess_sentence(lex, &text);
    assert!(a.matched.len() >= 8_000);
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}
