//! Paraphrase merging for reports no frame reads: one event stated in many wordings becomes one claim, and a
//! denial or debunk of it becomes a refuting report on that claim instead of a claim of its own.
//!
//! Near-identical wordings are grouped first (`MinHash`, in [`crate::align`]). Each group's wording is then
//! parsed as a claim by the stance crate ([`credence_stance::ClaimQuery`]: entities with their surname and
//! acronym aliases, the predicate through the paraphrase groups of `stance.toml` — "died" ~ "passed away",
//! "split" ~ "break up" —, numbers, stemmed content words). Groups are indexed by their entities (or, without
//! any, by their predicate); a group joins an earlier *leader* that shares a key when each matches enough of
//! the other's terms, and its reports take the stance the stance crate reads toward the leader: a hoax, a
//! denial, "alive and well" refute it; a rumour word or a hedge leaves it supported but marked with the
//! observing caveat, so it moves belief into uncertainty.
//!
//! Why leaders and not all pairs: every group is compared with at most `max_candidates` leaders (at most
//! `leaders_per_key` per key), so the cost is linear in the number of reports however large the folder.
//! Wordings that commit to the statement (no refuting or observing cue) are taken first, so a claim reads
//! as the thing said, not as its debunk.

use crate::hash::FxHashMap;

use credence_model::story::Stance;
use credence_stance::{ClaimQuery, Lexicon as StanceLexicon, Stance as Leaning, TermKind, Tokenized};
use serde::Deserialize;

/// How paraphrases are merged (frames.toml `[propositions]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MergeSettings {
    /// Whether paraphrases are merged at all.
    pub enabled: bool,
    /// Share of the leader's terms a wording must match to join it.
    pub merge_relevance: f64,
    /// Share of the wording's own terms the leader must match (a long sentence that mentions the claim in
    /// passing is about something else).
    pub reverse_relevance: f64,
    /// Share of a leader's terms, its predicate included, at which a wording joins it however much else it
    /// says ("Rumours of the death of the former leader X spread again" states "X is dead" and more).
    pub strong_relevance: f64,
    /// Fewest terms a wording must have to be merged (shorter ones say too little to match on).
    pub min_terms: usize,
    /// Leaders kept per key.
    pub leaders_per_key: usize,
    /// Leaders a wording is compared with.
    pub max_candidates: usize,
    /// Caveat kind given to a report that only passes the claim on (a rumour, a hedge); empty for none.
    pub observing_caveat: String,
    /// Keep apart two wordings whose shared predicate is about different participants ("an aide to X was
    /// killed" and "X was killed"), as the stance lexicon's `[participants]` reads them.
    pub participants: bool,
    /// Share of a debunk's or denial's own terms that a leader must match for it to refute the leader,
    /// however little of the leader it repeats: "the video of X being hit by Y is fake" refutes "X was hit by
    /// Y while giving a speech in Z on Friday", and "X is not dead" refutes "X was found dead in his home"
    /// (a claim's text is often one long sentence, and a denial names only what it denies). 1 or more turns
    /// this off.
    pub debunk_relevance: f64,
}

impl Default for MergeSettings {
    fn default() -> Self {
        MergeSettings {
            enabled: true,
            merge_relevance: 0.5,
            reverse_relevance: 0.4,
            strong_relevance: 0.8,
            min_terms: 3,
            leaders_per_key: 8,
            max_candidates: 16,
            observing_caveat: "rumour".into(),
            participants: true,
            debunk_relevance: 0.6,
        }
    }
}

/// One member of a merged group: a report (by index), the stance it takes toward the group's claim, and
/// whether it only passes the claim on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// Index of the report.
    pub raw: usize,
    /// Stance toward the group's claim.
    pub stance: Stance,
    /// Reported without commitment (rumour, hedge, question).
    pub observing: bool,
}

/// A merged group: its members and the report whose text states the claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// Members, by report index.
    pub members: Vec<Member>,
    /// The report whose wording is the claim's text.
    pub representative: usize,
}

/// Merges wording groups (report indices, each sorted, groups ordered by first report) whose wordings state
/// the same proposition. `text(i)` is report i's content and `sentence(i)` its whole sentence; `stance(i)`
/// its stance as extracted (a denial cue refutes what it introduces).
pub fn merge<'a>(
    groups: Vec<Vec<usize>>,
    text: impl Fn(usize) -> &'a str + Sync,
    sentence: impl Fn(usize) -> &'a str + Sync,
    stance: impl Fn(usize) -> Stance,
    lex: &StanceLexicon,
    cfg: &MergeSettings,
) -> Vec<Merged> {
    let plain = |g: &[usize]| Merged {
        members: g.iter().map(|&raw| Member { raw, stance: stance(raw), observing: false }).collect(),
        representative: g[0],
    };
    if !cfg.enabled || groups.len() < 2 {
        return groups.iter().filter(|g| !g.is_empty()).map(|g| plain(g)).collect();
    }
    let groups: Vec<Vec<usize>> = groups.into_iter().filter(|g| !g.is_empty()).collect();
    let empty = ClaimQuery::new(lex, "");
    // Each wording is parsed on its own, on every thread, in group order (the joining below stays in order).
    // Each wording, and its whole sentence where that is longer, is tokenised once: a wording is compared
    // with several leaders, and a leader with many wordings.
    #[allow(clippy::type_complexity)]
    let parsed: Vec<(ClaimQuery, Leaning, (Tokenized, Option<Tokenized>))> =
        credence_model::work::par_map(&groups, |_, g| {
            let (own, whole) = (text(g[0]), sentence(g[0]));
            let own_tokens = Tokenized::for_lexicon(own, lex);
            let leaning = empty.assess_tokenized(lex, &own_tokens).leaning;
            (
                ClaimQuery::from_tokenized(lex, own, &own_tokens),
                leaning,
                (own_tokens, (whole.len() > own.len()).then(|| Tokenized::for_lexicon(whole, lex))),
            )
        });
    let mut queries = Vec::with_capacity(parsed.len());
    let mut committed = Vec::with_capacity(parsed.len());
    let mut tokens = Vec::with_capacity(parsed.len());
    for (q, leaning, t) in parsed {
        queries.push(q);
        committed.push(leaning == Leaning::Supports);
        tokens.push(t);
    }
    let keys: Vec<Vec<String>> = queries.iter().map(keys_of).collect();

    // Committed wordings first, then the larger groups, then in reading order.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| (!committed[g], std::cmp::Reverse(groups[g].len()), groups[g][0]));

    let mut leaders_of: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut joined: Vec<Option<(usize, Stance, bool)>> = vec![None; groups.len()]; // (leader, stance, observing)
    let mut is_leader = vec![false; groups.len()];
    for &g in &order {
        let q = &queries[g];
        let enough = q.terms.len() >= cfg.min_terms;
        // A denial too short to merge ("X is not dead": a name and a predicate) may still refute a leader.
        let may_deny =
            q.terms.iter().any(|t| t.kind == TermKind::Entity) && q.terms.iter().any(|t| t.kind == TermKind::Predicate);
        let mut best: Option<(f64, usize)> = None;
        if enough || may_deny {
            let mut candidates: Vec<usize> = Vec::new();
            for k in &keys[g] {
                for &l in leaders_of.get(k.as_str()).into_iter().flatten() {
                    if !candidates.contains(&l) && candidates.len() < cfg.max_candidates {
                        candidates.push(l);
                    }
                }
            }
            // Relevance alone decides which leader a wording joins; the stance is read for that one only.
            for l in candidates {
                let ql = &queries[l];
                // The same words about someone else: "an aide to X was killed" is no report of X's death.
                if cfg.participants && ql.same_participants(q) == Some(false) {
                    continue;
                }
                let (own, whole) = &tokens[g];
                let relevance = match whole {
                    Some(w) => ql.relevance_tokenized(lex, own).max(ql.relevance_tokenized(lex, w)),
                    None => ql.relevance_tokenized(lex, own),
                };
                // A debunk or denial that names little besides what the leader says refutes it (see
                // `debunk_relevance`), when the leader's own reading of it refutes. A debunk reads as one on
                // its own ("... is fake"), a denial only against the leader whose predicate it negates ("X is
                // not dead" against "X was found dead at home"), so both are read the leader's way only.
                let debunk_back = || {
                    let back = q.relevance_tokenized(lex, &tokens[l].0);
                    (back >= cfg.debunk_relevance
                        && shares_entity(&keys[g], &keys[l])
                        && ql.assess_tokenized(lex, own).leaning == Leaning::Refutes)
                        .then_some(back)
                };
                if relevance < cfg.merge_relevance || !enough {
                    if let Some(back) = debunk_back() {
                        let score = relevance.min(back);
                        if best.is_none_or(|(s, bl)| score > s || (score - s).abs() < f64::EPSILON && l < bl) {
                            best = Some((score, l));
                        }
                    }
                    continue;
                }
                // Only a wording close enough is read the other way round.
                let back = q.relevance_tokenized(lex, &tokens[l].0);
                let has_predicate = ql.terms.iter().any(|t| t.kind == TermKind::Predicate);
                let strong = has_predicate && relevance >= cfg.strong_relevance;
                if back < cfg.reverse_relevance && !strong {
                    continue;
                }
                let score = if strong { relevance } else { relevance.min(back) };
                if best.is_none_or(|(s, bl)| score > s || (score - s).abs() < f64::EPSILON && l < bl) {
                    best = Some((score, l));
                }
            }
        }
        let best = best.map(|(s, l)| (s, l, queries[l].assess_tokenized(lex, &tokens[g].0)));
        if let Some((_, l, a)) = best {
            // A hedged denial ("X probably isn't dead") refutes, without commitment: it is no rumour of X.
            let denies = a.leaning == Leaning::Observing && a.cues.iter().any(|c| refuting_cue(lex, &c.kind));
            let toward = if a.leaning == Leaning::Refutes || denies { Stance::Refutes } else { Stance::Supports };
            joined[g] = Some((l, toward, a.leaning == Leaning::Observing));
        } else {
            is_leader[g] = true;
            if enough {
                for k in &keys[g] {
                    let v = leaders_of.entry(k.as_str()).or_default();
                    if v.len() < cfg.leaders_per_key {
                        v.push(g);
                    }
                }
            }
        }
    }

    // Gather each leader's members.
    let mut members: Vec<Vec<Member>> = vec![Vec::new(); groups.len()];
    for g in 0..groups.len() {
        let (l, toward, observing) = match joined[g] {
            Some(j) => j,
            None => (g, Stance::Supports, false),
        };
        for &raw in &groups[g] {
            let own = stance(raw);
            // A denial of a refutation supports; a denial of the claim refutes it.
            let s = if (own == Stance::Refutes) == (toward == Stance::Refutes) {
                Stance::Supports
            } else {
                Stance::Refutes
            };
            members[l].push(Member { raw, stance: s, observing });
        }
    }
    let mut out: Vec<Merged> = Vec::new();
    for g in 0..groups.len() {
        if !is_leader[g] {
            continue;
        }
        let mut m = std::mem::take(&mut members[g]);
        m.sort_by_key(|x| x.raw);
        let representative = representative(&m, &text).unwrap_or(groups[g][0]);
        out.push(Merged { members: m, representative });
    }
    out.sort_by_key(|m| m.members.first().map_or(usize::MAX, |x| x.raw));
    out
}

/// Whether a cue of this kind argues against the claim: the claim's predicate negated or its contrary ("is
/// not dead", "alive"), or a cue kind of the lexicon that refutes ("hoax", "denied").
fn refuting_cue(lex: &StanceLexicon, kind: &str) -> bool {
    kind == "negated_predicate"
        || kind == "contrary"
        || lex.cue_kinds().iter().any(|k| k.kind == kind && k.stance == Leaning::Refutes)
}

/// Whether two wordings' keys ([`keys_of`]) share an entity name or alias, not only a predicate.
fn shares_entity(a: &[String], b: &[String]) -> bool {
    a.iter().any(|k| !k.starts_with("predicate:") && b.contains(k))
}

/// The keys a wording is indexed by: its entities and their aliases, or its predicate when it names none.
fn keys_of(q: &ClaimQuery) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for t in q.terms.iter().filter(|t| t.kind == TermKind::Entity) {
        keys.push(t.text.to_lowercase());
        keys.extend(t.aliases.iter().map(|a| a.to_lowercase()));
    }
    if keys.is_empty() {
        keys.extend(q.terms.iter().filter(|t| t.kind == TermKind::Predicate).map(|t| format!("predicate:{}", t.text)));
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The member whose wording best reads as the claim: a supporting, committed statement that starts as a
/// sentence does and is neither a scrap nor a paragraph (6 to 40 words), earliest first.
fn representative<'a>(members: &[Member], text: &impl Fn(usize) -> &'a str) -> Option<usize> {
    let good = |m: &&Member| {
        let t = text(m.raw).trim();
        let words = t.split_whitespace().count();
        m.stance == Stance::Supports
            && !m.observing
            && (6..=40).contains(&words)
            && t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric())
    };
    members.iter().find(good).map(|m| m.raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(texts: &[&str]) -> Vec<Merged> {
        let lex = StanceLexicon::default();
        let groups: Vec<Vec<usize>> = (0..texts.len()).map(|i| vec![i]).collect();
        merge(groups, |i| texts[i], |i| texts[i], |_| Stance::Supports, &lex, &MergeSettings::default())
    }

    #[test]
    fn paraphrases_of_one_event_are_one_claim() {
        let m = run(&[
            "The singer Lena Varga has died at the age of 71",
            "Lena Varga passed away at 71, her family said",
            "The mayor opened a new bridge over the river",
        ]);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(m[0].members.len(), 2);
        assert!(m[0].members.iter().all(|x| x.stance == Stance::Supports));
    }

    #[test]
    fn a_short_debunk_refutes_a_long_claim_it_names_only_in_part() {
        let texts = [
            "The mayor Tomas Brandt was splashed by a swan while giving a speech opening the new harbour bridge in Ostby on Friday",
            "A video of Tomas Brandt apparently being splashed by a swan during a speech is fake",
            "Tomas Brandt opened a school in Lund last year",
        ];
        let m = run(&texts);
        let claim = m.iter().find(|g| g.representative == 0).expect("the long claim leads");
        let debunk = claim.members.iter().find(|x| x.raw == 1).expect("the debunk joins the claim it names");
        assert_eq!(debunk.stance, Stance::Refutes);
        // The plain statement that shares a name but not the event stays apart.
        assert!(claim.members.iter().all(|x| x.raw != 2), "{m:?}");
        // With the rule off, the debunk is a claim of its own.
        let lex = StanceLexicon::default();
        let groups: Vec<Vec<usize>> = (0..texts.len()).map(|i| vec![i]).collect();
        let off = MergeSettings { debunk_relevance: 1.1, ..MergeSettings::default() };
        let m = merge(groups, |i| texts[i], |i| texts[i], |_| Stance::Supports, &lex, &off);
        assert!(m.iter().any(|g| g.representative == 1 || g.members.iter().all(|x| x.raw == 1)), "{m:?}");
    }

    #[test]
    fn a_short_denial_refutes_the_long_claim_it_negates() {
        let texts = [
            "The veteran folk singer Ada Lindqvist was found dead this morning at her farm near Umea",
            "Ada Lindqvist is not dead",
            "Ada Lindqvist will tour Norway in the spring",
        ];
        let m = run(&texts);
        let claim = m.iter().find(|g| g.representative == 0).expect("the long claim leads");
        let denial = claim.members.iter().find(|x| x.raw == 1).expect("the two-term denial joins the claim");
        assert_eq!(denial.stance, Stance::Refutes);
        assert!(claim.members.iter().all(|x| x.raw != 2), "{m:?}");
        // A short wording that denies nothing stays on its own, however much of it the claim names.
        let m = run(&[
            "The veteran folk singer Ada Lindqvist was found dead this morning at her farm",
            "Ada Lindqvist died",
        ]);
        assert_eq!(m.len(), 2, "{m:?}");
    }

    #[test]
    fn a_debunk_refutes_the_claim_it_names() {
        let m = run(&[
            "The singer Lena Varga has died at the age of 71",
            "Reports that the singer Lena Varga has died are a hoax",
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].representative, 0);
        assert_eq!(m[0].members[1].stance, Stance::Refutes);
    }

    #[test]
    fn the_debunk_does_not_become_the_claim_even_when_it_comes_first() {
        let m = run(&[
            "Rumours that the singer Lena Varga died are false",
            "The singer Lena Varga died on Sunday at the age of 71",
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].representative, 1);
        let first = m[0].members.iter().find(|x| x.raw == 0).unwrap();
        assert_eq!(first.stance, Stance::Refutes);
    }

    #[test]
    fn a_rumour_is_observing() {
        let m = run(&[
            "The singer Lena Varga has died",
            "Rumours say the singer Lena Varga has died",
            "Rumours of the death of the singer Lena Varga spread across Budapest on Friday as fans gathered",
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        for raw in [1, 2] {
            let r = m[0].members.iter().find(|x| x.raw == raw).unwrap();
            assert!(r.observing && r.stance == Stance::Supports, "{r:?}");
        }
    }

    #[test]
    fn a_hedged_denial_refutes_without_commitment() {
        let m = run(&[
            "The singer Lena Varga has died at the age of 71",
            "Lena Varga probably has not died, her agent says",
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        let r = m[0].members.iter().find(|x| x.raw == 1).unwrap();
        assert!(r.stance == Stance::Refutes && r.observing, "{r:?}");
    }

    #[test]
    fn unrelated_sentences_about_one_name_stay_apart() {
        let m = run(&[
            "The singer Lena Varga has died at the age of 71",
            "Lena Varga recorded her first album in Budapest in 1972",
        ]);
        assert_eq!(m.len(), 2, "{m:?}");
    }

    #[test]
    fn disabled_keeps_the_groups() {
        let lex = StanceLexicon::default();
        let texts = ["Lena Varga has died", "Lena Varga passed away"];
        let cfg = MergeSettings { enabled: false, ..MergeSettings::default() };
        let m = merge(vec![vec![0], vec![1]], |i| texts[i], |i| texts[i], |_| Stance::Supports, &lex, &cfg);
        assert_eq!(m.len(), 2);
    }
}
