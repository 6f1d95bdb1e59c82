//! A small English stemmer: Porter's 1980 algorithm, written out here rather than taken from a crate.
//!
//! Why our own: matching a claim against a headline needs only that "dies", "died" and "dying" meet, that
//! "arrests" and "arrested" meet, and that the same function stems both sides. Porter's rules do that in a
//! page of code with no tables to ship, no dependency to audit and no allocation beyond the output string;
//! the Snowball crates bring a family of languages we do not use. Words that are not plain ASCII letters
//! (names in other scripts, numbers, "n't") are returned unchanged, so the stemmer can never split a
//! character.

/// The Porter stem of a lower-cased word; non-ASCII or very short words come back unchanged.
#[must_use]
pub fn stem(word: &str) -> String {
    if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    // Porter gives "dying" -> "dy" and "die" -> "die" but "died", "dies" -> "di": these short -ie verbs are
    // sent to their past form first so that all four forms meet.
    let word = match word {
        "die" | "dying" => "died",
        "lie" | "lying" => "lied",
        "tie" | "tying" => "tied",
        _ => word,
    };
    let mut w: Vec<u8> = word.as_bytes().to_vec();
    step1a(&mut w);
    step1b(&mut w);
    step1c(&mut w);
    step2(&mut w);
    step3(&mut w);
    step4(&mut w);
    step5(&mut w);
    // Only ASCII letters were ever pushed.
    String::from_utf8(w).unwrap_or_else(|_| word.to_string())
}

fn is_consonant(w: &[u8], i: usize) -> bool {
    match w[i] {
        b'a' | b'e' | b'i' | b'o' | b'u' => false,
        b'y' => i == 0 || !is_consonant(w, i - 1),
        _ => true,
    }
}

/// Porter's m: the number of vowel-consonant sequences in `w[..len]`.
fn measure(w: &[u8], len: usize) -> usize {
    let mut m = 0;
    let mut i = 0;
    while i < len && is_consonant(w, i) {
        i += 1;
    }
    loop {
        while i < len && !is_consonant(w, i) {
            i += 1;
        }
        if i >= len {
            return m;
        }
        while i < len && is_consonant(w, i) {
            i += 1;
        }
        m += 1;
    }
}

fn has_vowel(w: &[u8], len: usize) -> bool {
    (0..len).any(|i| !is_consonant(w, i))
}

fn ends_double_consonant(w: &[u8]) -> bool {
    let n = w.len();
    n >= 2 && w[n - 1] == w[n - 2] && is_consonant(w, n - 1)
}

/// consonant-vowel-consonant ending, the last not w, x or y (Porter's *o).
fn cvc(w: &[u8], len: usize) -> bool {
    len >= 3
        && is_consonant(w, len - 3)
        && !is_consonant(w, len - 2)
        && is_consonant(w, len - 1)
        && !matches!(w[len - 1], b'w' | b'x' | b'y')
}

fn ends(w: &[u8], s: &str) -> bool {
    w.ends_with(s.as_bytes())
}

/// Replaces suffix `s` by `r` when the stem before it has measure above `min_m`.
fn replace_if(w: &mut Vec<u8>, s: &str, r: &str, min_m: usize) -> bool {
    if !ends(w, s) {
        return false;
    }
    let stem_len = w.len() - s.len();
    if measure(w, stem_len) > min_m {
        w.truncate(stem_len);
        w.extend_from_slice(r.as_bytes());
    }
    true
}

fn step1a(w: &mut Vec<u8>) {
    if ends(w, "sses") || ends(w, "ies") {
        w.truncate(w.len() - 2);
    } else if ends(w, "ss") {
    } else if ends(w, "s") {
        w.pop();
    }
}

fn step1b(w: &mut Vec<u8>) {
    if ends(w, "eed") {
        if measure(w, w.len() - 3) > 0 {
            w.pop();
        }
        return;
    }
    let cut = if ends(w, "ed") && has_vowel(w, w.len() - 2) {
        2
    } else if ends(w, "ing") && has_vowel(w, w.len() - 3) {
        3
    } else {
        return;
    };
    w.truncate(w.len() - cut);
    if ends(w, "at") || ends(w, "bl") || ends(w, "iz") {
        w.push(b'e');
    } else if ends_double_consonant(w) && !matches!(w[w.len() - 1], b'l' | b's' | b'z') {
        w.pop();
    } else if measure(w, w.len()) == 1 && cvc(w, w.len()) {
        w.push(b'e');
    }
}

fn step1c(w: &mut [u8]) {
    let n = w.len();
    if n > 1 && w[n - 1] == b'y' && has_vowel(w, n - 1) {
        w[n - 1] = b'i';
    }
}

fn step2(w: &mut Vec<u8>) {
    const RULES: &[(&str, &str)] = &[
        ("ational", "ate"),
        ("tional", "tion"),
        ("enci", "ence"),
        ("anci", "ance"),
        ("izer", "ize"),
        ("abli", "able"),
        ("alli", "al"),
        ("entli", "ent"),
        ("eli", "e"),
        ("ousli", "ous"),
        ("ization", "ize"),
        ("ation", "ate"),
        ("ator", "ate"),
        ("alism", "al"),
        ("iveness", "ive"),
        ("fulness", "ful"),
        ("ousness", "ous"),
        ("aliti", "al"),
        ("iviti", "ive"),
        ("biliti", "ble"),
    ];
    for (s, r) in RULES {
        if replace_if(w, s, r, 0) {
            return;
        }
    }
}

fn step3(w: &mut Vec<u8>) {
    const RULES: &[(&str, &str)] =
        &[("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", "")];
    for (s, r) in RULES {
        if replace_if(w, s, r, 0) {
            return;
        }
    }
}

fn step4(w: &mut Vec<u8>) {
    const SUFFIXES: &[&str] = &[
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
        "iti", "ous", "ive", "ize",
    ];
    // Longest match first among suffixes sharing an ending ("ement" before "ment" before "ent").
    let mut best: Option<&str> = None;
    for s in SUFFIXES {
        if ends(w, s) && best.is_none_or(|b| s.len() > b.len()) {
            best = Some(s);
        }
    }
    let Some(s) = best else { return };
    let stem_len = w.len() - s.len();
    if measure(w, stem_len) <= 1 {
        return;
    }
    if s == "ion" && !(stem_len > 0 && matches!(w[stem_len - 1], b's' | b't')) {
        return;
    }
    w.truncate(stem_len);
}

fn step5(w: &mut Vec<u8>) {
    let n = w.len();
    if w[n - 1] == b'e' {
        let m = measure(w, n - 1);
        if m > 1 || (m == 1 && !cvc(w, n - 1)) {
            w.pop();
        }
    }
    let n = w.len();
    if n > 1 && w[n - 1] == b'l' && ends_double_consonant(w) && measure(w, n) > 1 {
        w.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn porter_examples() {
        for (w, s) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("cats", "cat"),
            ("died", "di"),
            ("dies", "di"),
            ("arrested", "arrest"),
            ("arrests", "arrest"),
            ("hopping", "hop"),
            ("filing", "file"),
            ("happy", "happi"),
            ("relational", "relat"),
            ("denies", "deni"),
            ("denied", "deni"),
            ("reportedly", "reportedli"),
            ("adjustment", "adjust"),
            ("splitting", "split"),
            ("dying", "di"),
            ("die", "di"),
        ] {
            assert_eq!(stem(w), s, "{w}");
        }
        assert_eq!(stem("über"), "über");
        assert_eq!(stem("n't"), "n't");
    }
}
