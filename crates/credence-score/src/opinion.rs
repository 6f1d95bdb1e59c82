//! Subjective-logic binomial opinions and the operators the scorer needs.
//!
//! An [`Opinion`] `(b, d, u, a)` says how much evidence speaks for a proposition (belief `b`), against it
//! (disbelief `d`), how much is missing (uncertainty `u`) and what to assume without evidence (base rate `a`).
//! The formulas follow Jøsang, *Subjective Logic* (2016), and the N-source fusion forms of Jøsang, Wang & Zhang
//! (FUSION 2017) and van der Heijden, Kopp & Kargl (FUSION 2018).
//!
//! The N-ary fusion operators are written with `1/u_i` instead of the products `Π_{j≠i} u_j` that the papers
//! use. Both are the same expression (divide numerator and denominator by `Π u_j`), but the products underflow
//! once a claim has a few hundred origins, while the reciprocal form is exact for any N. It is also the
//! evidence-space view: `1/u = (W + r + s) / W`, so cumulative fusion is simply "add the evidence".

use serde::Serialize;

/// Tolerance used when checking `b + d + u = 1`.
pub const EPSILON: f64 = 1e-9;

/// A binomial opinion about one proposition.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Opinion {
    /// Belief mass: evidence for the proposition.
    pub b: f64,
    /// Disbelief mass: evidence against it.
    pub d: f64,
    /// Uncertainty mass: evidence that is missing.
    pub u: f64,
    /// Base rate: the prior probability used for the uncommitted mass.
    pub a: f64,
}

/// Which fusion operator to apply to a set of opinions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fusion {
    /// Cumulative belief fusion: independent evidence adds up (not idempotent).
    Cumulative,
    /// Averaging belief fusion: dependent evidence is averaged (idempotent).
    Averaging,
    /// Weighted belief fusion: confidence-weighted averaging (idempotent).
    Weighted,
}

impl Fusion {
    /// Parses the operator name used in the config file.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Fusion> {
        match name {
            "cumulative" => Some(Fusion::Cumulative),
            "averaging" => Some(Fusion::Averaging),
            "weighted" => Some(Fusion::Weighted),
            _ => None,
        }
    }

    /// The operator name as written in the config file.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Fusion::Cumulative => "cumulative",
            Fusion::Averaging => "averaging",
            Fusion::Weighted => "weighted",
        }
    }

    /// Fuses `ops` with this operator; an empty slice gives the vacuous opinion with base rate `a`.
    #[must_use]
    pub fn fuse(self, ops: &[Opinion], a: f64) -> Opinion {
        match self {
            Fusion::Cumulative => cumulative(ops, a),
            Fusion::Averaging => averaging(ops, a),
            Fusion::Weighted => weighted(ops, a),
        }
    }
}

impl Opinion {
    /// Builds an opinion, checking ranges and `b + d + u = 1`.
    #[must_use]
    pub fn new(b: f64, d: f64, u: f64, a: f64) -> Option<Opinion> {
        let ok =
            [b, d, u, a].iter().all(|x| x.is_finite() && (0.0..=1.0).contains(x)) && (b + d + u - 1.0).abs() <= 1e-6;
        ok.then(|| Opinion { b, d, u, a }.normalised())
    }

    /// The vacuous opinion: no evidence at all.
    #[must_use]
    pub fn vacuous(a: f64) -> Opinion {
        Opinion { b: 0.0, d: 0.0, u: 1.0, a }
    }

    /// Projected probability `P = b + a·u` (Jøsang 2016 §3.4).
    #[must_use]
    pub fn projected(&self) -> f64 {
        self.b + self.a * self.u
    }

    /// The opinion about the negated proposition: `(d, b, u, 1 − a)`.
    #[must_use]
    pub fn complement(&self) -> Opinion {
        Opinion { b: self.d, d: self.b, u: self.u, a: 1.0 - self.a }
    }

    /// The same evidence read as evidence *against* a proposition whose base rate is `a`:
    /// belief becomes disbelief and vice versa. Used for refuting reports and contradicting claims.
    #[must_use]
    pub fn flipped(&self, a: f64) -> Opinion {
        Opinion { b: self.d, d: self.b, u: self.u, a }
    }

    /// Moves a fraction `w` of the committed mass (`b` and `d`) into uncertainty.
    ///
    /// This is how caveats and distancing work: "could not be independently verified" does not say the claim
    /// is false, it says the relaying outlet withholds its own weight, so evidence becomes missing evidence.
    #[must_use]
    pub fn weakened(&self, w: f64) -> Opinion {
        let keep = (1.0 - w).clamp(0.0, 1.0);
        Opinion { b: self.b * keep, d: self.d * keep, u: 0.0, a: self.a }.normalised()
    }

    /// Probability-sensitive trust discounting (Jøsang 2016, Def. 14.6/14.7): `p` is the product of the
    /// projected trust of every edge on the path.
    #[must_use]
    pub fn discounted(&self, p: f64) -> Opinion {
        let p = p.clamp(0.0, 1.0);
        Opinion { b: p * self.b, d: p * self.d, u: 0.0, a: self.a }.normalised()
    }

    /// Keeps uncertainty at or above `u_min` (never a dogmatic opinion from text), scaling `b` and `d`.
    #[must_use]
    pub fn with_min_uncertainty(&self, u_min: f64) -> Opinion {
        if self.u >= u_min {
            return *self;
        }
        let committed = self.b + self.d;
        if committed <= 0.0 {
            return Opinion::vacuous(self.a);
        }
        let scale = (1.0 - u_min) / committed;
        Opinion { b: self.b * scale, d: self.d * scale, u: u_min, a: self.a }.normalised()
    }

    /// Evidence counts `(r, s)` for prior weight `w` (Jøsang 2016 §3.4); infinite for dogmatic opinions.
    #[must_use]
    pub fn evidence(&self, w: f64) -> (f64, f64) {
        if self.u <= 0.0 {
            return (f64::INFINITY, f64::INFINITY);
        }
        (w * self.b / self.u, w * self.d / self.u)
    }

    /// Opinion from evidence counts `r` (for) and `s` (against) with prior weight `w`.
    #[must_use]
    pub fn from_evidence(r: f64, s: f64, w: f64, a: f64) -> Opinion {
        let t = w + r + s;
        Opinion { b: r / t, d: s / t, u: w / t, a }.normalised()
    }

    /// Beta parameters `(α, β)` of the equivalent Beta distribution, base rate included in the prior.
    #[must_use]
    pub fn beta_params(&self, w: f64) -> (f64, f64) {
        let (r, s) = self.evidence(w);
        (r + self.a * w, s + (1.0 - self.a) * w)
    }

    /// True when `b + d + u = 1` and every mass lies in `[0, 1]`.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        [self.b, self.d, self.u, self.a].iter().all(|x| x.is_finite() && (-EPSILON..=1.0 + EPSILON).contains(x))
            && (self.b + self.d + self.u - 1.0).abs() <= EPSILON
    }

    /// Recomputes `u` from `b` and `d` and clamps rounding noise, so `b + d + u = 1` holds exactly enough.
    fn normalised(self) -> Opinion {
        let b = self.b.clamp(0.0, 1.0);
        let d = self.d.clamp(0.0, 1.0 - b);
        let u = (1.0 - b - d).max(0.0);
        Opinion { b, d, u, a: self.a.clamp(0.0, 1.0) }
    }
}

/// Degree of conflict between two opinions (Jøsang 2016 §4.8): projected distance times conjunctive certainty.
#[must_use]
pub fn degree_of_conflict(x: &Opinion, y: &Opinion) -> f64 {
    (x.projected() - y.projected()).abs() * (1.0 - x.u) * (1.0 - y.u)
}

/// Averages the dogmatic (`u = 0`) opinions among `ops`, equal weights (the limit case of every operator).
fn dogmatic_average(ops: &[Opinion]) -> Option<Opinion> {
    let dog: Vec<&Opinion> = ops.iter().filter(|o| o.u <= 0.0).collect();
    if dog.is_empty() {
        return None;
    }
    let n = dog.len() as f64;
    let b = dog.iter().map(|o| o.b).sum::<f64>() / n;
    let d = dog.iter().map(|o| o.d).sum::<f64>() / n;
    let a = dog.iter().map(|o| o.a).sum::<f64>() / n;
    Some(Opinion { b, d, u: 0.0, a }.normalised())
}

/// Running sums from which every N-ary fusion operator can be finished, and from which one input can be
/// removed again in constant time (used for each origin's leave-one-out contribution).
///
/// Only regular inputs (`u > 0`) can be summed; the scorer never creates dogmatic opinions
/// (`opinion.min_uncertainty > 0`), and the slice functions below handle dogmatic inputs separately.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FusionSums {
    n: f64,
    inv: f64,
    sb: f64,
    sd: f64,
    /// Σ `a_i` / `u_i` (cumulative base rate).
    sa_inv: f64,
    /// Σ `a_i` (1 − `u_i`) (weighted base rate).
    sa_conf: f64,
    /// Σ `a_i`.
    sa: f64,
    /// Σ `b_i` (1 − `u_i`) / `u_i`.
    sb_conf: f64,
    /// Σ `d_i` (1 − `u_i`) / `u_i`.
    sd_conf: f64,
    /// Σ `u_i`.
    su: f64,
}

impl FusionSums {
    /// Sums over `ops` (all must have `u > 0`).
    #[must_use]
    pub fn of(ops: &[Opinion]) -> FusionSums {
        let mut s = FusionSums::default();
        for o in ops {
            s.add(o, 1.0);
        }
        s
    }

    fn add(&mut self, o: &Opinion, sign: f64) {
        let k = 1.0 / o.u;
        let c = 1.0 - o.u;
        self.n += sign;
        self.inv += sign * k;
        self.sb += sign * o.b * k;
        self.sd += sign * o.d * k;
        self.sa_inv += sign * o.a * k;
        self.sa_conf += sign * o.a * c;
        self.sa += sign * o.a;
        self.sb_conf += sign * o.b * c * k;
        self.sd_conf += sign * o.d * c * k;
        self.su += sign * o.u;
    }

    /// The sums with one input taken out again.
    #[must_use]
    pub fn without(&self, o: &Opinion) -> FusionSums {
        let mut s = *self;
        s.add(o, -1.0);
        s
    }

    /// Number of inputs summed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.n.round() as usize
    }

    /// True when nothing is summed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The fused opinion; `a` is the base rate used when there are no inputs.
    #[must_use]
    pub fn finish(&self, fusion: Fusion, a: f64) -> Opinion {
        let n = self.n.round();
        if n < 0.5 {
            return Opinion::vacuous(a);
        }
        let mean_a = self.sa / n;
        match fusion {
            Fusion::Cumulative => {
                // Cumulative (Jøsang, Wang & Zhang 2017, Eq. 16) with Π_{j≠i} u_j / Π u_j = 1/u_i.
                let denom = self.inv - (n - 1.0);
                let a_denom = self.inv - n;
                let a_out = if a_denom.abs() < 1e-12 { mean_a } else { (self.sa_inv - self.sa) / a_denom };
                Opinion { b: self.sb / denom, d: self.sd / denom, u: 1.0 / denom, a: a_out }.normalised()
            }
            Fusion::Averaging => {
                // Averaging (Eq. 32 of the same paper). Idempotent.
                Opinion { b: self.sb / self.inv, d: self.sd / self.inv, u: n / self.inv, a: mean_a }.normalised()
            }
            Fusion::Weighted => {
                // Weighted (van der Heijden, Kopp & Kargl 2018): confidence-weighted averaging. Idempotent, and
                // never more certain than its most certain input.
                if n - self.su < 1e-12 {
                    return Opinion::vacuous(mean_a);
                }
                let denom = self.inv - n;
                Opinion {
                    b: self.sb_conf / denom,
                    d: self.sd_conf / denom,
                    u: (n - self.su) / denom,
                    a: self.sa_conf / (n - self.su),
                }
                .normalised()
            }
        }
    }
}

fn fuse_slice(fusion: Fusion, ops: &[Opinion], a: f64) -> Opinion {
    if ops.is_empty() {
        return Opinion::vacuous(a);
    }
    if let Some(o) = dogmatic_average(ops) {
        return o;
    }
    FusionSums::of(ops).finish(fusion, a)
}

/// Cumulative belief fusion of N independent opinions (Jøsang, Wang & Zhang 2017, Eq. 16).
#[must_use]
pub fn cumulative(ops: &[Opinion], a: f64) -> Opinion {
    fuse_slice(Fusion::Cumulative, ops, a)
}

/// Averaging belief fusion of N opinions (Jøsang, Wang & Zhang 2017, Eq. 32). Idempotent.
#[must_use]
pub fn averaging(ops: &[Opinion], a: f64) -> Opinion {
    fuse_slice(Fusion::Averaging, ops, a)
}

/// Weighted belief fusion of N opinions (van der Heijden, Kopp & Kargl 2018). Idempotent.
#[must_use]
pub fn weighted(ops: &[Opinion], a: f64) -> Opinion {
    fuse_slice(Fusion::Weighted, ops, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(b: f64, d: f64, u: f64, a: f64) -> Opinion {
        Opinion::new(b, d, u, a).unwrap()
    }

    fn close(x: &Opinion, b: f64, d: f64, u: f64, tol: f64) {
        assert!(
            (x.b - b).abs() < tol && (x.d - d).abs() < tol && (x.u - u).abs() < tol,
            "got ({:.5}, {:.5}, {:.5}), want ({b}, {d}, {u})",
            x.b,
            x.d,
            x.u
        );
    }

    #[test]
    fn discounting_vector_from_methods() {
        // methods.md §1.3: trust (0.8,0.1,0.1,0.5), advice (0.7,0.1,0.2,0.5) -> (0.595, 0.085, 0.320).
        let trust = op(0.8, 0.1, 0.1, 0.5);
        let advice = op(0.7, 0.1, 0.2, 0.5);
        close(&advice.discounted(trust.projected()), 0.595, 0.085, 0.320, 1e-9);
    }

    #[test]
    fn worked_example_chain() {
        // methods.md §7.2: relay A (0.94) x relay A (0.94) x SOHR (0.6,0.1,0.3) -> (0.59643, 0, 0.40357).
        let relay = op(0.90, 0.02, 0.08, 0.5).projected();
        let sohr = op(0.60, 0.10, 0.30, 0.5).projected();
        let out = op(0.9, 0.0, 0.1, 0.5).discounted(relay * relay * sohr);
        close(&out, 0.59643, 0.0, 0.40357, 1e-5);
        assert!((out.projected() - 0.7982).abs() < 1e-4);
        // WBF of the chain with itself is unchanged; CBF double counts.
        close(&weighted(&[out, out], 0.5), 0.59643, 0.0, 0.40357, 1e-9);
        close(&cumulative(&[out, out], 0.5), 0.7472, 0.0, 0.2528, 1e-4);
        // A second, independent origin (SANA against interest) fused cumulatively.
        let sana = op(0.7, 0.0, 0.3, 0.5).discounted(op(0.3, 0.4, 0.3, 0.5).projected());
        close(&sana, 0.315, 0.0, 0.685, 1e-9);
        let both = cumulative(&[out, sana], 0.5);
        close(&both, 0.6596, 0.0, 0.3404, 1e-4);
        assert!((both.projected() - 0.830).abs() < 1e-3);
        assert!((degree_of_conflict(&out, &sana) - 0.026).abs() < 1e-3);
    }

    #[test]
    fn conflict_vectors() {
        let x = op(0.8, 0.1, 0.1, 0.5);
        let y = op(0.1, 0.8, 0.1, 0.5);
        assert!((degree_of_conflict(&x, &y) - 0.567).abs() < 1e-9);
        let x = op(0.05, 0.0, 0.95, 0.5);
        let y = op(0.0, 0.05, 0.95, 0.5);
        assert!((degree_of_conflict(&x, &y) - 0.000125).abs() < 1e-12);
        // Raw assertions in the worked example: victory claim vs flat denial.
        let v = op(0.95, 0.0, 0.05, 0.5);
        let dn = op(0.0, 0.9, 0.1, 0.5);
        assert!((degree_of_conflict(&v, &dn) - 0.791).abs() < 1e-3);
    }

    #[test]
    fn beta_mapping_round_trip() {
        let o = Opinion::from_evidence(2.9558, 0.0, 2.0, 0.5);
        close(&o, 0.59643, 0.0, 0.40357, 1e-5);
        let (r, s) = o.evidence(2.0);
        assert!((r - 2.9558).abs() < 1e-9 && s.abs() < 1e-12);
        let (al, be) = o.beta_params(2.0);
        assert!((al / (al + be) - o.projected()).abs() < 1e-12);
    }

    #[test]
    fn two_source_forms_agree_with_nary() {
        let x = op(0.6, 0.1, 0.3, 0.5);
        let y = op(0.2, 0.5, 0.3, 0.5);
        // Two-source WBF, Case I, from methods.md §1.6.
        let k = x.u + y.u - 2.0 * x.u * y.u;
        let b = (x.b * (1.0 - x.u) * y.u + y.b * (1.0 - y.u) * x.u) / k;
        let u = (2.0 - x.u - y.u) * x.u * y.u / k;
        close(&weighted(&[x, y], 0.5), b, 1.0 - b - u, u, 1e-12);
        // Two-source CBF, Case I.
        let k = x.u + y.u - x.u * y.u;
        close(
            &cumulative(&[x, y], 0.5),
            (x.b * y.u + y.b * x.u) / k,
            (x.d * y.u + y.d * x.u) / k,
            x.u * y.u / k,
            1e-12,
        );
        // Two-source ABF.
        let s = x.u + y.u;
        close(
            &averaging(&[x, y], 0.5),
            (x.b * y.u + y.b * x.u) / s,
            (x.d * y.u + y.d * x.u) / s,
            2.0 * x.u * y.u / s,
            1e-12,
        );
    }

    #[test]
    fn edge_cases() {
        assert_eq!(cumulative(&[], 0.3), Opinion::vacuous(0.3));
        let v = Opinion::vacuous(0.5);
        assert_eq!(weighted(&[v, v], 0.5), v);
        let dog = op(1.0, 0.0, 0.0, 0.5);
        let other = op(0.2, 0.2, 0.6, 0.5);
        assert_eq!(cumulative(&[dog, other], 0.5).b, 1.0);
        let many = vec![op(0.5, 0.1, 0.4, 0.5); 2000];
        let f = cumulative(&many, 0.5);
        assert!(f.is_valid() && f.u < 1e-3, "no underflow with many sources: {f:?}");
        assert!((op(0.9, 0.0, 0.1, 0.5).with_min_uncertainty(0.01).u - 0.1).abs() < 1e-12);
        close(&op(1.0, 0.0, 0.0, 0.5).with_min_uncertainty(0.01), 0.99, 0.0, 0.01, 1e-12);
    }
}
