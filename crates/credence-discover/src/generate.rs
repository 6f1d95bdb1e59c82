//! A deterministic generator of claims with planted copiers: the "copy trap".
//!
//! Independent sources of various accuracies each cover a share of the objects. Each copier group has an
//! original — a careless independent source — and copiers that cover part of the original's objects and,
//! on each, repeat its value with probability `copy_rate` (wrong values included), otherwise give a value
//! of their own. On the objects a group covers, the copied votes can outnumber the honest ones, so majority
//! vote, and any method that treats sources as independent, learns the original's mistakes.
//!
//! The generator knows the truth and the planted copier → original pairs, so tests and the benchmark can
//! measure both truth precision and copy-detection precision/recall. Same spec and seed, same bytes.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::data::Dataset;
use crate::engine::{Discovery, Pair, mix64};

/// What to generate. `Default` is the trap used by the tests and the README.
#[derive(Debug, Clone, PartialEq)]
pub struct TrapSpec {
    /// Objects.
    pub objects: usize,
    /// Independent (non-copying) sources, the originals excluded.
    pub independent: usize,
    /// Accuracies of the independent sources, spread evenly over this range.
    pub accuracy: (f64, f64),
    /// Probability that an independent source covers a given object.
    pub coverage: f64,
    /// Copier groups.
    pub groups: usize,
    /// Copiers per group.
    pub copiers: usize,
    /// Accuracy of each group's original.
    pub original_accuracy: f64,
    /// Probability that an original covers a given object.
    pub original_coverage: f64,
    /// Probability that a copier covers a given object of its original.
    pub copier_coverage: f64,
    /// Probability that a copier repeats its original's value on an object it covers.
    pub copy_rate: f64,
    /// Accuracy of a copier's own (not copied) values.
    pub copier_accuracy: f64,
    /// False values per object; a wrong independent value is drawn uniformly from them.
    pub false_values: usize,
    /// Leave the originals' own claims out of the data: only their copiers are seen (as when the site
    /// everybody copies from is not among the sources).
    pub hidden_originals: bool,
    /// Seed of the pseudo-random generator.
    pub seed: u64,
}

impl Default for TrapSpec {
    fn default() -> Self {
        TrapSpec {
            objects: 1000,
            independent: 12,
            accuracy: (0.55, 0.9),
            coverage: 0.4,
            groups: 3,
            copiers: 4,
            original_accuracy: 0.45,
            original_coverage: 0.6,
            copier_coverage: 0.8,
            copy_rate: 0.8,
            copier_accuracy: 0.6,
            false_values: 20,
            hidden_originals: false,
            seed: 14,
        }
    }
}

impl TrapSpec {
    /// Expected number of claims.
    #[must_use]
    pub fn expected_claims(&self) -> f64 {
        let seen = if self.hidden_originals { 0.0 } else { 1.0 };
        let per_group = self.original_coverage * (seen + self.copiers as f64 * self.copier_coverage);
        self.objects as f64 * (self.independent as f64 * self.coverage + self.groups as f64 * per_group)
    }
}

/// Generated claims with their ground truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Trap {
    /// `object,source,value` CSV.
    pub csv: Vec<u8>,
    /// True value of each object, in object order.
    pub truth: Vec<(String, String)>,
    /// Planted (copier, original) pairs.
    pub copiers: Vec<(String, String)>,
    /// Each group's sources, original first.
    pub groups: Vec<Vec<String>>,
    /// Claims generated.
    pub claims: usize,
}

/// How well an estimate did on a trap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrapScore {
    /// Share of objects whose chosen value is the true one.
    pub precision: f64,
    /// Share of detected pairs (dependence ≥ threshold) whose two sources are in the same copier group
    /// (original and copier, or two copiers of one original: both are dependent).
    pub pair_precision: f64,
    /// Share of planted copier → original pairs detected.
    pub pair_recall: f64,
    /// Share of detected planted pairs whose direction (copier copies original) is right.
    pub direction: f64,
    /// Pairs detected.
    pub detected: usize,
}

impl Trap {
    /// Scores an estimate made on this trap's claims; `threshold` is the dependence at which a pair counts
    /// as detected.
    #[must_use]
    pub fn score(&self, data: &Dataset, found: &Discovery, threshold: f64) -> TrapScore {
        let truth: HashMap<&str, &str> = self.truth.iter().map(|(o, v)| (o.as_str(), v.as_str())).collect();
        let right = (0..data.objects.len())
            .filter(|&o| {
                truth.get(data.objects[o].as_str()) == Some(&data.value_text[found.truth[o] as usize].as_str())
            })
            .count();
        let id = |name: &str| data.sources.binary_search_by(|s| s.as_str().cmp(name)).ok();
        let mut group = vec![usize::MAX; data.sources.len()];
        for (g, members) in self.groups.iter().enumerate() {
            for m in members {
                if let Some(s) = id(m) {
                    group[s] = g;
                }
            }
        }
        let detected: Vec<&Pair> = found.pairs.iter().filter(|p| p.dependence() >= threshold).collect();
        let good = detected
            .iter()
            .filter(|p| group[p.a as usize] != usize::MAX && group[p.a as usize] == group[p.b as usize])
            .count();
        let (mut hits, mut directed) = (0, 0);
        for (copier, original) in &self.copiers {
            let (Some(c), Some(o)) = (id(copier), id(original)) else { continue };
            let (a, b) = (c.min(o) as u32, c.max(o) as u32);
            if let Some(p) = detected.iter().find(|p| p.a == a && p.b == b) {
                hits += 1;
                let c_copies = if c < o { p.a_copies_b } else { p.b_copies_a };
                if c_copies > p.dependence() - c_copies {
                    directed += 1;
                }
            }
        }
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        TrapScore {
            precision: ratio(right, data.objects.len()),
            pair_precision: ratio(good, detected.len()),
            pair_recall: ratio(hits, self.copiers.len()),
            direction: ratio(directed, hits),
            detected: detected.len(),
        }
    }
}

/// `SplitMix64`: tiny, fast and good enough for test data; no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix64(self.0)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Generates the trap described by `spec`.
#[must_use]
pub fn copy_trap(spec: &TrapSpec) -> Trap {
    let mut rng = Rng(spec.seed ^ 0x00c0_ffee);
    let nsrc = spec.independent + spec.groups * (1 + spec.copiers);
    // Neutral, shuffled names, so that name order (a tie-break) says nothing about roles.
    let mut ids: Vec<usize> = (0..nsrc).collect();
    for i in (1..ids.len()).rev() {
        let j = rng.below(i + 1);
        ids.swap(i, j);
    }
    let name = |k: usize| format!("src{:04}", ids[k]);
    let width = spec.false_values + 1;
    let truth_of: Vec<usize> = (0..spec.objects).map(|_| rng.below(width)).collect();
    let value = |o: usize, k: usize| format!("v{o}x{k}");
    // A value drawn with accuracy `a`: the truth, or one of the false ones.
    let draw = |rng: &mut Rng, o: usize, a: f64| -> usize {
        if rng.unit() < a {
            truth_of[o]
        } else {
            let f = rng.below(spec.false_values);
            if f >= truth_of[o] { f + 1 } else { f }
        }
    };
    let mut csv = String::with_capacity((spec.expected_claims() * 24.0) as usize + 32);
    csv.push_str("object,source,value\n");
    let mut claims = 0;
    let mut groups = Vec::new();
    let mut copiers = Vec::new();
    for g in 0..spec.groups {
        let base = spec.independent + g * (1 + spec.copiers);
        let mut members = vec![name(base)];
        for c in 0..spec.copiers {
            members.push(name(base + 1 + c));
            copiers.push((name(base + 1 + c), name(base)));
        }
        groups.push(members);
    }
    let mut row = |csv: &mut String, o: usize, s: usize, k: usize| {
        let _ = writeln!(csv, "o{o:07},{},{}", name(s), value(o, k));
        claims += 1;
    };
    for o in 0..spec.objects {
        for s in 0..spec.independent {
            if rng.unit() < spec.coverage {
                let t = if spec.independent > 1 { s as f64 / (spec.independent - 1) as f64 } else { 0.5 };
                let a = spec.accuracy.0 + t * (spec.accuracy.1 - spec.accuracy.0);
                let k = draw(&mut rng, o, a);
                row(&mut csv, o, s, k);
            }
        }
        for g in 0..spec.groups {
            let base = spec.independent + g * (1 + spec.copiers);
            if rng.unit() >= spec.original_coverage {
                continue;
            }
            let orig = draw(&mut rng, o, spec.original_accuracy);
            if !spec.hidden_originals {
                row(&mut csv, o, base, orig);
            }
            for c in 0..spec.copiers {
                if rng.unit() < spec.copier_coverage {
                    let k = if rng.unit() < spec.copy_rate { orig } else { draw(&mut rng, o, spec.copier_accuracy) };
                    row(&mut csv, o, base + 1 + c, k);
                }
            }
        }
    }
    let truth = (0..spec.objects).map(|o| (format!("o{o:07}"), value(o, truth_of[o]))).collect();
    Trap { csv: csv.into_bytes(), truth, copiers, groups, claims }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_about_the_expected_size() {
        let spec = TrapSpec { objects: 200, ..Default::default() };
        let (a, b) = (copy_trap(&spec), copy_trap(&spec));
        assert_eq!(a, b);
        let e = spec.expected_claims();
        assert!((a.claims as f64 - e).abs() < 0.1 * e, "{} vs {e}", a.claims);
        assert_eq!(a.copiers.len(), spec.groups * spec.copiers);
        let other = copy_trap(&TrapSpec { seed: 15, ..spec });
        assert_ne!(a.csv, other.csv);
    }
}
