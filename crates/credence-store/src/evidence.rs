//! Learned reliability: Beta evidence from settled claims, and its mapping to a trust opinion.
//!
//! Every settled claim a source took a side on is one unit of evidence: *correct* when the source asserted a
//! claim settled true or refuted one settled false, *wrong* otherwise. With `r` correct and `s` wrong units
//! the source's reliability on its own is `Beta(r + 1, s + 1)` (the uniform prior; prior weight `W = 2`,
//! base rate ½), which [`Evidence::mean`] and [`Evidence::interval`] summarise.
//!
//! At score time the kind's grade is the prior instead of the uniform one: [`learned_trust`].

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};

/// The non-informative prior weight `W` of the Beta mapping, as in credence's `[opinion] prior_weight`.
pub const PRIOR_WEIGHT: f64 = 2.0;

/// What the track record knows of one source.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Evidence {
    /// Units of evidence that the source was right (`r`).
    pub correct: f64,
    /// Units of evidence that the source was wrong (`s`).
    pub wrong: f64,
    /// Settled claims the source took a side on.
    pub claims: u32,
    /// Stories that list the source.
    pub stories: u32,
}

impl Evidence {
    /// Mean of `Beta(r + 1, s + 1)`: `(r + 1) / (r + s + 2)`; ½ without evidence.
    #[must_use]
    pub fn mean(&self) -> f64 {
        let (r, s) = (clean(self.correct), clean(self.wrong));
        (r + 1.0) / (r + s + 2.0)
    }

    /// Central credible interval of `Beta(r + 1, s + 1)` holding `mass` of the probability (0.9: from the 5 %
    /// to the 95 % quantile). A `mass` outside `(0, 1)` is taken as 0.9.
    #[must_use]
    pub fn interval(&self, mass: f64) -> [f64; 2] {
        let mass = if mass.is_finite() && mass > 0.0 && mass < 1.0 { mass } else { 0.9 };
        let (alpha, beta) = (clean(self.correct) + 1.0, clean(self.wrong) + 1.0);
        let tail = (1.0 - mass) / 2.0;
        match Beta::new(alpha, beta) {
            Ok(d) => [d.inverse_cdf(tail).clamp(0.0, 1.0), d.inverse_cdf(1.0 - tail).clamp(0.0, 1.0)],
            Err(_) => [self.mean(), self.mean()],
        }
    }
}

/// Negative, infinite and NaN evidence counts count as none.
fn clean(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 { x } else { 0.0 }
}

/// A binomial opinion `(b, d, u, a)` of subjective logic: belief, disbelief, uncertainty, base rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrustOpinion {
    /// Belief.
    pub b: f64,
    /// Disbelief.
    pub d: f64,
    /// Uncertainty.
    pub u: f64,
    /// Base rate.
    pub a: f64,
}

impl TrustOpinion {
    /// Projected probability `b + a·u`: the trust figure the scorer discounts with.
    #[must_use]
    pub fn projected(&self) -> f64 {
        self.b + self.a * self.u
    }
}

/// The trust opinion of a known source: its kind's grade opinion as the prior, plus its track record.
///
/// The prior grade enters as **pseudo-evidence**: the grade opinion `(b₀, d₀, u₀, a₀)` is read as
/// `r₀ = W·b₀/u₀` units for and `s₀ = W·d₀/u₀` against (the evidence that, on its own, gives exactly that
/// opinion at prior weight `W`). The track record's `r = correct`, `s = wrong` are added, and the result is
///
/// ```text
/// b = (r₀ + r) / (r₀ + r + s₀ + s + W)
/// d = (s₀ + s) / (r₀ + r + s₀ + s + W)
/// u =  W       / (r₀ + r + s₀ + s + W)
/// a = a₀
/// ```
///
/// which is the cumulative fusion of the grade opinion with the evidence opinion. For the vacuous grade F
/// (`u₀ = 1`, so `r₀ = s₀ = 0`) it is `b = r/(r+s+W)`, `d = s/(r+s+W)`, `u = W/(r+s+W)`. Without evidence it
/// returns the grade opinion itself, so an unknown or unsettled source scores as before. A dogmatic grade
/// (`u₀ = 0`, infinite pseudo-evidence) is returned unchanged: no finite record can move it.
///
/// Never panics: negative or non-finite evidence counts as none, a `w` that is not a positive number is
/// taken as [`PRIOR_WEIGHT`], and a prior whose masses are not a valid opinion is normalised to sum to one
/// (all-zero or non-finite masses are read as vacuous).
///
/// ```
/// use credence_store::{Evidence, TrustOpinion, learned_trust, PRIOR_WEIGHT};
/// // Grade C (b 0.45, d 0.20, u 0.35): r₀ = 2·0.45/0.35 ≈ 2.571, s₀ ≈ 1.143.
/// let c = TrustOpinion { b: 0.45, d: 0.20, u: 0.35, a: 0.5 };
/// let record = Evidence { correct: 4.0, wrong: 1.0, claims: 5, stories: 3 };
/// let t = learned_trust(c, &record, PRIOR_WEIGHT);
/// // b = 6.571/10.714, d = 2.143/10.714, u = 2/10.714
/// assert!((t.b - 0.6133).abs() < 1e-4 && (t.d - 0.2).abs() < 1e-4 && (t.u - 0.1867).abs() < 1e-4);
/// assert!(t.projected() > c.b + c.a * c.u);
/// ```
#[must_use]
pub fn learned_trust(prior: TrustOpinion, evidence: &Evidence, w: f64) -> TrustOpinion {
    let w = if w.is_finite() && w > 0.0 { w } else { PRIOR_WEIGHT };
    let prior = sane(prior);
    let (r, s) = (clean(evidence.correct), clean(evidence.wrong));
    if prior.u <= 0.0 || (r == 0.0 && s == 0.0) {
        return prior;
    }
    let (r0, s0) = (w * prior.b / prior.u, w * prior.d / prior.u);
    let total = r0 + r + s0 + s + w;
    if !total.is_finite() {
        return prior;
    }
    let b = (r0 + r) / total;
    let d = (s0 + s) / total;
    TrustOpinion { b, d, u: (1.0 - b - d).max(0.0), a: prior.a }
}

/// A valid opinion from any four numbers (see [`learned_trust`]).
fn sane(o: TrustOpinion) -> TrustOpinion {
    let a = if o.a.is_finite() { o.a.clamp(0.0, 1.0) } else { 0.5 };
    let (b, d, u) = (clean(o.b), clean(o.d), clean(o.u));
    let sum = b + d + u;
    if sum <= 0.0 || !sum.is_finite() {
        return TrustOpinion { b: 0.0, d: 0.0, u: 1.0, a };
    }
    TrustOpinion { b: b / sum, d: d / sum, u: u / sum, a }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: TrustOpinion = TrustOpinion { b: 0.0, d: 0.0, u: 1.0, a: 0.35 };
    const A: TrustOpinion = TrustOpinion { b: 0.90, d: 0.02, u: 0.08, a: 0.5 };

    fn ev(r: f64, s: f64) -> Evidence {
        Evidence { correct: r, wrong: s, claims: 0, stories: 0 }
    }

    #[test]
    fn vacuous_prior_gives_the_plain_evidence_formula() {
        let t = learned_trust(F, &ev(3.0, 1.0), 2.0);
        assert!((t.b - 0.5).abs() < 1e-12 && (t.d - 1.0 / 6.0).abs() < 1e-12 && (t.u - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(t.a, 0.35);
    }

    #[test]
    fn no_evidence_keeps_the_grade() {
        assert_eq!(learned_trust(A, &ev(0.0, 0.0), 2.0), A);
        assert_eq!(learned_trust(A, &ev(f64::NAN, -3.0), 2.0), A);
    }

    #[test]
    fn evidence_moves_trust_in_its_direction_and_reduces_uncertainty() {
        for prior in [F, A, TrustOpinion { b: 0.2, d: 0.45, u: 0.35, a: 0.5 }] {
            let up = learned_trust(prior, &ev(5.0, 0.0), 2.0);
            let down = learned_trust(prior, &ev(0.0, 5.0), 2.0);
            assert!(up.projected() > prior.projected(), "{prior:?}");
            assert!(down.projected() < prior.projected(), "{prior:?}");
            assert!(up.u < prior.u && down.u < prior.u);
            for t in [up, down] {
                assert!((t.b + t.d + t.u - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn a_strong_grade_needs_more_evidence_to_move() {
        // Three wrong claims sink an unjudged (F) source but barely dent a completely reliable (A) one:
        // A's grade stands for 22.5 units of evidence for and 0.5 against.
        let weak = learned_trust(F, &ev(0.0, 3.0), 2.0);
        let strong = learned_trust(A, &ev(0.0, 3.0), 2.0);
        assert!(weak.projected() < 0.2, "{weak:?}");
        assert!(strong.projected() > 0.8 && strong.projected() < A.projected(), "{strong:?}");
    }

    #[test]
    fn odd_inputs_never_panic() {
        let dogmatic = TrustOpinion { b: 1.0, d: 0.0, u: 0.0, a: 0.5 };
        assert_eq!(learned_trust(dogmatic, &ev(0.0, 100.0), 2.0), dogmatic);
        let t = learned_trust(TrustOpinion { b: f64::NAN, d: 2.0, u: 2.0, a: 7.0 }, &ev(1.0, 0.0), -1.0);
        assert!((t.b + t.d + t.u - 1.0).abs() < 1e-12 && t.a == 1.0);
        let t = learned_trust(F, &ev(f64::MAX, f64::MAX), f64::INFINITY);
        assert!(t.b.is_finite() && t.u.is_finite());
    }

    #[test]
    fn beta_summary() {
        let e = ev(0.0, 0.0);
        assert_eq!(e.mean(), 0.5);
        let [lo, hi] = e.interval(0.9);
        assert!((lo - 0.05).abs() < 1e-6 && (hi - 0.95).abs() < 1e-6);
        let e = ev(8.0, 2.0);
        assert!((e.mean() - 0.75).abs() < 1e-12);
        let [lo, hi] = e.interval(0.9);
        assert!(lo < 0.75 && hi > 0.75 && hi - lo < 0.9);
    }
}
