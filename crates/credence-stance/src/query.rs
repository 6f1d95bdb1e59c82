//! The claim query and the assessment of sentences and articles against it.

use rustc_hash::FxHashSet as HashSet;

use serde::Serialize;

use crate::lexicon::{Hit, Lexicon, key_of};
use crate::text::{TokKind, Token, number_word, tokenize};
use crate::{Feature, Span, Stance};

/// What kind of claim term a [`QueryTerm`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    /// A capitalised name ("Macaulay Culkin", "HP").
    Entity,
    /// The claim's predicate, as a paraphrase group of the lexicon ("death").
    Predicate,
    /// Another content word, by stem.
    Content,
    /// A number or a number word, by value.
    Number,
}

/// A sentence with its tokens, made once for a sentence assessed against many claims.
#[derive(Debug, Clone)]
pub struct Tokenized {
    toks: Vec<Token>,
    /// Each token's numeric value ([`numeric_key`]), found once rather than once per number term of each claim.
    numeric: Vec<Option<String>>,
    /// The predicate phrases found in it, with the [`crate::lexicon::PhraseSet`] identity that found them.
    predicates: Option<(u64, Vec<Hit>)>,
    /// Which words it holds, made on the first relevance call: a sentence compared with many claims then
    /// answers each term by one lookup instead of a scan of its tokens.
    keys: std::sync::OnceLock<TokenKeys>,
}

/// The words of a sentence as sets: word stems, and every token's matching key ([`key_of`]).
#[derive(Debug, Clone, Default)]
struct TokenKeys {
    stems: HashSet<std::sync::Arc<str>>,
    keys: HashSet<std::sync::Arc<str>>,
}

impl TokenKeys {
    fn of(toks: &[Token]) -> TokenKeys {
        let mut k = TokenKeys::default();
        for t in toks {
            if t.kind == TokKind::Word {
                k.stems.insert(t.stem.clone());
                k.keys.insert(t.stem.clone());
            } else {
                k.keys.insert(t.lower.clone());
            }
        }
        k
    }
}

impl Tokenized {
    /// Tokenises `text`.
    #[must_use]
    pub fn new(text: &str) -> Tokenized {
        let toks = tokenize(text);
        let numeric = toks.iter().map(numeric_key).collect();
        Tokenized { toks, numeric, predicates: None, keys: std::sync::OnceLock::new() }
    }

    /// Tokenises `text` and finds `lexicon`'s predicate phrases in it once: for a sentence compared with many
    /// claims ([`ClaimQuery::relevance_tokenized`]). With another lexicon the phrases are found again, so
    /// the result never depends on which lexicon the sentence was prepared for.
    #[must_use]
    pub fn for_lexicon(text: &str, lexicon: &Lexicon) -> Tokenized {
        let mut t = Tokenized::new(text);
        t.predicates = Some((lexicon.predicate_phrases.id(), lexicon.predicate_phrases.find(&t.toks)));
        t
    }

    /// The predicate phrases of `lexicon` in the sentence: cached when prepared for this lexicon.
    fn predicate_hits<'a>(&'a self, lexicon: &Lexicon) -> std::borrow::Cow<'a, [Hit]> {
        match &self.predicates {
            Some((id, hits)) if *id == lexicon.predicate_phrases.id() => std::borrow::Cow::Borrowed(hits),
            _ => std::borrow::Cow::Owned(lexicon.predicate_phrases.find(&self.toks)),
        }
    }
}

/// One term of the claim, as the query matches it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryTerm {
    /// Kind of term.
    pub kind: TermKind,
    /// The claim's words for it (for a predicate, the group name).
    pub text: String,
    /// Its share of the claim's weight.
    pub weight: f64,
    /// Other forms it is matched by: a surname, an acronym.
    pub aliases: Vec<String>,
    #[serde(skip)]
    forms: Vec<Vec<String>>,
    #[serde(skip)]
    parts: Vec<String>,
    #[serde(skip)]
    group: Option<usize>,
}

/// Whom a claim's predicate is about, as word order shows it: a name of the claim or another noun.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Participant {
    /// One of the claim's entity terms, by index into [`ClaimQuery::terms`]: "X" in "X was killed".
    Entity(usize),
    /// A common noun, by stem: "aide" in "an aide to X was killed", "member" in "killed two members".
    Other(String),
}

/// A claim, parsed once and matched against many sentences.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimQuery {
    /// The claim as given.
    pub claim: String,
    /// Its terms.
    pub terms: Vec<QueryTerm>,
    /// Whether the claim itself is negated ("X did not ..."): a negated predicate then supports it.
    pub negated: bool,
    /// The participant of each predicate whose participant the word order shows, by predicate group (see
    /// [`ClaimQuery::same_participants`]).
    pub participants: Vec<(usize, Participant)>,
    #[serde(skip)]
    claim_keys: HashSet<String>,
}

/// A stance cue found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cue {
    /// The cue's words.
    pub span: Span,
    /// Its kind: a cue kind of the lexicon ("debunk"), or a computed one ("question", "`negated_predicate`",
    /// "contrary", "`negated_refute`", "`negated_confirm`").
    pub kind: String,
}

/// The model features of one sentence, in the lexicon's feature order (for fitting and inspection).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Features(pub Vec<f64>);

/// The assessment of one sentence (or headline).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceAssessment {
    /// Weighted share of the claim's terms the sentence matches, between 0 and 1.
    pub relevance: f64,
    /// Its stance; `Unrelated` below the lexicon's relevance threshold.
    pub stance: Stance,
    /// The stance the sentence's cues point to even when it is unrelated: for a caller who knows the text
    /// is about the claim (a headline filed under it) but whose words do not show it.
    pub leaning: Stance,
    /// The claim terms matched, as byte spans into the sentence.
    pub matched: Vec<Span>,
    /// The stance cues found.
    pub cues: Vec<Cue>,
    /// Why: the feature that decided the stance most ("debunk", "question", ...), "plain" for a supporting
    /// statement without cues, "unrelated" for an unrelated sentence.
    pub reason: String,
    /// The model's features.
    #[serde(skip)]
    pub features: Features,
}

/// One sentence of an article that counted toward its stance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Index into the article's sentences; `None` for the headline.
    pub sentence: Option<usize>,
    /// Its assessment.
    pub assessment: SentenceAssessment,
}

/// The assessment of an article: headline and body sentences combined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleAssessment {
    /// The article's relevance: that of its most relevant part, between 0 and 1.
    pub relevance: f64,
    /// Its stance.
    pub stance: Stance,
    /// Votes for supports, refutes and observing (after the lexicon's factors), for transparency.
    pub votes: [f64; 3],
    /// The relevant sentences that voted, headline first.
    pub evidence: Vec<Evidence>,
}

fn numeric_key(t: &Token) -> Option<String> {
    match t.kind {
        TokKind::Number => {
            let digits: String = t.lower.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
            let digits = digits.trim_end_matches('.').to_string();
            (!digits.is_empty()).then_some(digits)
        }
        TokKind::Word => number_word(&t.lower).map(str::to_string),
        TokKind::Punct => None,
    }
}

/// Entity connectors that may sit inside a name: "Bank of America", "Abu Bakr al-Baghdadi".
const CONNECTORS: [&str; 8] = ["of", "de", "al", "el", "bin", "van", "von", "du"];

impl ClaimQuery {
    /// Parses a claim.
    #[must_use]
    pub fn new(lexicon: &Lexicon, claim: &str) -> ClaimQuery {
        let toks = tokenize(claim);
        let hits = lexicon.predicate_phrases.find(&toks);
        ClaimQuery::parse(lexicon, claim, &toks, &hits)
    }

    /// Parses a claim already tokenised (`tokens` must be `Tokenized::new(claim)`): a caller that also
    /// assesses the claim's own wording tokenises it once.
    #[must_use]
    pub fn from_tokenized(lexicon: &Lexicon, claim: &str, tokens: &Tokenized) -> ClaimQuery {
        ClaimQuery::parse(lexicon, claim, &tokens.toks, &tokens.predicate_hits(lexicon))
    }

    /// `hits` are `lexicon`'s predicate phrases in `toks`.
    fn parse(lexicon: &Lexicon, claim: &str, toks: &[Token], hits: &[Hit]) -> ClaimQuery {
        let keys: Vec<&str> = toks.iter().map(key_of).collect();
        let mut used = vec![false; toks.len()];
        let mut terms = Vec::new();

        // The predicate: paraphrase groups whose phrases the claim uses.
        let mut groups: Vec<usize> = Vec::new();
        for hit in hits {
            for u in &mut used[hit.toks.clone()] {
                *u = true;
            }
            if !groups.contains(&hit.group) {
                groups.push(hit.group);
            }
        }
        for &g in &groups {
            terms.push(QueryTerm {
                kind: TermKind::Predicate,
                text: lexicon.predicates[g].name.clone(),
                weight: lexicon.w_predicate / groups.len() as f64,
                aliases: Vec::new(),
                forms: Vec::new(),
                parts: Vec::new(),
                group: Some(g),
            });
        }

        // Entities: runs of capitalised words (with connectors inside), and all-capital acronyms.
        let is_stop = |t: &Token| lexicon.stopwords.contains(&*t.lower) || lexicon.negators.contains(&*t.lower);
        let is_name = |t: &Token| t.kind == TokKind::Word && t.cap && !lexicon.not_names.contains(&*t.lower);
        // The claim's first word is capitalised because it opens the sentence: alone ("Woman dies after …")
        // it is no name, only a content word; an acronym or a run of capitals ("Macaulay Culkin …") still is.
        let first_word = toks.iter().position(|t| t.kind == TokKind::Word);
        // The entity term each token belongs to, for reading predicates' participants.
        let mut entity_at: Vec<Option<usize>> = vec![None; toks.len()];
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            // A capitalised stopword opens a name only inside the claim and before another capital:
            // "The New York Police ...".
            let next_cap = toks.get(i + 1).is_some_and(|n| is_name(n) && !is_stop(n));
            let alone_first = Some(i) == first_word && !next_cap && !t.all_caps;
            let starts = is_name(t) && !used[i] && (!is_stop(t) || i > 0 && next_cap) && !alone_first;
            if !starts {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < toks.len() {
                let u = &toks[j];
                if is_name(u) && !used[j] {
                    j += 1;
                } else if CONNECTORS.contains(&&*u.lower) && toks.get(j + 1).is_some_and(is_name) {
                    j += 2;
                } else {
                    break;
                }
            }
            let run = &toks[i..j];
            let words: Vec<&Token> = run.iter().filter(|t| !CONNECTORS.contains(&&*t.lower)).collect();
            let full: Vec<String> = run.iter().map(|t| t.stem.to_string()).collect();
            let mut forms = vec![full];
            let mut aliases = Vec::new();
            if words.len() >= 2 {
                let last = words[words.len() - 1];
                // A surname stands for a person; "Department" does not stand for a police department.
                let organisation = words.iter().any(|t| lexicon.organisation_words.contains(&*t.lower));
                if last.lower.chars().count() > 2 && !is_stop(last) && !organisation {
                    forms.push(vec![last.stem.to_string()]);
                    aliases.push(claim[last.start..last.end].to_string());
                }
                let acronym: String = words.iter().filter_map(|t| t.lower.chars().next()).collect();
                if acronym.chars().count() >= 2 {
                    forms.push(vec![acronym.clone()]);
                    aliases.push(acronym.to_uppercase());
                }
            }
            let parts = words.iter().filter(|t| !is_stop(t)).map(|t| t.stem.to_string()).collect();
            terms.push(QueryTerm {
                kind: TermKind::Entity,
                text: claim[run[0].start..run[run.len() - 1].end].to_string(),
                weight: lexicon.w_entity,
                aliases,
                forms,
                parts,
                group: None,
            });
            for (u, e) in used[i..j].iter_mut().zip(&mut entity_at[i..j]) {
                *u = true;
                *e = Some(terms.len() - 1);
            }
            i = j;
        }
        let participants = match &lexicon.participants {
            Some(words) => {
                let reader = Reader { claim, toks, entity_at: &entity_at, words, is_stop: &is_stop };
                let mut found: Vec<(usize, Participant)> = Vec::new();
                for hit in hits {
                    if found.iter().any(|(g, _)| *g == hit.group) {
                        continue;
                    }
                    if let Some(p) = reader.participant(hit.toks.clone()) {
                        found.push((hit.group, p));
                    }
                }
                found
            }
            None => Vec::new(),
        };

        // Numbers and the remaining content words.
        for (k, t) in toks.iter().enumerate() {
            if used[k] {
                continue;
            }
            if let Some(n) = numeric_key(t) {
                terms.push(QueryTerm {
                    kind: TermKind::Number,
                    text: claim[t.start..t.end].to_string(),
                    weight: lexicon.w_number,
                    aliases: Vec::new(),
                    forms: vec![vec![n]],
                    parts: Vec::new(),
                    group: None,
                });
            } else if t.kind == TokKind::Word && !is_stop(t) && t.stem.chars().count() >= 2 {
                if terms.iter().any(|x| x.kind == TermKind::Content && *x.forms[0][0] == *t.stem) {
                    continue;
                }
                terms.push(QueryTerm {
                    kind: TermKind::Content,
                    text: claim[t.start..t.end].to_string(),
                    weight: lexicon.w_content,
                    aliases: Vec::new(),
                    forms: vec![vec![t.stem.to_string()]],
                    parts: Vec::new(),
                    group: None,
                });
            }
        }
        let total: f64 = terms.iter().map(|t| t.weight).sum();
        if total > 0.0 {
            for t in &mut terms {
                t.weight /= total;
            }
        }
        let negated = (0..toks.len()).any(|i| lexicon.negates(toks, i));
        let claim_keys = keys.iter().map(std::string::ToString::to_string).collect();
        ClaimQuery { claim: claim.to_string(), terms, negated, participants, claim_keys }
    }

    /// Whether this claim and `other` are about the same participant of a predicate they share: `Some(false)`
    /// when for every shared predicate both show a participant and the two differ ("an aide to X was killed"
    /// against "X was killed"), `Some(true)` when one shared predicate's participants agree, `None` when no
    /// shared predicate shows a participant on both sides (nothing to tell them apart by).
    #[must_use]
    pub fn same_participants(&self, other: &ClaimQuery) -> Option<bool> {
        let mut compared = false;
        for (g, a) in &self.participants {
            for (h, b) in &other.participants {
                if g != h {
                    continue;
                }
                compared = true;
                let same = match (a, b) {
                    (Participant::Entity(x), Participant::Entity(y)) => same_entity(&self.terms[*x], &other.terms[*y]),
                    (Participant::Other(x), Participant::Other(y)) => x == y,
                    _ => false,
                };
                if same {
                    return Some(true);
                }
            }
        }
        compared.then_some(false)
    }

    /// Assesses one sentence or headline. Its hedges govern the whole of it, as they do in a headline;
    /// [`ClaimQuery::assess_article`] can keep the hedges of body sentences to their own clauses.
    #[must_use]
    pub fn assess_sentence(&self, lexicon: &Lexicon, text: &str) -> SentenceAssessment {
        self.assess(lexicon, text, false)
    }

    /// Assesses a sentence tokenised once ([`Tokenized`]), as [`ClaimQuery::assess_sentence`] does the text:
    /// for callers that compare one sentence with many claims.
    #[must_use]
    pub fn assess_tokenized(&self, lexicon: &Lexicon, sentence: &Tokenized) -> SentenceAssessment {
        self.assess_toks(lexicon, &sentence.toks, &sentence.numeric, &sentence.predicate_hits(lexicon), false)
    }

    /// Only the relevance of a tokenised sentence (the share of the claim's terms it matches), without its
    /// cues and stance: the same number [`ClaimQuery::assess_tokenized`] gives, for a caller that compares
    /// a wording with many candidates and reads the stance of the few close enough.
    #[must_use]
    pub fn relevance_tokenized(&self, lexicon: &Lexicon, sentence: &Tokenized) -> f64 {
        let predicate_hits = if self.terms.iter().any(|t| t.group.is_some()) {
            sentence.predicate_hits(lexicon)
        } else {
            std::borrow::Cow::Borrowed(&[][..])
        };
        // Nobody is told where the terms matched, so each term stops at its first match, and a term the
        // sentence's word sets lack is no match without a scan.
        let keys = sentence.keys.get_or_init(|| TokenKeys::of(&sentence.toks));
        self.matches(&sentence.toks, &sentence.numeric, &predicate_hits, Some(keys), None)
    }

    /// The relevance of `toks` (clamped to 0..=1), calling `on(kind, tokens)` for each match of a term; without
    /// `on`, a term stops looking at its first match (the relevance is the same).
    fn matches(
        &self,
        toks: &[Token],
        numeric: &[Option<String>],
        predicate_hits: &[Hit],
        keys: Option<&TokenKeys>,
        mut on: Option<&mut dyn FnMut(TermKind, std::ops::Range<usize>)>,
    ) -> f64 {
        // Word sets answer "is it there" only: with a callback every match is reported, so tokens are scanned.
        let keys = keys.filter(|_| on.is_none());
        let has_key = |k: &str| keys.is_none_or(|s| s.keys.contains(k));
        let every = on.is_some();
        let mut found_at = |kind: TermKind, r: std::ops::Range<usize>| {
            if let Some(f) = on.as_mut() {
                f(kind, r);
            }
        };
        let mut relevance = 0.0;
        for term in &self.terms {
            let mut score: f64 = 0.0;
            match term.kind {
                TermKind::Predicate => {
                    for h in predicate_hits.iter().filter(|h| Some(h.group) == term.group) {
                        score = 1.0;
                        found_at(term.kind, h.toks.clone());
                        if !every {
                            break;
                        }
                    }
                }
                TermKind::Number => {
                    let want = term.forms[0][0].as_str();
                    for (k, n) in numeric.iter().enumerate() {
                        if n.as_deref() == Some(want) {
                            score = 1.0;
                            found_at(term.kind, k..k + 1);
                            if !every {
                                break;
                            }
                        }
                    }
                }
                TermKind::Content if keys.is_some() => {
                    if keys.is_some_and(|s| s.stems.contains(term.forms[0][0].as_str())) {
                        score = 1.0;
                    }
                }
                TermKind::Content => {
                    for (k, t) in toks.iter().enumerate() {
                        if t.kind == TokKind::Word && *t.stem == *term.forms[0][0] {
                            score = 1.0;
                            found_at(term.kind, k..k + 1);
                            if !every {
                                break;
                            }
                        }
                    }
                }
                TermKind::Entity => {
                    for form in &term.forms {
                        if !form.first().is_some_and(|f| has_key(f)) {
                            continue;
                        }
                        for k in seq_starts(toks, form) {
                            score = 1.0;
                            found_at(term.kind, k..k + form.len());
                            if !every {
                                break;
                            }
                        }
                        if score > 0.0 && !every {
                            break;
                        }
                    }
                    if score == 0.0 && !term.parts.is_empty() {
                        let mut found = 0;
                        for p in &term.parts {
                            if !has_key(p) {
                                continue;
                            }
                            let mut any = false;
                            for k in seq_starts(toks, std::slice::from_ref(p)) {
                                any = true;
                                found_at(term.kind, k..k + 1);
                                if !every {
                                    break;
                                }
                            }
                            if any {
                                found += 1;
                            }
                        }
                        score = 0.7 * f64::from(found) / term.parts.len() as f64;
                    }
                }
            }
            relevance += term.weight * score.min(1.0);
        }
        relevance.clamp(0.0, 1.0)
    }

    fn assess(&self, lexicon: &Lexicon, text: &str, clause_hedges: bool) -> SentenceAssessment {
        let toks = tokenize(text);
        let numeric: Vec<Option<String>> = toks.iter().map(numeric_key).collect();
        let hits = lexicon.predicate_phrases.find(&toks);
        self.assess_toks(lexicon, &toks, &numeric, &hits, clause_hedges)
    }

    /// `numeric` are the tokens' numeric values ([`numeric_key`]) and `predicate_hits` `lexicon`'s predicate
    /// phrases in `toks`: a [`Tokenized`] sentence has found both once.
    fn assess_toks(
        &self,
        lexicon: &Lexicon,
        toks: &[Token],
        numeric: &[Option<String>],
        predicate_hits: &[Hit],
        clause_hedges: bool,
    ) -> SentenceAssessment {
        let keys: Vec<&str> = toks.iter().map(key_of).collect();

        // Cues, dropping those that only echo the claim's own words or its predicate ("claims" when the
        // claim is that someone said something), and "May" the month.
        let claim_groups: Vec<usize> = self.terms.iter().filter_map(|t| t.group).collect();
        let in_claim_predicate =
            |k: usize| predicate_hits.iter().any(|p| p.toks.contains(&k) && claim_groups.contains(&p.group));
        let cue_hits: Vec<Hit> = lexicon
            .cue_phrases
            .find(toks)
            .into_iter()
            .filter(|h| !keys[h.toks.clone()].iter().all(|k| self.claim_keys.contains(*k)))
            .filter(|h| !h.toks.clone().all(in_claim_predicate))
            .filter(|h| {
                let is_month = h.toks.len() == 1
                    && &*toks[h.toks.start].lower == "may"
                    && (toks.get(h.toks.end).is_some_and(|t| t.kind == TokKind::Number)
                        || h.toks.start > 0 && matches!(toks[h.toks.start - 1].lower.as_ref(), "in" | "of" | "since"));
                !is_month
            })
            .collect();
        let mut in_cue = vec![false; toks.len()];
        for h in &cue_hits {
            for c in &mut in_cue[h.toks.clone()] {
                *c = true;
            }
        }

        // Negation scopes: from a negator (not part of a cue phrase) rightwards to a clause break.
        let mut negated = vec![false; toks.len()];
        let mut negator_of = vec![usize::MAX; toks.len()];
        for (i, &cue) in in_cue.iter().enumerate() {
            if cue || !lexicon.negates(toks, i) {
                continue;
            }
            let mut words = 0;
            for j in i + 1..toks.len() {
                let u = &toks[j];
                if u.kind == TokKind::Punct && &*u.lower != "\u{2014}" || lexicon.neg_breaks.contains(&*u.lower) {
                    break;
                }
                negated[j] = true;
                negator_of[j] = i;
                words += 1;
                if words >= lexicon.neg_max {
                    break;
                }
            }
        }

        // Relevance.
        let mut matched: Vec<Span> = Vec::new();
        let mut predicate_plain = false;
        let mut predicate_negated: Option<(usize, usize)> = None;
        let mut term_negated: Option<(usize, usize)> = None;
        let mut note_negated = |k: usize, end: usize| {
            if negated[k] && term_negated.is_none() {
                term_negated = Some((negator_of[k], end));
            }
        };
        let mut on_match = |kind: TermKind, r: std::ops::Range<usize>| {
            matched.push(span_of(toks, r.clone()));
            match kind {
                TermKind::Predicate => {
                    if let Some(k) = r.clone().find(|&k| negated[k]) {
                        predicate_negated = Some((negator_of[k], r.end));
                    } else {
                        predicate_plain = true;
                    }
                }
                TermKind::Number => {}
                TermKind::Content | TermKind::Entity => note_negated(r.start, r.end),
            }
        };
        let relevance = self.matches(toks, numeric, predicate_hits, None, Some(&mut on_match));
        // Keep the widest spans: "Dorian Vale" rather than also its alias "Vale" inside it. Sorted by start
        // and then widest first, a span inside an earlier one ends no later than the furthest end so far
        // (linear, so a long text with many matches stays cheap).
        matched.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut reach = 0;
        let mut widest = Vec::with_capacity(matched.len());
        for s in matched {
            if widest.is_empty() || s.end > reach {
                reach = reach.max(s.end);
                widest.push(s);
            }
        }
        let matched = widest;

        // Features and cues.
        let mut cues: Vec<Cue> = Vec::new();
        let mut present: HashSet<Feature> = HashSet::default();
        // The clause of each token (clauses end at punctuation), to keep hedges to the clauses they govern.
        let mut clause = vec![0usize; toks.len()];
        let mut c = 0;
        for (i, t) in toks.iter().enumerate() {
            if t.kind == TokKind::Punct {
                c += 1;
            }
            clause[i] = c;
        }
        let clause_of_byte = |b: usize| toks.iter().position(|t| t.start >= b).map(|i| clause[i]);
        let matched_clauses: HashSet<usize> = matched.iter().filter_map(|s| clause_of_byte(s.start)).collect();
        for h in &cue_hits {
            let kind = &lexicon.cue_kinds[h.group];
            // In prose, a hedge in a clause that holds none of the claim's terms hedges something else
            // ("..., which may take weeks").
            if clause_hedges
                && kind.stance == Stance::Observing
                && c > 0
                && !matched_clauses.is_empty()
                && !matched_clauses.contains(&clause[h.toks.start])
            {
                continue;
            }
            let is_negated = h.toks.clone().any(|k| negated[k]);
            let span = span_of(toks, h.toks.clone());
            let feature = match (is_negated, kind.stance) {
                (false, _) => Feature::Cue(h.group),
                (true, Stance::Refutes) => Feature::NegatedRefute,
                (true, Stance::Supports) => Feature::NegatedConfirm,
                (true, _) => continue,
            };
            let name = feature.name(lexicon).to_string();
            let span = if is_negated {
                let n = h.toks.clone().find(|&k| negated[k]).map_or(h.toks.start, |k| negator_of[k]);
                span_of(toks, n.min(h.toks.start)..h.toks.end)
            } else {
                span
            };
            cues.push(Cue { span, kind: name });
            present.insert(feature);
        }
        // A question counts when it asks about the claim: its clause holds at least as many of the claim's
        // terms as the text after it ("Burger kept 20 years? Men reveal ..." is a teaser, not a doubt).
        if let Some(q) = toks.iter().position(|t| &*t.lower == "?") {
            let opened = toks[..q].iter().rposition(|t| matches!(t.lower.as_ref(), "." | "!" | "?" | ":"));
            let from = opened.map_or(0, |o| toks[o].end);
            let at = toks[q].start;
            let before = matched.iter().filter(|s| s.start >= from && s.end <= at).count();
            let after = matched.iter().filter(|s| s.start > at).count();
            if before >= after {
                present.insert(Feature::Question);
                cues.push(Cue { span: span_of(toks, q..q + 1), kind: "question".into() });
            }
        }
        // The claim's predicate, or another of its terms, under negation ("is not al-Baghdadi's wife")
        // refutes a plain claim and supports a negated one.
        let neg = predicate_negated.filter(|_| !predicate_plain).or(term_negated);
        if let Some((from, to)) = neg {
            let f = if self.negated { Feature::Predicate } else { Feature::NegatedPredicate };
            if f == Feature::NegatedPredicate {
                cues.push(Cue { span: span_of(toks, from.min(to)..to), kind: "negated_predicate".into() });
            }
            present.insert(f);
        } else if predicate_plain {
            present.insert(if self.negated { Feature::NegatedPredicate } else { Feature::Predicate });
        }
        for h in lexicon.contrary_phrases.find(toks) {
            if claim_groups.contains(&h.group) && !h.toks.clone().any(|k| negated[k]) {
                present.insert(Feature::Contrary);
                cues.push(Cue { span: span_of(toks, h.toks.clone()), kind: "contrary".into() });
            }
        }
        cues.sort_by(|a, b| a.span.cmp(&b.span).then(a.kind.cmp(&b.kind)));

        let x: Vec<f64> = lexicon
            .features
            .iter()
            .map(|f| match f {
                Feature::Relevance => relevance,
                f => f64::from(u8::from(present.contains(f))),
            })
            .collect();
        let (leaning, reason) = decide(lexicon, &x);
        let related = relevance >= lexicon.unrelated_below && relevance > 0.0;
        SentenceAssessment {
            relevance,
            stance: if related { leaning } else { Stance::Unrelated },
            leaning,
            matched,
            cues,
            reason: if related { reason } else { "unrelated".to_string() },
            features: Features(x),
        }
    }

    /// Assesses an article from its headline (if any) and body sentences. A headline alone is enough.
    #[must_use]
    pub fn assess_article(&self, lexicon: &Lexicon, headline: Option<&str>, sentences: &[&str]) -> ArticleAssessment {
        let p = &lexicon.article;
        let mut votes = [0.0; 3];
        let mut evidence = Vec::new();
        let mut relevance: f64 = 0.0;
        let parts =
            headline.map(|h| (None, h)).into_iter().chain(sentences.iter().enumerate().map(|(i, s)| (Some(i), *s)));
        for (index, text) in parts {
            let a = self.assess(lexicon, text, index.is_some() && p.body_hedges_by_clause);
            relevance = relevance.max(a.relevance);
            let floor = if index.is_some() { p.body_floor } else { 0.0 };
            if a.stance == Stance::Unrelated || a.relevance < floor {
                continue;
            }
            let weight = a.relevance * if index.is_none() { p.headline_weight } else { 1.0 };
            let (slot, factor) = match a.stance {
                Stance::Supports => (0, p.supports),
                Stance::Refutes => (1, p.refutes),
                _ => (2, p.observing),
            };
            votes[slot] += weight * factor;
            evidence.push(Evidence { sentence: index, assessment: a });
        }
        let stance = if evidence.is_empty() {
            Stance::Unrelated
        } else {
            // Highest vote; ties go to the less committal stance (observing, then refutes).
            let mut best = 2;
            for i in [1, 0] {
                if votes[i] > votes[best] {
                    best = i;
                }
            }
            Stance::CLASSES[best]
        };
        ArticleAssessment { relevance, stance, votes, evidence }
    }

    /// The model features of a sentence (for fitting weights; see the `emergent_stance` example).
    #[must_use]
    pub fn features(&self, lexicon: &Lexicon, text: &str) -> Features {
        self.assess_sentence(lexicon, text).features
    }
}

/// The stance with the highest model score, and the feature that decided it.
fn decide(lexicon: &Lexicon, x: &[f64]) -> (Stance, String) {
    let scores: Vec<f64> =
        lexicon.model.iter().map(|m| m.bias + m.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f64>()).collect();
    // Ties go to observing, then refutes, then supports: the less committal reading.
    let mut best = 2;
    for i in [1, 0] {
        if scores[i] > scores[best] {
            best = i;
        }
    }
    let runner = (0..3).filter(|&i| i != best).max_by(|&a, &b| scores[a].total_cmp(&scores[b])).unwrap_or(0);
    let mut reason = "plain".to_string();
    let mut top = 0.0;
    for (f, feature) in lexicon.features.iter().enumerate() {
        if *feature == Feature::Relevance || *feature == Feature::Predicate {
            continue;
        }
        let margin = (lexicon.model[best].weights[f] - lexicon.model[runner].weights[f]) * x[f];
        if margin > top {
            top = margin;
            reason = feature.name(lexicon).to_string();
        }
    }
    (Stance::CLASSES[best], reason)
}

/// Whether two entity terms name the same thing: a shared form (the whole name, a surname, an acronym) or the
/// same last word ("Al-Baghdadi" and "Abu Bakr al-Baghdadi").
fn same_entity(a: &QueryTerm, b: &QueryTerm) -> bool {
    a.forms.iter().any(|f| b.forms.contains(f)) || a.parts.last().is_some_and(|p| b.parts.last() == Some(p))
}

/// Reads whom a predicate is about from the words around it (English word order).
struct Reader<'a> {
    claim: &'a str,
    toks: &'a [Token],
    entity_at: &'a [Option<usize>],
    words: &'a crate::lexicon::ParticipantWords,
    is_stop: &'a dyn Fn(&Token) -> bool,
}

impl Reader<'_> {
    /// The participant of the predicate at `hit`: what follows "of" ("the death of X"), else the object of
    /// an active verb ("killed X", "killed two members"), else the subject before it ("X was killed",
    /// "X's death", "an aide to X was killed").
    fn participant(&self, hit: std::ops::Range<usize>) -> Option<Participant> {
        let toks = self.toks;
        let after = toks.get(hit.end);
        if after.is_some_and(|t| &*t.lower == "of") {
            return self.noun_phrase(hit.end + 1, true);
        }
        let passive = toks[..hit.start]
            .iter()
            .rev()
            .take_while(|t| self.passed_over(t) || self.words.auxiliaries.contains(&*t.lower))
            .any(|t| self.words.auxiliaries.contains(&*t.lower));
        if !passive && let Some(p) = self.noun_phrase(hit.end, false) {
            return Some(p);
        }
        self.subject(hit.start)
    }

    fn passed_over(&self, t: &Token) -> bool {
        t.kind == TokKind::Word && (self.words.skip.contains(&*t.lower) || t.lower.len() > 4 && t.lower.ends_with("ly"))
    }

    /// A content word that is no name: a candidate head noun.
    fn common(&self, k: usize) -> bool {
        let t = &self.toks[k];
        t.kind == TokKind::Word && self.entity_at[k].is_none() && !(self.is_stop)(t) && !t.cap
    }

    /// A noun a name can hang on ("an aide to X", "the right-hand man of X"): a lower-case word that is no
    /// determiner, auxiliary or preposition, nor a word for the message itself ("reports of X being killed"
    /// are about X).
    fn relational(&self, k: usize) -> bool {
        let t = &self.toks[k];
        let w = &self.words;
        t.kind == TokKind::Word
            && self.entity_at[k].is_none()
            && !t.cap
            && ![&w.determiners, &w.auxiliaries, &w.relations, &w.skip].iter().any(|set| set.contains(&*t.lower))
            && !w.messages.contains(&*t.stem)
    }

    /// Whether the token ends with a possessive "'s" in the text (the tokenizer drops it).
    fn possessive(&self, k: usize) -> bool {
        let rest = self.claim.get(self.toks[k].end..).unwrap_or("");
        rest.starts_with("'s") || rest.starts_with("\u{2019}s")
    }

    /// The noun phrase starting at `k`, by its head: a name ("X", "ISIS leader X"), or the noun a possessive
    /// name or a determiner leads to ("X's aide", "two members"); a bare noun only when `opened` (after
    /// "of": "the death of soldiers"). `None` when no phrase starts there.
    fn noun_phrase(&self, mut k: usize, mut opened: bool) -> Option<Participant> {
        let toks = self.toks;
        while k < toks.len()
            && (toks[k].kind == TokKind::Number || self.words.determiners.contains(&*toks[k].lower))
            && self.entity_at[k].is_none()
        {
            opened = true;
            k += 1;
        }
        let mut head: Option<Participant> = None;
        while k < toks.len() {
            if let Some(e) = self.entity_at[k] {
                let mut end = k;
                while end + 1 < toks.len() && self.entity_at[end + 1] == Some(e) {
                    end += 1;
                }
                head = Some(Participant::Entity(e));
                // "X's aide": the noun after the possessive; "ISIS leader X": the name after a one-word title
                // (not a verb's form: "X says Y", "X claimed Y").
                let title = end + 2 < toks.len()
                    && self.common(end + 1)
                    && !toks[end + 1].lower.ends_with("ed")
                    && !toks[end + 1].lower.ends_with('s')
                    && self.entity_at[end + 2].is_some();
                if self.possessive(end) || title {
                    k = end + 1;
                    opened = true;
                    continue;
                }
                return head;
            }
            if self.common(k) {
                let mut end = k;
                while end + 1 < toks.len() && self.common(end + 1) {
                    end += 1;
                }
                // A title before a name: "militia leader X".
                if self.entity_at.get(end + 1).copied().flatten().is_some() {
                    k = end + 1;
                    continue;
                }
                if opened {
                    return Some(Participant::Other(toks[end].stem.to_string()));
                }
            }
            break;
        }
        head
    }

    /// The subject before the predicate at `start`: the name or noun just before it (past auxiliaries,
    /// adverbs and commas); a name tied to a relational noun ("an aide to X", "X's aide") gives that noun.
    fn subject(&self, start: usize) -> Option<Participant> {
        let toks = self.toks;
        let mut k = start;
        let mut comma = false;
        while k > 0 {
            let t = &toks[k - 1];
            if self.words.auxiliaries.contains(&*t.lower) || self.passed_over(t) || &*t.lower == "," {
                comma |= &*t.lower == ",";
                k -= 1;
            } else {
                break;
            }
        }
        let mut p = k.checked_sub(1)?;
        // "X, the singer, died": the name before an aside between commas.
        if comma {
            let opening = (p.saturating_sub(12)..p)
                .rev()
                .take_while(|&c| toks[c].kind != TokKind::Punct || &*toks[c].lower == ",")
                .find(|&c| &*toks[c].lower == ",");
            if let Some(c) = opening.filter(|&c| c > 0 && self.entity_at[c - 1].is_some()) {
                p = c - 1;
            }
        }
        if let Some(e) = self.entity_at[p] {
            let mut first = p;
            while first > 0 && self.entity_at[first - 1] == Some(e) {
                first -= 1;
            }
            // A lower-case particle of the name: "al" in "an aide to al-Baghdadi".
            while first > 0 && &*toks[first - 1].lower != "of" && CONNECTORS.contains(&&*toks[first - 1].lower) {
                first -= 1;
            }
            if first >= 2 && self.words.relations.contains(&*toks[first - 1].lower) && self.relational(first - 2) {
                return Some(Participant::Other(toks[first - 2].stem.to_string()));
            }
            return Some(Participant::Entity(e));
        }
        if self.common(p) {
            return Some(Participant::Other(toks[p].stem.to_string()));
        }
        None
    }
}

fn span_of(toks: &[Token], r: std::ops::Range<usize>) -> Span {
    match (toks.get(r.start), r.end.checked_sub(1).and_then(|e| toks.get(e))) {
        (Some(a), Some(b)) if r.start < r.end => Span { start: a.start, end: b.end },
        _ => Span { start: 0, end: 0 },
    }
}

/// Starts of `seq` (by token key, [`key_of`]) in `toks`, in order; lazy, so a caller that needs only the first
/// stops there.
fn seq_starts<'a>(toks: &'a [Token], seq: &'a [String]) -> impl Iterator<Item = usize> + 'a {
    let last = if seq.is_empty() { None } else { toks.len().checked_sub(seq.len()) };
    last.into_iter()
        .flat_map(|last| 0..=last)
        .filter(move |&i| seq.iter().zip(&toks[i..]).all(|(s, t)| s.as_str() == key_of(t)))
}
