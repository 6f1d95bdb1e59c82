//! The estimator: source accuracies, value probabilities and copy probabilities, iterated jointly.
//!
//! One iteration, given accuracies `A(s)` and copy probabilities from the previous one:
//!
//! 1. **Votes.** A claim of source `s` weighs `ln(n·A(s) / (1 − A(s)))` (the log-odds of `s` being right
//!    against one particular false value, Dong et al.'s ACCU). With `leave_one_out`, `A(s)` here is `s`'s
//!    accuracy on its *other* claims, so that a claim never vouches for itself. A value's vote `C(v)` sums
//!    the weights of its sources, each multiplied by the probability `I(s)` that `s` gave it independently
//!    of the sources already counted (step 5).
//! 2. **Similarity.** `C*(v) = C(v) + ρ Σ_w sim(w → v) · C(w)`: close values lend each other part of their
//!    vote (`TruthFinder`'s implication, in ACCU's vote space).
//! 3. **Truth.** `P(v) = exp C*(v) / (Σ_w exp C*(w) + u)` over the object's values, where the `u = max(0,
//!    n + 1 − |values|)` false values nobody claimed have vote 0. An uncontested claim then gets
//!    `P = A(s)`, neither raising nor lowering its source's accuracy.
//! 4. **Accuracy.** `A(s) = (w·A0 + Σ P(v)) / (w + claims(s))` over `s`'s values: the posterior mean under a
//!    Beta prior of weight `w` around `A0`.
//! 5. **Copying.** For every pair of sources that share at least one value and cover at least
//!    `min_shared` objects together. With `P_t = A1·A2`, `P_f = (1 − A1)(1 − A2)/n`, `P_d = 1 − P_t − P_f`,
//!    an object where both give value `v` has likelihood `P(v)·P_t + (1 − P(v))·P_f` under independence and
//!    `P(v)·(A2·c + P_t(1 − c)) + (1 − P(v))·((1 − A2)·c + P_f(1 − c))` under "1 copies 2" (a copied value
//!    is true exactly when the original's is; the truth is marginalised with its current probability, or,
//!    with `mixture_evidence` off, counted as `k_t = Σ P`, `k_f = Σ (1 − P)` as in the paper); an object
//!    where they differ has `P_d`, or `P_d(1 − c)` under copying. Bayes with prior `α·f` for "1 → 2",
//!    `α(1 − f)` for "2 → 1" (`f` from coverage, see `direction_from_coverage`) and `1 − α` for
//!    independence gives `Pr(1 → 2)`, `Pr(2 → 1)`; everything in log space. Sharing a *false* value is
//!    `≈ c·n/(1 − A)` times likelier under copying, sharing a true one only `≈ (c + A(1 − c))/A` times, and
//!    every disagreement multiplies the odds of copying by `1 − c`.
//!
//!    Step 1 of the next iteration then takes the sources of each value in order of vote weight and gives
//!    the `i`-th `I = Π_{j<i} (1 − c · D(i, j))`, where `D = Pr(i → j) + Pr(j → i)` is the probability that
//!    the two are dependent at all.
//!
//! Cost per iteration: one pass over the claims for votes and accuracies, one over the precomputed similar
//! value pairs, and one over the same-value source pairs (`Σ_v min(sources(v), cap)²/2`). The pair set is
//! built once from the index object → claims: only sources that share a value are ever paired.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use statrs::distribution::{Beta, ContinuousCDF};

use crate::config::DiscoverConfig;
use crate::data::Dataset;
use crate::value::{self, Kind};

/// Copy statistics and posterior of one source pair (`a < b`, ids into [`Dataset::sources`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// First source.
    pub a: u32,
    /// Second source.
    pub b: u32,
    /// Objects both cover (counted among the sampled sources of each object).
    pub shared: u32,
    /// Objects on which both give the same value.
    pub same: u32,
    /// Expected number of those same values that are true (`k_t`); `same − same_true` is `k_f`.
    pub same_true: f64,
    /// Probability that `a` copies from `b`.
    pub a_copies_b: f64,
    /// Probability that `b` copies from `a`.
    pub b_copies_a: f64,
}

impl Pair {
    /// Probability that the two are dependent, in either direction.
    #[must_use]
    pub fn dependence(&self) -> f64 {
        self.a_copies_b + self.b_copies_a
    }
}

/// Everything the estimator found.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    /// `P(v)`, probability that value `v` is its object's true value.
    pub probability: Vec<f64>,
    /// The chosen value of each object (highest probability; ties: more sources, then the smaller value).
    pub truth: Vec<u32>,
    /// Estimated accuracy of each source (posterior mean).
    pub accuracy: Vec<f64>,
    /// Lower end of the accuracy credible interval.
    pub accuracy_low: Vec<f64>,
    /// Upper end of the accuracy credible interval.
    pub accuracy_high: Vec<f64>,
    /// Expected number of correct claims of each source, `Σ P(v)` over its values.
    pub correct: Vec<f64>,
    /// Source pairs that share at least one value, with their copy posteriors (empty without copy
    /// detection).
    pub pairs: Vec<Pair>,
    /// Iterations run.
    pub iterations: usize,
    /// Whether the last iteration moved nothing by more than the tolerance.
    pub converged: bool,
    /// Largest change of a probability or accuracy in each iteration (the convergence trace).
    pub changes: Vec<f64>,
}

/// Fx-style hasher for the pair table, whose keys are our own ids (not attacker-chosen strings).
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        // A multiply only carries entropy upwards, and the table indexes buckets by the low bits: mix.
        mix64(self.0)
    }
}

/// Natural logarithm to about 1e-9 relative error, without a libm call: the copy evidence takes three
/// logarithms per shared value and iteration, the hottest loop of the estimator. Pure arithmetic, so the
/// result is the same on every machine. Falls back to `ln` outside the positive normal range.
#[inline]
pub(crate) fn fast_ln(x: f64) -> f64 {
    if !(f64::MIN_POSITIVE..f64::INFINITY).contains(&x) {
        return x.ln();
    }
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln m = 2 atanh(t), t = (m − 1)/(m + 1), |t| < 0.172: five odd terms leave < 1e-9.
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let series = t * (2.0 + t2 * (2.0 / 3.0 + t2 * (2.0 / 5.0 + t2 * (2.0 / 7.0 + t2 * (2.0 / 9.0)))));
    e as f64 * std::f64::consts::LN_2 + series
}

/// `SplitMix64` finaliser: a well-mixed 64-bit hash of a 64-bit key.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Static structures derived once from the data and the config.
struct Prepared {
    /// Similarity support into value `v`: `sim_from/sim_weight[sim_offsets[v]..sim_offsets[v + 1]]`.
    sim_offsets: Vec<usize>,
    sim_from: Vec<u32>,
    sim_weight: Vec<f64>,
    /// Sampled claims of value `v` taking part in copy statistics (all of them unless the object is
    /// larger than `pair_cap`).
    sample_offsets: Vec<usize>,
    sample_claims: Vec<u32>,
    /// Pair ids of the sampled claims of value `v`, upper triangle in row order.
    vpair_offsets: Vec<usize>,
    vpair_ids: Vec<u32>,
    pairs: Vec<Pair>,
    /// Pairs covering at least `min_shared` objects together (the only ones assessed), and for each of
    /// their same-value objects an incidence (value, index into `active`), in value order.
    active: Vec<u32>,
    incidences: Vec<(u32, u32)>,
}

fn similarity(d: &Dataset, from: usize, to: usize, cfg: &DiscoverConfig) -> f64 {
    match (d.value_kind[from], d.value_kind[to]) {
        (Kind::Number, Kind::Number) => {
            value::number_similarity(d.value_number[from], d.value_number[to], cfg.number_tolerance)
        }
        (Kind::Tokens, Kind::Tokens) => {
            value::token_similarity(d.tokens_of(from), d.tokens_of(to), cfg.token_similarity)
        }
        _ => 0.0,
    }
}

fn prepare(d: &Dataset, cfg: &DiscoverConfig) -> Prepared {
    let nvalues = d.value_text.len();
    let mut p = Prepared {
        sim_offsets: Vec::with_capacity(nvalues + 1),
        sim_from: Vec::new(),
        sim_weight: Vec::new(),
        sample_offsets: Vec::with_capacity(nvalues + 1),
        sample_claims: Vec::new(),
        vpair_offsets: Vec::with_capacity(nvalues + 1),
        vpair_ids: Vec::new(),
        pairs: Vec::new(),
        active: Vec::new(),
        incidences: Vec::new(),
    };
    p.sim_offsets.push(0);
    p.sample_offsets.push(0);
    p.vpair_offsets.push(0);
    let mut supporters: Vec<usize> = Vec::new();
    let mut index: HashMap<u64, u32, BuildHasherDefault<IdHasher>> = HashMap::default();
    let mut chosen: Vec<(u64, u32)> = Vec::new();
    let mut keep: Vec<bool> = Vec::new();
    for o in 0..d.objects.len() {
        let values = d.values_of(o);
        // Similarity: support from the `similarity_cap` values with most sources (ties: value order).
        if cfg.similarity_weight > 0.0 && values.len() > 1 {
            supporters.clear();
            supporters.extend(values.clone());
            if supporters.len() > cfg.similarity_cap {
                supporters.sort_by_key(|&v| (std::cmp::Reverse(d.support(v)), v));
                supporters.truncate(cfg.similarity_cap);
                supporters.sort_unstable();
            }
        }
        // Copy sample: all claims, or the `pair_cap` with the smallest hash of (object, source).
        let claims = d.value_claims[values.start] as usize..d.value_claims[values.end] as usize;
        keep.clear();
        keep.resize(claims.len(), true);
        if cfg.copy_detection && claims.len() > cfg.pair_cap {
            chosen.clear();
            chosen.extend(claims.clone().map(|c| (mix64(((o as u64) << 32) ^ u64::from(d.claim_source[c])), c as u32)));
            chosen.sort_unstable();
            keep.iter_mut().for_each(|k| *k = false);
            for &(_, c) in &chosen[..cfg.pair_cap] {
                keep[c as usize - claims.start] = true;
            }
        }
        for v in values.clone() {
            if cfg.similarity_weight > 0.0 && values.len() > 1 {
                for &w in &supporters {
                    if w == v {
                        continue;
                    }
                    let s = similarity(d, w, v, cfg) - cfg.similarity_base;
                    if s != 0.0 {
                        p.sim_from.push(w as u32);
                        p.sim_weight.push(s);
                    }
                }
            }
            p.sim_offsets.push(p.sim_from.len());
            if cfg.copy_detection {
                let first = p.sample_claims.len();
                for c in d.claims_of(v) {
                    if keep[c - claims.start] {
                        p.sample_claims.push(c as u32);
                    }
                }
                let members = first..p.sample_claims.len();
                for i in members.clone() {
                    for j in i + 1..members.end {
                        let (a, b) =
                            (d.claim_source[p.sample_claims[i] as usize], d.claim_source[p.sample_claims[j] as usize]);
                        let key = (u64::from(a) << 32) | u64::from(b);
                        let next = p.pairs.len() as u32;
                        let id = *index.entry(key).or_insert(next);
                        if id == next {
                            p.pairs.push(Pair {
                                a,
                                b,
                                shared: 0,
                                same: 0,
                                same_true: 0.0,
                                a_copies_b: 0.0,
                                b_copies_a: 0.0,
                            });
                        }
                        p.pairs[id as usize].same += 1;
                        p.vpair_ids.push(id);
                    }
                }
            }
            p.sample_offsets.push(p.sample_claims.len());
            p.vpair_offsets.push(p.vpair_ids.len());
        }
    }
    // Shared objects of every pair that shares a value: all sampled source pairs of each object.
    if cfg.copy_detection && !p.pairs.is_empty() {
        let mut srcs: Vec<u32> = Vec::new();
        for o in 0..d.objects.len() {
            let values = d.values_of(o);
            let (from, to) = (p.sample_offsets[values.start], p.sample_offsets[values.end]);
            srcs.clear();
            srcs.extend(p.sample_claims[from..to].iter().map(|&c| d.claim_source[c as usize]));
            srcs.sort_unstable();
            for i in 0..srcs.len() {
                for j in i + 1..srcs.len() {
                    if let Some(&id) = index.get(&((u64::from(srcs[i]) << 32) | u64::from(srcs[j]))) {
                        p.pairs[id as usize].shared += 1;
                    }
                }
            }
        }
    }
    let mut slot = vec![u32::MAX; p.pairs.len()];
    for (id, pair) in p.pairs.iter().enumerate() {
        if pair.shared >= cfg.min_shared {
            slot[id] = p.active.len() as u32;
            p.active.push(id as u32);
        }
    }
    for v in 0..nvalues {
        for &id in &p.vpair_ids[p.vpair_offsets[v]..p.vpair_offsets[v + 1]] {
            if slot[id as usize] != u32::MAX {
                p.incidences.push((v as u32, slot[id as usize]));
            }
        }
    }
    p
}

/// Per-iteration working data of one assessed pair, kept together for locality.
#[derive(Debug, Clone, Copy)]
struct PairWork {
    terms: Terms,
    /// Log-likelihoods of the uncertain same-value objects under [independence, 1 → 2, 2 → 1].
    logs: [f64; 3],
    /// Same-value objects whose value is all but certainly true / false.
    hard: [u32; 2],
    /// Σ P over the same-value objects (expected same-and-true count).
    same_true: f64,
    /// A value with `1 − P ≤ near[0]` is counted as true, one with `P ≤ near[1]` as false.
    near: [f64; 2],
}

impl PairWork {
    fn new(terms: Terms) -> PairWork {
        // |ln(P·t + (1 − P)·f) − ln t| ≤ (1 − P)·f/t for P near 1, and likewise with t and f swapped for P
        // near 0; bounding the largest ratio over the three hypotheses bounds the error by 1e-4.
        let t = &terms;
        let up = (t.pf / t.pt).max(t.f12 / t.t12).max(t.f21 / t.t21).max(1.0);
        let down = (t.pt / t.pf).max(t.t12 / t.f12).max(t.t21 / t.f21).max(1.0);
        PairWork { terms, logs: [0.0; 3], hard: [0; 2], same_true: 0.0, near: [1e-4 / up, 1e-4 / down] }
    }
}

/// The parameters of the copy model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CopyModel {
    /// `n`, false values per object.
    pub false_values: f64,
    /// `c`, copy rate.
    pub copy_rate: f64,
    /// `α`, prior probability of dependence (half per direction).
    pub prior: f64,
}

/// Per-object likelihoods of one pair, given the two accuracies.
#[derive(Debug, Clone, Copy)]
pub struct Terms {
    /// Independent: same and true, same and false, different.
    pub pt: f64,
    /// Independent, same and false.
    pub pf: f64,
    /// Independent, different values.
    pub pd: f64,
    /// 1 copies 2: same and true, same and false.
    pub t12: f64,
    /// 1 copies 2, same and false.
    pub f12: f64,
    /// 2 copies 1: same and true.
    pub t21: f64,
    /// 2 copies 1, same and false.
    pub f21: f64,
}

impl CopyModel {
    /// The per-object likelihoods for accuracies `a1`, `a2`. Under copying, a shared value is true exactly
    /// when the original's is, so "1 copies 2" uses `a2`.
    #[must_use]
    pub fn terms(&self, a1: f64, a2: f64) -> Terms {
        let (n, c) = (self.false_values, self.copy_rate);
        let pt = a1 * a2;
        let pf = (1.0 - a1) * (1.0 - a2) / n;
        let pd = (1.0 - pt - pf).max(1e-300);
        Terms {
            pt,
            pf,
            pd,
            t12: a2 * c + pt * (1.0 - c),
            f12: (1.0 - a2) * c + pf * (1.0 - c),
            t21: a1 * c + pt * (1.0 - c),
            f21: (1.0 - a1) * c + pf * (1.0 - c),
        }
    }

    /// Posterior (Pr(1 → 2), Pr(2 → 1)) from the log-likelihoods of the same-value objects under
    /// [independence, 1 → 2, 2 → 1], the number `kd` of objects with different values, and `forward`, the
    /// prior probability, given dependence, that 1 is the copier.
    #[must_use]
    pub fn combine(&self, t: &Terms, same: [f64; 3], kd: f64, forward: f64) -> (f64, f64) {
        let (c, alpha) = (self.copy_rate, self.prior);
        let ln_pd = if kd > 0.0 { fast_ln(t.pd) } else { 0.0 };
        let x0 = fast_ln(1.0 - alpha) + same[0] + kd * ln_pd;
        let diff = if kd > 0.0 { kd * (ln_pd + fast_ln(1.0 - c)) } else { 0.0 };
        let x12 = fast_ln(alpha * forward) + same[1] + diff;
        let x21 = fast_ln(alpha * (1.0 - forward)) + same[2] + diff;
        let m = x12.max(x21).max(x0);
        let (e12, e21, e0) = ((x12 - m).exp(), (x21 - m).exp(), (x0 - m).exp());
        let z = e12 + e21 + e0;
        (e12 / z, e21 / z)
    }

    /// Posterior (Pr(1 → 2), Pr(2 → 1)), "1 → 2" meaning 1 copies from 2, from counts: `kt`, `kf`, `kd`
    /// same-and-true, same-and-false and different objects (the paper's form, with the truth known).
    #[must_use]
    pub fn posterior(&self, a1: f64, a2: f64, [kt, kf, kd]: [f64; 3], forward: f64) -> (f64, f64) {
        let t = self.terms(a1, a2);
        let same =
            [kt * t.pt.ln() + kf * t.pf.ln(), kt * t.t12.ln() + kf * t.f12.ln(), kt * t.t21.ln() + kf * t.f21.ln()];
        self.combine(&t, same, kd, forward)
    }
}

/// Per-iteration working memory, reused across objects.
#[derive(Default)]
struct Scratch {
    votes: Vec<f64>,
    order: Vec<usize>,
    rank: Vec<usize>,
    indep: Vec<f64>,
    support: Vec<f64>,
}

struct State<'a> {
    d: &'a Dataset,
    cfg: &'a DiscoverConfig,
    prep: Prepared,
    accuracy: Vec<f64>,
    correct: Vec<f64>,
    probability: Vec<f64>,
    /// Claim weights of the current iteration.
    weight: Vec<f64>,
    /// Mean of the accuracy prior (`initial_accuracy`, or estimated).
    prior_mean: f64,
}

impl State<'_> {
    fn clamp(&self, a: f64) -> f64 {
        a.clamp(self.cfg.accuracy_min, self.cfg.accuracy_max)
    }

    fn vote_weight(&self, a: f64) -> f64 {
        let a = self.clamp(a);
        fast_ln(self.cfg.false_values * a / (1.0 - a))
    }

    /// Weight of every claim from the current accuracies (leave-one-out if configured).
    fn weights(&mut self, first: bool) {
        let (w0, a0) = (self.cfg.prior_weight, self.prior_mean);
        // In claim order: the arrays indexed by claim are read and written sequentially (the per-source
        // arrays are small), which keeps a million-claim iteration in cache-friendly streams.
        for c in 0..self.d.claims() {
            let s = self.d.claim_source[c] as usize;
            let a = if first {
                a0
            } else if self.cfg.leave_one_out {
                let k = f64::from(self.d.source_offsets[s + 1] - self.d.source_offsets[s]);
                let denom = w0 + k - 1.0;
                let p = self.probability[self.d.claim_value[c] as usize];
                if denom > 0.0 { (w0 * a0 + self.correct[s] - p) / denom } else { a0 }
            } else {
                self.accuracy[s]
            };
            self.weight[c] = self.vote_weight(a);
        }
    }

    /// Steps 1–3 for every object; writes new probabilities and returns the largest change.
    fn truth_step(&mut self, first: bool, use_copies: bool, new_p: &mut [f64], scratch: &mut Scratch) -> f64 {
        let d = self.d;
        let n = self.cfg.false_values;
        let c = self.cfg.copy_rate;
        let mut change: f64 = 0.0;
        for o in 0..d.objects.len() {
            let values = d.values_of(o);
            scratch.votes.clear();
            for v in values.clone() {
                let mut vote = 0.0;
                let claims = d.claims_of(v);
                let sampled =
                    if use_copies { self.prep.sample_offsets[v]..self.prep.sample_offsets[v + 1] } else { 0..0 };
                let m = sampled.len();
                let base = self.prep.vpair_offsets[v];
                let ids = &self.prep.vpair_ids[base..base + m * m.saturating_sub(1) / 2];
                // Fast path: no pair among this value's sources is dependent.
                if m < 2 || ids.iter().all(|&id| self.prep.pairs[id as usize].dependence() == 0.0) {
                    for cl in claims {
                        vote += self.weight[cl];
                    }
                } else {
                    // Claims outside the sample count fully.
                    let members = &self.prep.sample_claims[sampled];
                    let mut total: f64 = claims.map(|cl| self.weight[cl]).sum();
                    total -= members.iter().map(|&cl| self.weight[cl as usize]).sum::<f64>();
                    // Members in order of vote weight (most trusted first; ties by source): each counts
                    // with the probability that it is independent of every member before it,
                    // Π_{j before i} (1 − c · D(i, j)), D = Pr(i → j) + Pr(j → i). A fully dependent group
                    // thus weighs about one vote plus (1 − c) per further member, whoever its original is.
                    // Ordering by weight keeps the vote nearly continuous when two members swap places
                    // (at the swap their weights are equal).
                    scratch.order.clear();
                    scratch.order.extend(0..m);
                    let weight = &self.weight;
                    scratch.order.sort_by(|&i, &j| {
                        let (ci, cj) = (members[i] as usize, members[j] as usize);
                        weight[cj].total_cmp(&weight[ci]).then(d.claim_source[ci].cmp(&d.claim_source[cj]))
                    });
                    scratch.rank.clear();
                    scratch.rank.resize(m, 0);
                    for (k, &i) in scratch.order.iter().enumerate() {
                        scratch.rank[i] = k;
                    }
                    // One pass over the pairs: each pair discounts whichever of its two comes later.
                    scratch.indep.clear();
                    scratch.indep.resize(m, 1.0);
                    let mut k = 0;
                    for i in 0..m {
                        for j in i + 1..m {
                            let dep = self.prep.pairs[ids[k] as usize].dependence();
                            k += 1;
                            if dep > 0.0 {
                                let later = if scratch.rank[i] > scratch.rank[j] { i } else { j };
                                scratch.indep[later] *= 1.0 - c * dep.min(1.0);
                            }
                        }
                    }
                    for (i, &cl) in members.iter().enumerate() {
                        total += self.weight[cl as usize] * scratch.indep[i];
                    }
                    vote = total;
                }
                scratch.votes.push(vote);
            }
            // Similarity support, then the softmax with the unclaimed false values at vote 0.
            scratch.support.clear();
            for (k, v) in values.clone().enumerate() {
                let mut x = scratch.votes[k];
                let rho = self.cfg.similarity_weight;
                for e in self.prep.sim_offsets[v]..self.prep.sim_offsets[v + 1] {
                    let w = self.prep.sim_from[e] as usize - values.start;
                    x += rho * self.prep.sim_weight[e] * scratch.votes[w];
                }
                scratch.support.push(x);
            }
            let unclaimed = (n + 1.0 - values.len() as f64).max(0.0);
            // Shift by the largest exponent (the unclaimed values' 0 included only when there are any), so
            // that the largest term is exp(0) = 1 and the sum can neither overflow nor vanish.
            let top = scratch.support.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let m = if unclaimed > 0.0 { top.max(0.0) } else { top };
            let rest = if unclaimed > 0.0 { unclaimed * (-m).exp() } else { 0.0 };
            let z: f64 = scratch.support.iter().map(|&x| (x - m).exp()).sum::<f64>() + rest;
            let keep = if first { 0.0 } else { self.cfg.damping };
            for (k, v) in values.enumerate() {
                let fresh = ((scratch.support[k] - m).exp() / z).clamp(0.0, 1.0);
                let p = keep * self.probability[v] + (1.0 - keep) * fresh;
                change = change.max((p - self.probability[v]).abs());
                new_p[v] = p;
            }
        }
        change
    }

    /// Step 4; returns the largest change of an accuracy.
    fn accuracy_step(&mut self) -> f64 {
        if self.cfg.estimate_prior && !self.probability.is_empty() {
            let total: f64 = self.d.claim_value.iter().map(|&v| self.probability[v as usize]).sum();
            self.prior_mean = self.clamp(total / self.d.claims() as f64);
        }
        let (w0, a0) = (self.cfg.prior_weight, self.prior_mean);
        let mut change: f64 = 0.0;
        // Sums in claim order (each source's claims are in ascending claim order either way).
        self.correct.iter_mut().for_each(|x| *x = 0.0);
        for (c, &v) in self.d.claim_value.iter().enumerate() {
            self.correct[self.d.claim_source[c] as usize] += self.probability[v as usize];
        }
        for s in 0..self.d.sources.len() {
            let correct = self.correct[s];
            let k = f64::from(self.d.source_offsets[s + 1] - self.d.source_offsets[s]);
            let a = if w0 + k > 0.0 { self.clamp((w0 * a0 + correct) / (w0 + k)) } else { a0 };
            change = change.max((a - self.accuracy[s]).abs());
            self.accuracy[s] = a;
        }
        change
    }

    /// Step 5, for the pairs that cover at least `min_shared` objects together.
    fn copy_step(&mut self, work: &mut Vec<PairWork>) {
        let model = CopyModel {
            false_values: self.cfg.false_values,
            copy_rate: self.cfg.copy_rate,
            prior: self.cfg.copy_prior,
        };
        let (lo, hi) = (self.cfg.accuracy_min, self.cfg.accuracy_max);
        let pairs = &self.prep.pairs;
        work.clear();
        work.extend(self.prep.active.iter().map(|&id| {
            let p = &pairs[id as usize];
            let (a1, a2) = (self.accuracy[p.a as usize].clamp(lo, hi), self.accuracy[p.b as usize].clamp(lo, hi));
            PairWork::new(model.terms(a1, a2))
        }));
        let mixture = self.cfg.mixture_evidence;
        for &(v, k) in &self.prep.incidences {
            let pv = self.probability[v as usize];
            let w = &mut work[k as usize];
            w.same_true += pv;
            if !mixture {
                continue;
            }
            // The likelihood of a shared value marginalised over its truth. Values whose truth is all but
            // certain are only counted (their logarithms are taken once per pair below); `near` keeps the
            // error of doing so under 1e-4 per value (see `PairWork::new`).
            if 1.0 - pv <= w.near[0] {
                w.hard[0] += 1;
            } else if pv <= w.near[1] {
                w.hard[1] += 1;
            } else {
                let (t, q) = (&w.terms, 1.0 - pv);
                let l =
                    [fast_ln(pv * t.pt + q * t.pf), fast_ln(pv * t.t12 + q * t.f12), fast_ln(pv * t.t21 + q * t.f21)];
                w.logs[0] += l[0];
                w.logs[1] += l[1];
                w.logs[2] += l[2];
            }
        }
        for (k, &id) in self.prep.active.iter().enumerate() {
            let w = &work[k];
            let p = &self.prep.pairs[id as usize];
            let kd = f64::from(p.shared.saturating_sub(p.same));
            // Who has more values of its own is more likely the original: the direction prior splits in
            // proportion to the other source's (smoothed) share of claims outside the shared objects.
            let forward = if self.cfg.direction_from_coverage {
                let share = |s: u32| {
                    let k = self.d.claims_by(s as usize).len() as f64;
                    (k - f64::from(p.shared) + 1.0).max(1.0) / (k + 2.0)
                };
                let (sa, sb) = (share(p.a), share(p.b));
                (sb / (sa + sb)).clamp(0.01, 0.99)
            } else {
                0.5
            };
            let t = &w.terms;
            let (kt, kf) = if mixture {
                (f64::from(w.hard[0]), f64::from(w.hard[1]))
            } else {
                let kt = w.same_true.min(f64::from(p.same));
                (kt, f64::from(p.same) - kt)
            };
            let ln = |x: f64, k: f64| if k > 0.0 { k * fast_ln(x) } else { 0.0 };
            let logs = [
                w.logs[0] + ln(t.pt, kt) + ln(t.pf, kf),
                w.logs[1] + ln(t.t12, kt) + ln(t.f12, kf),
                w.logs[2] + ln(t.t21, kt) + ln(t.f21, kf),
            ];
            let (ab, ba) = model.combine(t, logs, kd, forward);
            // Negligible dependence is stored as 0 so that votes take the fast path.
            let (ab, ba) = if ab + ba < 1e-9 { (0.0, 0.0) } else { (ab, ba) };
            let p = &mut self.prep.pairs[id as usize];
            p.a_copies_b = ab;
            p.b_copies_a = ba;
        }
    }

    /// Σ P over the same-value objects of every pair (for the outputs).
    fn same_true(&mut self) {
        for p in &mut self.prep.pairs {
            p.same_true = 0.0;
        }
        for v in 0..self.d.value_text.len() {
            let pv = self.probability[v];
            for &id in &self.prep.vpair_ids[self.prep.vpair_offsets[v]..self.prep.vpair_offsets[v + 1]] {
                self.prep.pairs[id as usize].same_true += pv;
            }
        }
    }
}

/// Runs the estimator on indexed claims. The configuration is assumed valid ([`DiscoverConfig::validate`]).
#[must_use]
pub fn discover(d: &Dataset, cfg: &DiscoverConfig) -> Discovery {
    let nsrc = d.sources.len();
    let nval = d.value_text.len();
    let mut st = State {
        d,
        cfg,
        prep: prepare(d, cfg),
        accuracy: vec![cfg.initial_accuracy; nsrc],
        correct: vec![0.0; nsrc],
        probability: vec![0.0; nval],
        weight: vec![0.0; d.claims()],
        prior_mean: cfg.initial_accuracy,
    };
    let mut scratch = Scratch::default();
    let mut new_p = vec![0.0; nval];
    let mut work = Vec::new();
    let mut iterations = 0;
    let mut converged = false;
    let mut changes = Vec::new();
    for it in 0..cfg.max_iterations {
        iterations = it + 1;
        st.weights(it == 0);
        let dp = st.truth_step(it == 0, cfg.copy_detection && it > 0, &mut new_p, &mut scratch);
        std::mem::swap(&mut st.probability, &mut new_p);
        let da = st.accuracy_step();
        if cfg.copy_detection {
            st.copy_step(&mut work);
        }
        changes.push(dp.max(da));
        if it > 0 && dp.max(da) <= cfg.tolerance {
            converged = true;
            break;
        }
    }
    if cfg.copy_detection {
        st.same_true();
    }
    let truth = (0..d.objects.len())
        .map(|o| {
            let mut best = d.values_of(o).start;
            for v in d.values_of(o) {
                let (pv, pb) = (st.probability[v], st.probability[best]);
                let tie = (pv - pb).abs() <= 1e-12 * pv.max(pb);
                if (!tie && pv > pb) || (tie && d.support(v) > d.support(best)) {
                    best = v;
                }
            }
            best as u32
        })
        .collect();
    let (mut low, mut high) = (vec![0.0; nsrc], vec![0.0; nsrc]);
    let tail = (1.0 - cfg.interval_level) / 2.0;
    for s in 0..nsrc {
        let k = d.claims_by(s).len() as f64;
        let correct = st.correct[s].clamp(0.0, k);
        let a = (cfg.prior_weight * st.prior_mean + correct).max(0.5);
        let b = (cfg.prior_weight * (1.0 - st.prior_mean) + (k - correct)).max(0.5);
        if let Ok(beta) = Beta::new(a, b) {
            low[s] = beta.inverse_cdf(tail).clamp(0.0, 1.0);
            high[s] = beta.inverse_cdf(1.0 - tail).clamp(0.0, 1.0);
        } else {
            low[s] = 0.0;
            high[s] = 1.0;
        }
    }
    Discovery {
        probability: st.probability,
        truth,
        accuracy: st.accuracy,
        accuracy_low: low,
        accuracy_high: high,
        correct: st.correct,
        pairs: st.prep.pairs,
        iterations,
        converged,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The DEPEN closed form (equal error rate ε for both sources) as a function of (`k_t`, `k_f`, `k_d`).
    const MODEL: CopyModel = CopyModel { false_values: 10.0, copy_rate: 0.8, prior: 0.2 };

    fn depen(kt: f64, kf: f64, kd: f64) -> f64 {
        let (ab, ba) = MODEL.posterior(0.8, 0.8, [kt, kf, kd], 0.5);
        ab + ba
    }

    #[test]
    fn fast_ln_is_close() {
        for &x in &[1e-300, 1e-13, 0.001, 0.3, 0.707, 0.708, 1.0, 1.414, 1.415, 2.0, 10.0, 1e12, 1e300] {
            let (a, b) = (fast_ln(x), x.ln());
            assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{x}: {a} vs {b}");
        }
        assert!(fast_ln(0.0).is_infinite() && fast_ln(-1.0).is_nan());
    }

    #[test]
    fn depen_test_vectors() {
        // ε = 0.2, n = 10, c = 0.8, α = 0.2 (methods.md §3.1 (a)).
        assert!((depen(5.0, 0.0, 5.0) - 0.0002).abs() < 0.0001, "{}", depen(5.0, 0.0, 5.0));
        assert!((depen(5.0, 3.0, 2.0) - 0.9994).abs() < 0.0001, "{}", depen(5.0, 3.0, 2.0));
        assert!((depen(0.0, 3.0, 0.0) - 0.9999).abs() < 0.0001, "{}", depen(0.0, 3.0, 0.0));
        assert!((depen(10.0, 0.0, 0.0) - 0.6075).abs() < 0.0001, "{}", depen(10.0, 0.0, 0.0));
    }

    #[test]
    fn accucopy_direction_test_vectors() {
        // A1 = 0.8, A2 = 0.6, n = 10, c = 0.8, α per direction 0.1 (so α = 0.2 here) — §3.1 (b).
        let (ab, ba) = MODEL.posterior(0.8, 0.6, [5.0, 3.0, 2.0], 0.5);
        assert!((ab - 0.698).abs() < 0.001 && (ba - 0.302).abs() < 0.001, "{ab} {ba}");
        let (ab, ba) = MODEL.posterior(0.8, 0.6, [10.0, 0.0, 0.0], 0.5);
        assert!((ab - 0.072).abs() < 0.001 && (ba - 0.835).abs() < 0.001, "{ab} {ba}");
    }
}
