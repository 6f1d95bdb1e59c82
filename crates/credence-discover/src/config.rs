//! The `[discover]` configuration: every prior and parameter of the model, with defaults.
//!
//! The main binary reads it from the `[discover]` table of its TOML config; unknown keys are rejected so a
//! misspelt key fails loudly instead of silently falling back to a default.

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::value::{TokenSimilarity, ValueType};

/// Parameters of truth discovery with copy detection. `Default` gives the values documented on each field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscoverConfig {
    /// How values are typed: `auto` (per object), `text`, `number` or `tokens`. Default `auto`.
    pub value_type: ValueType,
    /// Support between different token sets: `containment` (default) or `jaccard`.
    pub token_similarity: TokenSimilarity,
    /// `n`, the number of false values an object is assumed to have, uniformly likely. It sets the vote
    /// weight `ln(n·A/(1−A))` and how rare a shared false value is by chance. Default 10.
    pub false_values: f64,
    /// Accuracy every source starts with, and the mean of the accuracy prior. Default 0.8.
    pub initial_accuracy: f64,
    /// Weight of the accuracy prior in pseudo-claims: a source's accuracy is
    /// `(w·A0 + Σ P(its values)) / (w + its claims)`. Keeps one-claim sources from being judged perfect or
    /// worthless on one object. Default 2.
    pub prior_weight: f64,
    /// Empirical Bayes: after each iteration, set the mean of the accuracy prior to the mean accuracy over
    /// all claims (instead of keeping `initial_accuracy`), so that a source with few claims is judged like
    /// the typical claim of this data set, not like an optimistic constant. Default true.
    pub estimate_prior: bool,
    /// Leave-one-out votes: the weight a source's claim on an object gets is computed from its accuracy on
    /// its *other* claims, so no claim vouches for itself. Default true.
    pub leave_one_out: bool,
    /// Lower clamp of accuracies. Default 0.01.
    pub accuracy_min: f64,
    /// Upper clamp of accuracies. Default 0.99.
    pub accuracy_max: f64,
    /// Most iterations. Default 20.
    pub max_iterations: usize,
    /// Share of the previous iteration's truth probabilities kept in each update (0 = none). Damps the
    /// two-cycle in which copy detection and truth keep flipping each other. Default 0.5.
    pub damping: f64,
    /// Stop when no accuracy and no truth probability moved by more than this. Default 1e-3.
    pub tolerance: f64,
    /// `ρ`, weight of the support similar values lend each other (`TruthFinder`'s implication). 0 turns it
    /// off. Default 0.5.
    pub similarity_weight: f64,
    /// Subtracted from every similarity before it is used, so that values less similar than this count
    /// against each other (`TruthFinder`'s `base_sim`). Default 0.
    pub similarity_base: f64,
    /// Relative difference at which two numbers stop supporting each other. Default 0.01 (1 %).
    pub number_tolerance: f64,
    /// Stop once the chosen value of every object has stayed the same for this many consecutive
    /// iterations (0: only `tolerance` and `max_iterations` stop).
    pub stable_iterations: usize,
    /// Stop assessing a pair whose dependence has been negligible (below 1e-9) for two consecutive
    /// iterations from the fourth on; it then counts as independent.
    pub prune_independent: bool,
    /// Estimate copying between sources and discount copied votes. Default true.
    pub copy_detection: bool,
    /// `α`, prior probability that two sources that share objects are dependent (split evenly between the
    /// two directions). Default 0.2.
    pub copy_prior: f64,
    /// `c`, probability that a copier copies a given value of its original. Default 0.8.
    pub copy_rate: f64,
    /// Weigh each shared value by the likelihood marginalised over its truth, `ln(P·L_true + (1 − P)·L_false)`,
    /// rather than by expected counts `P·ln L_true + (1 − P)·ln L_false`. The expected-count form treats a
    /// half-certain shared value as half a shared false value, which is strong evidence of copying; the
    /// marginal form does not, so uncertain agreement on sparse data is not mistaken for copying. Default
    /// true.
    pub mixture_evidence: bool,
    /// Split the prior of dependence between the two directions by coverage: the source with the larger
    /// share of claims on objects the other does not cover is more likely the original (a copier's values
    /// are mostly on its original's objects). Without it, direction comes from the accuracies alone.
    /// Default true.
    pub direction_from_coverage: bool,
    /// Fewest objects two sources must both cover for their dependence to be assessed. With one or two
    /// shared objects the posterior mostly restates the prior and the current guess of the truth, and
    /// discounting votes on that basis amplifies early mistakes; such pairs count as independent. Default 3.
    pub min_shared: u32,
    /// Copy probability from which a pair is written to `copying.csv` and the reports. Default 0.5.
    pub report_threshold: f64,
    /// Most sources of one object that take part in copy statistics. Larger objects are sampled
    /// deterministically (by a hash of object and source), which bounds the per-object cost at
    /// `pair_cap²/2` pairs and the pair table at `pair_cap/2` entries per claim. Default 64.
    pub pair_cap: usize,
    /// Most distinct values of one object that lend similarity support (the ones with most sources).
    /// Bounds the per-object similarity cost at `values × similarity_cap`. Default 64.
    pub similarity_cap: usize,
    /// Probability mass of the accuracy credible interval in `sources.csv`. Default 0.9.
    pub interval_level: f64,
    /// Rows per table in the Markdown and HTML reports. Default 50.
    pub report_rows: usize,
}

impl Default for DiscoverConfig {
    fn default() -> Self {
        DiscoverConfig {
            value_type: ValueType::Auto,
            token_similarity: TokenSimilarity::Containment,
            false_values: 10.0,
            initial_accuracy: 0.8,
            prior_weight: 2.0,
            estimate_prior: true,
            leave_one_out: true,
            accuracy_min: 0.01,
            accuracy_max: 0.99,
            max_iterations: 20,
            damping: 0.5,
            tolerance: 1e-3,
            similarity_weight: 0.5,
            similarity_base: 0.0,
            number_tolerance: 0.01,
            stable_iterations: 3,
            prune_independent: true,
            copy_detection: true,
            copy_prior: 0.2,
            copy_rate: 0.8,
            mixture_evidence: true,
            direction_from_coverage: true,
            min_shared: 3,
            report_threshold: 0.5,
            pair_cap: 64,
            similarity_cap: 64,
            interval_level: 0.9,
            report_rows: 50,
        }
    }
}

fn check(ok: bool, key: &'static str, value: impl ToString, reason: &'static str) -> Result<(), Error> {
    if ok { Ok(()) } else { Err(Error::Config { key, value: value.to_string(), reason }) }
}

impl DiscoverConfig {
    /// Rejects values outside the ranges the model is defined on (NaN included).
    pub fn validate(&self) -> Result<(), Error> {
        let open01 = |x: f64| x > 0.0 && x < 1.0;
        check(self.false_values >= 1.0 && self.false_values <= 1e9, "false_values", self.false_values, "at least 1")?;
        check(open01(self.initial_accuracy), "initial_accuracy", self.initial_accuracy, "strictly between 0 and 1")?;
        check(self.prior_weight >= 0.0 && self.prior_weight <= 1e9, "prior_weight", self.prior_weight, "0 or more")?;
        check(open01(self.accuracy_min), "accuracy_min", self.accuracy_min, "strictly between 0 and 1")?;
        check(
            open01(self.accuracy_max) && self.accuracy_max > self.accuracy_min,
            "accuracy_max",
            self.accuracy_max,
            "strictly between accuracy_min and 1",
        )?;
        check(
            self.max_iterations >= 1 && self.max_iterations <= 10_000,
            "max_iterations",
            self.max_iterations,
            "1 to 10000",
        )?;
        check((0.0..1.0).contains(&self.damping), "damping", self.damping, "0 to below 1")?;
        check(self.tolerance >= 0.0 && self.tolerance.is_finite(), "tolerance", self.tolerance, "0 or more")?;
        check((0.0..=10.0).contains(&self.similarity_weight), "similarity_weight", self.similarity_weight, "0 to 10")?;
        check((0.0..1.0).contains(&self.similarity_base), "similarity_base", self.similarity_base, "0 to below 1")?;
        check((0.0..=1e6).contains(&self.number_tolerance), "number_tolerance", self.number_tolerance, "0 or more")?;
        check(open01(self.copy_prior), "copy_prior", self.copy_prior, "strictly between 0 and 1")?;
        check(open01(self.copy_rate), "copy_rate", self.copy_rate, "strictly between 0 and 1")?;
        check((0.0..=1.0).contains(&self.report_threshold), "report_threshold", self.report_threshold, "0 to 1")?;
        check((2..=4096).contains(&self.pair_cap), "pair_cap", self.pair_cap, "2 to 4096")?;
        check((1..=4096).contains(&self.similarity_cap), "similarity_cap", self.similarity_cap, "1 to 4096")?;
        check(open01(self.interval_level), "interval_level", self.interval_level, "strictly between 0 and 1")?;
        check(self.report_rows <= 1_000_000, "report_rows", self.report_rows, "at most 1000000")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        DiscoverConfig::default().validate().unwrap();
    }

    #[test]
    fn rejects_out_of_range_and_nan() {
        let c = DiscoverConfig { copy_rate: 1.0, ..Default::default() };
        assert!(matches!(c.validate(), Err(Error::Config { key: "copy_rate", .. })));
        let c = DiscoverConfig { initial_accuracy: f64::NAN, ..Default::default() };
        assert!(c.validate().is_err());
    }
}
