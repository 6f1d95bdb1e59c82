//! Attribution: who says what, sentence by sentence.
//!
//! Input is text already split into sentences (and the quotation spans found by the segmenter); output is a
//! list of [`Attribution`]s, each with the byte spans of its cue ("said"), its source ("Rami Abdel Rahman, head
//! of the SOHR"), its content (what is said) and, where the text names them, the relays between source and
//! writer ("quoting an unnamed military official", "quoted by SANA") and the addressee ("told AFP").
//!
//! There is no parser here. The patterns are the few ways news prose attributes statements:
//! `SOURCE CUE (that) CONTENT`, `CONTENT, SOURCE CUE`, `CONTENT, CUE SOURCE`, `according to SOURCE, CONTENT`
//! (either order), `“QUOTE,” SOURCE CUE`, `SOURCE CUE: “QUOTE”`, participles that inherit the source of their
//! clause (`..., saying ...`), and noun cues (`a statement said`). Noun phrases are read off the token
//! stream with closed-class word lists (determiners, pronouns, clause boundaries, joiners) kept in
//! `config/lexicons/attribution.toml`, so that the word lists can be corrected without touching code.
//! What the rules cannot see (a source three clauses away, an unmarked indirect quotation) is simply missed:
//! the extractor prefers silence to invention, and `credence extract` writes a draft a person corrects.

use crate::hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::ops::Range;

use serde::Deserialize;

use credence_model::error::Result;
use credence_model::text::Slice;

/// The attribution lexicon shipped with credence.
pub const BUILTIN_LEXICON: &str = include_str!("../../../config/lexicons/attribution.toml");

pub use credence_model::vocab::CueClass;
use credence_model::vocab::CueTable;

/// Which pattern an attribution was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    /// `SOURCE CUE (that) CONTENT`.
    SourceCueContent,
    /// `CONTENT, SOURCE CUE.`
    ContentSourceCue,
    /// `CONTENT, CUE SOURCE.`
    ContentCueSource,
    /// `according to SOURCE, CONTENT` or `CONTENT, according to SOURCE`.
    According,
    /// `..., saying CONTENT`: the source is the clause's subject.
    Participle,
}

/// One attribution found in the text. All spans are byte ranges in the text given to [`extract`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Attribution {
    /// Index of the sentence the cue is in.
    pub sentence: usize,
    /// The cue: "said", "according to", "claims to show".
    pub cue: Range<usize>,
    /// Its class.
    pub class: CueClass,
    /// The source noun phrase as written, if any.
    pub source: Option<Range<usize>>,
    /// The sources named, from the one nearest the writer to the origin: `["state media", "an official"]` for
    /// "state media, quoting an official, said"; `["SANA", "an official"]` for "an official quoted by SANA
    /// said"; just `[source]` otherwise.
    pub chain: Vec<Range<usize>>,
    /// The content: what is attributed.
    pub content: Option<Range<usize>>,
    /// Further parts of the content: the rest of an interrupted quotation (`“A,” he said. “B.”`).
    pub content_more: Vec<Range<usize>>,
    /// The addressee of "told": "AFP" in "told AFP".
    pub recipient: Option<Range<usize>>,
    /// The medium: "on Twitter" in "said on Twitter".
    pub channel: Option<Range<usize>>,
    /// The pattern used.
    pub pattern: Pattern,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    cue: Vec<RawCue>,
    reports: RawReports,
    according: RawAccording,
    nouns: RawForms,
    channels: RawForms,
    between: RawBetween,
    boundaries: RawBoundaries,
    limits: RawLimits,
    #[serde(default)]
    fragments: RawFragments,
}

/// Markers of text that is not a statement: page furniture, embeds, script code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFragments {
    #[serde(default)]
    markers: Vec<String>,
}

/// Bounds that keep the cost of one sentence linear in its length, whatever it holds.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_cues_per_sentence: usize,
    max_relays: usize,
    min_own_voice_words: usize,
    #[serde(default)]
    min_content_words: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReports {
    quote_only: Vec<String>,
    media_only: Vec<String>,
    #[serde(default)]
    verbs_only: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    class: CueClass,
    #[serde(default)]
    recipient: bool,
    /// False for cues a story may name but the text is not searched for.
    #[serde(default = "yes")]
    extract: bool,
    forms: Vec<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccording {
    class: CueClass,
    forms: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForms {
    forms: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBetween {
    adverbs: Vec<String>,
    auxiliaries: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBoundaries {
    stop: Vec<String>,
    determiners: Vec<String>,
    pronouns: Vec<String>,
    joiners: Vec<String>,
    relays: Vec<String>,
    time_words: Vec<String>,
    title_abbreviations: Vec<String>,
    noun_like: Vec<String>,
    not_speakers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Verb { recipient: bool },
    According,
}

#[derive(Debug, Clone, Copy)]
struct CueInfo {
    class: CueClass,
    kind: CueKind,
}

/// A set of lower-cased words (looked up for every token, so a hash set rather than a list).
type WordSet = FxHashSet<String>;

/// The compiled attribution lexicon.
#[derive(Debug, Clone)]
pub struct AttributionLexicon {
    /// Cue phrases by their lower-cased words joined with one space.
    cues: FxHashMap<String, CueInfo>,
    /// Every leading run of words of a cue phrase (joined like `cues`), with the cue it completes if it is
    /// one: lets the cue search stop at the first word that begins no cue, which is nearly every word.
    cue_prefixes: FxHashMap<String, Option<CueInfo>>,
    max_words: usize,
    nouns: WordSet,
    channels: Vec<Vec<String>>,
    adverbs: WordSet,
    auxiliaries: WordSet,
    stop: WordSet,
    determiners: WordSet,
    pronouns: WordSet,
    joiners: WordSet,
    relays: Vec<Vec<String>>,
    time_words: WordSet,
    title_abbreviations: WordSet,
    noun_like: WordSet,
    not_speakers: WordSet,
    quote_only: WordSet,
    media_only: WordSet,
    verbs_only: WordSet,
    /// Every cue of the lexicon with its class, for the scorer.
    cue_table: CueTable,
    /// Most cues read in one sentence; further cues are left unread (reported as such by extraction).
    pub max_cues_per_sentence: usize,
    /// Most sources on one chain read from nested reporting ("X said Y said Z said ..."), origin included.
    pub max_relays: usize,
    /// Fewest words for a sentence nobody is quoted for to become a report in the outlet's own voice.
    pub min_own_voice_words: usize,
    /// Fewest words for what a source is reported to say to be a claim; a shorter content ("“Now,” he said")
    /// leaves its sentence to the outlet's own voice.
    pub min_content_words: usize,
    /// Lower-cased markers of page furniture, embeds and code: an own-voice sentence holding one is no claim.
    pub fragment_markers: Vec<String>,
}

fn words_of(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_lowercase).collect()
}

impl AttributionLexicon {
    /// The lexicon shipped with credence.
    #[must_use]
    pub fn builtin() -> AttributionLexicon {
        // Checked by the test suite: failing here is a build defect, not a user error.
        AttributionLexicon::from_toml("config/lexicons/attribution.toml (built in)", BUILTIN_LEXICON)
            .expect("the built-in attribution lexicon is valid")
    }

    /// Parses a lexicon file.
    pub fn from_toml(name: &str, text: &str) -> Result<AttributionLexicon> {
        let raw: RawLexicon = credence_model::error::parse_lexicon(name, text, "attribution")?;
        let mut cues = FxHashMap::default();
        let mut max_words = 1;
        let mut table: Vec<(String, CueClass)> = Vec::new();
        for c in &raw.cue {
            for f in &c.forms {
                table.push((f.clone(), c.class));
            }
        }
        for f in &raw.according.forms {
            table.push((f.clone(), raw.according.class));
        }
        let cue_table = CueTable::new(table.iter().map(|(f, c)| (f.as_str(), *c)));
        for c in raw.cue.iter().filter(|c| c.extract) {
            for f in &c.forms {
                let w = words_of(f);
                max_words = max_words.max(w.len());
                cues.insert(w.join(" "), CueInfo { class: c.class, kind: CueKind::Verb { recipient: c.recipient } });
            }
        }
        for f in &raw.according.forms {
            let w = words_of(f);
            max_words = max_words.max(w.len());
            cues.insert(w.join(" "), CueInfo { class: raw.according.class, kind: CueKind::According });
        }
        let mut cue_prefixes: FxHashMap<String, Option<CueInfo>> = FxHashMap::default();
        for key in cues.keys() {
            let words: Vec<&str> = key.split(' ').collect();
            for n in 1..=words.len() {
                cue_prefixes.entry(words[..n].join(" ")).or_insert(None);
            }
        }
        for (key, info) in &cues {
            cue_prefixes.insert(key.clone(), Some(*info));
        }
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<WordSet>();
        Ok(AttributionLexicon {
            cues,
            cue_prefixes,
            max_words,
            nouns: lower(&raw.nouns.forms),
            channels: raw.channels.forms.iter().map(|f| words_of(f)).collect(),
            adverbs: lower(&raw.between.adverbs),
            auxiliaries: lower(&raw.between.auxiliaries),
            stop: lower(&raw.boundaries.stop),
            determiners: lower(&raw.boundaries.determiners),
            pronouns: lower(&raw.boundaries.pronouns),
            joiners: lower(&raw.boundaries.joiners),
            relays: raw.boundaries.relays.iter().map(|f| words_of(f)).collect(),
            time_words: lower(&raw.boundaries.time_words),
            title_abbreviations: lower(&raw.boundaries.title_abbreviations),
            noun_like: lower(&raw.boundaries.noun_like),
            not_speakers: lower(&raw.boundaries.not_speakers),
            quote_only: lower(&raw.reports.quote_only),
            media_only: lower(&raw.reports.media_only),
            verbs_only: lower(&raw.reports.verbs_only),
            cue_table,
            max_cues_per_sentence: raw.limits.max_cues_per_sentence.max(1),
            max_relays: raw.limits.max_relays.max(1),
            min_own_voice_words: raw.limits.min_own_voice_words,
            min_content_words: raw.limits.min_content_words,
            fragment_markers: raw
                .fragments
                .markers
                .iter()
                .map(|m| m.to_lowercase())
                .filter(|m| !m.is_empty())
                .collect(),
        })
    }

    /// The one table of cue classes (every `[[cue]]` list, those not searched for in text included): the scorer
    /// weighs reports by it.
    #[must_use]
    pub fn cue_table(&self) -> &CueTable {
        &self.cue_table
    }

    /// The class of a cue phrase as written ("claims to show" -> distancing), if the lexicon lists it.
    pub fn class_of(&self, cue: &str) -> Option<CueClass> {
        let key = cue.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ");
        self.cues.get(&key).map(|c| c.class)
    }

    /// True when a cue makes a report only if its content is a quotation ("He continued, “...”").
    #[must_use]
    pub fn needs_quote(&self, cue: &str) -> bool {
        self.is(&self.quote_only, &cue.to_lowercase())
    }

    /// True when a cue makes a report only if its source is footage or a medium ("the video showed").
    #[must_use]
    pub fn needs_media(&self, cue: &str) -> bool {
        self.is(&self.media_only, &cue.to_lowercase())
    }

    fn is(&self, set: &WordSet, w: &str) -> bool {
        set.contains(w)
    }
}

/// A token of a sentence.
#[derive(Debug, Clone, PartialEq)]
struct Tok<'a> {
    span: Range<usize>,
    /// Lower-cased word, or the punctuation character. Borrowed from the text when it is already lower-case
    /// ASCII (most words, and all punctuation), so a sentence's tokens cost no allocation per word.
    low: Cow<'a, str>,
    kind: TokKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Word,
    /// A word starting with an upper-case letter.
    Cap,
    Comma,
    Colon,
    OpenQuote,
    CloseQuote,
    /// A straight `"` whose direction is decided by position.
    Quote,
    OpenParen,
    CloseParen,
    Dash,
    End,
    Other,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The character starting at byte `at` of `s`, if any.
fn char_at(s: &str, at: usize) -> Option<char> {
    s.part(at..).chars().next()
}

/// Splits `text[range]` into tokens with absolute spans.
fn tokenize<'t>(text: &'t str, range: Range<usize>, lex: &AttributionLexicon) -> Vec<Tok<'t>> {
    let s = text.part(range.clone());
    let base = range.start;
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(c) = char_at(s, at) {
        if c.is_whitespace() {
            at += c.len_utf8();
            continue;
        }
        if is_word_char(c) {
            let start = at;
            let mut j = at + c.len_utf8();
            while let Some(d) = char_at(s, j) {
                let after = j + d.len_utf8();
                let next = char_at(s, after);
                let next_is_word = next.is_some_and(is_word_char);
                if is_word_char(d) || (matches!(d, '\'' | '’' | '-' | '‐' | '.') && next_is_word) {
                    // "U.S" keeps its inner period; a sentence-final period is not part of the word.
                    if d == '.' {
                        let next2 = next.and_then(|n| char_at(s, after + n.len_utf8()));
                        if !next2.is_none_or(|n| n == '.' || !n.is_alphanumeric()) {
                            break;
                        }
                    }
                    j = after;
                } else {
                    break;
                }
            }
            let mut end = j;
            // A title's full stop belongs to it ("Mr. Smith", "Sen. Cruz"): otherwise it would end a phrase.
            if char_at(s, j) == Some('.') && lex.is(&lex.title_abbreviations, &s.part(start..end).to_lowercase()) {
                end += 1;
                j += 1;
            }
            let word = s.part(start..end);
            let kind = if c.is_uppercase() { TokKind::Cap } else { TokKind::Word };
            // Lower-case ASCII is its own lower case.
            let low = if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(word.to_lowercase())
            };
            out.push(Tok { span: base + start..base + j, low, kind });
            at = j;
            continue;
        }
        let kind = match c {
            ',' => TokKind::Comma,
            ':' => TokKind::Colon,
            '“' | '‘' | '«' => TokKind::OpenQuote,
            '”' | '»' => TokKind::CloseQuote,
            '’' => TokKind::CloseQuote,
            '"' => TokKind::Quote,
            '\'' => TokKind::Quote,
            '(' | '[' => TokKind::OpenParen,
            ')' | ']' => TokKind::CloseParen,
            '—' | '–' => TokKind::Dash,
            '.' | '!' | '?' | ';' | '…' => TokKind::End,
            _ => TokKind::Other,
        };
        let end = at + c.len_utf8();
        out.push(Tok { span: base + at..base + end, low: Cow::Borrowed(s.part(at..end)), kind });
        at = end;
    }
    resolve_straight_quotes(&mut out);
    credence_model::work::add(out.len());
    out
}

/// Straight quotes alternate open/close within a sentence.
fn resolve_straight_quotes(toks: &mut [Tok]) {
    let mut open = false;
    for t in toks.iter_mut().filter(|t| t.kind == TokKind::Quote) {
        t.kind = if open { TokKind::CloseQuote } else { TokKind::OpenQuote };
        open = !open;
    }
}

fn is_wordish(t: &Tok) -> bool {
    matches!(t.kind, TokKind::Word | TokKind::Cap)
}

/// A cue found in a sentence: token range and lexicon entry.
#[derive(Debug, Clone)]
struct CueHit {
    toks: Range<usize>,
    info: CueInfo,
}

fn find_cues(toks: &[Tok], lex: &AttributionLexicon) -> Vec<CueHit> {
    let mut hits = Vec::new();
    let mut key = String::new();
    let mut i = 0;
    while i < toks.len() {
        if !is_wordish(&toks[i]) {
            i += 1;
            continue;
        }
        // The longest cue starting at word i. A key that begins no cue cannot grow into one, so the search
        // stops there.
        let mut best: Option<(usize, CueInfo)> = None;
        key.clear();
        for n in 1..=lex.max_words {
            let j = i + n - 1;
            if j >= toks.len() || !is_wordish(&toks[j]) {
                break;
            }
            if n > 1 {
                key.push(' ');
            }
            key.push_str(&toks[j].low);
            match lex.cue_prefixes.get(key.as_str()) {
                None => break,
                Some(Some(info)) => best = Some((n, *info)),
                Some(None) => {}
            }
        }
        match best {
            Some((n, info)) if plausible_cue(toks, i, n, info, lex) => {
                hits.push(CueHit { toks: i..i + n, info });
                i += n;
            }
            _ => i += 1,
        }
    }
    hits
}

/// Filters cue words used as nouns or adjectives ("state television", "the alleged attack", "reports from").
fn plausible_cue(toks: &[Tok], i: usize, n: usize, info: CueInfo, lex: &AttributionLexicon) -> bool {
    if info.kind == CueKind::According {
        return true;
    }
    let first = &toks[i].low;
    let prev = i.checked_sub(1).map(|p| &toks[p]);
    let next = toks.get(i + n);
    // A capitalised cue word in mid-sentence is a name ("Said", "Report" in a title).
    if toks[i].kind == TokKind::Cap && i > 0 && prev.is_some_and(|p| p.kind != TokKind::OpenQuote) {
        return false;
    }
    if n == 1 && lex.is(&lex.noun_like, first) {
        // After a determiner, a possessive, a number or a preposition it is a noun or adjective.
        if prev.is_some_and(|p| {
            lex.is(&lex.determiners, &p.low)
                || p.low.ends_with("'s")
                || p.low.ends_with("’s")
                || p.low.chars().next().is_some_and(|c| c.is_ascii_digit())
                || matches!(
                    p.low.as_ref(),
                    "in" | "of"
                        | "for"
                        | "on"
                        | "at"
                        | "with"
                        | "from"
                        | "about"
                        | "by"
                        | "into"
                        | "under"
                        | "over"
                        | "new"
                        | "recent"
                        | "previous"
                        | "earlier"
                        | "latest"
                        | "further"
                        | "public"
                        | "such"
                )
        }) {
            return false;
        }
        // As a verb it opens its complement: "states that", "reports: ...", "plans to", "claims the city".
        let opens = next.is_some_and(|nx| {
            matches!(nx.kind, TokKind::Cap | TokKind::OpenQuote | TokKind::Quote | TokKind::Colon | TokKind::Comma)
                || lex.is(&lex.determiners, &nx.low)
                || lex.is(&lex.pronouns, &nx.low)
                || lex.is(&lex.adverbs, &nx.low)
                || matches!(
                    nx.low.as_ref(),
                    "that" | "to" | "how" | "why" | "what" | "whether" | "if" | "him" | "them" | "us" | "me"
                )
                || nx.low.chars().next().is_some_and(|c| c.is_ascii_digit())
        });
        // At the end of the sentence, straight after a name, it is the verb of a trailing attribution ("...,
        // the Daily Courier reports.").
        let closes = next.is_none_or(|nx| nx.kind == TokKind::End) && prev.is_some_and(|p| p.kind == TokKind::Cap);
        if !opens && !closes && !first.ends_with("ed") {
            return false;
        }
        // Before a plain lower-case noun-ish word it modifies it ("state television", "reported clashes").
        if let Some(nx) = next
            && nx.kind == TokKind::Word
            && !lex.is(&lex.determiners, &nx.low)
            && !lex.is(&lex.pronouns, &nx.low)
            && !lex.is(&lex.stop, &nx.low)
            && !lex.is(&lex.time_words, &nx.low)
            && !lex.is(&lex.adverbs, &nx.low)
            && !nx.low.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            return false;
        }
        // Sentence-initial bare form ("Reports say ...") is a noun.
        if i == 0 {
            return false;
        }
    }
    // "quoted by", "cited by" introduce a relay inside a source phrase.
    if matches!(first.as_ref(), "quoted" | "cited") && next.is_some_and(|t| t.low == "by") {
        return false;
    }
    // "to say", "to tell": an infinitive after a verb of wanting is not itself a statement.
    if prev.is_some_and(|p| p.low == "to") && !first.ends_with("ed") {
        return false;
    }
    true
}

/// The span from the first to the last token of `toks[r]`.
fn span_of(toks: &[Tok], r: Range<usize>) -> Option<Range<usize>> {
    if r.is_empty() {
        return None;
    }
    Some(toks[r.start].span.start..toks[r.end - 1].span.end)
}

/// Reads a source noun phrase backwards from token `end` (exclusive). Returns the token range.
fn np_backward(toks: &[Tok], end: usize, lex: &AttributionLexicon) -> Option<Range<usize>> {
    let mut start = end;
    let mut words = 0;
    while start > 0 {
        let t = &toks[start - 1];
        let ok = match t.kind {
            TokKind::Word => {
                let w = t.low.as_ref();
                if lex.is(&lex.joiners, w) {
                    // A joiner only inside a phrase: "head of the group", not "of" at the edge.
                    start < end && start >= 2 && is_wordish(&toks[start - 2])
                } else if w == "by" && start >= 2 && matches!(toks[start - 2].low.as_ref(), "quoted" | "cited") {
                    // "an officer quoted by the state agency": the relay belongs to the source phrase.
                    start -= 1;
                    true
                } else {
                    !lex.is(&lex.stop, w) && (!lex.cues.contains_key(w) || lex.is(&lex.noun_like, w))
                        || lex.is(&lex.determiners, w)
                        || lex.is(&lex.pronouns, w)
                }
            }
            TokKind::Cap => true,
            TokKind::CloseParen => {
                // "(SOHR)": take the parenthesis whole.
                match toks[..start - 1].iter().rposition(|x| x.kind == TokKind::OpenParen) {
                    Some(open) if start - 1 - open <= 6 => {
                        start = open + 1;
                        true
                    }
                    _ => false,
                }
            }
            TokKind::OpenParen => true,
            TokKind::Other => t.low == "&" || t.low == "'",
            _ => false,
        };
        if !ok || words >= 14 {
            break;
        }
        if is_wordish(t) {
            words += 1;
        }
        start -= 1;
        // A determiner or pronoun begins the phrase, unless a passive relay precedes it ("an officer quoted by
        // the agency").
        let relay_before =
            start >= 2 && toks[start - 1].low == "by" && matches!(toks[start - 2].low.as_ref(), "quoted" | "cited");
        // "Ahmad of the media office of the group": a determiner after "of" continues the phrase.
        let of_before = start >= 2
            && matches!(toks[start - 1].low.as_ref(), "of" | "for" | "from")
            && (is_wordish(&toks[start - 2]) || toks[start - 2].kind == TokKind::CloseParen);
        if t.kind == TokKind::Word
            && (lex.is(&lex.determiners, &t.low) || lex.is(&lex.pronouns, &t.low))
            && !relay_before
            && !of_before
        {
            break;
        }
    }
    // Trim joiners left at the front.
    while start < end && toks[start].kind == TokKind::Word && lex.is(&lex.joiners, &toks[start].low) {
        start += 1;
    }
    let r = start..end;
    has_head(toks, r.clone(), lex).then_some(r)
}

/// True when the tokens hold a word that can head a source: a name, a noun or a pronoun.
fn has_head(toks: &[Tok], r: Range<usize>, lex: &AttributionLexicon) -> bool {
    toks[r].iter().any(|t| match t.kind {
        TokKind::Cap => true,
        TokKind::Word => {
            let w = t.low.as_ref();
            lex.is(&lex.pronouns, w)
                || !(lex.is(&lex.determiners, w)
                    || lex.is(&lex.stop, w)
                    || lex.is(&lex.joiners, w)
                    || lex.is(&lex.adverbs, w))
        }
        _ => false,
    })
}

/// Reads a noun phrase forwards from token `start`, up to a clause boundary. Returns the token range.
fn np_forward(toks: &[Tok], start: usize, lex: &AttributionLexicon) -> Option<Range<usize>> {
    let mut end = start;
    let mut words = 0;
    while end < toks.len() && words < 16 {
        let t = &toks[end];
        let ok = match t.kind {
            TokKind::Cap => true,
            TokKind::Word => {
                let w = t.low.as_ref();
                if lex.is(&lex.joiners, w) {
                    end > start && toks.get(end + 1).is_some_and(is_wordish)
                } else if end > start && lex.is(&lex.pronouns, w) && !lex.is(&lex.determiners, w) {
                    // A pronoun after the phrase has begun starts a new clause: "told pollsters they ...".
                    false
                } else if end > start
                    && w.len() > 3
                    && w.ends_with("ed")
                    && !lex.is(&lex.determiners, &toks[end - 1].low)
                    && toks[end - 1].kind != TokKind::Other
                {
                    // After a noun, an "-ed" word is the verb of the clause: "The fighters launched ...".
                    false
                } else {
                    end == start && (lex.is(&lex.determiners, w) || lex.is(&lex.pronouns, w))
                        || !lex.is(&lex.stop, w)
                            && !lex.is(&lex.adverbs, w)
                            && (!lex.cues.contains_key(w) || lex.is(&lex.noun_like, w))
                        || lex.is(&lex.determiners, w)
                }
            }
            TokKind::OpenParen => toks[end..].iter().position(|x| x.kind == TokKind::CloseParen).is_some_and(|p| {
                end += p;
                true
            }),
            TokKind::Other => t.low == "&",
            _ => false,
        };
        if !ok {
            break;
        }
        if is_wordish(t) {
            words += 1;
        }
        end += 1;
    }
    // Drop a trailing joiner or determiner.
    while end > start
        && toks[end - 1].kind == TokKind::Word
        && (lex.is(&lex.joiners, &toks[end - 1].low) || lex.is(&lex.determiners, &toks[end - 1].low))
    {
        end -= 1;
    }
    let r = start..end;
    (end > start && has_head(toks, r.clone(), lex)).then_some(r)
}

/// Skips adverbs, auxiliaries and a short time phrase immediately before token `i` ("also said", "has said",
/// "on Monday said", "at the time said"); returns the new end (exclusive).
fn skip_between_back(toks: &[Tok], mut i: usize, lex: &AttributionLexicon) -> usize {
    loop {
        let before = i;
        while i > 0 {
            let t = &toks[i - 1];
            let adverb = lex.is(&lex.adverbs, &t.low) || t.low.len() > 4 && t.low.ends_with("ly");
            if t.kind == TokKind::Word && (adverb || lex.is(&lex.auxiliaries, &t.low)) {
                i -= 1;
            } else {
                break;
            }
        }
        // "on Monday", "last week", "at the time", "in 2012" directly before the cue.
        let mut j = i;
        while j > 0
            && j + 4 > i
            && is_wordish(&toks[j - 1])
            && (lex.is(&lex.time_words, &toks[j - 1].low)
                || toks[j - 1].low == "the"
                || toks[j - 1].low == "time"
                || toks[j - 1].low.chars().all(|c| c.is_ascii_digit()))
        {
            j -= 1;
        }
        if j < i
            && j > 0
            && matches!(toks[j].low.as_ref(), "on" | "at" | "in" | "last" | "this" | "earlier" | "later")
            && toks[i - 1].low != "on"
        {
            i = j;
        }
        if i == before {
            return i;
        }
    }
}

/// Skips time phrases and channels right after a cue ("said on Saturday", "said on Twitter"); returns the new
/// start and the channel span if one was named.
fn skip_after_cue(toks: &[Tok], mut i: usize, lex: &AttributionLexicon) -> (usize, Option<Range<usize>>) {
    let mut channel = None;
    loop {
        // Channel: "on Twitter", "in a statement", "on its official Twitter account".
        if let Some(t) = toks.get(i)
            && (t.low == "on" || t.low == "in")
        {
            let mut matched = None;
            for ch in &lex.channels {
                if toks.len() >= i + 1 + ch.len() && ch.iter().zip(&toks[i + 1..]).all(|(w, t)| *w == t.low) {
                    matched = Some(i + 1 + ch.len());
                    break;
                }
            }
            if let Some(end) = matched {
                channel = span_of(toks, i..end);
                i = end;
                continue;
            }
        }
        // Time: "on Saturday", "late on Friday", "this week", "earlier".
        let mut j = i;
        while j < toks.len() && is_wordish(&toks[j]) && lex.is(&lex.time_words, &toks[j].low) {
            j += 1;
        }
        // Require that the run ends at a real time word, not a bare preposition.
        if j > i && !matches!(toks[j - 1].low.as_ref(), "on" | "in" | "at" | "this" | "last" | "late" | "early") {
            i = j;
            continue;
        }
        break;
    }
    (i, channel)
}

/// Sentence-final punctuation (and a closing quote after it) excluded from content.
fn trim_end(toks: &[Tok], mut end: usize) -> usize {
    while end > 0 && matches!(toks[end - 1].kind, TokKind::End | TokKind::Comma | TokKind::Colon | TokKind::Dash) {
        end -= 1;
    }
    end
}

/// Extracts attributions from sentences. `sentences` are byte ranges of `text`; `quotes` are quotation spans
/// (opening to closing mark) that may run across sentences, used to widen content to a whole quotation.
#[must_use]
pub fn extract(
    text: &str,
    sentences: &[Range<usize>],
    quotes: &[Range<usize>],
    lex: &AttributionLexicon,
) -> Vec<Attribution> {
    let mut out: Vec<Attribution> = Vec::new();
    for (si, sr) in sentences.iter().enumerate() {
        let toks = tokenize(text, sr.clone(), lex);
        // Cues inside a quotation belong to the quoted speaker's own words ("I think ..."); news attribution
        // is about who said the quotation, so they are left out.
        let inside_quote = |r: &Range<usize>| quotes.iter().any(|q| q.start < r.start && r.end < q.end);
        // The checks between cues of one sentence are pairwise: past the cap, cues are left unread so that a
        // pathological sentence ("he said that" a thousand times) costs time linear in its length.
        let hits: Vec<CueHit> = find_cues(&toks, lex)
            .into_iter()
            .filter(|h| span_of(&toks, h.toks.clone()).is_none_or(|r| !inside_quote(&r)))
            .take(lex.max_cues_per_sentence)
            .collect();
        let mut found_here: Vec<Attribution> = Vec::new();
        if let Some(a) = headline_colon(text, &toks, lex) {
            found_here.push(Attribution { sentence: si, ..a });
        }
        let mut last_source: Option<(Range<usize>, Vec<Range<usize>>)> = None;
        // A participle inherits the source (and chain) of the attribution before it in the sentence.
        for (hi, h) in hits.iter().enumerate() {
            // Each cue's patterns look through the sentence's tokens.
            credence_model::work::add(toks.len());
            let next_cue = hits.get(hi + 1).map(|n| n.toks.start);
            let found = match h.info.kind {
                CueKind::According => according(&toks, h, lex),
                CueKind::Verb { recipient } => verb(&toks, h, recipient, next_cue, last_source.as_ref(), lex),
            };
            let Some(mut a) = found else { continue };
            a.sentence = si;
            a.class = h.info.class;
            a.cue = span_of(&toks, h.toks.clone()).unwrap_or(sr.start..sr.start);

            if let Some(s) = &a.source {
                last_source = Some((s.clone(), a.chain.clone()));
            }
            found_here.push(a);
        }
        // A cue word inside another attribution's source phrase ("state media, quoting an official, said";
        // "an official quoted by SANA claimed") is a relay of that attribution, not an attribution of its own.
        let regions: Vec<Range<usize>> = found_here
            .iter()
            .filter(|a| a.pattern != Pattern::Participle)
            .filter_map(|a| a.source.as_ref().filter(|s| s.end <= a.cue.start).map(|s| s.start..a.cue.start))
            .collect();
        found_here.retain(|a| !regions.iter().any(|r| r.start < a.cue.start && a.cue.end <= r.end));
        // A belief or wish reported inside someone's statement ("voters say they want ...") is part of that
        // statement's content; and "I think", "you know" in the writer's or a transcript's voice are not
        // attributions of facts.
        let contents: Vec<(Range<usize>, CueClass)> =
            found_here.iter().filter_map(|a| a.content.clone().map(|c| (c, a.class))).collect();
        // An interrupted quotation: `“A,” he said, “B.”` — the second part is the same statement.
        for a in &mut found_here {
            if !matches!(a.pattern, Pattern::ContentSourceCue | Pattern::ContentCueSource) {
                continue;
            }
            let after = a.source.as_ref().map_or(a.cue.end, |s| s.end.max(a.cue.end));
            if let Some(q) = toks.iter().position(|t| t.span.start >= after && t.kind == TokKind::OpenQuote)
                && toks[..q].iter().rev().take_while(|t| t.span.start >= after).all(|t| {
                    matches!(t.kind, TokKind::Comma | TokKind::End | TokKind::Colon)
                        || lex.is(&lex.time_words, &t.low)
                        || t.span.start < after
                })
            {
                let end = trim_end(&toks, toks.len());
                if end > q {
                    a.content_more.push(toks[q].span.start..toks[end - 1].span.end);
                }
            }
        }
        found_here.retain(|a| {
            let weak = matches!(a.class, CueClass::Hedged | CueClass::Intention)
                || text.part(a.cue.clone()).eq_ignore_ascii_case("know");
            if !weak {
                return true;
            }
            let first_person = a
                .source
                .as_ref()
                .is_some_and(|s| matches!(text.part(s.clone()).to_lowercase().as_str(), "i" | "we" | "you"));
            let nested = contents.iter().any(|(c, class)| {
                !matches!(class, CueClass::Hedged | CueClass::Intention) && c.start <= a.cue.start && a.cue.end <= c.end
            });
            !first_person && !nested
        });
        // Following sentences of the same paragraph that are nothing but a quotation continue it.
        if found_here.is_empty() && !toks.is_empty() && toks[0].kind == TokKind::OpenQuote && si > 0 {
            let gap = text.part(sentences[si - 1].end.min(sr.start)..sr.start);
            if let Some(last) = out.last_mut()
                && last.sentence + 1 == si
                && !gap.contains('\n')
                && matches!(last.pattern, Pattern::ContentSourceCue | Pattern::ContentCueSource)
                && last.content.as_ref().is_some_and(|c| text.part(c.clone()).starts_with(['“', '"', '‘', '\'']))
            {
                let end = trim_end(&toks, toks.len());
                if end > 0 {
                    last.content_more.push(sr.start..toks[end - 1].span.end);
                    last.sentence = si;
                }
                continue;
            }
        }
        out.append(&mut found_here);
    }
    for a in &mut out {
        if let Some(c) = &a.content {
            let c = strip_dateline(text, widen_to_quotes(c.clone(), quotes));
            // Punctuation left at the front (", “...”", ": ...") is not content.
            let skip = text
                .part(c.clone())
                .find(|ch: char| !matches!(ch, ',' | ':' | ';' | '—' | '–' | '-' | ' '))
                .unwrap_or(0);
            a.content = Some(c.start + skip..c.end);
        }
        for c in &mut a.content_more {
            *c = widen_to_quotes(c.clone(), quotes);
        }
    }
    out
}

/// `NAME: content` at the head of a sentence, the headline form of attribution ("Graham: Trump’s rhetoric
/// is destroying the party").
fn headline_colon(text: &str, toks: &[Tok], lex: &AttributionLexicon) -> Option<Attribution> {
    let colon = toks.iter().take(9).position(|t| t.kind == TokKind::Colon)?;
    if colon == 0 || toks[0].kind != TokKind::Cap || colon + 1 >= toks.len() {
        return None;
    }
    let head = &toks[..colon];
    // A speaker's name is one to four capitalised words ("Graham", "John McCain", "Dr. Ben Carson"): a
    // dateline in capitals ("BEIRUT:") or a topic label with lower-case words ("Syria conflict:") is not.
    let all_caps = |t: &Tok| {
        let w = text.part(t.span.clone());
        w.chars().filter(|c| c.is_alphabetic()).count() > 1 && !w.chars().any(char::is_lowercase)
    };
    let ok = head.len() <= 4
        && !(head.len() == 1 && all_caps(&head[0]))
        && head.iter().all(|t| {
            (t.kind == TokKind::Cap || matches!(t.low.as_ref(), "al" | "de" | "bin" | "van" | "von" | "."))
                && !lex.cues.contains_key(t.low.as_ref())
        })
        && !head.iter().any(|t| lex.is(&lex.not_speakers, &t.low) || t.low.chars().all(|c| c.is_ascii_digit()));
    if !ok {
        return None;
    }
    let mut a = blank(Pattern::SourceCueContent);
    a.cue = toks[colon].span.clone();
    a.source = span_of(toks, 0..colon);
    a.chain = a.source.clone().into_iter().collect();
    a.content = span_of(toks, colon + 1..trim_end(toks, toks.len()));
    a.content.is_some().then_some(a)
}

/// Drops a dateline at the start of a range: "BEIRUT, April 25 — Fighters ..." -> "Fighters ...". A dateline is
/// a word in capitals, then up to a few words (a date, an agency in brackets), then a dash.
#[must_use]
pub fn strip_dateline(text: &str, r: Range<usize>) -> Range<usize> {
    let s = text.part(r.clone());
    if let Some(n) = credited_opening_len(s) {
        return r.start + n..r.end;
    }
    let head: String = s.chars().take_while(|c| c.is_alphabetic()).collect();
    if head.chars().count() < 3 || !head.chars().all(char::is_uppercase) {
        return r;
    }
    let mut cut = s.len().min(60);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = s.part(..cut);
    let dash = ["—", "–", " - ", "--", ":"].iter().filter_map(|d| window.find(d).map(|p| (p, d.len()))).min();
    match dash {
        Some((p, len)) if window.part(..p).split_whitespace().count() <= 6 => {
            let rest = s.part(p + len..);
            let lead = rest.len() - rest.trim_start().len();
            r.start + p + len + lead..r.end
        }
        _ => r,
    }
}

/// Where the text after a credited opening begins, "(CNN) - " or "New York (Reuters) — " (the shape is
/// ingestion's, [`crate::ingest::credited_opening_shape`]), when the brackets hold a capitalised name of at
/// most four words. `None` when the text does not open so.
fn credited_opening_len(s: &str) -> Option<usize> {
    let shape = crate::ingest::credited_opening_shape(s)?;
    let name = s.part(shape.credit.clone());
    let words: Vec<&str> = name.split_whitespace().collect();
    (!words.is_empty() && words.len() <= 4 && words.iter().all(|x| x.starts_with(char::is_uppercase)))
        .then_some(shape.rest)
}

/// A content range that starts or ends inside a quotation is widened to the whole quotation.
fn widen_to_quotes(mut c: Range<usize>, quotes: &[Range<usize>]) -> Range<usize> {
    for q in quotes {
        let overlaps = q.start < c.end && c.start < q.end;
        if overlaps && (q.start < c.start || q.end > c.end) && (q.start <= c.start + 3 || q.end + 3 >= c.end) {
            c = c.start.min(q.start)..c.end.max(q.end);
        }
    }
    c
}

fn blank(pattern: Pattern) -> Attribution {
    Attribution {
        sentence: 0,
        cue: 0..0,
        class: CueClass::Neutral,
        source: None,
        chain: Vec::new(),
        content: None,
        content_more: Vec::new(),
        recipient: None,
        channel: None,
        pattern,
    }
}

/// `according to SOURCE, CONTENT` and `CONTENT, according to SOURCE`.
fn according(toks: &[Tok], h: &CueHit, lex: &AttributionLexicon) -> Option<Attribution> {
    let mut a = blank(Pattern::According);
    let mut src = np_forward(toks, h.toks.end, lex)?;
    // "according to a tally by the AP", "according to a report from the monitor": the source is the author.
    if let Some(by) = toks[src.clone()].iter().position(|t| t.low == "by" || t.low == "from") {
        let k = src.start + by;
        if k > src.start && lex.is(&lex.nouns, &toks[k - 1].low) && k + 1 < src.end {
            src = k + 1..src.end;
        }
    }
    a.source = span_of(toks, src.clone());
    a.chain = chain_in(toks, src.clone(), lex);
    let before = trim_end(toks, h.toks.start);
    if before > 0 {
        a.content = span_of(toks, 0..before);
    } else {
        let mut k = src.end;
        while k < toks.len() && matches!(toks[k].kind, TokKind::Comma) {
            k += 1;
        }
        a.content = span_of(toks, k..trim_end(toks, toks.len()));
    }
    Some(a)
}

/// Reads the chain inside a source phrase: "an official quoted by SANA" names SANA as the relay and the
/// official as the origin, so the chain is `[SANA, an official]`; a plain phrase is a chain of one.
fn chain_in(toks: &[Tok], r: Range<usize>, lex: &AttributionLexicon) -> Vec<Range<usize>> {
    for k in r.clone() {
        for rel in &lex.relays {
            let passive = rel.len() > 1 && rel[1] == "by";
            if passive
                && k + rel.len() <= r.end
                && rel.iter().zip(&toks[k..]).all(|(w, t)| *w == t.low)
                && let (Some(origin), Some(relay)) = (span_of(toks, r.start..k), span_of(toks, k + rel.len()..r.end))
            {
                return vec![relay, origin];
            }
        }
    }
    span_of(toks, r).into_iter().collect()
}

fn verb(
    toks: &[Tok],
    h: &CueHit,
    recipient: bool,
    next_cue: Option<usize>,
    last_source: Option<&(Range<usize>, Vec<Range<usize>>)>,
    lex: &AttributionLexicon,
) -> Option<Attribution> {
    // A cue word followed straight by a finite verb is a noun, the subject of that verb ("the fare offer was
    // not improved", "the view is clear"): no attribution. Verb forms are exempt (see `verbs_only`).
    let single = h.toks.len() == 1;
    let cue_word = &toks[h.toks.start].low;
    let verb_form = cue_word.ends_with("ed") || cue_word.ends_with("ing") || lex.is(&lex.verbs_only, cue_word);
    if single
        && !verb_form
        && toks.get(h.toks.end).is_some_and(|t| {
            matches!(
                t.low.as_ref(),
                "is" | "was"
                    | "were"
                    | "are"
                    | "has"
                    | "had"
                    | "have"
                    | "will"
                    | "would"
                    | "could"
                    | "should"
                    | "can"
                    | "may"
                    | "might"
                    | "must"
                    | "does"
                    | "did"
            )
        })
    {
        return None;
    }
    let before = skip_between_back(toks, h.toks.start, lex);
    let prev = before.checked_sub(1).map(|p| &toks[p]);
    // Where the content on the right would end: before ", adding ..." or the next attribution's clause.
    let right_end = |from: usize| -> usize {
        let mut end = trim_end(toks, toks.len());
        if let Some(nc) = next_cue
            && from < nc
            && let Some(comma) = toks[from..nc].iter().rposition(|t| t.kind == TokKind::Comma)
        {
            let c = from + comma;
            // Only when what follows the comma is another attribution clause.
            if nc <= c + 6 {
                end = end.min(c);
            }
        }
        // "X said A and said B": the first content ends before the second verb.
        if let Some(nc) = next_cue
            && nc >= from + 2
            && matches!(toks[nc - 1].low.as_ref(), "and" | "but")
        {
            end = end.min(nc - 1);
        }
        end
    };

    // Participle after a comma ("..., saying ...", "..., adding that ..."), or a second verb of the same
    // subject ("X praised Y and said ..."): the source is the clause's subject.
    let word = &toks[h.toks.start].low;
    let participle = word.ends_with("ing") && prev.is_some_and(|p| p.kind == TokKind::Comma);
    let coordinated = prev.is_some_and(|p| matches!(p.low.as_ref(), "and" | "but" | "then"));
    // "Barkley, who said he votes Democratic, ...": the relative pronoun is the source as written (the
    // chain names the person it stands for).
    if prev.is_some_and(|p| matches!(p.low.as_ref(), "who" | "which")) {
        let mut a = blank(Pattern::SourceCueContent);
        a.source = span_of(toks, before - 1..before);
        a.chain = match (before >= 2 && toks[before - 2].kind == TokKind::Comma)
            .then(|| np_backward(toks, before - 2, lex))
            .flatten()
        {
            Some(src) => chain_in(toks, src, lex),
            None => a.source.clone().into_iter().collect(),
        };
        let (k, channel) = skip_after_cue(toks, h.toks.end, lex);
        a.channel = channel;
        let end = toks[k..].iter().position(|t| t.kind == TokKind::Comma).map_or(right_end(k), |c| k + c);
        a.content = span_of(toks, k..end);
        return a.content.is_some().then_some(a);
    }
    // "issued a statement saying ...": the participle's subject is the one who issued the statement.
    let after_document = word.ends_with("ing") && prev.is_some_and(|p| lex.is(&lex.nouns, &p.low));
    if participle || coordinated || after_document {
        let mut a = blank(Pattern::Participle);
        let (start, channel) = skip_after_cue(toks, h.toks.end, lex);
        a.channel = channel;
        a.content = span_of(toks, start..right_end(start));
        if let Some((s, chain)) = last_source {
            a.source = Some(s.clone());
            a.chain = chain.clone();
        } else {
            // The clause subject: a noun phrase at the start of the sentence, after an introductory phrase
            // ("In an interview on Sunday, the senator ...", "But ...", "However, ...").
            let mut k = 0;
            while k < toks.len() && !is_wordish(&toks[k]) {
                k += 1;
            }
            if toks.get(k).is_some_and(|t| {
                matches!(t.low.as_ref(), "but" | "and" | "so" | "yet" | "still" | "however" | "meanwhile" | "instead")
            }) {
                k += 1;
            }
            let intro = toks.get(k).is_some_and(|t| lex.is(&lex.stop, &t.low) || lex.is(&lex.adverbs, &t.low));
            if intro && let Some(c) = toks[k..h.toks.start].iter().position(|t| t.kind == TokKind::Comma) {
                k += c + 1;
            }
            if let Some(r) = np_forward(toks, k, lex) {
                a.source = span_of(toks, r.clone());
                a.chain = chain_in(toks, r, lex);
            }
        }
        return a.content.is_some().then_some(a);
    }

    // Cue right after the content: "“...,” said X." or "..., said X." — unless the comma closes an
    // appositive or relay parenthetical of a source before the cue ("X, head of Y, told"), and never for
    // "told", whose following noun phrase is the addressee.
    let cue_after_comma = prev.is_some_and(|p| matches!(p.kind, TokKind::Comma | TokKind::CloseQuote));
    let appositive = cue_after_comma
        && prev.is_some_and(|p| p.kind == TokKind::Comma)
        && source_before(toks, before, lex).0.is_some();
    if cue_after_comma && !appositive && !recipient {
        let content_end = trim_end(toks, before);
        // Inverted: "said X" up to the end of the sentence.
        let (start, channel) = skip_after_cue(toks, h.toks.end, lex);
        let inverted = np_forward(toks, start, lex);
        if content_end > 0 {
            let mut a = blank(Pattern::ContentCueSource);
            a.channel = channel;
            a.content = span_of(toks, content_start(toks, content_end)..content_end);
            if let Some(src) = inverted {
                a.source = span_of(toks, src.clone());
                a.chain = chain_in(toks, src, lex);
                return Some(a);
            }
        }
    }

    // "X seems/appears to ...": X is what the content is about, not who says it; a passive cue ("is
    // expected", "was criticized") has no source before it.
    // A progressive ("is saying", "has been reporting") is active: its subject is the source.
    let passive = before < h.toks.start
        && !word.ends_with("ing")
        && toks[before..h.toks.start]
            .iter()
            .any(|t| matches!(t.low.as_ref(), "is" | "was" | "are" | "were" | "been" | "be" | "being"));
    let seems =
        h.toks.len() == 1 && matches!(word.as_ref(), "seem" | "seems" | "seemed" | "appear" | "appears" | "appeared");
    if seems || passive {
        let (k, channel) = skip_after_cue(toks, h.toks.end, lex);
        let mut a = blank(Pattern::SourceCueContent);
        a.channel = channel;
        a.content = span_of(toks, k..right_end(k));
        // A passive agent: "was criticized by X".
        if passive
            && toks.get(k).is_some_and(|t| t.low == "by")
            && let Some(np) = np_forward(toks, k + 1, lex)
        {
            a.source = span_of(toks, np.clone());
            a.chain = chain_in(toks, np, lex);
        }
        return a.content.is_some().then_some(a);
    }

    // Source before the cue.
    let (source_toks, appositive_start) = source_before(toks, before, lex);
    let source_toks = source_toks?;
    let mut a = blank(Pattern::SourceCueContent);
    a.source = span_of(toks, source_toks.clone());
    a.chain = chain_in(toks, source_toks.clone(), lex);
    a.chain.extend(parenthetical_relays(toks, source_toks.end, before, lex));

    // What comes after the cue: recipient, channel, time, then content.
    let mut k = h.toks.end;
    if recipient && let Some(r) = np_forward(toks, k, lex) {
        // "told AFP that ..." / "told AFP news agency."
        a.recipient = span_of(toks, r.clone());
        k = r.end;
    }
    let (k2, channel) = skip_after_cue(toks, k, lex);
    a.channel = channel;
    k = k2;
    while k < toks.len() && toks[k].kind == TokKind::Colon {
        k += 1;
    }
    // Punctuation left between the cue and its content (", “...”", ": ...") is not content.
    while k < toks.len() && matches!(toks[k].kind, TokKind::Comma | TokKind::Colon | TokKind::Dash | TokKind::End) {
        k += 1;
    }
    let end = right_end(k);
    let start_of_source = appositive_start.unwrap_or(source_toks.start);
    // "“...,” he said in making his announcement": when a quotation (or clause) ends in a comma right before
    // the source and only a prepositional phrase follows the cue, the content is the part before.
    let before_is_content = start_of_source >= 2
        && toks[start_of_source - 1].kind == TokKind::CloseQuote
        && toks[start_of_source - 2].kind == TokKind::Comma
        || start_of_source >= 2
            && toks[start_of_source - 1].kind == TokKind::Comma
            && toks[start_of_source - 2].kind == TokKind::CloseQuote;
    let after_is_phrase = toks.get(k).is_some_and(|t| {
        matches!(
            t.low.as_ref(),
            "in" | "at"
                | "on"
                | "during"
                | "while"
                | "after"
                | "before"
                | "with"
                | "to"
                | "as"
                | "from"
                | "outside"
                | "inside"
        )
    });
    if k < end && !(before_is_content && after_is_phrase) {
        // "said in an e-mail that ...", "concluded in that case that ...": the content starts at "that".
        if after_is_phrase && let Some(t) = toks[k..end.min(k + 10)].iter().position(|t| t.low == "that") {
            k += t;
        }
        // A relative clause hung on the last noun ("..., for whom he was raising money") is the writer's
        // addition, not part of what was said.
        let end = toks[k..end]
            .iter()
            .enumerate()
            .position(|(i, t)| {
                t.kind == TokKind::Comma
                    && toks
                        .get(k + i + 1)
                        .is_some_and(|n| matches!(n.low.as_ref(), "but" | "while" | "although" | "though"))
                    || t.kind == TokKind::Comma
                        && toks.get(k + i + 1).is_some_and(|n| n.low == "and")
                        && toks
                            .get(k + i + 2)
                            .is_some_and(|n| matches!(n.low.as_ref(), "he" | "she" | "they" | "it" | "we" | "i"))
                    || t.kind == TokKind::Comma
                        && toks
                            .get(k + i + 1)
                            .is_some_and(|n| matches!(n.low.as_ref(), "who" | "whom" | "which" | "whose" | "where"))
                    || t.kind == TokKind::Comma
                        && toks.get(k + i + 1).is_some_and(|n| n.low == "for")
                        && toks.get(k + i + 2).is_some_and(|n| matches!(n.low.as_ref(), "whom" | "which"))
            })
            .map_or(end, |p| k + p);
        a.content = span_of(toks, k..end);
    } else if start_of_source > 0 {
        // Nothing after the cue: the content is what precedes the source ("CONTENT, X said.").
        let ce = trim_end(toks, start_of_source);
        if ce > 0 {
            a.pattern = Pattern::ContentSourceCue;
            a.content = span_of(toks, content_start(toks, ce)..ce);
        }
    }
    if a.content.is_none() && a.recipient.is_none() {
        return None;
    }
    Some(a)
}

/// The start of content that ends at `end`: the sentence start, or the opening quote of a quoted passage.
fn content_start(toks: &[Tok], end: usize) -> usize {
    // Skip leading dashes or conjunctions glued to the sentence start.
    let mut s = 0;
    while s < end && matches!(toks[s].kind, TokKind::Dash | TokKind::Other) {
        s += 1;
    }
    s
}

/// Finds the source before a cue. Handles appositives ("Rami Abdel Rahman, head of the SOHR, told") and
/// relay parentheticals ("state media, quoting an official, said"). Returns the source tokens and, for an
/// appositive, where the whole source phrase starts.
fn source_before(toks: &[Tok], before: usize, lex: &AttributionLexicon) -> (Option<Range<usize>>, Option<usize>) {
    if before == 0 {
        return (None, None);
    }
    if toks[before - 1].kind != TokKind::Comma {
        return (np_backward(toks, before, lex), None);
    }
    // ", DESCRIPTION, CUE", ", who ..., CUE", ", quoting Y, CUE", or several of them ("Rami Abdel Rahman, who runs
    // the Observatory, or SOHR, told"): walk back over up to three comma-separated parentheticals to the name.
    let inner_end = before - 1;
    let mut end = inner_end;
    let mut relay = false;
    for _ in 0..3 {
        let open = toks[..end]
            .iter()
            .rposition(|t| matches!(t.kind, TokKind::Comma | TokKind::CloseQuote | TokKind::OpenQuote | TokKind::End));
        let Some(open) = open else { return (None, None) };
        if toks[open].kind != TokKind::Comma || open == 0 || open + 1 >= end {
            return (None, None);
        }
        let first = &toks[open + 1];
        let is_relay = lex.relays.iter().any(|r| r[0] == first.low);
        let is_relative = matches!(first.low.as_ref(), "who" | "whose" | "which");
        // "or SOHR", "also known as ...": another name for the same source.
        let is_alias = matches!(first.low.as_ref(), "or" | "also" | "aka")
            && toks[open + 2..end].iter().any(|t| t.kind == TokKind::Cap);
        let is_description =
            first.kind == TokKind::Word && (lex.is(&lex.determiners, &first.low) || !lex.is(&lex.stop, &first.low));
        if !(is_relay || is_relative || is_alias || is_description) {
            return (None, None);
        }
        relay |= is_relay;
        match np_backward(toks, open, lex) {
            Some(h) if toks[h.clone()].iter().any(|t| t.kind == TokKind::Cap) || is_relay || is_relative => {
                // Directly after a comma, the "name" is itself a parenthetical: keep walking.
                if h.start > 0
                    && toks[h.start - 1].kind == TokKind::Comma
                    && !toks[h.clone()].iter().any(|t| t.kind == TokKind::Cap)
                {
                    end = h.start - 1;
                    continue;
                }
                if relay {
                    // "X, quoting Y, said": the source is X; Y is taken up by `parenthetical_relays`.
                    return (Some(h.clone()), Some(h.start));
                }
                // Name plus descriptions: the source is the whole "Name, description".
                return (Some(h.start..inner_end), Some(h.start));
            }
            _ => end = open,
        }
    }
    (None, None)
}

/// Relays named in a parenthetical between the source and the cue: ", quoting an unnamed military official,".
fn parenthetical_relays(toks: &[Tok], from: usize, to: usize, lex: &AttributionLexicon) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut k = from;
    while k < to {
        if let Some(rel) =
            lex.relays.iter().find(|r| k + r.len() <= to && r.iter().zip(&toks[k..]).all(|(w, t)| *w == t.low))
        {
            let start = k + rel.len();
            if let Some(np) = np_forward(toks, start, lex)
                && np.end <= to
            {
                if let Some(s) = span_of(toks, np.clone()) {
                    out.push(s);
                }
                k = np.end;
                continue;
            }
        }
        k += 1;
    }
    out
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    /// Cue, class, source, content and chain of each attribution, as text.
    type Found = (String, String, Option<String>, Option<String>, Vec<String>);

    fn run(s: &str) -> Vec<Found> {
        let lex = AttributionLexicon::builtin();
        let sentences = vec![0..s.len()];
        extract(s, &sentences, &[], &lex)
            .into_iter()
            .map(|a| {
                (
                    s[a.cue.clone()].to_string(),
                    format!("{:?}", a.class),
                    a.source.map(|r| s[r].to_string()),
                    a.content.map(|r| s[r].to_string()),
                    a.chain.iter().map(|r| s[r.clone()].to_string()).collect(),
                )
            })
            .collect()
    }

    fn one(s: &str) -> (String, Option<String>, Option<String>) {
        let v = run(s);
        assert!(!v.is_empty(), "no attribution in {s:?}");
        (v[0].0.clone(), v[0].2.clone(), v[0].3.clone())
    }

    #[test]
    fn source_cue_content() {
        let (cue, src, content) = one("The monitor said that rebels held the town.");
        assert_eq!(
            (cue.as_str(), src.as_deref(), content.as_deref()),
            ("said", Some("The monitor"), Some("that rebels held the town"))
        );
        let (_, src, content) = one("Rebel fighters said on their official Twitter account: “The town is ours.”");
        assert_eq!(src.as_deref(), Some("Rebel fighters"));
        assert_eq!(content.as_deref(), Some("“The town is ours.”"));
        let (_, src, _) = one("He has also said the figures were wrong.");
        assert_eq!(src.as_deref(), Some("He"));
    }

    #[test]
    fn content_source_cue_and_inverted() {
        let (cue, src, content) = one("Troops left the town on Friday, the group said on Saturday.");
        assert_eq!(
            (cue.as_str(), src.as_deref(), content.as_deref()),
            ("said", Some("the group"), Some("Troops left the town on Friday"))
        );
        let (_, src, content) = one("“We hold the whole town now,” said Omar from the group's media office.");
        assert_eq!(src.as_deref(), Some("Omar from the group's media office"));
        assert_eq!(content.as_deref(), Some("“We hold the whole town now,”"));
    }

    #[test]
    fn appositive_and_recipient() {
        let s = "“They fled,” Sami Haddad, head of the Regional Monitor (RM), told AFP news agency.";
        let lex = AttributionLexicon::builtin();
        let a = &extract(s, &[0..s.len()], &[], &lex)[0];
        assert_eq!(&s[a.source.clone().unwrap()], "Sami Haddad, head of the Regional Monitor (RM)");
        assert_eq!(&s[a.recipient.clone().unwrap()], "AFP news agency");
        assert_eq!(&s[a.content.clone().unwrap()], "“They fled,”");
    }

    #[test]
    fn according_to_both_orders() {
        let (cue, src, content) = one("According to local activists, the army withdrew overnight.");
        assert_eq!(
            (cue.as_str(), src.as_deref(), content.as_deref()),
            ("According to", Some("local activists"), Some("the army withdrew overnight"))
        );
        let (_, src, content) = one("At least 60 soldiers died, according to the monitor.");
        assert_eq!((src.as_deref(), content.as_deref()), (Some("the monitor"), Some("At least 60 soldiers died")));
    }

    #[test]
    fn relays() {
        let v = run("State media, quoting an unnamed officer, said the army had regrouped.");
        assert_eq!(v[0].2.as_deref(), Some("State media"));
        assert_eq!(v[0].4, vec!["State media".to_string(), "an unnamed officer".to_string()]);
        assert_eq!(v[0].3.as_deref(), Some("the army had regrouped"));
        let v = run("An army officer quoted by the state agency claimed the city was calm.");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].4, vec!["the state agency".to_string(), "An army officer".to_string()]);
    }

    #[test]
    fn classes_and_participles() {
        let v = run("A pro-rebel account claimed victory on Saturday, saying the town had been freed.");
        assert_eq!(v[0].1, "Distancing");
        assert_eq!(v[1].0, "saying");
        assert_eq!(v[1].2.as_deref(), Some("A pro-rebel account"));
        assert_eq!(v[1].3.as_deref(), Some("the town had been freed"));
        assert_eq!(run("The ministry denied that any prisoners were harmed.")[0].1, "Denial");
    }

    #[test]
    fn progressive_and_sentence_final_cues() {
        // A progressive is active: its subject says it ("is reporting", "has been claiming").
        let (cue, src, content) = one("The Courier is reporting that Brantco plans to fire its chief.");
        assert_eq!(
            (cue.as_str(), src.as_deref(), content.as_deref()),
            ("reporting", Some("The Courier"), Some("that Brantco plans to fire its chief"))
        );
        let (_, src, _) = one("The mayor has been claiming that the plant will move.");
        assert_eq!(src.as_deref(), Some("The mayor"));
        // A noun-like cue at the end of the sentence, straight after a name, is a trailing attribution.
        let (cue, src, content) = one("Brantco will open a shop in Portmere, the Daily Courier reports.");
        assert_eq!(
            (cue.as_str(), src.as_deref(), content.as_deref()),
            ("reports", Some("the Daily Courier"), Some("Brantco will open a shop in Portmere"))
        );
        // ... but not after a common noun, and a passive keeps no source before it.
        assert!(run("The council denied the police reports.").iter().all(|a| a.0 != "reports"));
        assert_eq!(one("The plan was reported to the board.").1, None);
    }

    #[test]
    fn nouns_are_not_cues() {
        assert!(run("Syrian state television showed the square.").iter().all(|a| a.0 != "state"));
        assert!(run("The claims could not be checked.").is_empty());
        assert!(run("Reports from the city were scarce.").is_empty());
    }

    #[test]
    fn datelines_and_credited_openings_are_stripped() {
        let cases = [
            ("BEIRUT, April 25 \u{2014} Fighters took the town.", "Fighters took the town."),
            ("(CNN) - The singer was seen at a clinic.", "The singer was seen at a clinic."),
            ("New York (Reuters) \u{2014} Shares fell on Monday.", "Shares fell on Monday."),
            ("The council (in a statement) - said no.", "The council (in a statement) - said no."),
            ("Police said (Reuters) - nothing more.", "Police said (Reuters) - nothing more."),
        ];
        for (text, want) in cases {
            let r = strip_dateline(text, 0..text.len());
            assert_eq!(&text[r], want, "{text:?}");
        }
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Any text, cut into any sentences, gives attributions whose spans lie inside the text.
        #[test]
        fn never_panics_and_spans_are_in_bounds(
            words in prop::collection::vec(prop::sample::select(vec![
                "said", "told", "according", "to", "the", "group", ",", ".", ":", "“", "”", "\"", "'", "(", ")", "—",
                "He", "Rami", "Abdel", "that", "claimed", "saying", "quoting", "quoted", "by", "AFP", "who", "and",
                "in", "a", "statement", "on", "Twitter", "Saturday", "reportedly", "é", "x", "\n", "BEIRUT", "CNN", "—",
                "–", "-", "“faker”", "Ω",
            ]), 0..60),
            cuts in prop::collection::vec(0usize..400, 0..6),
        ) {
            let text = words.join(" ");
            let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(text.len())).filter(|&c| text.is_char_boundary(c)).collect();
            bounds.push(0);
            bounds.push(text.len());
            bounds.sort_unstable();
            bounds.dedup();
            let sentences: Vec<Range<usize>> = bounds.windows(2).map(|w| w[0]..w[1]).collect();
            let lex = AttributionLexicon::builtin();
            for a in extract(&text, &sentences, &[], &lex) {
                for r in std::iter::once(&a.cue).chain(a.source.iter()).chain(a.content.iter()).chain(a.chain.iter()).chain(a.content_more.iter()) {
                    prop_assert!(r.start <= r.end && r.end <= text.len());
                }
            }
        }
    }
}
