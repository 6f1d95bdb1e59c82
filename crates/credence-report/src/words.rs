//! How the reports say in words what the scorer did: one place for the sentences of every explanation, so
//! Markdown, HTML and the terminal say the same thing and the JSON report carries the terms, not prose.
//!
//! The scorer records each step as an [`Explanation`] term holding its numbers (or the index of the origin,
//! report or contradiction it is about); the functions here word a term, with the numbers at three decimals.

use std::fmt::Write;

use credence_score::score::{ClaimScore, Explanation, Interest, MergeReason, ReportScore, credibility_label};

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Why two statements were merged into one origin cluster.
#[must_use]
pub fn merge_reason(m: &MergeReason) -> String {
    match m {
        MergeReason::SameOrigin { reports, source } => format!("{reports} reports originate from {source}"),
        MergeReason::Copies { article, original, containment } => {
            format!("{article} copies {original} (containment {containment:.2})")
        }
        MergeReason::Passage { article, span, original, from } => {
            format!("{article} bytes {}–{} copy {original} bytes {}–{}", span[0], span[1], from[0], from[1])
        }
        MergeReason::Unnamed { reports, caveats } => {
            format!(
                "{reports} reports pass it on without naming who says it ({}): one unnamed origin",
                caveats.join(", ")
            )
        }
        MergeReason::Contradiction { source, claim, kind } => {
            format!("{source} also stands behind `{claim}` ({kind} contradiction)")
        }
    }
}

/// The caveat kinds under which unnamed repetitions of a claim count as one origin, for a parameters line.
pub(crate) fn pooled(kinds: &[String]) -> String {
    if kinds.is_empty() { "no caveat".to_string() } else { kinds.join("/") }
}

/// The merge reasons of a cluster, joined.
pub fn merge_reasons(reasons: &[MergeReason]) -> String {
    reasons.iter().map(merge_reason).collect::<Vec<_>>().join("; ")
}

/// How one report was scored: cue and class, caveats, each hop's trust, the assertion before and after
/// discounting, and whether it counted.
#[must_use]
pub fn report_line(r: &ReportScore) -> String {
    let cue = if r.cue.is_empty() { "own voice".to_string() } else { format!("cue \"{}\"", r.cue) };
    let [b, d, u] = r.class_opinion;
    let mut s = format!(
        "report[{}] in {}: {} (class {}{} = ({b:.2}, {d:.2}, {u:.2})), {}",
        r.index,
        r.article,
        cue,
        r.cue_class.name(),
        if r.cue_known { "" } else { ", not in the lexicon: default class" },
        r.stance
    );
    for (c, w) in r.caveats.iter().zip(&r.caveat_weights) {
        let _ = write!(s, ", caveat {c} (moves {:.0}% of committed mass to uncertainty)", w * 100.0);
    }
    let hops: Vec<String> = r
        .trust
        .iter()
        .map(|t| {
            let mut h = format!("{} {} {} {:.3}", t.source, t.role, t.grade, t.p);
            if (t.adjusted - t.p).abs() > 1e-12 {
                let why =
                    if r.interest == Interest::SelfServing { "self-serving" } else { "admission against interest" };
                let _ = write!(h, " → {:.3} ({why})", t.adjusted);
            }
            h
        })
        .collect();
    let _ = write!(
        s,
        "; trust {} = {:.3}; assertion ({:.3}, {:.3}, {:.3}) → discounted ({:.3}, {:.3}, {:.3}).",
        hops.join(" × "),
        r.discount,
        r.assertion.b,
        r.assertion.d,
        r.assertion.u,
        r.opinion.b,
        r.opinion.d,
        r.opinion.u
    );
    if !r.counted {
        s.push_str(
            " Not counted: the same origin's same statement reaches the story more strongly through another report.",
        );
    }
    s
}

/// One explanation term of a claim, in words.
pub fn explanation(c: &ClaimScore, term: &Explanation) -> String {
    match term {
        Explanation::Summary { reports, clusters, supporting, refuting, across, within } => format!(
            "{reports} report{} from {clusters} origin cluster{} ({supporting} supporting, {refuting} refuting); clusters fused with {across} fusion, reports within a cluster with {within} fusion.",
            plural(*reports),
            plural(*clusters),
        ),
        Explanation::Origin { origin } => {
            let Some(o) = c.origins.get(*origin) else { return String::new() };
            let mut line = format!(
                "Origin {}: {} report{}{} → (b {:.3}, d {:.3}, u {:.3}), P {:.3}; {} support by {:+.3}.",
                o.name,
                o.reports.len(),
                plural(o.reports.len()),
                if o.via_contradictions.is_empty() {
                    String::new()
                } else {
                    format!(" + evidence via contradicting claim {}", o.via_contradictions.join(", "))
                },
                o.opinion.b,
                o.opinion.d,
                o.opinion.u,
                o.opinion.p,
                if o.contribution >= 0.0 { "raises" } else { "lowers" },
                o.contribution
            );
            if !o.merged_because.is_empty() {
                let _ = write!(line, " Merged because: {}.", merge_reasons(&o.merged_because));
            }
            line
        }
        Explanation::Report { report } => c.reports.get(*report).map(report_line).unwrap_or_default(),
        Explanation::ContradictedBy { index } => {
            let Some(cb) = c.contradicted_by.get(*index) else { return String::new() };
            format!(
                "Contradicted by `{}` ({}, weight {:.2}): its origins' belief counts as disbelief here, scaled by the weight; degree of conflict {:.3}.",
                cb.claim, cb.kind, cb.weight, cb.conflict
            )
        }
        Explanation::Result { opinion, support, interval_mass, interval, reliability, credibility, independent } => {
            format!(
                "Result: (b {:.3}, d {:.3}, u {:.3}, a {:.2}) → support {support:.3} = b + a·u; {:.0}% interval {:.3}–{:.3}; grade {reliability}{credibility} ({}; {}).",
                opinion[0],
                opinion[1],
                opinion[2],
                opinion[3],
                interval_mass * 100.0,
                interval[0],
                interval[1],
                credibility_label(*credibility),
                if *independent { "two or more independent origins" } else { "fewer than two independent origins" }
            )
        }
    }
}

/// Every explanation line of a claim, in order.
#[must_use]
pub fn explanations(c: &ClaimScore) -> Vec<String> {
    c.explanation.iter().map(|t| explanation(c, t)).collect()
}

/// A title for a story whose user gave none: the names most of its headlines share (runs of capitalised
/// words, counted once per headline), at most three, most shared first, with the number of articles. `skip`
/// lists capitalised words that are no topic (sentence openers such as "The"), compared case-blind. `None`
/// when no name is in two headlines or more (or there is only one headline and it names nothing).
#[must_use]
pub fn headline_title(headlines: &[String], skip: &[String]) -> Option<String> {
    // (name, headlines it is in, first headline, first position)
    let mut names: Vec<(String, usize, usize, usize)> = Vec::new();
    for (h, line) in headlines.iter().enumerate() {
        let mut seen: Vec<String> = Vec::new();
        let mut run: Vec<&str> = Vec::new();
        let flush = |run: &mut Vec<&str>, seen: &mut Vec<String>| {
            if !run.is_empty() {
                let name = run.join(" ");
                if !seen.contains(&name) {
                    seen.push(name);
                }
                run.clear();
            }
        };
        for raw in line.split_whitespace() {
            let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
            let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
            let capital = word.chars().next().is_some_and(char::is_uppercase)
                || (word.contains('-') && word.split('-').any(|p| p.chars().next().is_some_and(char::is_uppercase)));
            let skipped = skip.iter().any(|s| s.eq_ignore_ascii_case(word));
            if capital && !skipped && word.chars().count() > 1 {
                run.push(word);
            } else {
                flush(&mut run, &mut seen);
            }
            // A name ends at punctuation after it ("Syria conflict:", "Idlib,").
            if raw.ends_with([':', ',', ';', '.', '!', '?', ')']) {
                flush(&mut run, &mut seen);
            }
        }
        flush(&mut run, &mut seen);
        for (pos, name) in seen.into_iter().enumerate() {
            match names.iter_mut().find(|n| n.0 == name) {
                Some(n) => n.1 += 1,
                None => names.push((name, 1, h, pos)),
            }
        }
    }
    names.retain(|n| n.1 >= 2 || headlines.len() == 1);
    names.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
    let top: Vec<&str> = names.iter().take(3).map(|n| n.0.as_str()).collect();
    if top.is_empty() {
        return None;
    }
    let n = headlines.len();
    Some(format!("{} ({n} article{})", top.join(", "), plural(n)))
}

#[cfg(test)]
mod title_tests {
    use super::headline_title;

    #[test]
    fn the_names_most_headlines_share_make_the_title() {
        let h: Vec<String> = [
            "Reports: Syria government loses stronghold in Idlib",
            "Jabhat al-Nusra seizes control of major Syrian government stronghold",
            "The army leaves Idlib as Jabhat al-Nusra advances",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        let skip = vec!["The".to_string(), "Reports".to_string()];
        assert_eq!(headline_title(&h, &skip).as_deref(), Some("Idlib, Jabhat al-Nusra (3 articles)"));
        assert_eq!(headline_title(&["a b c".to_string(), "d e".to_string()], &skip), None);
    }
}

/// The answer a report leads with: the claims sorted into what a reader asks first. Each claim is in one
/// group, the first that fits, in this order: contested, too little evidence to rate, well supported, on
/// one origin, other.
#[derive(Debug, Default)]
pub struct Answer<'a> {
    /// A refuting origin or a contradicting claim.
    pub contested: Vec<&'a ClaimScore>,
    /// Not rated on the scale (Admiralty credibility 6).
    pub unrated: Vec<&'a ClaimScore>,
    /// Rated likely or better by two or more independent origins.
    pub well_supported: Vec<&'a ClaimScore>,
    /// Resting on a single origin.
    pub one_origin: Vec<&'a ClaimScore>,
    /// Two or more origins but rated even or lower.
    pub other: Vec<&'a ClaimScore>,
}

/// Sorts the claims (in rank order) into the groups of the [`Answer`].
#[must_use]
pub fn answer<'a>(claims: &'a [ClaimScore], scale: &super::Scale) -> Answer<'a> {
    let mut out = Answer::default();
    for c in claims {
        let group = if c.refuting_origins > 0 || !c.contradicted_by.is_empty() {
            &mut out.contested
        } else if scale.rating(c).is_none() {
            &mut out.unrated
        } else if c.independent_origins >= 2 && scale.rating(c).is_some_and(|r| r >= 4) {
            &mut out.well_supported
        } else if c.independent_origins <= 1 {
            &mut out.one_origin
        } else {
            &mut out.other
        };
        group.push(c);
    }
    out
}

impl Answer<'_> {
    /// The groups with their headings, in the order a report shows them; empty groups are left out.
    #[must_use]
    pub fn groups(&self) -> Vec<(&'static str, &[&ClaimScore])> {
        [
            ("Well supported (two or more independent origins)", self.well_supported.as_slice()),
            ("Contested (a refuting origin or a contradicting claim)", self.contested.as_slice()),
            ("Resting on one origin", self.one_origin.as_slice()),
            ("Two or more origins, but no more than even", self.other.as_slice()),
            ("Too little evidence to rate", self.unrated.as_slice()),
        ]
        .into_iter()
        .filter(|(_, g)| !g.is_empty())
        .collect()
    }

    /// The answer in one sentence.
    #[must_use]
    pub fn sentence(&self) -> String {
        let n = self.contested.len()
            + self.unrated.len()
            + self.well_supported.len()
            + self.one_origin.len()
            + self.other.len();
        let mut parts =
            vec![format!("{} well supported by two or more independent origins", self.well_supported.len())];
        parts.push(format!("{} contested", self.contested.len()));
        parts.push(format!("{} resting on a single origin", self.one_origin.len()));
        if !self.other.is_empty() {
            parts.push(format!("{} with several origins but no more than an even chance", self.other.len()));
        }
        parts.push(format!("{} with too little evidence to rate", self.unrated.len()));
        let last = parts.pop().unwrap_or_default();
        format!("Of {n} claim{}: {} and {last}.", plural(n), parts.join(", "))
    }
}

/// How the one scale reads, in sentences every format shows once: support first, the Admiralty grade second.
#[must_use]
pub fn scale_legend(scale: &super::Scale, interval: f64) -> Vec<String> {
    vec![
        format!(
            "Support (0 to 1) is the primary reading: the probability the evidence gives the claim, with its {:.0}% credible interval; it is worded on the ICD 203 scale: {}.",
            interval * 100.0,
            scale.legend().join("; ")
        ),
        "Confidence (High, Moderate, Low) says how much evidence there is: High needs little uncertainty and two or more independent origins.".to_string(),
        format!(
            "The grade (Admiralty code) is secondary and reads the same scale: its letter is the reliability of the claim's strongest origin (A reliable … F cannot be judged), its number the support (1 confirmed: very likely with two or more independent origins; 2 probably true: likely; 3 possibly true: even; 4 doubtful: unlikely or disputed; 5 improbable; 6 truth cannot be judged: uncertainty of {} or more, left unrated everywhere).",
            scale.cannot_judge_u
        ),
    ]
}

/// A claim's reading on the one scale in words: "likely (0.697), confidence Low", or, when it cannot be
/// judged, "not rated: too little evidence".
#[must_use]
pub fn reading(c: &ClaimScore, scale: &super::Scale) -> String {
    match scale.rating(c) {
        Some(_) => format!("{}, confidence {}", c.likelihood, c.confidence),
        None => format!("not rated: too little evidence (would read {})", c.likelihood),
    }
}

/// The small tree of how a claim reached the story: each origin (with its stance) and, under it, the
/// distinct relay chains of its reports, outlet first ("Al Jazeera ← AFP"), each with its count of reports.
#[must_use]
pub fn claim_tree(c: &ClaimScore, name: &dyn Fn(&str) -> String) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for o in &c.origins {
        let mut relays: Vec<(String, usize)> = Vec::new();
        for &ri in &o.reports {
            let Some(r) = c.reports.get(ri) else { continue };
            let hops: Vec<String> = r.chain.iter().take(r.chain.len().saturating_sub(1)).map(|h| name(h)).collect();
            let line = if hops.is_empty() { "in its own article".to_string() } else { hops.join(" ← ") };
            match relays.iter_mut().find(|(l, _)| *l == line) {
                Some((_, n)) => *n += 1,
                None => relays.push((line, 1)),
            }
        }
        if relays.is_empty() && !o.via_contradictions.is_empty() {
            relays.push((format!("through the contradicting claim {}", o.via_contradictions.join(", ")), 1));
        }
        let head = format!("{} ({}, {} report{})", o.name, o.stance, o.reports.len(), plural(o.reports.len()));
        let lines = relays.into_iter().map(|(l, n)| if n > 1 { format!("{l} ({n} reports)") } else { l }).collect();
        out.push((head, lines));
    }
    out
}
