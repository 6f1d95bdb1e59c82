//! Escaping and highlighting shared by the HTML and SVG exporters.
//!
//! Everything these reports show that came from a story or an article (titles, quotes, names, ids, URLs) is
//! untrusted: an article may contain `<script>`, an attribute-breaking quote, a `javascript:` link or terminal
//! and bidi control characters. One escaping function for text and attributes, used for every such string,
//! keeps the reports inert whatever the input; the functions here are small so they can be checked exhaustively
//! by the unit tests below.

use std::fmt::Write;
use std::ops::Range;

use super::inert::{visible, web_url};
use credence_model::text::Slice;

/// Escapes text for HTML or XML, in element content and in double- or single-quoted attribute values.
///
/// Control, bidi and non-characters are first made visible (`<U+001B>`, see [`super::inert`]) and then escaped
/// like the rest, so they show as text and the standalone SVG stays well-formed XML.
#[must_use]
pub fn esc(s: &str) -> String {
    let s = visible(s);
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes every byte outside the URI "unreserved" set, so any id can stand in a URN, an HTML id or a
/// URL fragment. The mapping is injective: two different ids never give the same string.
#[must_use]
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The HTML id (and URL fragment) of a claim's section in the HTML report.
#[must_use]
pub fn claim_anchor(id: &str) -> String {
    format!("claim-{}", pct(id))
}

/// A URL that may become a link: the same absolute `http(s)` URLs that may stand in a JSON-LD `url` field
/// ([`web_url`]). Anything else (`javascript:`, `data:`, relative paths, URLs with white space, quotes or
/// control characters) is shown as text only.
#[must_use]
pub fn safe_link(url: &str) -> Option<&str> {
    web_url(url)
}

/// Shortens `s` to at most `max` characters, ending in an ellipsis when cut. Hidden characters are made
/// visible first, so the cut counts what will be shown.
#[must_use]
pub fn truncate(s: &str, max: usize) -> String {
    let s = visible(s);
    if s.chars().count() <= max {
        return s.into_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Word-wraps `s` at `width` characters into at most `max_lines` lines, the last one cut with an ellipsis if
/// text remains. Words longer than a line are cut too, so a hostile 10,000-character "word" cannot widen a node.
/// Hidden characters are made visible first.
#[must_use]
pub fn wrap(s: &str, width: usize, max_lines: usize) -> Vec<String> {
    let s = visible(s);
    let width = width.max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cut = false;
    for w in s.split_whitespace() {
        let w = truncate(w, width);
        if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
            if lines.len() == max_lines {
                cut = true;
                break;
            }
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(&w);
    }
    if !cur.is_empty() && lines.len() < max_lines {
        lines.push(cur);
    }
    if cut && let Some(last) = lines.last_mut() {
        *last = truncate(&format!("{last} …"), width);
        if !last.ends_with('…') {
            last.push('…');
        }
    }
    lines
}

/// What a highlighted phrase of a quote is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// A caveat phrase ("could not be independently verified").
    Caveat,
    /// The reporting cue ("told", "according to").
    Cue,
    /// The speaker or the origin named in the quote.
    Speaker,
}

impl Mark {
    /// The CSS class of the `<mark>`.
    #[must_use]
    pub fn class(self) -> &'static str {
        match self {
            Mark::Caveat => "caveat",
            Mark::Cue => "cue",
            Mark::Speaker => "speaker",
        }
    }
}

/// Byte ranges of `needle` in `hay`, compared ASCII-case-insensitively and on word boundaries.
fn find_words(hay: &str, needle: &str) -> Vec<Range<usize>> {
    let needle = needle.trim();
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    let low = hay.to_ascii_lowercase();
    let n = needle.to_ascii_lowercase();
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = low.get(from..).and_then(|rest| rest.find(&n)) {
        let at = from + p;
        let end = at + n.len();
        if !word(hay.part(..at).chars().next_back()) && !word(hay.part(end..).chars().next()) {
            out.push(at..end);
        }
        from = end;
    }
    out
}

/// The phrases of a quote to highlight: the caveat phrases given (found in the quote by the reader's caveat
/// lexicon, upstream), every occurrence of the cue, and the first occurrence of the first of `names` (speaker,
/// then the origin's names) found. Overlapping phrases keep the one that starts first (caveats win ties), so
/// the marks never nest.
#[must_use]
pub fn highlights(
    quote: &str,
    cue: &str,
    names: &[&str],
    caveats: &[(Range<usize>, String)],
) -> Vec<(Range<usize>, Mark, String)> {
    let mut found: Vec<(Range<usize>, Mark, String)> = Vec::new();
    for (span, kind) in caveats {
        if span.end <= quote.len()
            && quote.is_char_boundary(span.start)
            && quote.is_char_boundary(span.end)
            && !span.is_empty()
        {
            found.push((span.clone(), Mark::Caveat, kind.clone()));
        }
    }
    for r in find_words(quote, cue) {
        found.push((r, Mark::Cue, String::new()));
    }
    if let Some(r) = names.iter().find_map(|n| find_words(quote, n).into_iter().next()) {
        found.push((r, Mark::Speaker, String::new()));
    }
    found.sort_by(|a, b| a.0.start.cmp(&b.0.start).then(a.1.cmp(&b.1)).then(b.0.end.cmp(&a.0.end)));
    let mut out: Vec<(Range<usize>, Mark, String)> = Vec::new();
    for f in found {
        if out.last().is_none_or(|l| l.0.end <= f.0.start) {
            out.push(f);
        }
    }
    out
}

/// The quote as escaped HTML with the highlighted phrases wrapped in `<mark class=…>`.
#[must_use]
pub fn highlight_html(quote: &str, marks: &[(Range<usize>, Mark, String)]) -> String {
    let mut out = String::with_capacity(quote.len() * 2);
    let mut at = 0;
    for (r, m, kind) in marks {
        out.push_str(&esc(quote.part(at..r.start)));
        if kind.is_empty() {
            let _ = write!(out, "<mark class=\"{}\">", m.class());
        } else {
            let _ = write!(out, "<mark class=\"{}\" title=\"caveat: {}\">", m.class(), esc(kind));
        }
        out.push_str(&esc(quote.part(r.clone())));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&esc(quote.part(at..)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        let hostile = "<script>alert(1)</script><img src=x onerror=\"a()\"></style>'x'&amp;";
        let e = esc(hostile);
        assert!(!e.contains('<') && !e.contains('>') && !e.contains('"') && !e.contains('\''));
        assert_eq!(esc("a & b"), "a &amp; b");
        assert_eq!(esc("</style>"), "&lt;/style&gt;");
        // Controls, bidi overrides and non-characters are shown, not dropped and not passed through.
        assert_eq!(esc("x\u{0}y\u{1b}z\u{fffe}"), "x&lt;U+0000&gt;y&lt;U+001B&gt;z&lt;U+FFFE&gt;");
        assert_eq!(esc("a\u{202e}b\u{9b}"), "a&lt;U+202E&gt;b&lt;U+009B&gt;");
        assert_eq!(esc("tab\there"), "tab\there");
    }

    #[test]
    fn percent_encoding_is_injective_and_safe() {
        assert_eq!(pct("jisr-captured"), "jisr-captured");
        assert_eq!(pct("a b"), "a%20b");
        assert_eq!(pct("a%20b"), "a%2520b");
        assert_eq!(pct("<x>\"'"), "%3Cx%3E%22%27");
        assert_eq!(pct("é"), "%C3%A9");
    }

    #[test]
    fn only_web_urls_become_links() {
        assert_eq!(safe_link("https://example.org/a?b=c"), Some("https://example.org/a?b=c"));
        assert_eq!(safe_link(" HTTP://example.org "), Some("HTTP://example.org"));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>",
            "//example.org",
            "https://x\" onmouseover=\"a()",
            "https://",
            "vbscript:x",
            "https://user@example.org/",
            "https://example.org/\u{1b}]8;;https://evil.example\u{7}",
            "https://example.org/\u{202e}",
            "",
        ] {
            assert_eq!(safe_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn wrapping_bounds_lines_and_words() {
        assert_eq!(wrap("one two three four", 9, 3), vec!["one two", "three", "four"]);
        assert_eq!(wrap("one two three four five six", 9, 2), vec!["one two", "three …"]);
        let long = "x".repeat(1000);
        let w = wrap(&long, 10, 2);
        assert_eq!(w.len(), 1);
        assert!(w[0].chars().count() <= 10);
        assert!(wrap("", 10, 2).is_empty());
        assert_eq!(truncate("héllo wörld", 6), "héllo…");
        // Controls are counted as shown.
        assert_eq!(truncate("\u{1b}[2J", 20), "<U+001B>[2J");
        assert_eq!(truncate("\u{1b}\u{1b}\u{1b}", 10), "<U+001B><…");
        assert_eq!(wrap("a\u{202e}b c", 20, 2), vec!["a<U+202E>b c"]);
    }

    #[test]
    fn cue_speaker_and_caveats_are_marked_without_nesting() {
        let q = "Rami Abdel Rahman told AFP the figure could not be independently verified, he TOLD reporters.";
        let at = q.find("could not be").unwrap();
        let caveats = vec![(at..at + "could not be independently verified".len(), "unverified".to_string())];
        let marks = highlights(q, "told", &["Rami Abdel Rahman"], &caveats);
        let kinds: Vec<Mark> = marks.iter().map(|m| m.1).collect();
        assert_eq!(kinds[0], Mark::Speaker);
        assert!(kinds.contains(&Mark::Cue) && kinds.contains(&Mark::Caveat), "{marks:?}");
        assert_eq!(kinds.iter().filter(|k| **k == Mark::Cue).count(), 2);
        let html = highlight_html(q, &marks);
        assert!(html.starts_with("<mark class=\"speaker\">Rami Abdel Rahman</mark> <mark class=\"cue\">told</mark>"));
        assert!(html.contains("<mark class=\"cue\">TOLD</mark>"));
        for w in marks.windows(2) {
            assert!(w[0].0.end <= w[1].0.start);
        }
        // A cue inside a word is not a cue; hostile text stays escaped around marks.
        let q = "<b>untold</b> said";
        let html = highlight_html(q, &highlights(q, "told", &[], &[]));
        assert_eq!(html, "&lt;b&gt;untold&lt;/b&gt; said");
        let html = highlight_html(q, &highlights(q, "said", &["<b>"], &[]));
        // Caveat ranges that do not fit the quote are ignored, not trusted.
        assert!(highlights("short", "", &[], &[(2..99, "hedge".to_string())]).is_empty());
        assert_eq!(html, "&lt;b&gt;untold&lt;/b&gt; <mark class=\"cue\">said</mark>");
    }
}
