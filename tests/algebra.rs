//! Properties of the opinion algebra (methods.md §1): the test vectors are unit tests in `src/opinion.rs`;
//! here every operator is checked on generated opinions.

use credence::opinion::{Fusion, FusionSums, Opinion, averaging, cumulative, degree_of_conflict, weighted};
use credence::score::credible_interval;
use proptest::prelude::*;

const TOL: f64 = 1e-9;

/// A regular opinion (u > 0) with base rate `a`.
fn opinion_with(a: f64) -> impl Strategy<Value = Opinion> {
    (0.0f64..1.0, 0.0f64..1.0, 0.001f64..1.0).prop_map(move |(x, y, u)| {
        // Split the committed mass 1 - u between b and d.
        let committed = 1.0 - u;
        let share = x / (x + y).max(1e-12);
        let b = committed * share;
        Opinion::new(b, committed - b, u, a).expect("valid by construction")
    })
}

fn opinion() -> impl Strategy<Value = Opinion> {
    (0.0f64..=1.0).prop_flat_map(opinion_with)
}

fn close(x: &Opinion, y: &Opinion) -> bool {
    (x.b - y.b).abs() < TOL && (x.d - y.d).abs() < TOL && (x.u - y.u).abs() < TOL && (x.a - y.a).abs() < TOL
}

fn sum_is_one(o: &Opinion) -> bool {
    o.is_valid() && (o.b + o.d + o.u - 1.0).abs() < TOL
}

const OPS: [Fusion; 3] = [Fusion::Cumulative, Fusion::Averaging, Fusion::Weighted];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn every_operator_keeps_b_d_u_summing_to_one(ops in prop::collection::vec(opinion(), 1..8), p in 0.0f64..=1.0, w in 0.0f64..=1.0) {
        for f in OPS {
            prop_assert!(sum_is_one(&f.fuse(&ops, 0.5)), "{f:?} {:?}", f.fuse(&ops, 0.5));
        }
        for o in &ops {
            prop_assert!(sum_is_one(&o.discounted(p)));
            prop_assert!(sum_is_one(&o.weakened(w)));
            prop_assert!(sum_is_one(&o.flipped(0.3)));
            prop_assert!(sum_is_one(&o.complement()));
            prop_assert!(sum_is_one(&o.with_min_uncertainty(0.05)));
        }
    }

    #[test]
    fn fusion_is_commutative(ops in prop::collection::vec(opinion(), 2..7)) {
        let mut rev = ops.clone();
        rev.reverse();
        let mut rot = ops.clone();
        rot.rotate_left(1);
        for f in OPS {
            let x = f.fuse(&ops, 0.5);
            prop_assert!(close(&x, &f.fuse(&rev, 0.5)), "{f:?}");
            prop_assert!(close(&x, &f.fuse(&rot, 0.5)), "{f:?}");
        }
    }

    #[test]
    fn cumulative_fusion_is_associative(x in opinion_with(0.5), y in opinion_with(0.5), z in opinion_with(0.5)) {
        let flat = cumulative(&[x, y, z], 0.5);
        let nested = cumulative(&[cumulative(&[x, y], 0.5), z], 0.5);
        prop_assert!(close(&flat, &nested), "{flat:?} vs {nested:?}");
    }

    #[test]
    fn within_origin_operators_are_idempotent(x in opinion(), n in 2usize..6) {
        let copies = vec![x; n];
        prop_assert!(close(&averaging(&copies, 0.5), &x));
        prop_assert!(close(&weighted(&copies, 0.5), &x));
        // Cumulative fusion is not: copies would count as independent evidence.
        if x.b + x.d > 0.01 {
            prop_assert!(cumulative(&copies, 0.5).u < x.u - 1e-6);
        }
    }

    #[test]
    fn vacuous_opinion_is_neutral_for_cumulative_fusion(x in opinion()) {
        prop_assume!(x.u < 1.0 - 1e-9);
        let v = Opinion::vacuous(0.5);
        prop_assert!(close(&cumulative(&[x, v], 0.5), &x));
        prop_assert!(close(&cumulative(&[v, x], 0.5), &x));
        prop_assert!(close(&cumulative(&[x], 0.5), &x));
    }

    #[test]
    fn cumulative_fusion_never_increases_uncertainty(ops in prop::collection::vec(opinion(), 1..8)) {
        let f = cumulative(&ops, 0.5);
        let min_u = ops.iter().map(|o| o.u).fold(1.0, f64::min);
        prop_assert!(f.u <= min_u + TOL);
    }

    #[test]
    fn averaging_stays_between_its_inputs(ops in prop::collection::vec(opinion_with(0.5), 1..8)) {
        let p = averaging(&ops, 0.5).projected();
        let lo = ops.iter().map(Opinion::projected).fold(1.0, f64::min);
        let hi = ops.iter().map(Opinion::projected).fold(0.0, f64::max);
        prop_assert!(p >= lo - TOL && p <= hi + TOL);
    }

    #[test]
    fn leave_one_out_sums_match_fusing_the_rest(ops in prop::collection::vec(opinion_with(0.4), 2..8), k in 0usize..8) {
        let k = k % ops.len();
        let mut rest = ops.clone();
        let gone = rest.remove(k);
        let sums = FusionSums::of(&ops).without(&gone);
        for f in OPS {
            prop_assert!(close(&sums.finish(f, 0.4), &f.fuse(&rest, 0.4)), "{f:?}");
        }
    }

    #[test]
    fn discounting(x in opinion(), p in 0.0f64..=1.0) {
        prop_assert!(close(&x.discounted(1.0), &x));
        let d = x.discounted(p);
        prop_assert!(d.u >= x.u - TOL);
        prop_assert!((d.b - p * x.b).abs() < TOL && (d.d - p * x.d).abs() < TOL);
        prop_assert!(close(&x.discounted(0.0), &Opinion::vacuous(x.a)));
    }

    #[test]
    fn weakening_moves_committed_mass_into_uncertainty(x in opinion(), w in 0.0f64..=1.0) {
        let y = x.weakened(w);
        prop_assert!(y.b <= x.b + TOL && y.d <= x.d + TOL && y.u >= x.u - TOL);
        prop_assert!((y.b - x.b * (1.0 - w)).abs() < TOL);
    }

    #[test]
    fn conflict_is_symmetric_bounded_and_zero_on_itself(x in opinion(), y in opinion()) {
        let c = degree_of_conflict(&x, &y);
        prop_assert!((0.0..=1.0).contains(&c));
        prop_assert!((c - degree_of_conflict(&y, &x)).abs() < TOL);
        prop_assert!(degree_of_conflict(&x, &x) < TOL);
    }

    #[test]
    fn beta_mapping_preserves_the_projected_probability(x in opinion(), w in 0.5f64..10.0) {
        let (alpha, beta) = x.beta_params(w);
        prop_assert!((alpha / (alpha + beta) - x.projected()).abs() < 1e-9);
        let (r, s) = x.evidence(w);
        prop_assert!(close(&Opinion::from_evidence(r, s, w, x.a), &x));
    }

    #[test]
    fn credible_interval_is_ordered_and_holds_the_mean(x in opinion(), mass in 0.5f64..0.99) {
        let x = x.with_min_uncertainty(0.01);
        let [lo, hi] = credible_interval(&x, 2.0, mass);
        prop_assert!(0.0 <= lo && lo <= hi && hi <= 1.0);
        let (alpha, beta) = x.beta_params(2.0);
        // For Beta(α, β) with α, β ≥ 1 the mean lies within any central interval of mass ≥ 0.5.
        if alpha >= 1.0 && beta >= 1.0 {
            prop_assert!(lo <= x.projected() + 1e-6 && x.projected() <= hi + 1e-6, "[{lo}, {hi}] vs {}", x.projected());
        }
    }
}
