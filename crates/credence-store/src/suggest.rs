//! "Did you mean": close matches for an id that names nothing.

/// Longest prefix of either string compared (keeps the quadratic distance cheap for any input).
const MAX_CHARS: usize = 128;

/// Edit distance (insertions, deletions, substitutions) between the first [`MAX_CHARS`] characters of `a`
/// and `b`, case-blind.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(MAX_CHARS).flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().take(MAX_CHARS).flat_map(char::to_lowercase).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Up to five recorded claims close to a query `story/claim` (or a bare `claim`, with `story` empty): those
/// whose claim id is within an edit distance of a third of the queried id's length (at least 2) or contains
/// it (case-blind). Ordered by the claim ids' distance, then the story keys' distance, then the name.
/// `claims` are `(story key, claim id)` pairs; the suggestions are `STORY-KEY/CLAIM-ID`.
pub(crate) fn close(story: &str, claim: &str, claims: &[(String, String)]) -> Vec<String> {
    let (story, claim) = (story.trim(), claim.trim());
    let limit = (claim.chars().count() / 3).max(2);
    let lower = claim.to_lowercase();
    let mut scored: Vec<(usize, usize, String)> = claims
        .iter()
        .filter_map(|(s, c)| {
            let d = distance(claim, c);
            let contains = !lower.is_empty() && c.to_lowercase().contains(&lower);
            let ds = if story.is_empty() { 0 } else { distance(story, s) };
            (d <= limit || contains).then(|| (d, ds, format!("{s}/{c}")))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(5).map(|(_, _, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("Taken", "taken"), 0);
    }

    #[test]
    fn close_matches_best_first() {
        let c: Vec<(String, String)> = [("b", "taken"), ("a", "taker"), ("a", "held"), ("a", "retaken-by-rebels")]
            .iter()
            .map(|(s, c)| (s.to_string(), c.to_string()))
            .collect();
        assert_eq!(close("", "takn", &c), vec!["b/taken", "a/taker"]);
        let got = close("", "retaken", &c);
        assert_eq!(got[0], "b/taken");
        assert!(got.contains(&"a/retaken-by-rebels".to_string()));
        // The story part only ranks: the nearer story key first among equally near claim ids.
        assert_eq!(close("a", "take", &c)[..2], ["a/taker", "b/taken"]);
    }
}
