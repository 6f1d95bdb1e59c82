//! Tokens with byte spans: the one view of a sentence, a claim or a lexicon phrase that matching works on.
//!
//! A token is a run of letters and digits (Unicode-aware), or one punctuation mark that matters to stance
//! (clause breaks and the question mark). Quotes, dashes inside words and symbols are dropped, which makes
//! "20-year-old" three tokens and "al-Baghdadi" two. Contractions are split so that negation is one token:
//! "didn't" gives "did" and "n't"; a possessive "'s" is dropped. Spans always start and end on char
//! boundaries because they come from `char_indices`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::stem::stem;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters (possibly with digits after the first letter).
    Word,
    /// Starts with a digit: "4,999", "19m", "2015".
    Number,
    /// One of `, ; : . ! ?` or a dash between spaces.
    Punct,
}

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first char.
    pub start: usize,
    /// Byte offset after the last char.
    pub end: usize,
    /// Lower-cased text; typographic apostrophes made plain; thousands separators removed from numbers.
    /// Shared: the same word in every sentence on a thread is one allocation ([`intern`]).
    pub lower: Arc<str>,
    /// Porter stem of `lower` (equal to it for numbers and punctuation).
    pub stem: Arc<str>,
    /// Whether the first char is upper-case.
    pub cap: bool,
    /// Whether every letter is upper-case (and there are at least two).
    pub all_caps: bool,
    /// Kind of token.
    pub kind: TokKind,
}

impl Token {
    /// Whether this is a word or number (not punctuation).
    #[must_use]
    pub fn is_word(&self) -> bool {
        self.kind != TokKind::Punct
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Splits `text` into tokens.
#[must_use]
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_alphanumeric() {
            // A run of alphanumerics, allowing an apostrophe or a digit separator between two of them.
            let mut j = i + 1;
            while j < chars.len() {
                let cj = chars[j].1;
                if cj.is_alphanumeric() {
                    j += 1;
                } else if (is_apostrophe(cj) || (c.is_ascii_digit() && (cj == ',' || cj == '.')))
                    && j + 1 < chars.len()
                    && chars[j + 1].1.is_alphanumeric()
                    && (!(cj == ',' || cj == '.') || chars[j + 1].1.is_ascii_digit())
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(text.len(), |&(e, _)| e);
            push_word(&mut out, text, at, end);
            i = j;
        } else {
            if matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | '\u{2014}' | '\u{2013}') {
                let end = at + c.len_utf8();
                let mut buf = [0u8; 4];
                let mark: &str = if c == '\u{2013}' { "\u{2014}" } else { c.encode_utf8(&mut buf) };
                let (lower, stem) = intern(mark, TokKind::Punct);
                out.push(Token { start: at, end, stem, lower, cap: false, all_caps: false, kind: TokKind::Punct });
            }
            i += 1;
        }
    }
    out
}

fn push_word(out: &mut Vec<Token>, text: &str, start: usize, end: usize) {
    let raw = &text[start..end];
    // Most words are plain ASCII, and most of those lower-case already: no allocation at all.
    let lower: Cow<'_, str> = if raw.is_ascii() {
        if raw.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(raw.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw)
        }
    } else {
        Cow::Owned(raw.to_lowercase().replace('\u{2019}', "'"))
    };
    // Contractions: "didn't" -> "did" + "n't"; "can't" -> "ca" + "n't" (the stem side does not matter).
    if lower.ends_with("n't") && lower.len() > 3 && raw.len() >= 3 {
        // The byte length of "n't" in the raw text: its last three chars, whatever their case and apostrophe.
        let tail: usize = raw.chars().rev().take(3).map(char::len_utf8).sum();
        let split = end - tail;
        if text.is_char_boundary(split) && split > start {
            push_word(out, text, start, split);
            out.push(make(text, split, end, Cow::Borrowed("n't")));
            return;
        }
    }
    for suffix in ["'s", "\u{2019}s", "'S", "\u{2019}S"] {
        if raw.ends_with(suffix) && raw.len() > suffix.len() {
            let cut = end - suffix.len();
            if text.is_char_boundary(cut) {
                let lower = text[start..cut].to_lowercase().replace('\u{2019}', "'");
                out.push(make(text, start, cut, Cow::Owned(lower)));
                return;
            }
        }
    }
    out.push(make(text, start, end, lower));
}

fn make(text: &str, start: usize, end: usize, lower: Cow<'_, str>) -> Token {
    let raw = &text[start..end];
    let first = raw.chars().next().unwrap_or(' ');
    let kind = if first.is_numeric() { TokKind::Number } else { TokKind::Word };
    let lower = if kind == TokKind::Number && lower.contains(',') { Cow::Owned(lower.replace(',', "")) } else { lower };
    let letters = raw.chars().filter(|c| c.is_alphabetic()).count();
    let all_caps = letters >= 2 && raw.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    let (lower, stem) = intern(&lower, kind);
    Token { start, end, lower, stem, cap: first.is_uppercase(), all_caps, kind }
}

/// Forms a thread has already seen: words with their stems, and numbers and marks (their own stems).
#[derive(Default)]
struct Interned {
    words: FxHashMap<Arc<str>, Arc<str>>,
    others: FxHashSet<Arc<str>>,
}

thread_local! {
    static INTERNED: RefCell<Interned> = RefCell::new(Interned::default());
}

/// Above this many distinct forms a thread's table starts afresh, so that a long run over many stories keeps a
/// bounded table (the result never depends on it: the table only remembers what [`stem`] gives).
const MAX_INTERNED: usize = 1 << 18;

/// Forms longer than this (in bytes) are made afresh each time, so the table holds at most
/// `MAX_INTERNED × MAX_INTERNED_LEN` bytes of forms (16 MiB) whatever the text.
const MAX_INTERNED_LEN: usize = 64;

/// The shared form and stem of a lower-case token of `kind`: tokenising is most of what comparing a wording with
/// many claims costs, and the same few thousand words recur in every sentence of a story, so each thread
/// stems a form once and hands out shared copies of it.
fn intern(lower: &str, kind: TokKind) -> (Arc<str>, Arc<str>) {
    // A long form is rare and would make the table's size depend on hostile input: it is not kept.
    if lower.len() > MAX_INTERNED_LEN {
        let form: Arc<str> = Arc::from(lower);
        let stemmed = if kind == TokKind::Word { Arc::from(stem(lower)) } else { form.clone() };
        return (form, stemmed);
    }
    INTERNED.with(|cell| {
        let mut t = cell.borrow_mut();
        if kind == TokKind::Word {
            if let Some((form, stemmed)) = t.words.get_key_value(lower) {
                return (form.clone(), stemmed.clone());
            }
            if t.words.len() >= MAX_INTERNED {
                t.words.clear();
            }
            let form: Arc<str> = Arc::from(lower);
            let s = stem(lower);
            let stemmed: Arc<str> = if s == lower { form.clone() } else { Arc::from(s) };
            t.words.insert(form.clone(), stemmed.clone());
            (form, stemmed)
        } else {
            if let Some(form) = t.others.get(lower) {
                return (form.clone(), form.clone());
            }
            if t.others.len() >= MAX_INTERNED {
                t.others.clear();
            }
            let form: Arc<str> = Arc::from(lower);
            t.others.insert(form.clone());
            (form.clone(), form)
        }
    })
}

/// Number words up to twenty and the round ones, as digits, so "two companies" meets "2 companies".
#[must_use]
pub fn number_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "one" => "1",
        "two" => "2",
        "three" => "3",
        "four" => "4",
        "five" => "5",
        "six" => "6",
        "seven" => "7",
        "eight" => "8",
        "nine" => "9",
        "ten" => "10",
        "eleven" => "11",
        "twelve" => "12",
        "twenty" => "20",
        "hundred" => "100",
        "thousand" => "1000",
        "million" => "1000000",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowers(t: &str) -> Vec<String> {
        tokenize(t).into_iter().map(|t| t.lower.to_string()).collect()
    }

    #[test]
    fn splits_words_numbers_and_contractions() {
        assert_eq!(
            lowers("He didn\u{2019}t die, a 20-year-old said?"),
            ["he", "did", "n't", "die", ",", "a", "20", "year", "old", "said", "?"]
        );
        assert_eq!(lowers("Apple's 4,999 watch"), ["apple", "4999", "watch"]);
        assert_eq!(lowers("DIDN\u{2019}T Won\u{2019}T"), ["did", "n't", "wo", "n't"]);
        assert_eq!(lowers("\"Fake\" - \u{2014} ok."), ["fake", "\u{2014}", "ok", "."]);
        let t = tokenize("Ünïcödé straße");
        assert_eq!(t[0].start, 0);
        assert!(t[0].cap);
        assert_eq!(&"Ünïcödé straße"[t[1].start..t[1].end], "straße");
    }

    #[test]
    fn shared_and_long_forms_stem_alike() {
        let long = "connections".repeat(10);
        for text in ["Connections connections CONNECTIONS", long.as_str(), "4,999 4999 , ,"] {
            for t in tokenize(text) {
                let want = if t.kind == TokKind::Word { stem(&t.lower) } else { t.lower.to_string() };
                assert_eq!(&*t.stem, want, "{text:?}");
            }
        }
        let twice = tokenize("connections connections");
        assert!(Arc::ptr_eq(&twice[0].stem, &twice[1].stem), "a repeated form is shared");
    }
}
