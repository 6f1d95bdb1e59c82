//! Plain-text plumbing: decoding bytes, spotting binary files, lines, the paragraph model and glue points.

use credence_model::text::Slice;
use std::ops::Range;

/// Text decoded from a file's bytes, with a map back to the bytes when the two differ.
pub(crate) struct Decoded {
    pub text: String,
    /// `None` when `text` is the file byte for byte.
    pub map: Option<SourceMap>,
    /// Offset in the file of the first byte that could not be decoded.
    pub first_bad: Option<usize>,
    /// The encoding read: "UTF-8", "UTF-16LE" or "UTF-16BE".
    pub encoding: &'static str,
}

/// For every byte of a text, where the unit (character or entity) that produced it starts and ends in the
/// original file; one more entry (the file's length) for the end of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceMap {
    pub starts: Vec<u32>,
    pub ends: Vec<u32>,
}

impl SourceMap {
    pub(crate) fn with_capacity(n: usize) -> SourceMap {
        SourceMap { starts: Vec::with_capacity(n + 1), ends: Vec::with_capacity(n + 1) }
    }

    /// Records `n` output bytes copied one for one from the source bytes at `src`.
    pub(crate) fn copy(&mut self, src: usize, n: usize) {
        for k in 0..n {
            self.starts.push((src + k) as u32);
            self.ends.push((src + k + 1) as u32);
        }
    }

    /// Records `n` output bytes that all stand for the source unit `src`.
    pub(crate) fn unit(&mut self, src: Range<usize>, n: usize) {
        for _ in 0..n {
            self.starts.push(src.start as u32);
            self.ends.push(src.end as u32);
        }
    }

    /// Adds the end entry.
    pub(crate) fn finish(&mut self, source_len: usize) {
        self.starts.push(source_len as u32);
        self.ends.push(source_len as u32);
    }

    /// This map applied after `inner` (which maps `inner`'s text to the file): a map from this text to the file.
    pub(crate) fn then(&self, inner: &SourceMap) -> SourceMap {
        let last = self.starts.len() - 1;
        let mut out = SourceMap::with_capacity(last);
        for i in 0..last {
            out.starts.push(inner.starts[self.starts[i] as usize]);
            out.ends.push(inner.ends[(self.ends[i] as usize).saturating_sub(1)]);
        }
        let end = *inner.starts.last().expect("a source map has an end entry");
        out.finish(end as usize);
        out
    }
}

/// Decodes UTF-8, dropping a byte-order mark and replacing invalid sequences with U+FFFD (one per maximal
/// invalid sequence, as `String::from_utf8_lossy` does).
pub(crate) fn decode(bytes: &[u8]) -> Decoded {
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let base = if bom { 3 } else { 0 };
    let body = &bytes[base..];
    if let Ok(s) = std::str::from_utf8(body) {
        let map = bom.then(|| {
            let mut m = SourceMap::with_capacity(s.len());
            m.copy(base, s.len());
            m.finish(bytes.len());
            m
        });
        return Decoded { text: s.to_string(), map, first_bad: None, encoding: "UTF-8" };
    }
    let mut text = String::with_capacity(body.len() + 16);
    let mut map = SourceMap::with_capacity(body.len() + 16);
    let mut first_bad = None;
    let mut at = base;
    for chunk in body.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        map.copy(at, valid.len());
        at += valid.len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            first_bad.get_or_insert(at);
            text.push('\u{FFFD}');
            map.unit(at..at + invalid.len(), '\u{FFFD}'.len_utf8());
            at += invalid.len();
        }
    }
    map.finish(bytes.len());
    Decoded { text, map: Some(map), first_bad, encoding: "UTF-8" }
}

/// Decodes UTF-16 text: a file that starts with a UTF-16 byte-order mark, or (without one) whose first
/// kilobytes hold a NUL in every other byte and almost none elsewhere, as ASCII-range text saved as UTF-16
/// does. Unpaired surrogates become U+FFFD. `None` when the bytes are not UTF-16.
pub(crate) fn decode_utf16(bytes: &[u8]) -> Option<Decoded> {
    let (little, base) = match bytes {
        [0xFF, 0xFE, ..] => (true, 2),
        [0xFE, 0xFF, ..] => (false, 2),
        _ => {
            let head = &bytes[..bytes.len().min(4096) & !1];
            if head.len() < 8 {
                return None;
            }
            let zeros = |parity: usize| head.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
            let (even, odd) = (zeros(0), zeros(1));
            let half = head.len() / 2;
            if odd * 10 >= half * 9 && even * 10 <= half {
                (true, 0)
            } else if even * 10 >= half * 9 && odd * 10 <= half {
                (false, 0)
            } else {
                return None;
            }
        }
    };
    let body = &bytes[base..];
    let units = body
        .chunks_exact(2)
        .map(|c| if little { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
    let mut text = String::with_capacity(body.len());
    let mut map = SourceMap::with_capacity(body.len());
    let mut first_bad = None;
    let mut at = base;
    for r in char::decode_utf16(units) {
        let (c, width) = if let Ok(c) = r {
            (c, c.len_utf16() * 2)
        } else {
            first_bad.get_or_insert(at);
            ('\u{FFFD}', 2)
        };
        text.push(c);
        map.unit(at..at + width, c.len_utf8());
        at += width;
    }
    if body.len() % 2 == 1 {
        first_bad.get_or_insert(at);
        text.push('\u{FFFD}');
        map.unit(at..at + 1, '\u{FFFD}'.len_utf8());
    }
    map.finish(bytes.len());
    Some(Decoded { text, map: Some(map), first_bad, encoding: if little { "UTF-16LE" } else { "UTF-16BE" } })
}

/// A file is binary when its first 8 KiB hold a NUL byte, or more than 30% of its bytes are control
/// characters other than tab, line feed, form feed and carriage return.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return true;
    }
    let control =
        bytes.iter().filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F).count();
    !bytes.is_empty() && control * 10 > bytes.len() * 3
}

/// Whitespace for trimming and blank lines: Unicode white space plus zero-width spaces and the BOM.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// `r` shrunk to exclude surrounding [`is_space`] characters.
pub(crate) fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = text.part(r.clone());
    let start = r.start + (s.len() - s.trim_start_matches(is_space).len());
    let end = r.start + s.trim_end_matches(is_space).len();
    if start >= end { start..start } else { start..end }
}

/// Line ranges of `text` (without the line feed and a carriage return before it).
pub(crate) fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' { i - 1 } else { i };
            out.push(start..end);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// The last character of `s` that is not a space, closing bracket, single quote or Markdown emphasis mark.
fn final_char(s: &str) -> Option<char> {
    s.trim_end_matches(|c: char| is_space(c) || matches!(c, ')' | ']' | '\'' | '\u{2019}' | '\u{203A}' | '*' | '_'))
        .chars()
        .last()
}

fn ends_with_closing_double_quote(s: &str) -> bool {
    matches!(s.trim_end_matches(is_space).chars().last(), Some('"' | '\u{201D}' | '\u{00BB}'))
}

/// Ends like a sentence: `. ! ? …`, or a closing double quotation mark.
pub(crate) fn ends_sentence(s: &str) -> bool {
    ends_with_closing_double_quote(s) || matches!(final_char(s), Some('.' | '!' | '?' | '\u{2026}'))
}

/// Ends a line that cannot run on into the next: a sentence end or a colon.
pub(crate) fn ends_clause(s: &str) -> bool {
    ends_sentence(s) || final_char(s) == Some(':')
}

/// A paragraph the paragraph model found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Trimmed byte range in the text (for a Markdown heading, the heading text without the `#` marks).
    pub range: Range<usize>,
    /// 0-based index of its first line.
    pub line: usize,
    /// A Markdown heading.
    pub heading: bool,
}

/// What one non-blank line is, before lines are grouped.
enum LineKind {
    Plain,
    /// A Markdown ATX heading; the range of its text.
    Heading(Range<usize>),
    /// A Markdown thematic break or setext underline.
    Markup,
}

fn md_line_kind(text: &str, r: &Range<usize>) -> LineKind {
    let t = trim_range(text, r.clone());
    let s = text.part(t.clone());
    let hashes = s.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) && s.part(hashes..).chars().next().is_none_or(|c| c == ' ' || c == '\t') {
        let inner = s.part(hashes..);
        let inner = inner.trim_end_matches(is_space);
        // A closing run of `#` preceded by a space is not part of the heading.
        let without_close = inner.trim_end_matches('#');
        let inner = if without_close.len() < inner.len() && without_close.ends_with([' ', '\t']) {
            without_close
        } else {
            inner
        };
        let start = t.start + hashes;
        return LineKind::Heading(trim_range(text, start..start + inner.len()));
    }
    let marks: String = s.chars().filter(|c| !is_space(*c)).collect();
    if marks.len() >= 3
        && (marks.bytes().all(|b| b == b'-') || marks.bytes().all(|b| b == b'*') || marks.bytes().all(|b| b == b'_'))
        || (marks.len() >= 2 && marks.bytes().all(|b| b == b'=') && !s.contains(' '))
    {
        return LineKind::Markup;
    }
    LineKind::Plain
}

/// A line that starts a list item or a quotation block.
fn block_start(s: &str) -> bool {
    let s = s.trim_start_matches(is_space);
    if ["- ", "* ", "+ ", "\u{2022} ", "\u{00B7} ", "> "].iter().any(|m| s.starts_with(m)) {
        return true;
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && (s.part(digits..).starts_with(". ") || s.part(digits..).starts_with(") "))
}

fn starts_lower(s: &str) -> bool {
    s.trim_start_matches(is_space).chars().next().is_some_and(char::is_lowercase)
}

fn ends_joiner(s: &str) -> bool {
    matches!(s.trim_end_matches(is_space).chars().last(), Some(',' | '-' | '\u{2013}' | '(' | '/' | '&'))
}

/// Whether the line break between `prev` and `next` runs a sentence on (a soft wrap).
fn continues(prev: &str, next: &str) -> bool {
    starts_lower(next) || ends_joiner(prev)
}

/// The paragraph model. Paragraphs are split at blank lines. Inside a run of non-blank lines a line break is
/// a paragraph break when the previous line ends a sentence or a clause, the next line starts a list item, the
/// two lines are identical, or the previous line is short and headline-like (no final punctuation, and the
/// next line does not carry on its sentence); otherwise it is a soft wrap and the lines join. A run counts as
/// hard-wrapped when one of its breaks is plainly a wrap (a line without final punctuation followed by one
/// starting in lower case); in such a run a line that fills most of the run's width joins the next whatever
/// its first letter.
///
/// `lines` are the text's line ranges from line index `first` on. In Markdown, headings are paragraphs of
/// their own and thematic breaks are returned in `markup`.
pub(crate) fn units(
    text: &str,
    lines: &[Range<usize>],
    first: usize,
    md: bool,
) -> (Vec<Unit>, Vec<(usize, Range<usize>)>) {
    let mut units = Vec::new();
    let mut markup = Vec::new();
    let blank = |r: &Range<usize>| text.part(r.clone()).trim_matches(is_space).is_empty();
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, units: &mut Vec<Unit>| {
        if !run.is_empty() {
            split_run(text, lines, run, first, units);
            run.clear();
        }
    };
    for (i, r) in lines.iter().enumerate() {
        if blank(r) {
            flush(&mut run, &mut units);
            continue;
        }
        if md {
            match md_line_kind(text, r) {
                LineKind::Plain => {}
                LineKind::Heading(h) => {
                    flush(&mut run, &mut units);
                    if h.is_empty() {
                        markup.push((first + i, trim_range(text, r.clone())));
                    } else {
                        units.push(Unit { range: h, line: first + i, heading: true });
                    }
                    continue;
                }
                LineKind::Markup => {
                    flush(&mut run, &mut units);
                    markup.push((first + i, trim_range(text, r.clone())));
                    continue;
                }
            }
        }
        run.push(i);
    }
    flush(&mut run, &mut units);
    (units, markup)
}

fn split_run(text: &str, lines: &[Range<usize>], run: &[usize], first: usize, units: &mut Vec<Unit>) {
    let line = |k: usize| text.part(trim_range(text, lines[run[k]].clone())).to_string();
    let texts: Vec<String> = (0..run.len()).map(line).collect();
    let width = texts.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let long_min = (width * 6 / 10).max(30);
    let wrapped = texts.windows(2).any(|w| !ends_clause(&w[0]) && starts_lower(&w[1]));
    let mut start = 0;
    for k in 0..run.len() {
        let last = k + 1 == run.len();
        let brk = last || {
            let (prev, next) = (&texts[k], &texts[k + 1]);
            ends_clause(prev)
                || block_start(next)
                || prev == next
                || !(continues(prev, next) || (wrapped && prev.chars().count() >= long_min))
        };
        if brk {
            let r = trim_range(text, lines[run[start]].start..lines[run[k]].end);
            units.push(Unit { range: r, line: first + run[start], heading: false });
            start = k + 1;
        }
    }
}

/// Byte offsets in `s` where a new piece starts without a space: after a sentence end (`difference.Jihadists`)
/// or between a lower-case word and a capitalised one (`automaticallyReload`). Only candidates: the caller keeps
/// a split only when one side is boilerplate.
pub(crate) fn glue_points(s: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    for i in 1..chars.len() {
        let (pos, c) = chars[i];
        if !c.is_uppercase() && !matches!(c, '\u{201C}' | '"') {
            continue;
        }
        if matches!(c, '\u{201C}' | '"') && !chars.get(i + 1).is_some_and(|&(_, n)| n.is_uppercase()) {
            continue;
        }
        // Sentence end, possibly followed by closing quotes or brackets: "difference.Jihadists".
        let mut j = i;
        while j > 0 && matches!(chars[j - 1].1, '\u{201D}' | '\u{2019}' | ')' | ']' | '"') {
            j -= 1;
        }
        if j >= 2 && matches!(chars[j - 1].1, '.' | '!' | '?') && chars[j - 2].1.is_lowercase() {
            out.push(pos);
            continue;
        }
        // camel join: two or more lower-case letters, then a capital followed by a lower-case letter.
        if i >= 2
            && c.is_uppercase()
            && chars[i - 1].1.is_lowercase()
            && chars[i - 2].1.is_lowercase()
            && chars.get(i + 1).is_some_and(|&(_, n)| n.is_lowercase())
        {
            out.push(pos);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str, md: bool) -> Vec<String> {
        let ls = lines(text);
        units(text, &ls, 0, md).0.iter().map(|u| text[u.range.clone()].to_string()).collect()
    }

    #[test]
    fn decode_valid_is_identity() {
        let d = decode("abc é".as_bytes());
        assert_eq!(d.text, "abc é");
        assert!(d.map.is_none() && d.first_bad.is_none());
    }

    #[test]
    fn decode_drops_bom_and_maps_back() {
        let d = decode(b"\xEF\xBB\xBFab");
        assert_eq!(d.text, "ab");
        let m = d.map.unwrap();
        assert_eq!(m.starts, [3, 4, 5]);
        assert_eq!(m.ends, [4, 5, 5]);
    }

    #[test]
    fn decode_invalid_bytes_lossily_with_offsets() {
        let d = decode(b"ab\xFF\xFEcd");
        assert_eq!(d.text, "ab\u{FFFD}\u{FFFD}cd");
        assert_eq!(d.first_bad, Some(2));
        let m = d.map.unwrap();
        // "c" is text byte 8 and file byte 4.
        assert_eq!(m.starts[8], 4);
        assert_eq!(m.starts[2..5], [2, 2, 2]);
        assert_eq!(m.ends[2..5], [3, 3, 3]);
        assert_eq!(*m.starts.last().unwrap(), 6);
    }

    #[test]
    fn binary_sniffing() {
        assert!(looks_binary(b"abc\0def"));
        assert!(looks_binary(&[1u8, 2, 3, 4, b'a', b'b']));
        assert!(!looks_binary(b"plain text\r\n\twith tabs\x0c"));
        let mut late_nul = vec![b'a'; 9000];
        late_nul.push(0);
        assert!(!looks_binary(&late_nul));
    }

    #[test]
    fn lines_strip_carriage_returns() {
        let t = "a\r\nbb\n\nc";
        let ls: Vec<&str> = lines(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(ls, ["a", "bb", "", "c"]);
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("It fell."));
        assert!(ends_sentence("“It fell,” he said.”"));
        assert!(ends_sentence("he said “no”"));
        assert!(ends_sentence("Really?)"));
        assert!(!ends_sentence("The fighters’"));
        assert!(!ends_sentence("A caption [Reuters]"));
        assert!(ends_clause("He said:"));
        assert!(!ends_sentence("He said:"));
    }

    #[test]
    fn paragraph_model_table() {
        let cases: &[(&str, &[&str])] = &[
            // Blank lines split; indentation is stripped.
            ("One.\n\n   Two.\n", &["One.", "Two."]),
            // A sentence end splits a run; a short headline-like line splits too.
            ("A headline\nFirst sentence here.\nSecond one.", &["A headline", "First sentence here.", "Second one."]),
            // A lower-case continuation is a soft wrap.
            ("The army said it had\nwithdrawn from the town.", &["The army said it had\nwithdrawn from the town."]),
            // A comma at the end of a line carries on.
            ("In the north,\nThe army held on.", &["In the north,\nThe army held on."]),
            // Identical lines are two paragraphs.
            ("A caption line\nA caption line", &["A caption line", "A caption line"]),
            // Hard-wrapped prose: a long line joins even before a capital.
            (
                "Fighters said on Saturday that they had taken\nthe city after three days of heavy fighting near\nJisr al-Shughur, a monitor reported.",
                &[
                    "Fighters said on Saturday that they had taken\nthe city after three days of heavy fighting near\nJisr al-Shughur, a monitor reported.",
                ],
            ),
            // List items start paragraphs.
            ("Groups taking part\n- Group one\n- Group two", &["Groups taking part", "- Group one", "- Group two"]),
            // A closing quotation mark ends a paragraph.
            ("“We won,” he said.”\nNext paragraph.", &["“We won,” he said.”", "Next paragraph."]),
        ];
        for (text, want) in cases {
            assert_eq!(paras(text, false), *want, "{text:?}");
        }
    }

    #[test]
    fn markdown_headings_and_rules() {
        let t = "# The title #\nBody text.\n\n---\n\n## Sub\nMore.";
        let ls = lines(t);
        let (u, markup) = units(t, &ls, 0, true);
        let got: Vec<(&str, bool)> = u.iter().map(|u| (&t[u.range.clone()], u.heading)).collect();
        assert_eq!(got, [("The title", true), ("Body text.", false), ("Sub", true), ("More.", false)]);
        assert_eq!(markup.len(), 1);
        assert_eq!(&t[markup[0].1.clone()], "---");
        // In plain text a `#` line is text.
        assert_eq!(paras("# Not a heading", false), ["# Not a heading"]);
    }

    #[test]
    fn glue_points_table() {
        let s = "It counts.Rebels took the town";
        assert_eq!(glue_points(s), [10]);
        let s = "to be signed in automaticallyPlease reload";
        assert_eq!(&s[glue_points(s)[0]..], "Please reload");
        assert!(glue_points("The U.S. Army and McDonald and iPhone users").is_empty());
        let s = "He said so.”The next";
        assert_eq!(&s[glue_points(s)[0]..], "The next");
    }

    #[test]
    fn source_maps_compose() {
        // inner: text "xy" from file bytes 3.. (a BOM); outer: "y" from inner byte 1.
        let mut inner = SourceMap::with_capacity(2);
        inner.copy(3, 2);
        inner.finish(5);
        let mut outer = SourceMap::with_capacity(1);
        outer.copy(1, 1);
        outer.finish(2);
        let m = outer.then(&inner);
        assert_eq!(m.starts, [4, 5]);
        assert_eq!(m.ends, [5, 5]);
    }
}
