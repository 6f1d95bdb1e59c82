//! How the reports say in words what the scorer did: one place for the sentences of every explanation, so
//! Markdown, HTML and the terminal say the same thing and the JSON report carries the terms, not prose.
//!
//! The scorer records each step as an [`Explanation`] term holding its numbers (or the index of the origin,
//! report or contradiction it is about); the functions here word a term, with the numbers at three decimals.

use std::fmt::Write;

use credence_score::score::{ClaimScore, Explanation, Interest, MergeReason, ReportScore, credibility_label};

fn plural(n: usize) -> &'static str {
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
        MergeReason::Contradiction { source, claim, kind } => {
            format!("{source} also stands behind `{claim}` ({kind} contradiction)")
        }
    }
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
