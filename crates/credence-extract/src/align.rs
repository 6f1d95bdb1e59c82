//! Claim alignment: grouping reports that state the same proposition into one claim, across and within
//! articles, and finding the contradictions between claims about the same event.
//!
//! Each report's content is read as propositions ([`crate::frame`]): a frame (capture, withdrawal, casualties,
//! ...), the sides of its actors, a normalised place, and details (extent, count, day, manner). Reports with
//! the same *event key* (frame, sides, place, era) support one general claim ("rebels took control of the
//! town"); a report with a detail also supports a more specific claim ("... most of the town", "fled"), and
//! specific claims whose details cannot both hold are contradictions (numeric, temporal, predicate). Grouping is
//! by hashing keys, so it is linear in the number of reports; only claims within one key (or one place, for
//! the configured cross-frame conflicts) are compared, never all pairs.
//!
//! Reports whose content matches no frame fall back to their wording: near-identical wordings (`MinHash` over
//! word 3-grams, banded into buckets) share a claim.
//!
//! Party interest follows from frames and sides: a claim helps its actor's side (capture, air strikes) or the
//! side opposing it (withdrawal, losses), written as the claim's `favours`; the scorer then treats a party's
//! claim in its own favour as self-serving and a concession as an admission. A side's withdrawal from a place
//! also supports, by implication, the claim that the opposing side took it (marked `inferred`).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::frame::{Extent, Favours, FrameLexicon, Proposition};
use crate::resolve::{norm_words, slug};
use credence_model::story::{Claim, Contradiction, Evidence, Report, Stance};
use credence_model::text::Slice;

/// A report before alignment, with the words its claim was read from.
///
/// Borrowed where it can be: the extractor keeps each article's reports while alignment runs (to try again
/// without an article that makes it fail), and a copy of every report, claim text and sentence was a large
/// share of a big folder's memory.
#[derive(Debug, Clone)]
pub struct RawReport<'a> {
    /// The report (its `claim` is filled in by alignment).
    pub report: Cow<'a, Report>,
    /// The content: what the source says.
    pub text: Cow<'a, str>,
    /// The whole sentence, for the time it refers to.
    pub sentence: Cow<'a, str>,
    /// Index of the article in the article list.
    pub article: usize,
}

/// What alignment needs to know about an article.
#[derive(Debug, Clone)]
pub struct ArticleContext<'a> {
    /// Full kept text, for its place names (the document's own, borrowed).
    pub text: Cow<'a, str>,
    /// Weekday of publication, lower-case.
    pub weekday: Option<String>,
}

/// Who is on which side: source id → side, and side → sides it opposes.
#[derive(Debug, Clone, Default)]
pub struct Sides {
    /// Side of each source that has one (spokespeople inherit their organisation's).
    pub of_source: HashMap<String, String>,
    /// Sides each side opposes.
    pub opposes: BTreeMap<String, Vec<String>>,
}

impl Sides {
    fn opponent(&self, side: &str) -> Option<String> {
        self.opposes.get(side).and_then(|v| v.first()).cloned()
    }
}

/// The result: claims, reports pointing at them, contradictions.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    /// Claims in order of first report.
    pub claims: Vec<Claim>,
    /// Reports, each with its claim; a report stating two propositions appears once per claim.
    pub reports: Vec<Report>,
    /// Contradictions found.
    pub contradictions: Vec<Contradiction>,
}

/// An event key: what a general claim is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct EventKey {
    frame: usize,
    agent: Option<String>,
    victim: Option<String>,
    place: String,
    era: Option<String>,
    sequel: bool,
}

/// A detail that makes a claim more specific.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Detail {
    Extent(Extent),
    Manner(String),
    Day(String),
    /// Index of a compatible-count group within the key.
    Count(usize),
}

impl Detail {
    fn name(&self) -> String {
        match self {
            Detail::Extent(e) => e.name().to_string(),
            Detail::Manner(m) => m.clone(),
            Detail::Day(d) => d.clone(),
            Detail::Count(i) => format!("count{i}"),
        }
    }

    fn dimension(&self) -> u8 {
        match self {
            Detail::Extent(_) => 0,
            Detail::Manner(_) => 1,
            Detail::Day(_) => 2,
            Detail::Count(_) => 3,
        }
    }
}

/// One proposition of one report, resolved.
#[derive(Debug, Clone)]
struct Entry {
    raw: usize,
    key: EventKey,
    prop: Proposition,
    place_name: String,
    manner: Option<String>,
    verb: Option<String>,
    stance: Stance,
    inferred: Option<String>,
    implies: bool,
}

/// Groups reports into claims and finds contradictions.
pub fn align(
    raws: &[RawReport],
    articles: &[ArticleContext],
    sides: &Sides,
    lex: &FrameLexicon,
    stance: &credence_stance::Lexicon,
) -> Alignment {
    // The story's gazetteer: places named with a clear marker anywhere; and each article's main place.
    // Each article's places, each report's propositions are found on every thread (`credence_model::work::par_map`) and taken
    // in article and report order, so the first name met for a place and every claim are a one-thread run's.
    let mut known: HashSet<String> = HashSet::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut people: Vec<String> = Vec::new();
    for (keys, named) in credence_model::work::par_map(articles, |_, a| lex.place_keys(&a.text)) {
        for (k, n, _) in keys {
            known.insert(k.clone());
            names.entry(k).or_insert(n);
        }
        people.extend(named);
    }
    // People the articles name with a title ("ISIS leader X") are no places anywhere in the story: not
    // "air strikes on X" because a text once wrote "a strike on X".
    let with_people;
    let lex = if people.is_empty() {
        lex
    } else {
        people.sort();
        people.dedup();
        with_people = lex.with_sources(people.iter().map(String::as_str), std::iter::empty());
        known.retain(|k| !names.get(k).is_some_and(|n| with_people.names_no_place(n)));
        &with_people
    };
    // Bare mentions count too ("Jisr al-Shughur is the second city to fall").
    let per_article: Vec<Vec<(String, bool)>> =
        credence_model::work::par_map(articles, |_, a| lex.place_mentions(&a.text, &known));
    let main_place: Vec<Option<String>> = per_article
        .iter()
        .map(|found| {
            let mut counts: Vec<(String, usize, usize)> = Vec::new();
            for (pos, (k, region)) in found.iter().enumerate() {
                if *region {
                    continue;
                }
                match counts.iter_mut().find(|c| c.0 == *k) {
                    Some(c) => c.1 += 1,
                    None => counts.push((k.clone(), 1, pos)),
                }
            }
            counts.into_iter().max_by_key(|c| (c.1, std::cmp::Reverse(c.2))).map(|c| c.0)
        })
        .collect();

    // Propositions of every report.
    let mut entries: Vec<Entry> = Vec::new();
    let mut plain: Vec<usize> = Vec::new();
    let all_props = credence_model::work::par_map(raws, |_, raw| {
        lex.propositions(&raw.text, &raw.sentence, &known, articles[raw.article].weekday.as_deref())
    });
    for ((ri, raw), props) in raws.iter().enumerate().zip(all_props) {
        let origin_side = raw.report.chain.last().and_then(|s| sides.of_source.get(s)).cloned();
        let mut any = false;
        for p in props {
            let frame = &lex.frames[p.frame];
            let trig = &frame.triggers[p.trigger];
            let Some((place, place_name)) =
                p.place.as_ref().map(|x| (x.key.clone(), x.name.clone())).or_else(|| {
                    main_place[raw.article].clone().map(|k| (k.clone(), names.get(&k).cloned().unwrap_or(k)))
                })
            else {
                continue;
            };
            let mut agent =
                if trig.loser { p.actor.as_deref().and_then(|s| sides.opponent(s)) } else { p.actor.clone() };
            // "The city has been liberated", said by a party: its own side is the actor.
            if agent.is_none() && p.victim.is_none() && frame.favours == Favours::Agent {
                agent = origin_side.clone();
            }
            let agent_in_key = frame.favours != Favours::None || frame.dated;
            let implies = trig.implies;
            let key = EventKey {
                frame: p.frame,
                agent: if agent_in_key { agent } else { None },
                victim: p.victim.clone(),
                place,
                era: p.era.clone(),
                sequel: trig.sequel,
            };
            let stance = match (raw.report.stance, p.negated) {
                (Stance::Supports, false) | (Stance::Refutes, true) => Stance::Supports,
                _ => Stance::Refutes,
            };
            entries.push(Entry {
                raw: ri,
                key,
                manner: trig.manner.clone(),
                verb: trig.verb.clone().or_else(|| frame.verb.clone()),
                prop: p,
                place_name,
                stance,
                inferred: None,
                implies,
            });
            any = true;
        }
        if !any {
            plain.push(ri);
        }
    }
    fill_missing_agents(&mut entries, lex);
    // A capture or a withdrawal by nobody in particular, or losses of no side ("people killed in ..."), says
    // nothing a reader can check; such a report is read by its wording instead.
    entries.retain(|e| {
        let f = lex.frames[e.key.frame].favours;
        match f {
            Favours::Agent | Favours::Opponent => e.key.agent.is_some(),
            Favours::VictimOpponent => e.key.victim.is_some(),
            Favours::None => true,
        }
    });
    let mut framed = vec![false; raws.len()];
    for e in &entries {
        framed[e.raw] = true;
    }
    let mut in_plain = vec![false; raws.len()];
    for &ri in &plain {
        in_plain[ri] = true;
    }
    plain.extend((0..raws.len()).filter(|&ri| !framed[ri] && !in_plain[ri]));
    plain.sort_unstable();
    add_implications(&mut entries, sides, lex);

    // Claims: one general claim per key, one specific claim per key and detail.
    let mut claims: Vec<ClaimDraft> = Vec::new();
    let mut by_id: HashMap<(EventKey, Option<Detail>), usize> = HashMap::new();
    let count_groups = count_groups(&entries);
    let mut attach: Vec<(usize, usize)> = Vec::new(); // (entry, claim)
    for (ei, e) in entries.iter().enumerate() {
        let mut details: Vec<Detail> = Vec::new();
        if let Some(x) = e.prop.extent {
            details.push(Detail::Extent(x));
        }
        if let Some(m) = &e.manner {
            details.push(Detail::Manner(m.clone()));
        }
        if lex.frames[e.key.frame].dated
            && let Some(d) = &e.prop.day
        {
            details.push(Detail::Day(d.clone()));
        }
        if let Some(&g) = count_groups.get(&ei) {
            details.push(Detail::Count(g));
        }
        // Part of a place is not the place: a partial statement supports only its specific claim.
        let general = !matches!(e.prop.extent, Some(Extent::Partial));
        let targets: Vec<Option<Detail>> =
            general.then_some(None).into_iter().chain(details.into_iter().map(Some)).collect();
        for d in targets {
            let id = *by_id.entry((e.key.clone(), d.clone())).or_insert_with(|| {
                claims.push(ClaimDraft { key: e.key.clone(), detail: d.clone(), members: Vec::new() });
                claims.len() - 1
            });
            attach.push((ei, id));
        }
    }
    for &(ei, ci) in &attach {
        claims[ci].members.push(ei);
    }

    // Wording claims for reports no frame matched: near-identical wordings share one.
    let wording = group_wordings(raws, &plain, lex.degrees.near_duplicate);
    // Paraphrases of one statement, and the denials and debunks of it, joined into one claim.
    let wording = crate::paraphrase::merge(
        wording,
        |i| raws[i].text.as_ref(),
        |i| raws[i].sentence.as_ref(),
        |i| raws[i].report.stance,
        stance,
        &lex.propositions,
    );

    // Assemble claims and reports in order of first report.
    let mut order: Vec<(usize, usize, Slot)> = Vec::new(); // (first raw, tie, slot)
    for (ci, c) in claims.iter().enumerate() {
        let first = c.members.iter().map(|&e| entries[e].raw).min().unwrap_or(usize::MAX);
        order.push((first, ci, Slot::Frame(ci)));
    }
    for (gi, g) in wording.iter().enumerate() {
        order.push((g.members[0].raw, claims.len() + gi, Slot::Wording(gi)));
    }
    order.sort();
    let mut out = Alignment::default();
    let mut ids: BTreeSet<String> = BTreeSet::new();
    let mut claim_id_of: HashMap<usize, String> = HashMap::new();
    let mut report_rows: Vec<(usize, usize, Report)> = Vec::new(); // (raw, claim order, report)
    for (pos, (_, _, slot)) in order.iter().enumerate() {
        match slot {
            Slot::Frame(ci) => {
                let c = &claims[*ci];
                let (text, id_base, favours, key_text) = describe(c, &entries, &names, sides, lex);
                let id = unique(&mut ids, slug(&id_base));
                claim_id_of.insert(*ci, id.clone());
                out.claims.push(Claim { id: id.clone(), text, favours, base_rate: None, key: Some(key_text) });
                let direct: HashSet<usize> =
                    c.members.iter().filter(|&&e| entries[e].inferred.is_none()).map(|&e| entries[e].raw).collect();
                let mut seen = HashSet::new();
                for &ei in &c.members {
                    let e = &entries[ei];
                    // A statement already read as saying the claim outright is not counted again by implication.
                    if (e.inferred.is_some() && direct.contains(&e.raw)) || !seen.insert(e.raw) {
                        continue;
                    }
                    let mut r = raws[e.raw].report.as_ref().clone();
                    r.claim = id.clone();
                    r.stance = e.stance;
                    if let Some(why) = &e.inferred {
                        r.inferred = Some(why.clone());
                        if !r.caveats.iter().any(|k| k == "inferred") {
                            r.caveats.push("inferred".into());
                        }
                    }
                    report_rows.push((e.raw, pos, r));
                }
            }
            Slot::Wording(gi) => {
                let g = &wording[*gi];
                let text = capitalise(&raws[g.representative].text);
                let words: Vec<String> = norm_words(&text).into_iter().take(8).collect();
                let id = unique(&mut ids, slug(&words.join(" ")));
                out.claims.push(Claim { id: id.clone(), text, favours: None, base_rate: None, key: None });
                let observing = &lex.propositions.observing_caveat;
                for m in &g.members {
                    let mut r = raws[m.raw].report.as_ref().clone();
                    r.claim = id.clone();
                    r.stance = m.stance;
                    if m.observing && !observing.is_empty() && !r.caveats.iter().any(|k| k == observing) {
                        r.caveats.push(observing.clone());
                    }
                    report_rows.push((m.raw, pos, r));
                }
            }
        }
    }
    report_rows.sort_by_key(|(raw, pos, _)| (*raw, *pos));
    out.reports = report_rows.into_iter().map(|(_, _, r)| r).collect();
    out.contradictions = contradictions(&claims, &entries, &claim_id_of, raws, sides, lex);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Frame(usize),
    Wording(usize),
}

#[derive(Debug, Clone)]
struct ClaimDraft {
    key: EventKey,
    detail: Option<Detail>,
    members: Vec<usize>,
}

fn unique(ids: &mut BTreeSet<String>, base: String) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while !ids.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// A proposition with no actor takes the one actor every other statement of its frame and place names.
fn fill_missing_agents(entries: &mut [Entry], lex: &FrameLexicon) {
    let mut agents: HashMap<(usize, String, Option<String>), BTreeSet<String>> = HashMap::new();
    for e in entries.iter() {
        if let Some(a) = &e.key.agent {
            agents.entry((e.key.frame, e.key.place.clone(), e.key.era.clone())).or_default().insert(a.clone());
        }
    }
    for e in entries.iter_mut() {
        let f = &lex.frames[e.key.frame];
        if e.key.agent.is_some() || (f.favours == Favours::None && !f.dated) || f.favours == Favours::VictimOpponent {
            continue;
        }
        if let Some(set) = agents.get(&(e.key.frame, e.key.place.clone(), e.key.era.clone()))
            && set.len() == 1
        {
            e.key.agent = set.iter().next().cloned();
        }
    }
}

/// A side's withdrawal from a place supports, by implication, that the opposing side took it — when some
/// report states that capture outright (no claim is invented from implications alone).
fn add_implications(entries: &mut Vec<Entry>, sides: &Sides, lex: &FrameLexicon) {
    let existing: HashSet<EventKey> = entries.iter().map(|e| e.key.clone()).collect();
    let mut extra = Vec::new();
    for e in entries.iter() {
        let f = &lex.frames[e.key.frame];
        let (Some(target), Some(agent)) = (f.implies.as_deref().and_then(|t| lex.frame_index(t)), &e.key.agent) else {
            continue;
        };
        if e.stance != Stance::Supports || e.inferred.is_some() || !e.implies {
            continue;
        }
        let Some(opp) = sides.opponent(agent) else { continue };
        let key = EventKey { frame: target, agent: Some(opp.clone()), victim: None, sequel: false, ..e.key.clone() };
        if !existing.contains(&key) {
            continue;
        }
        let mut prop = e.prop.clone();
        prop.frame = target;
        prop.trigger = 0;
        prop.extent = None;
        prop.count = None;
        prop.day = None;
        let why = format!(
            "{} {} {}: implies {} took it ({} frame)",
            lex.side_names.get(agent).map_or(agent.as_str(), String::as_str),
            e.verb.as_deref().unwrap_or("left"),
            e.place_name,
            lex.side_names.get(&opp).map_or(opp.as_str(), String::as_str).to_lowercase(),
            f.name
        );
        extra.push(Entry {
            raw: e.raw,
            key,
            prop,
            place_name: e.place_name.clone(),
            manner: None,
            verb: None,
            stance: Stance::Supports,
            inferred: Some(why),
            implies: false,
        });
    }
    entries.extend(extra);
}

/// Groups the counts of each key into compatible ranges: entry → group index within its key.
fn count_groups(entries: &[Entry]) -> HashMap<usize, usize> {
    let mut by_key: HashMap<&EventKey, Vec<(usize, [f64; 2])>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        if e.inferred.is_none()
            && let Some((r, _)) = &e.prop.count
        {
            by_key.entry(&e.key).or_default().push((i, *r));
        }
    }
    let mut out = HashMap::new();
    for (_, mut list) in by_key {
        // Sweep by lower bound: a range joins the open group while it overlaps the group's intersection.
        list.sort_by(|a, b| a.1[0].total_cmp(&b.1[0]).then(a.0.cmp(&b.0)));
        let mut group = 0;
        let mut inter: Option<[f64; 2]> = None;
        for (i, r) in list {
            match inter {
                Some(x) if r[0] <= x[1] && x[0] <= r[1] => {
                    inter = Some([x[0].max(r[0]), x[1].min(r[1])]);
                }
                Some(_) => {
                    group += 1;
                    inter = Some(r);
                }
                None => inter = Some(r),
            }
            out.insert(i, group);
        }
    }
    out
}

/// Representative text, id base, side favoured and key text of a frame claim.
fn describe(
    c: &ClaimDraft,
    entries: &[Entry],
    names: &HashMap<String, String>,
    sides: &Sides,
    lex: &FrameLexicon,
) -> (String, String, Option<String>, String) {
    let f = &lex.frames[c.key.frame];
    let first = &entries[c.members[0]];
    let side_name =
        |s: &Option<String>| s.as_ref().map(|s| lex.side_names.get(s).cloned().unwrap_or_else(|| s.clone()));
    let place = names.get(&c.key.place).cloned().unwrap_or_else(|| first.place_name.clone());
    let extent = match &c.detail {
        Some(Detail::Extent(e)) => Some(e.words().to_string()),
        _ => None,
    };
    // A manner claim speaks with its trigger's verb ("fled"); the others with the frame's.
    let verb =
        if matches!(c.detail, Some(Detail::Manner(_))) { first.verb.clone() } else { None }.or_else(|| f.verb.clone());
    let count = match &c.detail {
        Some(Detail::Count(_)) => {
            // The narrowest stated figure of the group.
            c.members
                .iter()
                .filter_map(|&e| entries[e].prop.count.clone())
                .min_by(|a, b| (a.0[1] - a.0[0]).total_cmp(&(b.0[1] - b.0[0])).then(a.1.cmp(&b.1)))
        }
        .map(|c| c.1),
        _ => None,
    };
    let day = match &c.detail {
        Some(Detail::Day(d)) => Some(capitalise(d)),
        _ => None,
    };
    let values: HashMap<&str, Option<String>> = HashMap::from([
        ("agent", side_name(&c.key.agent)),
        ("victim", side_name(&c.key.victim).map(|s| s.to_lowercase()).or_else(|| Some("people".into()))),
        ("place", Some(place.clone())),
        ("extent", extent),
        ("count", count),
        ("day", day),
        ("verb", verb),
    ]);
    let mut text = fill(&f.text, &values);
    // A placeholder outside brackets with no value: the template cannot be read; say what the frame is.
    let required_missing = {
        let mut depth = 0;
        let mut missing = false;
        let mut rest = f.text.as_str();
        while let Some(c) = rest.chars().next() {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                '{' if depth == 0 => {
                    let name = rest.part(1..).split('}').next().unwrap_or("");
                    missing |= values.get(name).is_none_or(Option::is_none);
                }
                _ => {}
            }
            rest = rest.part(c.len_utf8()..);
        }
        missing
    };
    if required_missing || text.trim().is_empty() {
        text = format!("{} in {}", f.description, place);
    }
    if let Some(era) = &c.key.era {
        text.push_str(&format!(" ({era})"));
    }
    if c.key.sequel {
        text.push_str(" again");
    }
    let text = capitalise(text.trim());
    let favours = match f.favours {
        Favours::Agent => c.key.agent.clone(),
        Favours::Opponent => c.key.agent.as_deref().and_then(|a| sides.opponent(a)),
        Favours::VictimOpponent => c.key.victim.as_deref().and_then(|v| sides.opponent(v)),
        Favours::None => None,
    };
    let mut key_text = format!("{} agent={} place={}", f.name, c.key.agent.as_deref().unwrap_or("-"), c.key.place);
    if let Some(v) = &c.key.victim {
        key_text.push_str(&format!(" victim={v}"));
    }
    if let Some(e) = &c.key.era {
        key_text.push_str(&format!(" era={e}"));
    }
    if c.key.sequel {
        key_text.push_str(" sequel");
    }
    if let Some(d) = &c.detail {
        key_text.push_str(&format!(" detail={}", d.name()));
    }
    let mut id_base =
        format!("{} {} {}", f.name, c.key.agent.as_deref().or(c.key.victim.as_deref()).unwrap_or(""), place);
    if let Some(e) = &c.key.era {
        id_base.push_str(&format!(" {e}"));
    }
    match (&c.detail, &values["count"]) {
        (Some(Detail::Count(_)), Some(words)) => id_base.push_str(&format!(" {words}")),
        (Some(d), _) => id_base.push_str(&format!(" {}", d.name())),
        _ => {}
    }
    (text, id_base, favours, key_text)
}

fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// Fills `{name}` placeholders; a `[...]` part is dropped when a placeholder inside it has no value.
fn fill(template: &str, values: &HashMap<&str, Option<String>>) -> String {
    fn sub(part: &str, values: &HashMap<&str, Option<String>>) -> Option<String> {
        let mut out = String::new();
        let mut rest = part;
        while let Some(open) = rest.find('{') {
            out.push_str(rest.part(..open));
            let close = rest.part(open..).find('}')? + open;
            let name = rest.part(open + 1..close);
            out.push_str(values.get(name)?.as_deref()?);
            rest = rest.part(close + 1..);
        }
        out.push_str(rest);
        Some(out)
    }
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('[') {
        out.push_str(&sub(rest.part(..open), values).unwrap_or_default());
        let Some(close) = rest.part(open..).find(']').map(|c| c + open) else { break };
        if let Some(s) = sub(rest.part(open + 1..close), values) {
            out.push_str(&s);
        }
        rest = rest.part(close + 1..);
    }
    out.push_str(&sub(rest, values).unwrap_or_default());
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Near-identical wordings, grouped: `MinHash` over word 3-grams banded into buckets, then Jaccard of at least
/// `threshold` (frames.toml `[degrees] near_duplicate`).
fn group_wordings(raws: &[RawReport], plain: &[usize], threshold: f64) -> Vec<Vec<usize>> {
    const HASHES: usize = 16;
    const BANDS: usize = 8;
    // Each wording's shingles (sorted, deduplicated) and band keys are found on every thread; so is the
    // Jaccard test of each candidate pair. Only joining the groups is a loop, in the order the buckets and
    // their members always had (bucket key, then wording), so the groups are a one-thread run's.
    let shingles: Vec<Vec<u64>> = credence_model::work::par_map(plain, |_, &ri| {
        let w = norm_words(&raws[ri].text);
        let n = 3.min(w.len()).max(1);
        let mut v: Vec<u64> = w.windows(n).map(joined_hash).collect();
        v.sort_unstable();
        v.dedup();
        v
    });
    let keys: Vec<Vec<(u32, u64, u32)>> = credence_model::work::par_map(&shingles, |i, s| {
        if s.is_empty() {
            return Vec::new();
        }
        let sig: Vec<u64> =
            (0..HASHES).map(|k| s.iter().map(|&h| crate::hash::mix(h, k as u64 + 1)).min().unwrap_or(0)).collect();
        let rows = HASHES / BANDS;
        (0..BANDS)
            .map(|b| {
                let key = sig[b * rows..(b + 1) * rows].iter().fold(b as u64, |acc, &x| crate::hash::mix(acc ^ x, 99));
                (b as u32, key, i as u32)
            })
            .collect()
    });
    let mut entries: Vec<(u32, u64, u32)> = keys.into_iter().flatten().collect();
    credence_model::work::par_sort(&mut entries);
    // Each bucket's first wording against each of the others.
    let pairs: Vec<(usize, usize)> = entries
        .chunk_by(|x, y| (x.0, x.1) == (y.0, y.1))
        .flat_map(|run| run[1..].iter().map(move |e| (run[0].2 as usize, e.2 as usize)))
        .collect();
    drop(entries);
    let near = credence_model::work::par_map(&pairs, |_, &(i, j)| {
        let (a, b) = (&shingles[i], &shingles[j]);
        let inter = sorted_intersection(a, b) as f64;
        let union = (a.len() + b.len()) as f64 - inter;
        union > 0.0 && inter / union >= threshold
    });
    let mut parent: Vec<usize> = (0..plain.len()).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        let mut c = x;
        while p[c] != r {
            let n = p[c];
            p[c] = r;
            c = n;
        }
        r
    }
    for (&(i, j), near) in pairs.iter().zip(near) {
        if near {
            let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
            if ri != rj {
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &ri) in plain.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(ri);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().collect();
    out.sort_by_key(|g| g[0]);
    out
}

/// FNV-1a of `words` joined by single spaces: [`crate::hash::hash_str`] of the joined string, with no
/// string joined.
fn joined_hash(words: &[String]) -> u64 {
    let mut h = crate::hash::FNV_OFFSET;
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            h = crate::hash::fnv_byte(h, b' ');
        }
        for &b in w.as_bytes() {
            h = crate::hash::fnv_byte(h, b);
        }
    }
    h
}

/// Size of the intersection of two sorted, deduplicated lists.
fn sorted_intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Contradictions between claims of one key (details) and between claims of one place (configured rules).
fn contradictions(
    claims: &[ClaimDraft],
    entries: &[Entry],
    ids: &HashMap<usize, String>,
    raws: &[RawReport],
    sides: &Sides,
    lex: &FrameLexicon,
) -> Vec<Contradiction> {
    let mut out: Vec<Contradiction> = Vec::new();
    let mut done: HashSet<(usize, usize)> = HashSet::new();
    let evidence = |ci: usize| -> Vec<Evidence> {
        let mut seen = HashSet::new();
        claims[ci]
            .members
            .iter()
            .filter(|&&e| entries[e].inferred.is_none())
            .filter_map(|&e| {
                let r = &raws[entries[e].raw].report;
                let span = r.span?;
                seen.insert((r.article.clone(), span)).then(|| Evidence {
                    claim: ids[&ci].clone(),
                    article: r.article.clone(),
                    span,
                })
            })
            .take(3)
            .collect()
    };
    let mut push = |a: usize, b: usize, kind: &str, degree: f64, note: String, out: &mut Vec<Contradiction>| {
        let (a, b) = (a.min(b), a.max(b));
        if a == b || !done.insert((a, b)) {
            return;
        }
        let mut ev = evidence(a);
        ev.extend(evidence(b));
        out.push(Contradiction {
            a: ids[&a].clone(),
            b: ids[&b].clone(),
            kind: kind.to_string(),
            note: Some(note),
            degree: Some((degree * 100.0).round() / 100.0),
            evidence: ev,
        });
    };
    // Details of one key.
    let mut by_key: BTreeMap<&EventKey, Vec<usize>> = BTreeMap::new();
    for (ci, c) in claims.iter().enumerate() {
        by_key.entry(&c.key).or_default().push(ci);
    }
    let frame_name = |ci: usize| lex.frames[claims[ci].key.frame].name.as_str();
    // Claims are compared pairwise within a key (and below within a place): past `max_compared` claims in one
    // group the rest are not compared, so that no input makes this quadratic in the size of the story.
    let cap = lex.max_compared;
    for list in by_key.values() {
        let list = &list[..list.len().min(cap)];
        for (x, &a) in list.iter().enumerate() {
            credence_model::work::add(list.len() - x);
            for &b in &list[x + 1..] {
                let (Some(da), Some(db)) = (&claims[a].detail, &claims[b].detail) else { continue };
                if da.dimension() != db.dimension() {
                    continue;
                }
                match (da, db) {
                    (Detail::Extent(ea), Detail::Extent(eb))
                        if ea != eb && (*ea == Extent::Full || *eb == Extent::Full) =>
                    {
                        let other = if *ea == Extent::Full { eb } else { ea };
                        let degree =
                            if *other == Extent::Most { lex.degrees.extent_most } else { lex.degrees.extent_partial };
                        push(a, b, "numeric", degree, format!("{} the place vs. all of it", other.words()), &mut out);
                    }
                    (Detail::Day(x), Detail::Day(y)) if x != y => {
                        push(
                            a,
                            b,
                            "temporal",
                            lex.degrees.temporal,
                            format!("{} vs. {} for the same {}", capitalise(x), capitalise(y), frame_name(a)),
                            &mut out,
                        );
                    }
                    (Detail::Count(_), Detail::Count(_)) => {
                        let range = |ci: usize| {
                            claims[ci].members.iter().filter_map(|&e| entries[e].prop.count.clone()).fold(
                                ([0.0f64, f64::INFINITY], String::new()),
                                |acc, (r, t)| {
                                    ([acc.0[0].max(r[0]), acc.0[1].min(r[1])], if acc.1.is_empty() { t } else { acc.1 })
                                },
                            )
                        };
                        let ((ra, ta), (rb, tb)) = (range(a), range(b));
                        let (lo, hi) = if ra[1] < rb[0] { (ra, rb) } else { (rb, ra) };
                        let gap = (hi[0] - lo[1]).max(0.0) / hi[0].max(1.0);
                        push(
                            a,
                            b,
                            "numeric",
                            (lex.degrees.count_base + gap).min(1.0),
                            format!("{ta} vs. {tb}"),
                            &mut out,
                        );
                    }
                    (Detail::Manner(_), Detail::Manner(_)) => {}
                    _ => {}
                }
            }
        }
    }
    // Configured rules and opposing captures, between claims about one place and time.
    let mut by_place: BTreeMap<(&str, &Option<String>), Vec<usize>> = BTreeMap::new();
    for (ci, c) in claims.iter().enumerate() {
        by_place.entry((c.key.place.as_str(), &c.key.era)).or_default().push(ci);
    }
    let whole = |ci: usize| {
        claims[ci].members.iter().any(|&e| entries[e].prop.extent.is_none() && entries[e].inferred.is_none())
    };
    let matches = |ci: usize, pattern: &str| -> bool {
        let c = &claims[ci];
        let (frame, detail) = pattern.split_once('/').map_or((pattern, None), |(f, d)| (f, Some(d)));
        if lex.frames[c.key.frame].name != frame || c.key.sequel {
            return false;
        }
        match (detail, &c.detail) {
            (None, None) => true,
            (Some("whole"), None) => whole(ci),
            (Some(d), Some(x)) => x.name() == d,
            _ => false,
        }
    };
    for list in by_place.values() {
        let list = &list[..list.len().min(cap)];
        for (x, &a) in list.iter().enumerate() {
            credence_model::work::add(list.len() - x);
            for &b in &list[x + 1..] {
                for rule in &lex.conflicts {
                    let ab = matches(a, &rule.a) && matches(b, &rule.b);
                    let ba = matches(b, &rule.a) && matches(a, &rule.b);
                    if !(ab || ba) {
                        continue;
                    }
                    // Rules about one frame need the same sides; across frames the place is enough.
                    if claims[a].key.frame == claims[b].key.frame && claims[a].key.agent != claims[b].key.agent {
                        continue;
                    }
                    push(a, b, &rule.kind, rule.degree, rule.note.clone(), &mut out);
                }
                // Two opposing sides each taking all of the same place at the same time.
                let (ka, kb) = (&claims[a].key, &claims[b].key);
                if frame_name(a) == "capture"
                    && ka.frame == kb.frame
                    && !ka.sequel
                    && !kb.sequel
                    && let (Some(x), Some(y)) = (&ka.agent, &kb.agent)
                    && sides.opposes.get(x).is_some_and(|o| o.contains(y))
                    && matches!(claims[a].detail, None | Some(Detail::Extent(Extent::Full)))
                    && matches!(claims[b].detail, None | Some(Detail::Extent(Extent::Full)))
                {
                    push(
                        a,
                        b,
                        "predicate",
                        lex.degrees.opposing_hold,
                        "opposing sides each said to hold the place".into(),
                        &mut out,
                    );
                }
            }
        }
    }
    out.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn wording_shingles_hash_the_joined_words() {
        let words: Vec<String> =
            ["rebels", "took", "the", "town’s", "centre"].iter().map(ToString::to_string).collect();
        for n in 1..=words.len() {
            for g in words.windows(n) {
                assert_eq!(super::joined_hash(g), crate::hash::hash_str(&g.join(" ")));
            }
        }
        assert_eq!(super::sorted_intersection(&[1, 3, 5, 9], &[2, 3, 9, 10]), 2);
        assert_eq!(super::sorted_intersection(&[], &[1]), 0);
    }
}
