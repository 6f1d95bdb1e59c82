//! From articles placed under their origins to the support, its interval and the verdict band.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};

use credence_extract::ingest::Skipped;
use credence_model::story::Source;
use credence_score::config::{CheckSettings, Settings};
use credence_stance::{ClaimQuery, Stance};

use crate::{ArticleView, CheckNumbers, CheckReport, Counts, OriginView, SkippedFile, TimelineEntry, r4};

/// The verdict band of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Support at or above `check.supported`.
    Supported,
    /// Refuted by some origins, supported by others: between the bands.
    Disputed,
    /// Refuted: support below `check.debunked`.
    Debunked,
    /// No origin commits either way, or nothing refutes it and too little supports it.
    Unverified,
}

impl Verdict {
    /// Its name in reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Disputed => "disputed",
            Verdict::Debunked => "debunked",
            Verdict::Unverified => "unverified",
        }
    }
}

/// The band of a support value, given the summed weights of supporting and refuting origins.
#[must_use]
pub fn band(support: f64, weight_for: f64, weight_against: f64, c: &CheckSettings) -> Verdict {
    if weight_for <= 0.0 && weight_against <= 0.0 {
        Verdict::Unverified
    } else if support >= c.supported {
        Verdict::Supported
    } else if weight_against <= 0.0 {
        Verdict::Unverified
    } else if support < c.debunked {
        Verdict::Debunked
    } else {
        Verdict::Disputed
    }
}

/// Support and interval of `Beta(prior_for + F, prior_against + refute_weight·A)`.
fn support(weight_for: f64, weight_against: f64, c: &CheckSettings) -> (f64, [f64; 2]) {
    let alpha = c.prior_for + weight_for.max(0.0);
    let beta = c.prior_against + c.refute_weight * weight_against.max(0.0);
    let mean = alpha / (alpha + beta);
    let tail = (1.0 - c.interval) / 2.0;
    let interval = match Beta::new(alpha, beta) {
        Ok(d) => [d.inverse_cdf(tail).clamp(0.0, 1.0), d.inverse_cdf(1.0 - tail).clamp(0.0, 1.0)],
        Err(_) => [0.0, 1.0],
    };
    (mean.clamp(0.0, 1.0), interval)
}

/// One origin's articles: (index into the article list, weight of its chain).
struct Group {
    members: Vec<(usize, f64)>,
}

pub(crate) fn conclude(
    claim: &str,
    query: &ClaimQuery,
    settings: &Settings,
    sources: &HashMap<&str, &Source>,
    mut articles: Vec<ArticleView>,
    placed: &[Option<(String, f64)>],
    skipped: &[Skipped],
) -> CheckReport {
    let c = &settings.check;
    // Origins in order of first appearance (deterministic).
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (i, p) in placed.iter().enumerate() {
        let Some((id, w)) = p else { continue };
        groups
            .entry(id.clone())
            .or_insert_with(|| {
                order.push(id.clone());
                Group { members: Vec::new() }
            })
            .members
            .push((i, *w));
    }
    let mut origins = Vec::with_capacity(order.len());
    let mut superseded_paths: Vec<String> = Vec::new();
    for id in &order {
        let Some(g) = groups.get(id) else { continue };
        let weight = g.members.iter().map(|&(_, w)| w).fold(0.0, f64::max);
        let committed = |i: usize| matches!(articles[i].stance, Stance::Supports | Stance::Refutes);
        // The latest dated committed article speaks for the origin; its other committed articles of an
        // earlier date with another stance are superseded.
        let latest = g
            .members
            .iter()
            .filter(|&&(i, _)| committed(i))
            .filter_map(|&(i, _)| articles[i].published.clone().map(|d| (d, i)))
            .max();
        let mut superseded = Vec::new();
        let stance = if let Some((date, last)) = latest {
            let s = articles[last].stance;
            for &(i, _) in &g.members {
                let earlier = articles[i].published.as_ref().is_none_or(|d| *d < date);
                if i != last && committed(i) && articles[i].stance != s && earlier {
                    superseded.push(articles[i].path.clone());
                }
            }
            s
        } else {
            let mut votes = [0.0; 3];
            for &(i, _) in &g.members {
                for (v, x) in votes.iter_mut().zip(articles[i].votes) {
                    *v += x;
                }
            }
            // Highest vote; ties go to the less committal stance (observing, then refutes).
            let mut best = 2;
            for k in [1, 0] {
                if votes[k] > votes[best] {
                    best = k;
                }
            }
            Stance::CLASSES[best]
        };
        superseded_paths.extend(superseded.iter().cloned());
        let src = sources.get(id.as_str());
        let (grade, _) = crate::grades(id, sources, settings);
        origins.push(OriginView {
            id: id.clone(),
            name: src.map_or_else(|| id.clone(), |s| s.name.clone()),
            kind: src.map_or_else(|| "unknown".to_string(), |s| s.kind.clone()),
            grade: grade.to_string(),
            weight,
            stance,
            articles: g.members.iter().map(|&(i, _)| articles[i].path.clone()).collect(),
            superseded,
        });
    }
    let mut counts = Counts { articles: articles.len(), ..Counts::default() };
    for o in &origins {
        match o.stance {
            Stance::Supports => {
                counts.supports += 1;
                counts.weight_for += o.weight;
            }
            Stance::Refutes => {
                counts.refutes += 1;
                counts.weight_against += o.weight;
            }
            _ => counts.observing += 1,
        }
    }
    counts.unrelated = articles.iter().filter(|a| a.stance == Stance::Unrelated).count();
    counts.weight_for = r4(counts.weight_for);
    counts.weight_against = r4(counts.weight_against);
    let (support, interval) = support(counts.weight_for, counts.weight_against, c);
    let verdict = band(support, counts.weight_for, counts.weight_against, c);
    // Strongest origins first: committed before observing, then by weight, then by first appearance.
    let rank = |s: Stance| match s {
        Stance::Refutes | Stance::Supports => 0,
        _ => 1,
    };
    let pos: HashMap<String, usize> = order.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect();
    origins.sort_by(|a, b| {
        rank(a.stance)
            .cmp(&rank(b.stance))
            .then(b.weight.total_cmp(&a.weight))
            .then(pos.get(&a.id).cmp(&pos.get(&b.id)))
    });
    let mut timeline: Vec<TimelineEntry> = articles
        .iter()
        .filter(|a| a.stance != Stance::Unrelated)
        .filter_map(|a| {
            Some(TimelineEntry {
                date: a.published.clone()?,
                path: a.path.clone(),
                outlet: a.outlet.clone(),
                stance: a.stance,
                origin: a.origin.clone().unwrap_or_default(),
                superseded: superseded_paths.contains(&a.path),
            })
        })
        .collect();
    timeline.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.path.cmp(&b.path)));
    for a in &mut articles {
        a.evidence.sort_by(|x, y| y.headline.cmp(&x.headline).then(y.relevance.total_cmp(&x.relevance)));
    }
    CheckReport {
        schema: crate::SCHEMA,
        claim: claim.to_string(),
        support: r4(support),
        interval: interval.map(r4),
        level: c.interval,
        verdict,
        counts,
        terms: query.terms.clone(),
        origins,
        articles,
        timeline,
        skipped: skipped
            .iter()
            .map(|s| SkippedFile { path: s.path.display().to_string(), reason: s.message(), lost: s.is_loss() })
            .collect(),
        settings: CheckNumbers {
            prior_for: c.prior_for,
            prior_against: c.prior_against,
            refute_weight: c.refute_weight,
            supported: c.supported,
            debunked: c.debunked,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers() -> CheckSettings {
        Settings::defaults().check
    }

    #[test]
    fn bands_follow_the_thresholds() {
        let c = numbers();
        assert_eq!(band(0.25, 0.0, 0.0, &c), Verdict::Unverified);
        assert_eq!(band(0.4, 1.0, 0.0, &c), Verdict::Unverified);
        assert_eq!(band(0.6, 3.0, 0.0, &c), Verdict::Supported);
        assert_eq!(band(0.1, 0.0, 1.0, &c), Verdict::Debunked);
        assert_eq!(band(0.35, 3.0, 0.5, &c), Verdict::Disputed);
    }

    #[test]
    fn the_prior_leans_against_and_each_origin_moves_it() {
        let c = numbers();
        let (none, _) = support(0.0, 0.0, &c);
        let (one, _) = support(1.0, 0.0, &c);
        let (two, _) = support(2.0, 0.0, &c);
        let (one_one, iv) = support(1.0, 1.0, &c);
        let (refuted, _) = support(0.0, 1.0, &c);
        let (three_one, _) = support(3.0, 1.0, &c);
        // With no coverage: the prior's mean, below even odds.
        assert!((none - c.prior_for / (c.prior_for + c.prior_against)).abs() < 1e-9, "{none}");
        assert!(none < 0.5, "{none}");
        // One supporting origin of the unit grade is not enough; two are.
        assert!(one < c.supported && two >= c.supported, "{one} {two}");
        // A refuting origin alone debunks; against a supporting one the claim stays short of supported.
        assert!(refuted < c.debunked, "{refuted}");
        assert!(one_one < c.supported && one_one < one, "{one_one}");
        assert!(three_one > one_one && three_one < two + 1e-9, "{three_one}");
        assert!(iv[0] <= one_one && one_one <= iv[1]);
    }

    #[test]
    fn more_evidence_narrows_the_interval() {
        let c = numbers();
        let (_, thin) = support(1.0, 0.0, &c);
        let (_, thick) = support(20.0, 0.0, &c);
        assert!(thick[1] - thick[0] < thin[1] - thin[0]);
    }
}
