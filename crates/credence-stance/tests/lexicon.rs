//! Lexicon loading: the built-in file, and located errors in a user's file.

use credence_stance::{BUILTIN_LEXICON, Lexicon};

fn err(text: &str) -> credence_stance::LexiconError {
    Lexicon::from_toml("my-stance.toml", text).expect_err("the lexicon should be rejected")
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle in text") + 1
}

#[test]
fn builtin_loads_and_names_its_features() {
    let lex = Lexicon::from_toml("stance.toml", BUILTIN_LEXICON).unwrap();
    let names: Vec<&str> = lex.features().iter().map(|f| f.name(&lex)).collect();
    assert!(names.contains(&"debunk") && names.contains(&"question"), "{names:?}");
    assert!(lex.predicates().iter().any(|p| p.name == "death"));
}

#[test]
fn syntax_error_has_file_and_line() {
    let text = BUILTIN_LEXICON.replacen("[relevance]", "[relevance\n", 1);
    let e = err(&text);
    assert_eq!(e.file, "my-stance.toml");
    assert_eq!(e.line, Some(line_of(&text, "[relevance")));
    assert!(e.to_string().starts_with("my-stance.toml:"), "{e}");
}

#[test]
fn bad_stance_names_key_and_line() {
    let text = BUILTIN_LEXICON.replacen("stance = \"observing\"", "stance = \"watching\"", 1);
    let e = err(&text);
    assert_eq!(e.line, Some(line_of(&text, "\"watching\"")), "{e}");
    let key = e.key.clone().unwrap();
    assert!(key.starts_with("cue[") && key.ends_with("].stance"), "{e}");
    assert!(e.message.contains("watching"), "{e}");
}

#[test]
fn wrong_type_and_unknown_key_are_located() {
    let text = BUILTIN_LEXICON.replacen("entity = 3.0", "entity = \"three\"", 1);
    let e = err(&text);
    assert_eq!(e.line, Some(line_of(&text, "entity = \"three\"")), "{e}");
    assert_eq!(e.key.as_deref(), Some("relevance.entity"), "{e}");

    let text = BUILTIN_LEXICON.replacen("max_words = 6", "max_words = 6\nmax_wrods = 7", 1);
    let e = err(&text);
    assert_eq!(e.line, Some(line_of(&text, "max_wrods")), "{e}");
    assert!(e.message.contains("max_wrods"), "{e}");
}

#[test]
fn model_must_match_its_features() {
    let text = BUILTIN_LEXICON.replacen("\"question\",", "\"questionable\",", 1);
    let e = err(&text);
    assert_eq!(e.line, Some(line_of(&text, "\"questionable\"")), "{e}");
    assert!(e.key.unwrap().starts_with("model.features["));

    let start = BUILTIN_LEXICON.find("[model.refutes]").unwrap();
    let at = start + BUILTIN_LEXICON[start..].find("weights = [").unwrap() + "weights = [".len();
    let text = format!("{}9.0, {}", &BUILTIN_LEXICON[..at], &BUILTIN_LEXICON[at..]);
    let e = err(&text);
    assert_eq!(e.key.as_deref(), Some("model.refutes.weights"), "{e}");
    assert!(e.message.contains("weights for"), "{e}");
    assert_eq!(e.line, Some(line_of(&text, "weights = [9.0, ")), "{e}");
}

#[test]
fn bad_phrase_and_range_are_located() {
    let text = BUILTIN_LEXICON.replacen("\"hoax\",", "\"* hoax\",", 1);
    let e = err(&text);
    assert_eq!(e.line, Some(line_of(&text, "\"* hoax\"")), "{e}");
    let text = BUILTIN_LEXICON.replacen("unrelated_below = 0.12", "unrelated_below = 1.5", 1);
    let e = err(&text);
    assert_eq!(e.key.as_deref(), Some("relevance.unrelated_below"));
    assert_eq!(e.line, Some(line_of(&text, "unrelated_below = 1.5")));
}

#[test]
fn missing_file_is_an_error_not_a_panic() {
    let e = Lexicon::from_path(std::path::Path::new("/nonexistent/stance.toml")).unwrap_err();
    assert!(e.message.contains("cannot read"));
}
