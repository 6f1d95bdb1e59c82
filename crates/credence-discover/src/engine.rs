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
    /// Pairs assessed at the start (covering at least `min_shared` objects together).
    pub assessed: usize,
    /// Of those, pairs pruned as independent (`prune_independent`).
    pub pruned: usize,
}

/// `[1/c, ln c]` for the centres `c = 1 + (i + 1/2)/128` of the 128 slices of [1, 2), computed at compile
/// time (`ln c = 2 atanh((c − 1)/(c + 1))`, 30 odd terms of the series, exact to the last bit or two).
const LN_TABLE: [[f64; 2]; 128] = {
    let mut table = [[0.0; 2]; 128];
    let mut i = 0;
    while i < 128 {
        let c = 1.0 + (i as f64 + 0.5) / 128.0;
        let t = (c - 1.0) / (c + 1.0);
        let t2 = t * t;
        let (mut term, mut sum, mut k) = (t, 0.0, 0);
        while k < 30 {
            sum += term / (2 * k + 1) as f64;
            term *= t2;
            k += 1;
        }
        table[i] = [1.0 / c, 2.0 * sum];
        i += 1;
    }
    table
};

/// Natural logarithm to about 1e-15 relative error, without a libm call and without a division: the vote
/// weights and the copy evidence take logarithms in the hottest loops of the estimator. The mantissa's top
/// seven bits pick a slice of [1, 2) with centre `c` (table above), `r = m/c − 1` is below 1/256, and six
/// terms of `ln(1 + r)` finish it. Pure arithmetic, so the result is the same on every machine. Falls back
/// to `ln` outside the positive normal range.
#[inline]
pub(crate) fn fast_ln(x: f64) -> f64 {
    if !(f64::MIN_POSITIVE..f64::INFINITY).contains(&x) {
        return x.ln();
    }
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let [inv, ln_c] = LN_TABLE[((bits >> 45) & 0x7f) as usize];
    let r = m * inv - 1.0;
    let series = r - r * r * (0.5 - r * (1.0 / 3.0 - r * (0.25 - r * (0.2 - r * (1.0 / 6.0)))));
    e as f64 * std::f64::consts::LN_2 + ln_c + series
}

/// `e^x` to about 1e-14 relative error for `x ≤ 0` (the estimator only exponentiates differences from a
/// maximum), without a libm call; pure arithmetic like [`fast_ln`]. `x = k·ln 2 + r` with `|r| ≤ ln 2 / 2`,
/// a degree-12 Taylor polynomial for `e^r`, and `2^k` put into the exponent bits. Below −708 (where the
/// result would leave the normal range) it is 0; NaN stays NaN; positive `x` falls back to `exp`.
#[inline]
pub(crate) fn fast_exp(x: f64) -> f64 {
    if !(-708.0..=0.0).contains(&x) {
        return if x < -708.0 { 0.0 } else { x.exp() };
    }
    const LN2_HI: f64 = 0.693_147_180_369_123_8;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // Nearest integer of x·log2(e) ≤ 0 by truncating x·log2(e) − 1/2 toward zero (one instruction, where
    // `round` is a library call on baseline x86-64).
    let k = ((x * std::f64::consts::LOG2_E - 0.5) as i64) as f64;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // 1/12!, 1/11!, …, 1/1!, 1/0! (Horner).
    const C: [f64; 13] = [
        1.0 / 479_001_600.0,
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        0.5,
        1.0,
        1.0,
    ];
    let mut p = C[0];
    for c in &C[1..] {
        p = p * r + c;
    }
    // k ∈ [−1022, 0]: 2^k is a normal number.
    p * f64::from_bits(((k as i64 + 1023) as u64) << 52)
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
    /// Every pair of sources that give the same value somewhere (among the sampled claims), by `(a, b)`.
    pairs: Vec<Pair>,
    /// Same-value incidences of pair `p`: the values `inc_value[pair_inc[p]..pair_inc[p + 1]]`. Pair-major,
    /// so that one pair's evidence is summed in one sequential run.
    pair_inc: Vec<u32>,
    inc_value: Vec<u32>,
    /// Whether each claim takes part in copy statistics (see `pair_cap`).
    sampled: Vec<bool>,
    /// Every same-value incidence as (claim of `a`, claim of `b`, pair), in value order.
    by_value: Vec<(u32, u32, u32)>,
    /// Log prior of [independence, a → b, b → a] of each pair (see `direction_from_coverage`).
    ln_prior: Vec<[f64; 3]>,
    /// Pairs still assessed: those covering at least `min_shared` objects together, less the ones pruned
    /// as independent (see `prune_independent`).
    active: Vec<u32>,
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

/// Which claims take part in copy statistics: all of an object's claims, or, when it has more than
/// `pair_cap`, the `pair_cap` with the smallest hash of (object, source).
fn sampled_claims(d: &Dataset, cfg: &DiscoverConfig) -> Vec<bool> {
    let mut keep = vec![true; d.claims()];
    let mut chosen: Vec<(u64, u32)> = Vec::new();
    for o in 0..d.objects.len() {
        let values = d.values_of(o);
        let claims = d.value_claims[values.start] as usize..d.value_claims[values.end] as usize;
        if claims.len() > cfg.pair_cap {
            chosen.clear();
            chosen.extend(claims.clone().map(|c| (mix64(((o as u64) << 32) ^ u64::from(d.claim_source[c])), c as u32)));
            chosen.sort_unstable();
            keep[claims].iter_mut().for_each(|k| *k = false);
            for &(_, c) in &chosen[..cfg.pair_cap] {
                keep[c as usize] = true;
            }
        }
    }
    keep
}

fn prepare(d: &Dataset, cfg: &DiscoverConfig) -> Prepared {
    let nvalues = d.value_text.len();
    let mut p = Prepared {
        sim_offsets: Vec::with_capacity(nvalues + 1),
        sim_from: Vec::new(),
        sim_weight: Vec::new(),
        pairs: Vec::new(),
        pair_inc: vec![0],
        inc_value: Vec::new(),
        sampled: Vec::new(),
        by_value: Vec::new(),
        ln_prior: Vec::new(),
        active: Vec::new(),
    };
    p.sim_offsets.push(0);
    let mut supporters: Vec<usize> = Vec::new();
    for o in 0..d.objects.len() {
        let values = d.values_of(o);
        // Similarity: support from the `similarity_cap` values with most sources (ties: value order).
        let similar = cfg.similarity_weight > 0.0 && values.len() > 1;
        if similar {
            supporters.clear();
            supporters.extend(values.clone());
            if supporters.len() > cfg.similarity_cap {
                supporters.sort_by_key(|&v| (std::cmp::Reverse(d.support(v)), v));
                supporters.truncate(cfg.similarity_cap);
                supporters.sort_unstable();
            }
        }
        for v in values {
            if similar {
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
        }
    }
    if cfg.copy_detection {
        pair_index(d, cfg, &mut p);
    }
    p
}

/// Finds the pairs and their incidences source by source, with dense counters instead of a hash table:
/// for source `a`, every sampled claim of a source `b > a` on one of `a`'s objects counts one shared
/// object, and one same-value incidence when the values agree. Work `Σ_o sampled(o)²/2`, memory linear in
/// the incidences.
fn pair_index(d: &Dataset, cfg: &DiscoverConfig, p: &mut Prepared) {
    let keep = sampled_claims(d, cfg);
    let nsrc = d.sources.len();
    // The sampled claims of each object ordered by source, as (source, value), and for each source the
    // runs it must visit, `visits[first[a]..first[a + 1]]` = (start, end, value) for each of its sampled
    // claims in object order: the part of the object's run after `a` itself. Source `a` then reads its
    // visits and the runs sequentially instead of gathering per claim from arrays indexed by claim.
    let mut first = vec![0u32; nsrc + 1];
    for (c, &s) in d.claim_source.iter().enumerate() {
        if keep[c] {
            first[s as usize + 1] += 1;
        }
    }
    for s in 0..nsrc {
        first[s + 1] += first[s];
    }
    let mut cursor = first.clone();
    let mut visits = vec![[0u32; 4]; first[nsrc] as usize];
    let mut by_source: Vec<[u32; 3]> = Vec::with_capacity(d.claims());
    for o in 0..d.objects.len() {
        let values = d.values_of(o);
        let claims = d.value_claims[values.start] as usize..d.value_claims[values.end] as usize;
        let start = by_source.len();
        by_source.extend(claims.filter(|&c| keep[c]).map(|c| [d.claim_source[c], d.claim_value[c], c as u32]));
        by_source[start..].sort_unstable();
        let end = by_source.len() as u32;
        for (k, &[s, v, c]) in by_source.iter().enumerate().skip(start) {
            let slot = &mut cursor[s as usize];
            visits[*slot as usize] = [k as u32 + 1, end, v, c];
            *slot += 1;
        }
    }
    // The discount list (see `State::discount`), value-major: claim `c` of a value's `m` sampled claims,
    // `k`-th in source order, is the first claim of `m − 1 − k` incidences, which go to
    // `by_value[slot[c]..]` in the order the scan below finds them (later source ascending).
    let mut slot = vec![0u32; d.claims() + 1];
    for v in 0..d.value_text.len() {
        let m = d.claims_of(v).filter(|&c| keep[c]).count() as u32;
        let mut k = 0;
        for c in d.claims_of(v) {
            if keep[c] {
                slot[c + 1] = m - 1 - k;
                k += 1;
            }
        }
    }
    for c in 0..d.claims() {
        slot[c + 1] += slot[c];
    }
    p.by_value = vec![(0, 0, u32::MAX); slot[d.claims()] as usize];
    let mut pair_of = vec![0u32; nsrc];
    let mut shared = vec![0u32; nsrc];
    let mut same = vec![0u32; nsrc];
    let mut touched: Vec<u32> = Vec::new();
    let mut found: Vec<(u32, u32, u32)> = Vec::with_capacity(1024);
    // Same-value incidences: at most one per pair of sampled claims of one value.
    let bound: usize = (0..d.value_text.len())
        .map(|v| {
            let m = d.claims_of(v).filter(|&c| keep[c]).count();
            m * m.saturating_sub(1) / 2
        })
        .sum();
    // Reserving the most that can be needed costs only address space (untouched pages are never
    // faulted in), and spares the copies and page faults of repeated doubling.
    p.inc_value.reserve_exact(bound);
    let most_pairs = bound.min(nsrc * nsrc.saturating_sub(1) / 2);
    p.pairs.reserve_exact(most_pairs);
    p.pair_inc.reserve_exact(most_pairs);
    p.ln_prior.reserve_exact(most_pairs);
    let model = CopyModel { false_values: cfg.false_values, copy_rate: cfg.copy_rate, prior: cfg.copy_prior };
    for a in 0..nsrc {
        touched.clear();
        found.clear();
        for &[from, to, va, ca] in &visits[first[a] as usize..first[a + 1] as usize] {
            for &[b, vb, cb] in &by_source[from as usize..to as usize] {
                let b = b as usize;
                if shared[b] == 0 {
                    touched.push(b as u32);
                }
                shared[b] += 1;
                if vb == va {
                    same[b] += 1;
                    let at = &mut slot[ca as usize];
                    p.by_value[*at as usize] = (ca, cb, 0);
                    found.push((b as u32, va, *at));
                    *at += 1;
                }
            }
        }
        // Only the sources that share a value with `a` make pairs: reset the others' counters, sort the
        // rest (far fewer than all co-occurring sources).
        touched.retain(|&b| {
            let keep = same[b as usize] > 0;
            if !keep {
                shared[b as usize] = 0;
            }
            keep
        });
        touched.sort_unstable();
        // Pairs in `b` order; each pair's incidences placed by a cursor (they arrive in `a`'s claim order,
        // so values ascend within a pair).
        let base = p.inc_value.len();
        let mut next = base as u32;
        for &b in &touched {
            let (sh, sa) = (shared[b as usize], same[b as usize]);
            shared[b as usize] = 0;
            if sa == 0 {
                continue;
            }
            same[b as usize] = next;
            next += sa;
            let id = p.pairs.len() as u32;
            pair_of[b as usize] = id;
            p.pairs.push(Pair {
                a: a as u32,
                b,
                shared: sh,
                same: sa,
                same_true: 0.0,
                a_copies_b: 0.0,
                b_copies_a: 0.0,
            });
            p.pair_inc.push(next);
            // Who has more values of its own is more likely the original: the direction prior splits in
            // proportion to the other source's (smoothed) share of claims outside the shared objects.
            let forward = if cfg.direction_from_coverage {
                let share = |s: usize| {
                    let k = d.claims_by(s).len() as f64;
                    (k - f64::from(sh) + 1.0).max(1.0) / (k + 2.0)
                };
                let (sa, sb) = (share(a), share(b as usize));
                (sb / (sa + sb)).clamp(0.01, 0.99)
            } else {
                0.5
            };
            p.ln_prior.push(model.ln_prior(forward));
            if sh >= cfg.min_shared {
                p.active.push(id);
            }
        }
        p.inc_value.resize(next as usize, 0);
        for &(b, v, at) in &found {
            let cursor = &mut same[b as usize];
            p.inc_value[*cursor as usize] = v;
            *cursor += 1;
            p.by_value[at as usize].2 = pair_of[b as usize];
        }
        for &b in &touched {
            same[b as usize] = 0;
        }
    }
    p.sampled = keep;
}

/// A running product `m · 2^e` of factors in `[1e-30, 1]`, renormalised by its exponent bits once per
/// block of eight factors (eight factors lower it by at most 1e-240, so it stays a normal number), so that
/// a sum of many logarithms costs one multiplication per term and one logarithm at the end.
#[derive(Debug, Clone, Copy)]
struct Product {
    m: f64,
    e: i64,
}

/// Smallest factor of a [`Product`]; a likelihood below it (only reachable with accuracies within 1e-12 of
/// 0 or 1 and a huge `false_values`) counts as this.
const MIN_FACTOR: f64 = 1e-30;

impl Product {
    const ONE: Product = Product { m: 1.0, e: 0 };

    #[inline]
    fn renormalise(&mut self) {
        let bits = self.m.to_bits();
        self.e += ((bits >> 52) & 0x7ff) as i64 - 1023;
        self.m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    }

    fn ln(&self) -> f64 {
        fast_ln(self.m) + self.e as f64 * std::f64::consts::LN_2
    }
}

/// Log-likelihood of one pair's same-value objects under [independence, 1 → 2, 2 → 1], marginalised over
/// each value's truth: `Σ_v ln(P(v)·L_true + (1 − P(v))·L_false)`, taken as the logarithm of a running
/// product (one multiplication per value and hypothesis instead of one logarithm).
fn mixture_logs(t: &Terms, values: &[u32], probability: &[f64]) -> [f64; 3] {
    // `P·t + (1 − P)·f = f + P·(t − f)`; with `t` and `f` clamped into [MIN_FACTOR, 1], so is every mix.
    let c = |x: f64| x.clamp(MIN_FACTOR, 1.0);
    let (f0, f1, f2) = (c(t.pf), c(t.f12), c(t.f21));
    let (d0, d1, d2) = (c(t.pt) - f0, c(t.t12) - f1, c(t.t21) - f2);
    let mut acc = [Product::ONE; 3];
    for block in values.chunks(8) {
        // Two running products per hypothesis (even and odd places), so that consecutive multiplications
        // do not wait for each other; joined at the end of the block (eight factors in all, as above).
        let (mut m0, mut m1, mut m2) = (acc[0].m, acc[1].m, acc[2].m);
        let (mut n0, mut n1, mut n2) = (1.0, 1.0, 1.0);
        let mut pairs = block.chunks_exact(2);
        for two in &mut pairs {
            let (p, q) = (probability[two[0] as usize], probability[two[1] as usize]);
            m0 *= f0 + p * d0;
            m1 *= f1 + p * d1;
            m2 *= f2 + p * d2;
            n0 *= f0 + q * d0;
            n1 *= f1 + q * d1;
            n2 *= f2 + q * d2;
        }
        if let [v] = pairs.remainder() {
            let p = probability[*v as usize];
            m0 *= f0 + p * d0;
            m1 *= f1 + p * d1;
            m2 *= f2 + p * d2;
        }
        (acc[0].m, acc[1].m, acc[2].m) = (m0 * n0, m1 * n1, m2 * n2);
        acc.iter_mut().for_each(Product::renormalise);
    }
    [acc[0].ln(), acc[1].ln(), acc[2].ln()]
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
        let _ = t;
        self.combine_ln(same, kd, self.ln_prior(forward))
    }

    /// `[ln(1 − α), ln(α·f), ln(α·(1 − f))]`: the log prior of independence and of each direction.
    #[must_use]
    pub fn ln_prior(&self, forward: f64) -> [f64; 3] {
        let alpha = self.prior;
        [fast_ln(1.0 - alpha), fast_ln(alpha * forward), fast_ln(alpha * (1.0 - forward))]
    }

    /// [`combine`](Self::combine) with the log prior given. The different-value objects have likelihood
    /// `P_d` under independence and `P_d·(1 − c)` under copying; `P_d` is common to the three hypotheses
    /// and cancels, leaving `kd·ln(1 − c)` on the copying side.
    #[must_use]
    pub fn combine_ln(&self, same: [f64; 3], kd: f64, ln_prior: [f64; 3]) -> (f64, f64) {
        self.combine_with(same, kd, ln_prior, fast_ln(1.0 - self.copy_rate))
    }

    /// [`combine_ln`](Self::combine_ln) with `ln(1 − c)` given. When independence is more than `e^21` times
    /// likelier than either direction the posterior of dependence is below 1e-9 and comes back as 0
    /// without any exponential.
    #[must_use]
    pub fn combine_with(&self, same: [f64; 3], kd: f64, ln_prior: [f64; 3], ln_keep: f64) -> (f64, f64) {
        let diff = if kd > 0.0 { kd * ln_keep } else { 0.0 };
        let x0 = ln_prior[0] + same[0];
        let x12 = ln_prior[1] + same[1] + diff;
        let x21 = ln_prior[2] + same[2] + diff;
        if x0 - x12.max(x21) > 21.5 {
            return (0.0, 0.0);
        }
        // Relative to the largest term, whose exponential is exactly 1 and needs no call.
        let m = x12.max(x21).max(x0);
        let e = |x: f64| if x == m { 1.0 } else { fast_exp(x - m) };
        let (e12, e21, e0) = (e(x12), e(x21), e(x0));
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
    /// Copy discount of each claim.
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
    /// Per source: vote weight (without leave-one-out), and the leave-one-out terms (see `weights`).
    source_weight: Vec<f64>,
    loo: Vec<[f64; 3]>,
    /// Consecutive iterations in which each pair's dependence was negligible.
    quiet: Vec<u8>,
    /// `1 − c·D` of each pair: the factor by which it discounts the later of its two claims.
    factor: Vec<f64>,
    /// See [`State::index_by_value`].
    by_value: Vec<(u32, u32, u32)>,
    /// Scratch: whether each pair is still assessed.
    alive: Vec<bool>,
}

impl State<'_> {
    fn clamp(&self, a: f64) -> f64 {
        a.clamp(self.cfg.accuracy_min, self.cfg.accuracy_max)
    }

    /// Weight of every claim from the current accuracies (leave-one-out if configured).
    fn weights(&mut self, first: bool) {
        let (w0, a0) = (self.cfg.prior_weight, self.prior_mean);
        let (lo, hi, n) = (self.cfg.accuracy_min, self.cfg.accuracy_max, self.cfg.false_values);
        let weight_of = |a: f64| {
            let a = a.clamp(lo, hi);
            fast_ln(n * a / (1.0 - a))
        };
        if first {
            let w = weight_of(a0);
            self.weight.iter_mut().for_each(|x| *x = w);
            return;
        }
        let d = self.d;
        if !self.cfg.leave_one_out {
            for (s, x) in self.source_weight.iter_mut().enumerate() {
                *x = weight_of(self.accuracy[s]);
            }
            for (w, &s) in self.weight.iter_mut().zip(&d.claim_source) {
                *w = self.source_weight[s as usize];
            }
            return;
        }
        // Leave-one-out: the accuracy on the other claims is `(w0·A0 + Σ P − P(own)) / (w0 + k − 1)`; per
        // source the numerator's first part, the reciprocal of the denominator and whether there is one
        // (a source's only claim with `w0 = 0` gets `A0`), so that a claim costs no division but its own.
        for (s, x) in self.loo.iter_mut().enumerate() {
            let k = f64::from(d.source_offsets[s + 1] - d.source_offsets[s]);
            let denom = w0 + k - 1.0;
            *x = if denom > 0.0 { [w0 * a0 + self.correct[s], 1.0 / denom, 1.0] } else { [a0, 1.0, 0.0] };
        }
        // In claim order: the arrays indexed by claim are read and written sequentially (the per-source
        // arrays are small), which keeps a million-claim iteration in cache-friendly streams.
        for c in 0..d.claims() {
            let [num, inv, own] = self.loo[d.claim_source[c] as usize];
            let p = self.probability[d.claim_value[c] as usize];
            self.weight[c] = weight_of((num - own * p) * inv);
        }
    }

    /// The copy discount of every claim, `I = Π (1 − c·D(i, j))` over the dependent pairs `(i, j)` that
    /// gave the same value and in which it is the later one: the sources of one value are taken in order
    /// of vote weight (most trusted first; ties by source), so a fully dependent group weighs about one
    /// vote plus `1 − c` per further member, whoever its original is. Ordering by weight keeps the vote
    /// nearly continuous when two members swap places (at the swap their weights are equal). Only which
    /// of the two comes first matters for a pair, and the product does not depend on the order of its
    /// factors, so no sort is needed: one pass over the incidences of the pairs with `D > 0`.
    fn discount(&self, indep: &mut [f64]) {
        indep.iter_mut().for_each(|x| *x = 1.0);
        let (weight, source) = (&self.weight, &self.d.claim_source);
        // Value-major, so that the two claims of each incidence are near the previous ones in memory.
        // No branch on the factor (a factor of 1 changes nothing), so nothing is mispredicted.
        for &(ci, cj, id) in &self.by_value {
            let factor = self.factor[id as usize];
            let (i, j) = (ci as usize, cj as usize);
            let first_i = weight[j].total_cmp(&weight[i]).then(source[i].cmp(&source[j])).is_lt();
            indep[if first_i { j } else { i }] *= factor;
        }
    }

    /// The same-value incidences of the assessed pairs in value order, as (claim of `a`, claim of `b`,
    /// pair): built at the start; pruning removes entries in place.
    fn index_by_value(&mut self) {
        let alive = &mut self.alive;
        alive.iter_mut().for_each(|x| *x = false);
        for &id in &self.prep.active {
            alive[id as usize] = true;
        }
        self.by_value = std::mem::take(&mut self.prep.by_value);
        self.by_value.retain(|&(_, _, id)| alive.get(id as usize).copied().unwrap_or(false));
    }

    /// Steps 1–3 for every object; writes new probabilities and returns the largest change.
    fn truth_step(&mut self, first: bool, use_copies: bool, new_p: &mut [f64], scratch: &mut Scratch) -> f64 {
        let d = self.d;
        let n = self.cfg.false_values;
        if use_copies {
            scratch.indep.resize(d.claims(), 1.0);
            let mut indep = std::mem::take(&mut scratch.indep);
            self.discount(&mut indep);
            scratch.indep = indep;
        }
        let mut change: f64 = 0.0;
        for o in 0..d.objects.len() {
            let values = d.values_of(o);
            scratch.votes.clear();
            for v in values.clone() {
                let claims = d.claims_of(v);
                let vote = if use_copies {
                    claims.map(|cl| self.weight[cl] * scratch.indep[cl]).sum()
                } else {
                    claims.map(|cl| self.weight[cl]).sum()
                };
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
            let rest = if unclaimed > 0.0 { unclaimed * fast_exp(-m) } else { 0.0 };
            scratch.support.iter_mut().for_each(|x| *x = fast_exp(*x - m));
            let z: f64 = scratch.support.iter().sum::<f64>() + rest;
            let keep = if first { 0.0 } else { self.cfg.damping };
            for (k, v) in values.enumerate() {
                let fresh = (scratch.support[k] / z).clamp(0.0, 1.0);
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

    /// Step 5, for the pairs still assessed; `it` is the iteration (from 0). With `prune_independent`, a
    /// pair whose dependence was negligible (below 1e-9, stored as 0) in [`PRUNE_STREAK`] consecutive
    /// iterations from iteration [`PRUNE_FROM`] on is dropped from the assessed pairs and stays
    /// independent.
    fn copy_step(&mut self, it: usize) {
        let model = CopyModel {
            false_values: self.cfg.false_values,
            copy_rate: self.cfg.copy_rate,
            prior: self.cfg.copy_prior,
        };
        let (lo, hi) = (self.cfg.accuracy_min, self.cfg.accuracy_max);
        let mixture = self.cfg.mixture_evidence;
        let prune = self.cfg.prune_independent && it >= PRUNE_FROM;
        let (accuracy, probability) = (&self.accuracy, &self.probability);
        let prep = &mut self.prep;
        let quiet = &mut self.quiet;
        let factor = &mut self.factor;
        let copy_rate = self.cfg.copy_rate;
        let ln_keep = fast_ln(1.0 - copy_rate);
        let mut active = std::mem::take(&mut prep.active);
        let before = active.len();
        active.retain(|&id| {
            let p = &prep.pairs[id as usize];
            let (a1, a2) = (accuracy[p.a as usize].clamp(lo, hi), accuracy[p.b as usize].clamp(lo, hi));
            let t = model.terms(a1, a2);
            let values = &prep.inc_value[prep.pair_inc[id as usize] as usize..prep.pair_inc[id as usize + 1] as usize];
            let logs = if mixture {
                mixture_logs(&t, values, probability)
            } else {
                // The paper's expected counts k_t = Σ P, k_f = same − k_t.
                let kt = values.iter().map(|&v| probability[v as usize]).sum::<f64>().min(f64::from(p.same));
                let kf = f64::from(p.same) - kt;
                let ln = |x: f64, k: f64| if k > 0.0 { k * fast_ln(x) } else { 0.0 };
                [ln(t.pt, kt) + ln(t.pf, kf), ln(t.t12, kt) + ln(t.f12, kf), ln(t.t21, kt) + ln(t.f21, kf)]
            };
            let kd = f64::from(p.shared.saturating_sub(p.same));
            let (ab, ba) = model.combine_with(logs, kd, prep.ln_prior[id as usize], ln_keep);
            // Negligible dependence is stored as 0, so that the discount skips the pair.
            let (ab, ba) = if ab + ba < 1e-9 { (0.0, 0.0) } else { (ab, ba) };
            let p = &mut prep.pairs[id as usize];
            p.a_copies_b = ab;
            p.b_copies_a = ba;
            factor[id as usize] = 1.0 - copy_rate * (ab + ba).min(1.0);
            let q = &mut quiet[id as usize];
            *q = if ab + ba == 0.0 { q.saturating_add(1) } else { 0 };
            !(prune && *q >= PRUNE_STREAK)
        });
        let pruned = active.len() < before;
        prep.active = active;
        if pruned {
            // Drop the pruned pairs' incidences in place (their factor stays 1; they are not assessed).
            let alive = &mut self.alive;
            alive.iter_mut().for_each(|x| *x = false);
            for &id in &self.prep.active {
                alive[id as usize] = true;
            }
            self.by_value.retain(|&(_, _, id)| alive.get(id as usize).copied().unwrap_or(false));
        }
    }

    /// Σ P over the same-value objects of every pair (for the outputs).
    fn same_true(&mut self) {
        for (id, p) in self.prep.pairs.iter_mut().enumerate() {
            let range = self.prep.pair_inc[id] as usize..self.prep.pair_inc[id + 1] as usize;
            p.same_true = self.prep.inc_value[range].iter().map(|&v| self.probability[v as usize]).sum();
        }
    }
}

/// First iteration (from 0) at which pairs may be pruned as independent.
pub const PRUNE_FROM: usize = 3;
/// Consecutive iterations of negligible dependence after which a pair is pruned.
pub const PRUNE_STREAK: u8 = 2;

/// The chosen value of every object: highest probability; ties: more sources, then the smaller value.
fn choose_into(d: &Dataset, probability: &[f64], out: &mut Vec<u32>) {
    out.clear();
    out.extend((0..d.objects.len()).map(|o| {
        let mut best = d.values_of(o).start;
        for v in d.values_of(o) {
            let (pv, pb) = (probability[v], probability[best]);
            let tie = (pv - pb).abs() <= 1e-12 * pv.max(pb);
            if (!tie && pv > pb) || (tie && d.support(v) > d.support(best)) {
                best = v;
            }
        }
        best as u32
    }));
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
        source_weight: vec![0.0; nsrc],
        loo: vec![[0.0; 3]; nsrc],
        quiet: Vec::new(),
        factor: Vec::new(),
        by_value: Vec::new(),
        alive: Vec::new(),
    };
    st.quiet = vec![0; st.prep.pairs.len()];
    st.factor = vec![1.0; st.prep.pairs.len()];
    st.alive = vec![false; st.prep.pairs.len()];
    if cfg.copy_detection {
        st.index_by_value();
    }
    let assessed = st.prep.active.len();
    let mut scratch = Scratch::default();
    let mut new_p = vec![0.0; nval];
    let mut iterations = 0;
    let mut converged = false;
    let mut changes = Vec::new();
    let mut truth = vec![u32::MAX; d.objects.len()];
    let mut next_truth = Vec::with_capacity(d.objects.len());
    let mut stable = 0;
    for it in 0..cfg.max_iterations {
        iterations = it + 1;
        st.weights(it == 0);
        let dp = st.truth_step(it == 0, cfg.copy_detection && it > 0, &mut new_p, &mut scratch);
        std::mem::swap(&mut st.probability, &mut new_p);
        let da = st.accuracy_step();
        if cfg.copy_detection {
            st.copy_step(it);
        }
        changes.push(dp.max(da));
        choose_into(d, &st.probability, &mut next_truth);
        stable = if next_truth == truth { stable + 1 } else { 0 };
        std::mem::swap(&mut truth, &mut next_truth);
        if it > 0 && dp.max(da) <= cfg.tolerance {
            converged = true;
            break;
        }
        if cfg.stable_iterations > 0 && stable >= cfg.stable_iterations {
            break;
        }
    }
    if cfg.copy_detection {
        st.same_true();
    }
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
        assessed,
        pruned: assessed - st.prep.active.len(),
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
        // Dense check of the table-driven part: every slice of [1, 2) and both ends of each.
        for k in 0..=4096 {
            let x = 1.0 + f64::from(k) / 4096.0 - if k == 4096 { 1e-16 } else { 0.0 };
            let (a, b) = (fast_ln(x), x.ln());
            assert!((a - b).abs() <= 1e-15, "{x}: {a} vs {b}");
            let (a, b) = (fast_ln(x * 1e-7), (x * 1e-7).ln());
            assert!((a - b).abs() <= 1e-14 * b.abs(), "{x}e-7: {a} vs {b}");
        }
        assert!(fast_ln(0.0).is_infinite() && fast_ln(-1.0).is_nan());
    }

    #[test]
    fn fast_exp_is_close() {
        for k in 0..=7080 {
            let x = -f64::from(k) * 0.1;
            let (a, b) = (fast_exp(x), x.exp());
            assert!((a - b).abs() <= 1e-13 * b, "{x}: {a} vs {b}");
        }
        for &x in &[-1e-300, -0.346, -0.347, -0.5, -1.0, -707.9] {
            let (a, b) = (fast_exp(x), x.exp());
            assert!((a - b).abs() <= 1e-13 * b, "{x}: {a} vs {b}");
        }
        assert_eq!(fast_exp(-800.0), 0.0);
        assert!(fast_exp(f64::NAN).is_nan() && fast_exp(f64::NEG_INFINITY) == 0.0);
        assert_eq!(fast_exp(0.0), 1.0);
        assert!((fast_exp(2.0) - 2.0f64.exp()).abs() < 1e-15);
    }

    #[test]
    fn running_product_matches_a_sum_of_logarithms() {
        // 500 shared values (the product passes 1e-300 many times over), probabilities spread over (0, 1).
        let probability: Vec<f64> = (0..500).map(|k| (f64::from(k) * 0.618_034).fract().clamp(1e-6, 1.0)).collect();
        let values: Vec<u32> = (0..500).collect();
        for (a1, a2) in [(0.8, 0.6), (0.99, 0.01), (0.5, 0.5)] {
            let t = MODEL.terms(a1, a2);
            let got = mixture_logs(&t, &values, &probability);
            let mut want = [0.0; 3];
            for &p in &probability {
                want[0] += (p * t.pt + (1.0 - p) * t.pf).ln();
                want[1] += (p * t.t12 + (1.0 - p) * t.f12).ln();
                want[2] += (p * t.t21 + (1.0 - p) * t.f21).ln();
            }
            for k in 0..3 {
                assert!((got[k] - want[k]).abs() <= 1e-9 * want[k].abs(), "{a1} {a2} {k}: {} vs {}", got[k], want[k]);
            }
        }
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
