//! The boilerplate lexicon (`config/lexicons/boilerplate.toml`) and the line tests built on it.
//!
//! Matching works on words, not on raw text: a line is split into lower-cased word tokens (curly apostrophes
//! folded to straight ones), each remembering whether it stands inside double quotation marks and whether only
//! spaces, hyphens or slashes separate it from the previous word. Phrases are indexed by their first word, so a
//! line costs one hash look-up per word whatever the size of the lexicon.

use crate::hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use std::borrow::Cow;

use serde::Deserialize;

use credence_model::error::{Diagnostic, Diagnostics, Error};
use credence_model::locate::line_col;
use credence_model::text::Slice;

/// The built-in lexicon, compiled into the binary.
pub const BUILTIN_LEXICON: &str = include_str!("../../../../config/lexicons/boilerplate.toml");

/// The name under which the built-in lexicon is reported.
pub const BUILTIN_LEXICON_NAME: &str = "config/lexicons/boilerplate.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    reader: RawReader,
    rule: Vec<RawRule>,
    credits: RawCredits,
    caption: RawCaption,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReader {
    you: Vec<String>,
    outlet: Vec<String>,
    site: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    reason: String,
    #[serde(default)]
    max_words: Option<usize>,
    #[serde(default)]
    spreads: bool,
    #[serde(default)]
    lines: Vec<String>,
    #[serde(default)]
    starts: Vec<String>,
    #[serde(default)]
    strong: Vec<String>,
    #[serde(default)]
    weak: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCredits {
    agencies: Vec<String>,
    signoff: Vec<String>,
    signoff_contains: Vec<String>,
    source: Vec<String>,
    published: Vec<String>,
    name_words: Vec<String>,
    max_words: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCaption {
    starts: Vec<String>,
    credit_words: Vec<String>,
    max_words: usize,
}

/// One word of a phrase: a literal word or `#`, any number.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PTok {
    Word(String),
    Number,
}

type Phrase = Vec<PTok>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Starts,
    Strong,
    Weak,
}

#[derive(Debug, Clone)]
struct Entry {
    rule: usize,
    kind: Kind,
    phrase: Phrase,
}

/// One drop rule of the lexicon.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    /// The rule name recorded in [`super::Dropped::reason`].
    pub reason: String,
    /// Longest line, in words, that `starts`, `strong` and `weak` phrases can drop.
    pub max_words: usize,
    /// Whether neighbouring paragraphs in the outlet's own voice join a paragraph this rule dropped.
    pub spreads: bool,
}

/// Credit-line vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct Credits {
    /// Agency names: joined lower-case words → whether the written form must be in capitals (short acronyms).
    agencies: HashMap<String, bool>,
    longest_agency: usize,
    pub signoff: Vec<String>,
    pub signoff_contains: Vec<String>,
    pub source: Vec<String>,
    pub published: Vec<String>,
    pub name_words: HashSet<String>,
    pub max_words: usize,
}

/// Photo-caption vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct Caption {
    pub starts: Vec<String>,
    credit_words: Vec<Phrase>,
    pub max_words: usize,
}

/// The phrases the ingest stage uses to recognise boilerplate, credit lines and captions.
///
/// Built from `config/lexicons/boilerplate.toml` ([`BoilerplateLexicon::builtin`]) or from a file of the same
/// shape ([`BoilerplateLexicon::from_toml`]). The file's header comment explains how phrases match.
#[derive(Debug, Clone)]
pub struct BoilerplateLexicon {
    name: String,
    you: HashSet<String>,
    outlet: HashSet<String>,
    site: Vec<Phrase>,
    pub(crate) rules: Vec<Rule>,
    /// Whole-line phrases: the line's words joined by spaces (numbers as `#` when the phrase has `#`) → rule.
    lines: HashMap<String, usize>,
    /// The most words a `lines` phrase has.
    longest_line: usize,
    /// `starts`, `strong` and `weak` phrases by their first word (`#` for phrases starting with a number).
    index: HashMap<String, Vec<Entry>>,
    pub(crate) credits: Credits,
    pub(crate) caption: Caption,
}

impl BoilerplateLexicon {
    /// The lexicon compiled into the binary.
    #[must_use]
    pub fn builtin() -> BoilerplateLexicon {
        // The embedded file is checked by the test suite, so failing here is a build defect, not user error.
        BoilerplateLexicon::from_toml(BUILTIN_LEXICON_NAME, BUILTIN_LEXICON)
            .expect("the built-in boilerplate lexicon is valid")
    }

    /// Parses a lexicon file; `name` is used in error messages. Problems are [`Error::Config`] diagnostics.
    pub fn from_toml(name: &str, text: &str) -> Result<BoilerplateLexicon, Error> {
        let raw: RawLexicon = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unzip();
            Error::Config(Diagnostics(vec![Diagnostic {
                file: name.to_string(),
                line,
                column,
                path: None,
                message: format!("not a valid boilerplate lexicon: {}", e.message().trim_end()),
                help: Some(format!("compare the file with the built-in {BUILTIN_LEXICON_NAME}")),
            }]))
        })?;
        let mut errors = Vec::new();
        let mut problem = |path: String, message: String| {
            errors.push(Diagnostic {
                file: name.to_string(),
                line: None,
                column: None,
                path: Some(path),
                message,
                help: Some("write a phrase with at least one word; `#` stands for a number".into()),
            });
        };
        let mut phrase = |path: String, s: &str| -> Phrase {
            let p = parse_phrase(s);
            if p.is_empty() {
                problem(path, format!("\"{s}\" has no words"));
            }
            p
        };
        let words = |list: &[String], path: &str, phrase: &mut dyn FnMut(String, &str) -> Phrase| -> HashSet<String> {
            let mut set = HashSet::default();
            for (i, w) in list.iter().enumerate() {
                let p = phrase(format!("{path}[{i}]"), w);
                set.insert(join(&p));
            }
            set
        };
        let you = words(&raw.reader.you, "reader.you", &mut phrase);
        let outlet = words(&raw.reader.outlet, "reader.outlet", &mut phrase);
        let site: Vec<Phrase> =
            raw.reader.site.iter().enumerate().map(|(i, s)| phrase(format!("reader.site[{i}]"), s)).collect();

        let mut rules = Vec::new();
        let mut lines = HashMap::default();
        let mut longest_line = 0;
        let mut index: HashMap<String, Vec<Entry>> = HashMap::default();
        for (r, raw_rule) in raw.rule.iter().enumerate() {
            if raw_rule.reason.trim().is_empty() {
                phrase(format!("rule[{r}].reason"), "");
            }
            rules.push(Rule {
                reason: raw_rule.reason.trim().to_string(),
                max_words: raw_rule.max_words.unwrap_or(usize::MAX),
                spreads: raw_rule.spreads,
            });
            for (i, l) in raw_rule.lines.iter().enumerate() {
                let p = phrase(format!("rule[{r}].lines[{i}]"), l);
                longest_line = longest_line.max(p.len());
                lines.entry(join(&p)).or_insert(r);
            }
            for (kind, list, key) in [
                (Kind::Starts, &raw_rule.starts, "starts"),
                (Kind::Strong, &raw_rule.strong, "strong"),
                (Kind::Weak, &raw_rule.weak, "weak"),
            ] {
                for (i, s) in list.iter().enumerate() {
                    let p = phrase(format!("rule[{r}].{key}[{i}]"), s);
                    if let Some(first) = p.first() {
                        let k = match first {
                            PTok::Word(w) => w.clone(),
                            PTok::Number => "#".to_string(),
                        };
                        index.entry(k).or_default().push(Entry { rule: r, kind, phrase: p });
                    }
                }
            }
        }

        let mut agencies = HashMap::default();
        let mut longest_agency = 1;
        for (i, a) in raw.credits.agencies.iter().enumerate() {
            let p = phrase(format!("credits.agencies[{i}]"), a);
            longest_agency = longest_agency.max(p.len());
            let letters: Vec<char> = a.chars().filter(|c| c.is_alphabetic()).collect();
            let caps = letters.len() <= 4 && letters.iter().all(|c| c.is_uppercase());
            agencies.insert(join(&p), caps);
        }
        let prefixes = |list: &[String], path: &str, phrase: &mut dyn FnMut(String, &str) -> Phrase| {
            let mut out: Vec<String> = list
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    phrase(format!("{path}[{i}]"), s);
                    fold(s.trim())
                })
                .collect();
            // Longest first, so "additional reporting by" wins over "additional reporting".
            out.sort_by_key(|s| std::cmp::Reverse(s.len()));
            out
        };
        let signoff = prefixes(&raw.credits.signoff, "credits.signoff", &mut phrase);
        let signoff_contains = prefixes(&raw.credits.signoff_contains, "credits.signoff_contains", &mut phrase);
        let source = prefixes(&raw.credits.source, "credits.source", &mut phrase);
        let published = prefixes(&raw.credits.published, "credits.published", &mut phrase);
        let name_words = words(&raw.credits.name_words, "credits.name_words", &mut phrase);
        let caption_starts = prefixes(&raw.caption.starts, "caption.starts", &mut phrase);
        let credit_words: Vec<Phrase> = raw
            .caption
            .credit_words
            .iter()
            .enumerate()
            .map(|(i, s)| phrase(format!("caption.credit_words[{i}]"), s))
            .collect();
        if !errors.is_empty() {
            return Err(Error::Config(Diagnostics(errors)));
        }
        Ok(BoilerplateLexicon {
            name: name.to_string(),
            you,
            outlet,
            site,
            rules,
            lines,
            longest_line,
            index,
            credits: Credits {
                agencies,
                longest_agency,
                signoff,
                signoff_contains,
                source,
                published,
                name_words,
                max_words: raw.credits.max_words,
            },
            caption: Caption { starts: caption_starts, credit_words, max_words: raw.caption.max_words },
        })
    }

    /// The name the lexicon was loaded under.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The rule names, in the order the rules are tried.
    pub fn reasons(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.reason.as_str())
    }

    /// The first rule (in file order) that drops `line` on its own, without looking at its neighbours.
    #[cfg(test)]
    pub(crate) fn classify(&self, line: &str) -> Option<usize> {
        self.classify_counting(line).0
    }

    /// [`Self::classify`], and the number of words of `line` (which later tests need, so the line is not
    /// tokenized again).
    pub(crate) fn classify_counting(&self, line: &str) -> (Option<usize>, usize) {
        let toks = tokenize(line);
        (self.classify_tokens(&toks), toks.len())
    }

    pub(crate) fn classify_tokens(&self, toks: &[Tok]) -> Option<usize> {
        if toks.is_empty() {
            return None;
        }
        let mut best: Option<usize> = self.whole_line(toks);
        // Whether the line addresses the reader matters only for weak phrases: worked out on the first one.
        let mut addresses = None;
        for (i, t) in toks.iter().enumerate() {
            for entry in self.candidates(t) {
                if best.is_some_and(|b| b <= entry.rule) || toks.len() > self.rules[entry.rule].max_words {
                    continue;
                }
                let hit = match entry.kind {
                    Kind::Starts => i == 0 && matches_at(&entry.phrase, toks, 0, false),
                    Kind::Strong => matches_at(&entry.phrase, toks, i, false),
                    Kind::Weak => {
                        *addresses.get_or_insert_with(|| self.addresses_reader(toks))
                            && matches_at(&entry.phrase, toks, i, false)
                    }
                };
                if hit {
                    best = Some(entry.rule);
                }
            }
        }
        best
    }

    /// Whether `line` holds one of rule `rule`'s weak phrases (outside quotation marks) and is short enough.
    pub(crate) fn has_weak(&self, rule: usize, line: &str) -> bool {
        let toks = tokenize(line);
        if toks.len() > self.rules[rule].max_words {
            return false;
        }
        toks.iter().enumerate().any(|(i, t)| {
            self.candidates(t).any(|e| e.rule == rule && e.kind == Kind::Weak && matches_at(&e.phrase, &toks, i, false))
        })
    }

    /// How many words of the outlet's own voice ("we", "our") `line` holds outside quotation marks.
    pub(crate) fn outlet_voice(&self, line: &str) -> usize {
        tokenize(line).iter().filter(|t| !t.quoted && !t.caps && self.outlet.contains(&*t.norm)).count()
    }

    /// Whether `line` is a photo caption: it begins with a caption label, or ends with a bracketed credit
    /// ("[Reuters]", "(AFP photo)") after at least three words.
    #[cfg(test)]
    pub(crate) fn is_caption(&self, line: &str) -> bool {
        self.is_caption_counted(line, count_words(line, usize::MAX))
    }

    /// [`Self::is_caption`] for a line of `words` words (as [`count_words`] counts them).
    pub(crate) fn is_caption_counted(&self, line: &str, words: usize) -> bool {
        // White space separates words without being one, so trimming leaves the count as it is.
        let line = line.trim();
        if words == 0 || words > self.caption.max_words {
            return false;
        }
        if self.caption.starts.iter().any(|p| strip_prefix_folded(line, p).is_some()) {
            return true;
        }
        let Some(close) = line.chars().last().filter(|c| matches!(c, ']' | ')')) else { return false };
        let open = if close == ']' { '[' } else { '(' };
        let Some(at) = line.rfind(open) else { return false };
        let inner = tokenize(line.part(at + 1..line.len() - 1));
        let before = tokenize(line.part(..at));
        before.len() >= 3
            && !inner.is_empty()
            && inner.len() <= 6
            && (self.caption.credit_words.iter().any(|p| (0..inner.len()).any(|i| matches_at(p, &inner, i, true)))
                || !self.find_agencies(line.part(at + 1..line.len() - 1)).is_empty())
    }

    /// Whether `part` (trimmed, a final full stop ignored) is exactly an agency name as the lexicon lists it.
    pub(crate) fn is_agency(&self, part: &str) -> bool {
        let part = part.trim().trim_end_matches('.').trim();
        let toks = tokenize(part);
        if toks.is_empty() || toks.len() > self.credits.longest_agency {
            return false;
        }
        let key = toks.iter().map(|t| &*t.norm).collect::<Vec<_>>().join(" ");
        match self.credits.agencies.get(&key) {
            Some(&caps) => !caps || part.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase),
            None => false,
        }
    }

    /// Byte ranges of the agency names in `s` (longest match first, left to right).
    pub(crate) fn find_agencies(&self, s: &str) -> Vec<std::ops::Range<usize>> {
        let toks = tokenize(s);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let mut found = None;
            for n in (1..=self.credits.longest_agency.min(toks.len() - i)).rev() {
                if toks[i + 1..i + n].iter().any(|t| !t.tight) {
                    continue;
                }
                let r = toks[i].start..toks[i + n - 1].end;
                if self.is_agency(s.part(r.clone())) {
                    found = Some((n, r));
                    break;
                }
            }
            match found {
                Some((n, r)) => {
                    out.push(r);
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }

    fn whole_line(&self, toks: &[Tok]) -> Option<usize> {
        // A key of n words holds n - 1 spaces and no word holds one, so a longer line cannot be a key: most
        // lines are not joined up at all.
        if toks.len() > self.longest_line {
            return None;
        }
        let plain = toks.iter().map(|t| &*t.norm).collect::<Vec<_>>().join(" ");
        if let Some(&r) = self.lines.get(&plain) {
            return Some(r);
        }
        if toks.iter().any(Tok::is_number) {
            let numbered =
                toks.iter().map(|t| if t.is_number() { "#" } else { &*t.norm }).collect::<Vec<_>>().join(" ");
            return self.lines.get(&numbered).copied();
        }
        None
    }

    fn candidates<'a>(&'a self, t: &Tok) -> impl Iterator<Item = &'a Entry> {
        let words = self.index.get(&*t.norm).into_iter().flatten();
        let numbers = t.is_number().then(|| self.index.get("#")).flatten().into_iter().flatten();
        words.chain(numbers)
    }

    fn addresses_reader(&self, toks: &[Tok]) -> bool {
        toks.iter().any(|t| !t.quoted && !t.caps && (self.you.contains(&*t.norm) || self.outlet.contains(&*t.norm)))
            || self.site.iter().any(|p| (0..toks.len()).any(|i| matches_at(p, toks, i, false)))
    }
}

/// One word of a line.
#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    /// Lower-cased, curly apostrophes folded to `'`. Borrowed from the line when the word is already in that
    /// form (lower-case ASCII, most words of a text), so tokenizing allocates only for the other words.
    pub norm: Cow<'a, str>,
    /// Byte range in the line.
    pub start: usize,
    pub end: usize,
    /// Inside double quotation marks.
    pub quoted: bool,
    /// Only spaces, hyphens or slashes separate it from the previous word.
    pub tight: bool,
    /// Two or more letters, all capitals ("US", "AFP").
    pub caps: bool,
    /// Begins with a lower-case letter.
    pub lower_initial: bool,
}

impl Tok<'_> {
    fn is_number(&self) -> bool {
        self.norm.bytes().all(|b| b.is_ascii_digit())
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Characters that separate words without breaking a phrase.
fn is_tight_separator(c: char) -> bool {
    super::text::is_space(c) || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '/' | '_') || is_apostrophe(c)
}

/// Punctuation (ASCII and the common Unicode marks): separates words and breaks phrases.
pub(crate) fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}' | '«' | '»' | '¡' | '¿' | '·' | '\u{3000}'..='\u{303F}')
}

/// Where a token stands in a line, before its words are lower-cased.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    quoted: bool,
    tight: bool,
    /// A run of letters and digits (with inner apostrophes), not a one-character symbol.
    word: bool,
}

/// The token boundaries of a line, one [`Span`] at a time. Split from [`tokenize`] so that counting words
/// ([`count_words`]), which most line tests need, neither lower-cases nor allocates.
struct Scan<'a> {
    s: &'a str,
    at: usize,
    quoted: bool,
    tight: bool,
}

impl<'a> Scan<'a> {
    fn new(s: &'a str) -> Scan<'a> {
        Scan { s, at: 0, quoted: false, tight: true }
    }
}

impl Iterator for Scan<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        let s = self.s;
        while let Some(c) = char_at(s, self.at) {
            let pos = self.at;
            self.at += c.len_utf8();
            if c.is_alphanumeric() {
                // Letters and digits, and an apostrophe between two of them ("aren't").
                let mut j = self.at;
                while let Some(cj) = char_at(s, j) {
                    let next = j + cj.len_utf8();
                    if cj.is_alphanumeric() || is_apostrophe(cj) && char_at(s, next).is_some_and(char::is_alphanumeric)
                    {
                        j = next;
                    } else {
                        break;
                    }
                }
                self.at = j;
                let span = Span { start: pos, end: j, quoted: self.quoted, tight: self.tight, word: true };
                self.tight = true;
                return Some(span);
            }
            match c {
                '"' | '\u{201D}' | '\u{00BB}' => {
                    self.quoted = !self.quoted;
                    self.tight = false;
                }
                '\u{201C}' | '\u{201E}' | '\u{00AB}' => {
                    self.quoted = true;
                    self.tight = false;
                }
                c if is_tight_separator(c) => {}
                c if is_punctuation(c) || c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}') => {
                    self.tight = false;
                }
                _ => {
                    let span = Span { start: pos, end: self.at, quoted: self.quoted, tight: self.tight, word: false };
                    self.tight = true;
                    return Some(span);
                }
            }
        }
        None
    }
}

/// The character starting at byte `at` of `s` (a character boundary), if any; ASCII without decoding.
#[inline]
pub(crate) fn char_at(s: &str, at: usize) -> Option<char> {
    match s.as_bytes().get(at) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => s.part(at..).chars().next(),
        None => None,
    }
}

/// Splits `s` into word tokens; see [`Tok`]. Symbols that are neither letters nor punctuation ("©") are
/// one-character tokens.
pub(crate) fn tokenize(s: &str) -> Vec<Tok<'_>> {
    Scan::new(s).map(|sp| token(s, sp)).collect()
}

/// The number of tokens [`tokenize`] would return for `s`, counting no further than `cap` (most callers only
/// need to know whether a line is shorter than a limit, and paragraphs are long).
pub(crate) fn count_words(s: &str, cap: usize) -> usize {
    Scan::new(s).take(cap).count()
}

fn token(s: &str, sp: Span) -> Tok<'_> {
    let w = s.part(sp.start..sp.end);
    let mut tok = Tok {
        norm: Cow::Borrowed(w),
        start: sp.start,
        end: sp.end,
        quoted: sp.quoted,
        tight: sp.tight,
        caps: false,
        lower_initial: false,
    };
    if !sp.word {
        return tok;
    }
    let (mut letters, mut upper) = (0usize, 0usize);
    for c in w.chars() {
        if c.is_alphabetic() {
            letters += 1;
            upper += usize::from(c.is_uppercase());
        }
    }
    tok.caps = letters >= 2 && upper == letters;
    tok.lower_initial = w.chars().next().is_some_and(char::is_lowercase);
    // Lower-case ASCII (with straight apostrophes) is already normal.
    if !w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        let mut norm = String::with_capacity(w.len());
        for c in w.chars() {
            if c.is_alphanumeric() {
                norm.extend(c.to_lowercase());
            } else {
                // Inside a word, anything but a letter or digit is an apostrophe.
                norm.push('\'');
            }
        }
        tok.norm = Cow::Owned(norm);
    }
    tok
}

fn parse_phrase(s: &str) -> Phrase {
    let mut out = Vec::new();
    for piece in s.split_whitespace() {
        if piece == "#" {
            out.push(PTok::Number);
        } else {
            out.extend(tokenize(piece).into_iter().map(|t| PTok::Word(t.norm.into_owned())));
        }
    }
    out
}

fn join(p: &Phrase) -> String {
    p.iter()
        .map(|t| match t {
            PTok::Word(w) => w.as_str(),
            PTok::Number => "#",
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `phrase` matches `toks` starting at `at`, its words adjacent (tight) and, unless `quoted_ok`,
/// outside quotation marks.
fn matches_at(phrase: &Phrase, toks: &[Tok], at: usize, quoted_ok: bool) -> bool {
    if at + phrase.len() > toks.len() {
        return false;
    }
    phrase.iter().enumerate().all(|(k, p)| {
        let t = &toks[at + k];
        (k == 0 || t.tight)
            && (quoted_ok || !t.quoted)
            && match p {
                PTok::Word(w) => &t.norm == w,
                PTok::Number => t.is_number(),
            }
    })
}

/// Lower-cases and folds curly quotes and apostrophes to straight ones, and runs of spaces to one space.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if super::text::is_space(c) {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => out.push('\''),
            '\u{201C}' | '\u{201D}' => out.push('"'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// If `s` begins with `prefix` (already [`fold`]ed), compared after folding, returns the byte offset in `s`
/// just after it. A prefix ending in a letter or digit must end at a word boundary.
pub(crate) fn strip_prefix_folded(s: &str, prefix: &str) -> Option<usize> {
    let mut want = prefix.chars().peekable();
    let mut chars = s.char_indices().peekable();
    while let Some(&w) = want.peek() {
        let (_, c) = *chars.peek()?;
        if w == ' ' {
            if !super::text::is_space(c) {
                return None;
            }
            while chars.peek().is_some_and(|&(_, c)| super::text::is_space(c)) {
                chars.next();
            }
            want.next();
            continue;
        }
        // `c` folded on its own (as `fold` would, without building a string): a space folds to nothing, curly
        // quotes to straight ones, anything else to its lower case.
        if !super::text::is_space(c) {
            let quote = match c {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' => Some('\''),
                '\u{201C}' | '\u{201D}' => Some('"'),
                _ => None,
            };
            match quote {
                Some(q) if want.next() != Some(q) => return None,
                Some(_) => {}
                None => {
                    for fc in c.to_lowercase() {
                        if want.next() != Some(fc) {
                            return None;
                        }
                    }
                }
            }
        }
        chars.next();
    }
    let end = chars.peek().map_or(s.len(), |&(i, _)| i);
    let last = prefix.chars().last()?;
    if last.is_alphanumeric() && s.part(end..).chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> BoilerplateLexicon {
        BoilerplateLexicon::builtin()
    }

    fn reason(line: &str) -> Option<String> {
        let lex = lex();
        lex.classify(line).map(|r| lex.rules[r].reason.clone())
    }

    #[test]
    fn builtin_lexicon_loads() {
        let lex = lex();
        assert!(lex.rules.len() >= 8);
        assert!(lex.reasons().any(|r| r == "registration form"));
        assert_eq!(lex.name(), BUILTIN_LEXICON_NAME);
    }

    #[test]
    fn tokens_fold_case_and_apostrophes_and_know_quotes() {
        let t = tokenize("Aren\u{2019}t “Your support” US-based opt-out");
        let norms: Vec<&str> = t.iter().map(|t| &*t.norm).collect();
        assert_eq!(norms, ["aren't", "your", "support", "us", "based", "opt", "out"]);
        assert!(!t[0].quoted && t[1].quoted && t[2].quoted && !t[3].quoted);
        assert!(t[3].caps && !t[1].caps);
        assert!(t[6].tight && !t[1].tight);
        let t = tokenize("© 2024 sign. In");
        assert_eq!(t[0].norm, "©");
        assert!(!t[3].tight, "a full stop breaks a phrase");
    }

    /// The tokenizer as first written (a vector of characters, a `String` per word): the reference the
    /// allocation-free [`Scan`] and the borrowed norms must reproduce exactly.
    fn reference_tokenize(s: &str) -> Vec<(String, usize, usize, bool, bool, bool, bool)> {
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let mut toks = Vec::new();
        let (mut quoted, mut tight, mut i) = (false, true, 0);
        while i < chars.len() {
            let (pos, c) = chars[i];
            if c.is_alphanumeric() {
                let mut j = i;
                let mut norm = String::new();
                let (mut letters, mut upper, mut lower_initial) = (0usize, 0usize, false);
                while j < chars.len() {
                    let cj = chars[j].1;
                    if cj.is_alphanumeric() {
                        if j == i {
                            lower_initial = cj.is_lowercase();
                        }
                        if cj.is_alphabetic() {
                            letters += 1;
                            upper += usize::from(cj.is_uppercase());
                        }
                        norm.extend(cj.to_lowercase());
                        j += 1;
                    } else if is_apostrophe(cj) && j + 1 < chars.len() && chars[j + 1].1.is_alphanumeric() {
                        norm.push('\'');
                        j += 1;
                    } else {
                        break;
                    }
                }
                let end = chars.get(j).map_or(s.len(), |&(p, _)| p);
                toks.push((norm, pos, end, quoted, tight, letters >= 2 && upper == letters, lower_initial));
                tight = true;
                i = j;
                continue;
            }
            match c {
                '"' | '\u{201D}' | '\u{00BB}' => {
                    quoted = !quoted;
                    tight = false;
                }
                '\u{201C}' | '\u{201E}' | '\u{00AB}' => {
                    quoted = true;
                    tight = false;
                }
                c if is_tight_separator(c) => {}
                c if is_punctuation(c) || c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}') => {
                    tight = false;
                }
                c => {
                    toks.push((c.to_string(), pos, pos + c.len_utf8(), quoted, tight, false, false));
                    tight = true;
                }
            }
            i += 1;
        }
        toks
    }

    fn same_as_reference(s: &str) -> Result<(), String> {
        let got: Vec<_> = tokenize(s)
            .into_iter()
            .map(|t| (t.norm.into_owned(), t.start, t.end, t.quoted, t.tight, t.caps, t.lower_initial))
            .collect();
        let want = reference_tokenize(s);
        if got != want {
            return Err(format!("{s:?}: got {got:?}, want {want:?}"));
        }
        for cap in 0..=want.len() + 1 {
            if count_words(s, cap) != want.len().min(cap) {
                return Err(format!("{s:?}: count_words(_, {cap}) = {}", count_words(s, cap)));
            }
        }
        Ok(())
    }

    #[test]
    fn tokens_match_the_reference_tokenizer() {
        for s in [
            "",
            "Aren\u{2019}t “Your support” US-based opt-out",
            "© 2024 sign. In",
            "don'\u{2019}t ab\u{02BC}cd 'quoted' x'",
            "ΣΊΣΥΦΟΣ Straße İstanbul ǅemal Ⅻ ½ 3rd",
            "\u{200B}zero\u{FEFF}width «guillemets» „low“ end\"",
            "tab\there\nnew line — dash – and/or_under",
        ] {
            same_as_reference(s).unwrap();
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        #[test]
        fn tokens_match_the_reference_on_any_text(s in "(?s).{0,80}") {
            proptest::prop_assert!(same_as_reference(&s).is_ok(), "{}", same_as_reference(&s).unwrap_err());
        }

        #[test]
        fn tokens_match_the_reference_on_wordy_text(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "Said", "said", "AFP", "US", "we", "'", "\u{2019}", "\u{02BC}", "\"", "“", "”", "«", "»", "-", "/",
                " ", "  ", ".", ",", "©", "É", "é", "ß", "Σ", "12", "x", "\u{200B}", "\t", "\n",
            ]), 0..40),
        ) {
            let s: String = parts.concat();
            proptest::prop_assert!(same_as_reference(&s).is_ok(), "{}", same_as_reference(&s).unwrap_err());
        }
    }

    #[test]
    fn rule_table() {
        // (line, expected rule name or None). Our own made-up lines, written like the web furniture they imitate.
        let table: &[(&str, Option<&str>)] = &[
            ("Advertisement", Some("advertisement")),
            ("  ADVERTISEMENT  ", Some("advertisement")),
            ("Please type a valid email", Some("registration form")),
            ("Choose at least 8 characters, with one digit", Some("registration form")),
            ("Enter your surname", Some("registration form")),
            ("Names need 2 to 30 characters", Some("registration form")),
            ("Log in to your account to read on", Some("registration form")),
            ("We need an account of events", None),
            ("Already have an account? Log in", Some("registration form")),
            ("Thanks for signing up", Some("registration form")),
            ("Your support keeps our reporters in the field.", Some("donation pitch")),
            ("Help us keep reporting", Some("donation pitch")),
            ("We never put our work behind a paywall.", Some("donation pitch")),
            ("Subscribe to Example Plus to save this page", Some("subscription prompt")),
            ("Want to keep articles for later? Start your subscription now.", Some("subscription prompt")),
            ("Get the morning briefing in your inbox", Some("newsletter prompt")),
            ("Comments", Some("comments prompt")),
            ("12 comments", Some("comments prompt")),
            ("Join our reader forum", Some("comments prompt")),
            ("Get the app: App Store | Google Play", Some("app promotion")),
            ("Share this article", Some("share buttons")),
            ("We use cookies to improve your experience.", Some("cookie notice")),
            ("© 2024 Example Media. All rights reserved.", Some("copyright notice")),
            ("Related stories", Some("sidebar header")),
            ("Opinion", Some("sidebar header")),
            // Article prose that only brushes against the vocabulary.
            ("The army said it had registered 300 volunteers.", None),
            ("A Twitter account linked to the group posted photos.", None),
            ("“Thank you for your support,” the commander told his fighters.", None),
            ("Voters must register by Friday, officials said.", None),
            ("Statement on Twitter", None),
            ("The US embassy urged citizens to leave.", None),
            ("Opinion polls show the president ahead.", None),
            ("The sign in the square was torn down.", None),
            ("Western states must support our people, the mayor said.", None),
        ];
        let mut bad = Vec::new();
        for (line, want) in table {
            let got = reason(line);
            if got.as_deref() != *want {
                bad.push(format!("{line:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn long_paragraphs_are_never_dropped_by_a_phrase() {
        let long = format!("{} your support {}", "word ".repeat(60), "word ".repeat(60));
        assert_eq!(reason(&long), None);
    }

    #[test]
    fn weak_phrases_need_the_reader_or_a_neighbour() {
        let lex = lex();
        let form = lex.rules.iter().position(|r| r.reason == "registration form").unwrap();
        assert_eq!(reason("Only members over 18 may register"), None);
        assert!(lex.has_weak(form, "Only members over 18 may register"));
        assert!(!lex.has_weak(form, "Fighting continued in the north"));
    }

    #[test]
    fn outlet_voice_counts_we_and_our_outside_quotes() {
        let lex = lex();
        assert_eq!(lex.outlet_voice("We believe our readers deserve it, and we know it."), 3);
        assert_eq!(lex.outlet_voice("“We will free our land,” he said."), 0);
        assert_eq!(lex.outlet_voice("US and UK officials"), 0);
    }

    #[test]
    fn captions_by_bracketed_credit_or_label() {
        let lex = lex();
        assert!(lex.is_caption("Smoke rises over the old town [Reuters]"));
        assert!(lex.is_caption("Fighters gather near the bridge (AFP Photo)"));
        assert!(lex.is_caption("Photo: a street in the city centre"));
        assert!(!lex.is_caption("Troops withdrew (officials said)"));
        assert!(!lex.is_caption("[Reuters]"));
    }

    #[test]
    fn agencies_need_capitals_for_short_acronyms() {
        let lex = lex();
        assert!(lex.is_agency("AFP"));
        assert!(lex.is_agency("Associated Press."));
        assert!(lex.is_agency("agencies"));
        assert!(!lex.is_agency("ap"));
        assert!(!lex.is_agency("Syrian Observatory"));
        let s = "Associated Press writer Jane Roe contributed";
        assert_eq!(lex.find_agencies(s).iter().map(|r| &s[r.clone()]).collect::<Vec<_>>(), ["Associated Press"]);
    }

    #[test]
    fn folded_prefixes() {
        assert_eq!(strip_prefix_folded("SOURCE:  Al Jazeera", "source:"), Some(7));
        assert_eq!(strip_prefix_folded("Published  in Dawn", "published in"), Some(13));
        assert_eq!(strip_prefix_folded("Published inside", "published in"), None);
        assert_eq!(strip_prefix_folded("Pub", "published in"), None);
    }

    /// `strip_prefix_folded` as first written, folding each character through a `String`.
    fn reference_strip_prefix_folded(s: &str, prefix: &str) -> Option<usize> {
        let mut want = prefix.chars().peekable();
        let mut chars = s.char_indices().peekable();
        while let Some(&w) = want.peek() {
            let (_, c) = *chars.peek()?;
            if w == ' ' {
                if !super::super::text::is_space(c) {
                    return None;
                }
                while chars.peek().is_some_and(|&(_, c)| super::super::text::is_space(c)) {
                    chars.next();
                }
                want.next();
                continue;
            }
            for fc in fold(&c.to_string()).chars() {
                if want.next() != Some(fc) {
                    return None;
                }
            }
            chars.next();
        }
        let end = chars.peek().map_or(s.len(), |&(i, _)| i);
        let last = prefix.chars().last()?;
        if last.is_alphanumeric() && s[end..].chars().next().is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some(end)
    }

    #[test]
    fn folded_prefixes_match_the_reference() {
        let prefixes = ["source:", "published in", "photo:", "it's", "\"quote\"", "İ", "additional reporting by"];
        let lines = [
            "SOURCE:  Al Jazeera",
            "Sou rce: x",
            "Published\u{A0}in Dawn",
            "IT\u{2019}S here",
            "\u{201C}QUOTE\u{201D} x",
            "İstanbul",
            "i\u{307} x",
            "Additional Reporting By AP",
            "",
            "Photo",
        ];
        for p in prefixes {
            let p = fold(p);
            for l in lines {
                assert_eq!(strip_prefix_folded(l, &p), reference_strip_prefix_folded(l, &p), "{l:?} / {p:?}");
            }
        }
    }

    #[test]
    fn lexicon_errors_name_file_line_and_path() {
        let err = BoilerplateLexicon::from_toml("mine.toml", "[reader]\nyou = 3\n").unwrap_err().to_string();
        assert!(err.contains("mine.toml:2"), "{err}");
        let text =
            BUILTIN_LEXICON.replacen("reason = \"advertisement\"", "reason = \"advertisement\"\nstarts = [\"...\"]", 1);
        let err = BoilerplateLexicon::from_toml("mine.toml", &text).unwrap_err().to_string();
        assert!(err.contains("rule[0].starts[0]") && err.contains("no words"), "{err}");
    }
}
