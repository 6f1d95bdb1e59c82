//! Helpers shared by the Emergent examples: a small CSV reader, claim-grouped folds, a multinomial logistic
//! regression over the stance features, and a claim-clustered bootstrap. No dependencies, deterministic.

#![allow(dead_code)]

use std::collections::BTreeMap;

/// Parses CSV text (RFC 4180 quoting) into rows of fields.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {}
                '\n' => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                _ => field.push(c),
            }
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// Rows as maps from header names.
pub(crate) fn read_table(path: &str) -> Vec<BTreeMap<String, String>> {
    let text = std::fs::read(path).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2)
    });
    let mut rows = parse_csv(&text).into_iter();
    let header = rows.next().unwrap_or_default();
    rows.filter(|r| r.len() == header.len()).map(|r| header.iter().cloned().zip(r).collect()).collect()
}

/// A deterministic fold (0..k) for a group id: FNV-1a hash of the id.
pub(crate) fn fold_of(id: &str, k: usize) -> usize {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    (h % k as u64) as usize
}

/// Multinomial logistic regression with L2 penalty, fitted by full-batch gradient descent.
pub(crate) struct Softmax {
    /// Per class: bias then one weight per feature.
    pub w: Vec<Vec<f64>>,
}

impl Softmax {
    pub(crate) fn fit(x: &[Vec<f64>], y: &[usize], classes: usize, l2: f64, class_weight: &[f64]) -> Softmax {
        let d = x.first().map_or(0, Vec::len);
        let mut w = vec![vec![0.0; d + 1]; classes];
        let n = x.len().max(1) as f64;
        let lr = 0.5;
        for _ in 0..6000 {
            let mut g = vec![vec![0.0; d + 1]; classes];
            for (xi, &yi) in x.iter().zip(y) {
                let p = probs(&w, xi);
                let cw = class_weight[yi];
                for c in 0..classes {
                    let e = (p[c] - f64::from(u8::from(c == yi))) * cw;
                    g[c][0] += e;
                    for j in 0..d {
                        g[c][j + 1] += e * xi[j];
                    }
                }
            }
            for c in 0..classes {
                for j in 0..=d {
                    let reg = if j == 0 { 0.0 } else { l2 * w[c][j] };
                    w[c][j] -= lr * (g[c][j] / n + reg);
                }
            }
        }
        Softmax { w }
    }

    pub(crate) fn predict(&self, xi: &[f64]) -> usize {
        let p = probs(&self.w, xi);
        (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(0)
    }
}

fn probs(w: &[Vec<f64>], xi: &[f64]) -> Vec<f64> {
    let s: Vec<f64> = w.iter().map(|wc| wc[0] + wc[1..].iter().zip(xi).map(|(a, b)| a * b).sum::<f64>()).collect();
    let m = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = s.iter().map(|v| (v - m).exp()).collect();
    let z: f64 = e.iter().sum();
    e.iter().map(|v| v / z).collect()
}

/// Accuracy and macro-F1 of predictions against gold, over classes 0..k.
pub(crate) fn acc_f1(gold: &[usize], pred: &[usize], k: usize) -> (f64, f64) {
    let n = gold.len().max(1) as f64;
    let acc = gold.iter().zip(pred).filter(|(g, p)| g == p).count() as f64 / n;
    let mut f = 0.0;
    for c in 0..k {
        let tp = gold.iter().zip(pred).filter(|(g, p)| **g == c && **p == c).count() as f64;
        let fp = gold.iter().zip(pred).filter(|(g, p)| **g != c && **p == c).count() as f64;
        let fnn = gold.iter().zip(pred).filter(|(g, p)| **g == c && **p != c).count() as f64;
        let pr = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let re = if tp + fnn > 0.0 { tp / (tp + fnn) } else { 0.0 };
        f += if pr + re > 0.0 { 2.0 * pr * re / (pr + re) } else { 0.0 };
    }
    (acc, f / k as f64)
}

/// 95% claim-clustered bootstrap intervals of a statistic: claims are resampled with replacement.
pub(crate) fn cluster_bootstrap<F: Fn(&[usize]) -> f64>(groups: &[String], stat: F, reps: usize) -> (f64, f64) {
    let mut by: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        by.entry(g.as_str()).or_default().push(i);
    }
    let clusters: Vec<&Vec<usize>> = by.values().collect();
    let mut state: u64 = 0x9e3779b97f4a7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut stats = Vec::with_capacity(reps);
    for _ in 0..reps {
        let mut idx = Vec::new();
        for _ in 0..clusters.len() {
            idx.extend_from_slice(clusters[(next() % clusters.len() as u64) as usize]);
        }
        stats.push(stat(&idx));
    }
    stats.sort_by(f64::total_cmp);
    let at = |q: f64| stats[((q * (reps - 1) as f64).round() as usize).min(reps - 1)];
    (at(0.025), at(0.975))
}

/// Splits a body into sentences: at line breaks, and after `.`, `!` or `?` followed by a space and a capital
/// letter, a digit or a quote. A prototype's splitter; the pipeline's segmenter replaces it.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for w in 0..chars.len() {
            let (at, c) = chars[w];
            if matches!(c, '.' | '!' | '?')
                && chars.get(w + 1).is_some_and(|&(_, n)| n == ' ')
                && chars.get(w + 2).is_some_and(|&(_, n)| n.is_uppercase() || n.is_ascii_digit() || n == '"')
            {
                let end = at + c.len_utf8();
                out.push(line[start..end].trim());
                start = end;
            }
        }
        out.push(line[start..].trim());
    }
    out.retain(|s| s.chars().filter(|c| c.is_alphabetic()).count() >= 3);
    out
}
