//! No input makes the crate panic, and outputs stay well-formed on arbitrary claims.

use credence_discover::output::{copying_csv, report_html, report_md, sources_csv, truths_csv};
use credence_discover::{Dataset, DiscoverConfig, ValueType, discover};
use proptest::prelude::*;

fn everything(bytes: &[u8], value_type: ValueType) {
    let config = DiscoverConfig { value_type, max_iterations: 5, ..Default::default() };
    if let Ok(d) = Dataset::from_csv(bytes, "fuzz.csv", value_type) {
        let found = discover(&d, &config);
        for p in &found.probability {
            assert!((0.0..=1.0).contains(p), "{p}");
        }
        for a in &found.accuracy {
            assert!(a.is_finite());
        }
        let truths = truths_csv(&d, &found);
        assert!(truths.iter().filter(|&&b| b == b'\n').count() > d.objects.len());
        let _ = (sources_csv(&d, &found, &config), copying_csv(&d, &found, &config));
        let _ = (report_md(&d, &found, &config, "f"), report_html(&d, &found, &config, "f"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"object,source,value\n".to_vec();
        bytes.extend_from_slice(&body);
        everything(&bytes, ValueType::Auto);
        everything(&body, ValueType::Tokens);
    }

    #[test]
    fn csv_punctuation_soup_never_panics(
        body in proptest::collection::vec(prop_oneof![
            Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b'1'), Just(b' '), Just(0xFFu8), Just(0xC3u8),
        ], 0..300),
    ) {
        let mut bytes = b"object,source,value\n".to_vec();
        bytes.extend_from_slice(&body);
        everything(&bytes, ValueType::Auto);
    }

    #[test]
    fn arbitrary_claims_never_panic(
        rows in proptest::collection::vec((0u8..6, 0u8..8, prop_oneof![
            (0i64..2000).prop_map(|x| x.to_string()),
            "[a-c ,;|\"]{0,8}",
            (-1e9f64..1e9).prop_map(|x| format!("{x:e}")),
            Just(String::from("NaN")),
            Just(String::from("1,000,000")),
        ]), 0..60),
        vt in prop_oneof![Just(ValueType::Auto), Just(ValueType::Text), Just(ValueType::Number), Just(ValueType::Tokens)],
    ) {
        let mut csv = String::from("object,source,value\n");
        for (o, s, v) in rows {
            csv.push_str(&format!("o{o},s{s},\"{}\"\n", v.replace('"', "\"\"")));
        }
        everything(csv.as_bytes(), vt);
    }
}

#[test]
fn many_values_with_hopeless_sources_stay_finite() {
    // More distinct values than n + 1 and 800 sources per value whose accuracy sinks to the floor: vote sums
    // far below −745 must not underflow the softmax into NaN.
    let mut csv = String::from("object,source,value\n");
    for s in 0..12_800 {
        csv.push_str(&format!("o,s{s},v{}\n", s % 16));
    }
    let config = DiscoverConfig { accuracy_max: 0.02, initial_accuracy: 0.015, ..Default::default() };
    let d = Dataset::from_csv(csv.as_bytes(), "x", ValueType::Auto).unwrap();
    let found = discover(&d, &config);
    assert!(found.probability.iter().all(|p| p.is_finite() && (0.0..=1.0).contains(p)), "{:?}", found.probability);
}

fn config_strategy() -> impl Strategy<Value = DiscoverConfig> {
    (
        (1.0f64..1e6, 0.001f64..0.5, 0.5f64..0.999, 0.01f64..0.99, 0.0f64..10.0),
        (0.0f64..10.0, 0.0f64..0.99, 0.0f64..10.0, 0.001f64..0.999, 0.001f64..0.999),
        (1u32..5, 2usize..8, 1usize..5, 0.0f64..0.99, any::<[bool; 4]>()),
    )
        .prop_map(
            |((n, lo, hi, a0, pw), (rho, base, tol, alpha, c), (min_shared, pair_cap, sim_cap, damping, flags))| {
                DiscoverConfig {
                    false_values: n,
                    accuracy_min: lo,
                    accuracy_max: hi,
                    initial_accuracy: a0,
                    prior_weight: pw,
                    similarity_weight: rho,
                    similarity_base: base,
                    number_tolerance: tol,
                    copy_prior: alpha,
                    copy_rate: c,
                    min_shared,
                    pair_cap,
                    similarity_cap: sim_cap,
                    damping,
                    leave_one_out: flags[0],
                    estimate_prior: flags[1],
                    mixture_evidence: flags[2],
                    direction_from_coverage: flags[3],
                    max_iterations: 6,
                    ..Default::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any valid configuration on any claims gives finite probabilities, accuracies and intervals.
    #[test]
    fn any_valid_config_stays_finite(
        rows in proptest::collection::vec((0u8..5, 0u8..9, 0u16..40), 1..80),
        config in config_strategy(),
    ) {
        prop_assume!(config.validate().is_ok());
        let mut csv = String::from("object,source,value\n");
        for (o, s, v) in rows {
            // Some objects get numbers, some words, so every similarity path is taken.
            let value = if o % 2 == 0 { format!("{}", u32::from(v) * 37) } else { format!("w{} w{}", v % 7, v % 3) };
            csv.push_str(&format!("o{o},s{s},{value}\n"));
        }
        let d = Dataset::from_csv(csv.as_bytes(), "p.csv", config.value_type).unwrap();
        let found = discover(&d, &config);
        for p in &found.probability {
            prop_assert!(p.is_finite() && (0.0..=1.0).contains(p), "{p}");
        }
        for s in 0..d.sources.len() {
            prop_assert!(found.accuracy[s].is_finite());
            prop_assert!(found.accuracy_low[s] <= found.accuracy_high[s]);
        }
        for p in &found.pairs {
            prop_assert!(p.dependence().is_finite() && p.dependence() <= 1.0 + 1e-9);
        }
    }
}
