//! What an article states about itself: dates, datelines, credit lines and Markdown front matter.

use std::ops::Range;

use super::boilerplate::{BoilerplateLexicon, count_words, fold, strip_prefix_folded, tokenize};
use super::text::is_space;
use credence_model::story::Date;
use credence_model::text::Slice;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names: the English name or its usual abbreviation ("Sept", "Apr."), any case.
pub(crate) fn month(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS.iter().position(|m| *m == w || (w.len() == 3 && m.starts_with(&w))).map(|i| i as u8 + 1)
}

fn day(word: &str) -> Option<u8> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = word.part(digits..);
    if !(1..=2).contains(&digits) || !(suffix.is_empty() || ["st", "nd", "rd", "th"].contains(&suffix)) {
        return None;
    }
    word.part(..digits).parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(word: &str) -> Option<u16> {
    (word.len() == 4).then(|| word.parse().ok()).flatten().filter(|y| (1800..=2200).contains(y))
}

fn day_exists(year: Option<u16>, month: u8, day: u8) -> bool {
    match year {
        Some(y) => Date::parse(&format!("{y:04}-{month:02}-{day:02}")).is_some(),
        None => Date::parse(&format!("2000-{month:02}-{day:02}")).is_some(),
    }
}

/// A date written in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundDate {
    pub range: Range<usize>,
    pub year: Option<u16>,
    pub month: u8,
    pub day: u8,
}

impl FoundDate {
    pub(crate) fn date(&self) -> Option<Date> {
        Date::parse(&format!("{:04}-{:02}-{:02}", self.year?, self.month, self.day))
    }
}

/// The first date in `s`: "April 26th, 2015", "26 April 2015", "Apr. 25", "2015-04-26".
pub(crate) fn find_date(s: &str) -> Option<FoundDate> {
    let toks = tokenize(s);
    let word = |i: usize| toks.get(i).map(|t| s.part(t.start..t.end));
    // Month names are capitalised: "may 5" is a verb and a number.
    let month = |w: &str| if w.starts_with(char::is_uppercase) { month(w) } else { None };
    for i in 0..toks.len() {
        let w = word(i)?;
        // ISO: 2015-04-26, possibly followed by a time ("26T10" is one word).
        if let (Some(y), Some(m), Some(d)) = (year(w), word(i + 1), word(i + 2))
            && toks[i + 1].tight
            && toks[i + 2].tight
            && m.len() == 2
            && (d.len() == 2 || (d.len() > 2 && d.as_bytes()[2].eq_ignore_ascii_case(&b't')))
            && let (Ok(m), Ok(d)) = (m.parse::<u8>(), d.part(..2).parse::<u8>())
            && day_exists(Some(y), m, d)
        {
            return Some(FoundDate { range: toks[i].start..toks[i + 2].start + 2, year: Some(y), month: m, day: d });
        }
        let (m, d, last) = if let (Some(m), Some(d)) = (month(w), word(i + 1).and_then(day)) {
            (m, d, i + 1)
        } else if let (Some(d), Some(m)) = (day(w), word(i + 1).and_then(month)) {
            (m, d, i + 1)
        } else {
            continue;
        };
        let y = word(last + 1).and_then(year);
        let end = if y.is_some() { last + 1 } else { last };
        // "Apr." keeps its full stop in the range.
        if !day_exists(y, m, d) {
            continue;
        }
        return Some(FoundDate { range: toks[i].start..toks[end].end, year: y, month: m, day: d });
    }
    None
}

/// A dateline at the start of a paragraph: "BEIRUT, April 25 —", "BEIRUT:", "DAMASCUS, Syria (AP) —".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dateline {
    pub place: Range<usize>,
    pub date: Option<FoundDate>,
    /// Agencies named in brackets after the place ("(AFP)").
    pub agencies: Vec<Range<usize>>,
    /// The bracketed credit, when there is one.
    pub credit: Option<Range<usize>>,
}

/// Reads a dateline: a place in capitals (three letters or more, at most 30 bytes), optionally a region, a
/// date and agencies in brackets, then a dash or a colon and a space. Also the credited openings of wire and
/// broadcast copy, where the place may be in title case or missing but the brackets are required:
/// "(CNN) — ", "New York (CNN) - ", "Washington (Reuters) - ".
pub(crate) fn dateline(s: &str, lex: &BoilerplateLexicon) -> Option<Dateline> {
    capitals_dateline(s, lex).or_else(|| credited_opening(s, lex))
}

/// Whether the bracketed credit of a dateline names its source: agencies ("AFP", "Reuters/AP"), or one
/// capitalised name of at most four words with no digits ("CNN", "Fox News") — the outlet whose copy it is,
/// which resolution then looks up among known outlets.
fn credit_names(s: &str, parts: &[Range<usize>], lex: &BoilerplateLexicon) -> bool {
    if parts.is_empty() {
        return false;
    }
    if parts.iter().all(|p| lex.is_agency(s.part(p.clone()))) {
        return true;
    }
    let [one] = parts else { return false };
    let name = s.part(one.clone());
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|w| w.starts_with(char::is_uppercase))
        && !name.chars().any(|c| c.is_ascii_digit())
}

/// The shape of a credited opening, "(CNN) — …", "New York (CNN) - …": a place of up to four capitalised
/// words (or none) within the first 40 bytes, a bracketed credit, a dash or colon, a space and more text.
/// The one recogniser of this shape: ingestion reads the credit from it (see [`credited_opening`]) and
/// attribution strips it from a sentence's start.
pub(crate) struct CreditedOpening {
    /// End of the place before the brackets (0 when there is none), without a trailing comma.
    pub(crate) place_end: usize,
    /// Byte range of the brackets' content.
    pub(crate) credit: Range<usize>,
    /// Where the text after the dash begins (its leading spaces excluded).
    pub(crate) rest: usize,
}

/// Recognises a credited opening (see [`CreditedOpening`]); `None` when the text does not open so.
pub(crate) fn credited_opening_shape(s: &str) -> Option<CreditedOpening> {
    let open = s.find('(')?;
    if open > 40 {
        return None;
    }
    let head = s.part(..open).trim_end_matches(is_space);
    let words: Vec<&str> = head.split_whitespace().collect();
    if words.len() > 4 || !words.iter().all(|w| w.trim_end_matches(',').starts_with(char::is_uppercase)) {
        return None;
    }
    let close = open + s.part(open..).find(')')?;
    let rest = s.part(close + 1..).trim_start_matches(is_space);
    let sep = ["\u{2014}", "\u{2013}", "--", "-", ":"].into_iter().find(|d| rest.starts_with(d))?;
    let after = rest.part(sep.len()..);
    if !after.starts_with(is_space) || after.trim_start_matches(is_space).is_empty() {
        return None;
    }
    Some(CreditedOpening {
        place_end: head.trim_end_matches(',').len(),
        credit: open + 1..close,
        rest: s.len() - after.trim_start_matches(is_space).len(),
    })
}

/// A credited opening whose brackets name its source (see [`credit_names`]), read as a dateline.
fn credited_opening(s: &str, lex: &BoilerplateLexicon) -> Option<Dateline> {
    let shape = credited_opening_shape(s)?;
    let parts = split_parts(s, shape.credit.clone());
    if !credit_names(s, &parts, lex) {
        return None;
    }
    Some(Dateline {
        place: 0..shape.place_end,
        date: None,
        agencies: parts,
        credit: Some(shape.credit.start - 1..shape.credit.end + 1),
    })
}

fn capitals_dateline(s: &str, lex: &BoilerplateLexicon) -> Option<Dateline> {
    let mut end = 0;
    let mut letters = 0;
    for (i, c) in s.char_indices() {
        if i > 30 {
            return None;
        }
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                break;
            }
            letters += 1;
            end = i + c.len_utf8();
        } else if !matches!(c, ' ' | '.' | '\'' | '\u{2019}' | '-') {
            break;
        }
    }
    if letters < 3 {
        return None;
    }
    let place = 0..end;
    let rest = |at: usize| s.part(at..);
    let skip_spaces = |at: usize| at + (rest(at).len() - rest(at).trim_start_matches(is_space).len());
    let mut at = end;
    let mut date = None;
    // Optional ", Region" and ", Date", in either order.
    for _ in 0..2 {
        let a = skip_spaces(at);
        if !rest(a).starts_with(',') {
            break;
        }
        let b = skip_spaces(a + 1);
        let window = s.part(b..floor(s, (b + 40).min(s.len())));
        if date.is_none()
            && let Some(d) = find_date(window)
            && d.range.start == 0
        {
            at = b + d.range.end;
            date = Some(FoundDate { range: b..b + d.range.end, ..d });
            continue;
        }
        // A region: up to three capitalised words.
        let (mut e, mut last_end, mut words) = (b, None, 0);
        while words < 3 {
            let r = rest(e);
            let len = r.find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '\'' | '-'))).unwrap_or(r.len());
            let w = r.part(..len);
            if w.is_empty() || !w.starts_with(char::is_uppercase) || month(w).is_some() {
                break;
            }
            words += 1;
            last_end = Some(e + len);
            if !rest(e + len).starts_with(' ') {
                break;
            }
            e += len + 1;
        }
        at = last_end?;
    }
    // Optional "(AFP)".
    let mut agencies = Vec::new();
    let mut credit = None;
    let a = skip_spaces(at);
    if rest(a).starts_with('(')
        && let Some(close) = rest(a).find(')')
    {
        let parts = split_parts(s, a + 1..a + close);
        if !credit_names(s, &parts, lex) {
            return None;
        }
        agencies = parts;
        credit = Some(a..a + close + 1);
        at = a + close + 1;
    }
    // The separator, then a space and more text.
    let a = skip_spaces(at);
    let sep = rest(a).chars().next()?;
    if !matches!(sep, '\u{2014}' | '\u{2013}' | '-' | ':') {
        return None;
    }
    let after = a + sep.len_utf8();
    if !rest(after).starts_with(is_space) || rest(after).trim_start_matches(is_space).is_empty() {
        return None;
    }
    Some(Dateline { place, date, agencies, credit })
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Splits `s[r]` into names at commas, slashes, ampersands, semicolons, plus signs and the word "and";
/// returns the trimmed, non-empty parts (a final full stop removed).
pub(crate) fn split_parts(s: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let seg = s.part(r.clone());
    let mut start = 0;
    let mut push = |a: usize, b: usize| {
        let piece = seg.part(a..b);
        let lead = piece.len() - piece.trim_start_matches(is_space).len();
        let t = piece.trim_matches(is_space).trim_end_matches('.').trim_end_matches(is_space);
        if !t.is_empty() {
            out.push(r.start + a + lead..r.start + a + lead + t.len());
        }
    };
    let bytes = seg.as_bytes();
    let mut i = 0;
    while i < seg.len() {
        let sep_len = if matches!(bytes[i], b',' | b'/' | b'&' | b';' | b'+') {
            1
        } else if (i == 0 || bytes[i - 1] == b' ')
            && bytes.len() >= i + 4
            && bytes[i..i + 3].eq_ignore_ascii_case(b"and")
            && bytes[i + 3] == b' '
        {
            3
        } else {
            0
        };
        if sep_len > 0 {
            push(start, i);
            start = i + sep_len;
            i += sep_len;
        } else {
            i += seg.part(i..).chars().next().map_or(1, char::len_utf8);
        }
    }
    push(start, seg.len());
    out
}

/// An end-of-article credit line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CreditLine {
    /// Agency names, as byte ranges in the line.
    pub agencies: Vec<Range<usize>>,
    /// The outlet it names ("Published in Dawn", "SOURCE: Al Jazeera and agencies").
    pub outlet: Option<Range<usize>>,
    pub date: Option<Date>,
}

fn lead_len(s: &str) -> usize {
    s.len()
        - s.trim_start_matches(|c: char| is_space(c) || matches!(c, '(' | '*' | '_' | '-' | '\u{2013}' | '\u{2014}'))
            .len()
}

/// Whether `s[r]` is the tail of a sign-off: names, agencies and a few lower-case linking words.
fn names_only(s: &str, r: Range<usize>, lex: &BoilerplateLexicon) -> bool {
    let seg = s.part(r);
    let agencies = lex.find_agencies(seg);
    tokenize(seg).iter().all(|t| {
        !t.lower_initial
            || lex.credits.name_words.contains(&*t.norm)
            || agencies.iter().any(|a| a.start <= t.start && t.end <= a.end)
    })
}

fn trim_tail(s: &str, from: usize) -> Range<usize> {
    let t = s.part(from..).trim_end_matches(|c: char| is_space(c) || matches!(c, ')' | '*' | '_' | '.'));
    let lead = t.len() - t.trim_start_matches(|c: char| is_space(c) || c == ':').len();
    (from + lead).min(from + t.len())..from + t.len()
}

/// Reads an end-of-article credit line: a sign-off ("Additional reporting by AP"), a source line naming an
/// agency ("SOURCE: Al Jazeera and agencies"), a publication line with an outlet and a date ("Published in
/// Dawn, April 26th, 2015"), or a dash and agency names alone ("— AFP").
#[cfg(test)]
pub(crate) fn credit_line(s: &str, lex: &BoilerplateLexicon) -> Option<CreditLine> {
    credit_line_counted(s, count_words(s, usize::MAX), lex)
}

/// [`credit_line`] for a line of `words` words (as [`count_words`] counts them).
pub(crate) fn credit_line_counted(s: &str, words: usize, lex: &BoilerplateLexicon) -> Option<CreditLine> {
    // White space separates words without being one, so trimming leaves the count as it is.
    let s = s.trim_end_matches(is_space);
    if words == 0 || words > lex.credits.max_words {
        return None;
    }
    // "— AFP" alone.
    let first = s.trim_start_matches(is_space).chars().next()?;
    if matches!(first, '\u{2014}' | '\u{2013}' | '-') {
        let parts = split_parts(s, lead_len(s)..s.len());
        if !parts.is_empty() && parts.iter().all(|p| lex.is_agency(s.part(p.clone()))) {
            return Some(CreditLine { agencies: parts, outlet: None, date: None });
        }
        return None;
    }
    let head = lead_len(s);
    let body = s.part(head..);
    for p in &lex.credits.signoff {
        if let Some(end) = strip_prefix_folded(body, p) {
            let tail = trim_tail(s, head + end);
            if !names_only(s, tail.clone(), lex) {
                return None;
            }
            let agencies =
                lex.find_agencies(s.part(tail.clone())).into_iter().map(|a| tail.start + a.start..tail.start + a.end);
            return Some(CreditLine { agencies: agencies.collect(), outlet: None, date: None });
        }
    }
    let folded = fold(body);
    if lex.credits.signoff_contains.iter().any(|p| folded.contains(p.as_str())) {
        if !names_only(s, head..s.len(), lex) {
            return None;
        }
        return Some(CreditLine { agencies: lex.find_agencies(s), outlet: None, date: None });
    }
    for p in &lex.credits.source {
        if let Some(end) = strip_prefix_folded(body, p) {
            let tail = trim_tail(s, head + end);
            let parts = split_parts(s, tail);
            let (agencies, others): (Vec<_>, Vec<_>) =
                parts.into_iter().partition(|p| lex.is_agency(s.part(p.clone())));
            if agencies.is_empty() {
                return None;
            }
            let outlet = others.into_iter().next().filter(|o| s.part(o.clone()).starts_with(char::is_uppercase));
            return Some(CreditLine { agencies, outlet, date: None });
        }
    }
    for p in &lex.credits.published {
        if let Some(end) = strip_prefix_folded(body, p) {
            let from = head + end;
            let found = find_date(s.part(from..))?;
            let date = found.date()?;
            let mut outlet = s.part(from..from + found.range.start).trim_matches(is_space);
            for cut in [",", ";", ":", "-", "\u{2013}", "\u{2014}", " on", " of", " dated"] {
                outlet = outlet.strip_suffix(cut).unwrap_or(outlet).trim_end_matches(is_space);
            }
            let lead = s.part(from..).len() - s.part(from..).trim_start_matches(is_space).len();
            let start = from + lead;
            if outlet.is_empty() || count_words(outlet, 9) > 8 || !outlet.starts_with(char::is_uppercase) {
                return None;
            }
            return Some(CreditLine {
                agencies: Vec::new(),
                outlet: Some(start..start + outlet.len()),
                date: Some(date),
            });
        }
    }
    None
}

/// A trailing agency credit at the end of a paragraph ("… Abu Duhur. — AFP"): the end of the prose before
/// it, where the credit starts (at the dash) and the agency names.
pub(crate) fn trailing_credit(s: &str, lex: &BoilerplateLexicon) -> Option<(usize, usize, Vec<Range<usize>>)> {
    let end = s.trim_end_matches(is_space).len();
    let window = end.saturating_sub(80);
    for (d, c) in s.part(..end).char_indices().rev() {
        if d < window {
            break;
        }
        if !matches!(c, '\u{2014}' | '\u{2013}' | '-') {
            continue;
        }
        let before = s.part(..d).chars().last();
        let spaced = before.is_some_and(is_space);
        if !(spaced || (c != '-' && before.is_some_and(|b| matches!(b, '.' | '"' | '\u{201D}' | ')')))) {
            continue;
        }
        let parts = split_parts(s, d + c.len_utf8()..end);
        if parts.is_empty() || !parts.iter().all(|p| lex.is_agency(s.part(p.clone()))) {
            continue;
        }
        let prose_end = s.part(..d).trim_end_matches(is_space).len();
        if count_words(s.part(..prose_end), 3) < 3 {
            return None;
        }
        return Some((prose_end, d, parts));
    }
    None
}

/// Markdown front matter: what the user states about the article.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub standfirst: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<Date>,
    pub url: Option<String>,
    pub credits: Option<Vec<String>>,
    pub dateline: Option<String>,
}

const FRONT_MATTER_KEYS: &str = "title, standfirst, outlet, published, url, credits, dateline";

/// Parses TOML front matter (the text between the `+++` lines). Problems become warnings naming `file` and
/// `line` (the line of the opening `+++`); the article is read either way.
pub(crate) fn front_matter(src: &str, file: &str, line: usize, warnings: &mut Vec<String>) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let table: toml::Table = match src.parse() {
        Ok(t) => t,
        Err(e) => {
            let at = e.span().map_or(0, |s| credence_model::locate::line_col(src, s.start).0);
            warnings.push(format!(
                "{file}:{}: front matter is not valid TOML ({}); ignored",
                line + at,
                e.message().trim_end()
            ));
            return fm;
        }
    };
    for (key, value) in &table {
        let mut bad = |what: &str| {
            warnings.push(format!("{file}:{line}: front matter `{key}` should be {what}; ignored"));
        };
        match key.as_str() {
            "title" | "standfirst" | "outlet" | "url" | "dateline" => {
                let v = value.as_str().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
                if v.is_none() {
                    bad("a non-empty string");
                }
                match key.as_str() {
                    "title" => fm.title = v,
                    "standfirst" => fm.standfirst = v,
                    "outlet" => fm.outlet = v,
                    "url" => fm.url = v,
                    _ => fm.dateline = v,
                }
            }
            "published" => {
                let raw = match value {
                    toml::Value::Datetime(d) => Some(d.to_string()),
                    toml::Value::String(s) => Some(s.clone()),
                    _ => None,
                };
                fm.published = raw.and_then(|r| Date::parse(r.get(..10).unwrap_or(&r)));
                if fm.published.is_none() {
                    bad("a date (YYYY-MM-DD)");
                }
            }
            "credits" => {
                let list: Option<Vec<String>> =
                    value.as_array().and_then(|a| a.iter().map(|v| v.as_str().map(|s| s.trim().to_string())).collect());
                if list.is_none() {
                    bad("a list of strings");
                }
                fm.credits = list;
            }
            _ => warnings
                .push(format!("{file}:{line}: front matter key `{key}` is not used (known keys: {FRONT_MATTER_KEYS})")),
        }
    }
    fm
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> BoilerplateLexicon {
        BoilerplateLexicon::builtin()
    }

    fn date(y: u16, m: u8, d: u8) -> Option<Date> {
        Some(Date { year: y, month: m, day: d })
    }

    #[test]
    fn dates_table() {
        type Ymd = Option<(Option<u16>, u8, u8)>;
        let cases: &[(&str, Ymd)] = &[
            ("April 26th, 2015", Some((Some(2015), 4, 26))),
            ("on 3 March 2014 at noon", Some((Some(2014), 3, 3))),
            ("Updated 13 May, 2024", Some((Some(2024), 5, 13))),
            ("Sept. 2", Some((None, 9, 2))),
            ("2015-04-26T10:00:00Z", Some((Some(2015), 4, 26))),
            ("February 30, 2015", None),
            ("they may 5 times", None),
            ("no date here", None),
        ];
        for (s, want) in cases {
            let got = find_date(s).map(|d| (d.year, d.month, d.day));
            assert_eq!(got, *want, "{s:?}");
        }
        assert_eq!(find_date("x April 26th, 2015 y").unwrap().range, 2..18);
    }

    #[test]
    fn datelines_table() {
        let lex = lex();
        type Want<'a> = Option<(&'a str, Option<(u8, u8)>, &'a [&'a str])>;
        let cases: &[(&str, Want)] = &[
            ("BEIRUT, April 25 \u{2014} Rebels took the town.", Some(("BEIRUT", Some((4, 25)), &[]))),
            ("BEIRUT: Rebels took the town.", Some(("BEIRUT", None, &[]))),
            ("DAMASCUS, Syria (AP) \u{2014} The army said.", Some(("DAMASCUS", None, &["AP"]))),
            ("NEW YORK (Reuters) - Shares fell.", Some(("NEW YORK", None, &["Reuters"]))),
            ("(CNN) - A singer was seen at the clinic.", Some(("", None, &["CNN"]))),
            ("New York (CNN) \u{2014} The mayor spoke.", Some(("New York", None, &["CNN"]))),
            ("WASHINGTON (Fox News) - The vote passed.", Some(("WASHINGTON", None, &["Fox News"]))),
            ("Ottawa, Ontario (Reuters) - Police said.", Some(("Ottawa, Ontario", None, &["Reuters"]))),
            ("(in a statement) - nothing", None),
            ("The town (pop. 300) - small", None),
            ("Officials said (Reuters) - no", None),
            ("ALEPPO, Syria, March 3 (AFP) \u{2013} Shelling went on.", Some(("ALEPPO", Some((3, 3)), &["AFP"]))),
            ("SOHR said the town fell.", None),
            ("UN: talks resume", None),
            ("Reports: Syria loses a city", None),
            ("BEIRUT is a city.", None),
        ];
        for (s, want) in cases {
            let got = dateline(s, &lex).map(|d| {
                (
                    &s[d.place.clone()],
                    d.date.map(|x| (x.month, x.day)),
                    d.agencies.iter().map(|r| &s[r.clone()]).collect::<Vec<_>>(),
                )
            });
            let want = want.map(|(p, d, a)| (p, d, a.to_vec()));
            assert_eq!(got, want, "{s:?}");
        }
    }

    #[test]
    fn credit_lines_table() {
        let lex = lex();
        type Want<'a> = Option<(&'a [&'a str], Option<&'a str>, Option<Date>)>;
        let cases: &[(&str, Want)] = &[
            ("Additional reporting by AP", Some((&["AP"], None, None))),
            ("Additional reporting by agencies", Some((&["agencies"], None, None))),
            ("(Reporting by Jane Roe in Beirut; Editing by John Doe)", Some((&[], None, None))),
            (
                "Associated Press writer Jane Roe in Beirut contributed to this report.",
                Some((&["Associated Press"], None, None)),
            ),
            ("SOURCE: Al Jazeera and agencies", Some((&["agencies"], Some("Al Jazeera"), None))),
            ("Source: Example News and news agencies", Some((&["news agencies"], Some("Example News"), None))),
            ("Published in Dawn, April 26th, 2015", Some((&[], Some("Dawn"), date(2015, 4, 26)))),
            (
                "This article appeared in The Daily Example on 3 May 2019",
                Some((&[], Some("The Daily Example"), date(2019, 5, 3))),
            ),
            ("\u{2014} AFP", Some((&["AFP"], None, None))),
            ("Source: World Bank", None),
            ("Reporting by the BBC suggested the army had left.", None),
            ("With agencies reporting that the army withdrew.", None),
            ("Published in 2015, the report found nothing.", None),
            ("Published in Dawn", None),
        ];
        for (s, want) in cases {
            let got = credit_line(s, &lex).map(|c| {
                (c.agencies.iter().map(|r| &s[r.clone()]).collect::<Vec<_>>(), c.outlet.map(|r| &s[r]), c.date)
            });
            let want = want.map(|(a, o, d)| (a.to_vec(), o, d));
            assert_eq!(got, want, "{s:?}");
        }
    }

    #[test]
    fn trailing_credits_table() {
        let lex = lex();
        let s = "The regime still holds two bases. \u{2014} AFP";
        let (end, dash, parts) = trailing_credit(s, &lex).unwrap();
        assert_eq!(&s[..end], "The regime still holds two bases.");
        assert_eq!(&s[dash..], "\u{2014} AFP");
        assert_eq!(parts.iter().map(|r| &s[r.clone()]).collect::<Vec<_>>(), ["AFP"]);
        let s = "Fighting went on overnight - Reuters/AP.";
        let (_, _, parts) = trailing_credit(s, &lex).unwrap();
        assert_eq!(parts.iter().map(|r| &s[r.clone()]).collect::<Vec<_>>(), ["Reuters", "AP"]);
        assert!(trailing_credit("Talks with al-Assad went on", &lex).is_none());
        assert!(trailing_credit("He met officials - from the AFP office", &lex).is_none());
        assert!(trailing_credit("\u{2014} AFP", &lex).is_none());
    }

    #[test]
    fn parts_split_on_and_and_punctuation() {
        let s = "Al Jazeera and agencies, AFP/Reuters & AP.";
        let parts: Vec<&str> = split_parts(s, 0..s.len()).into_iter().map(|r| &s[r]).collect();
        assert_eq!(parts, ["Al Jazeera", "agencies", "AFP", "Reuters", "AP"]);
        let s = "Sandy Anderson";
        assert_eq!(split_parts(s, 0..s.len()).len(), 1, "\"and\" inside a word does not split");
        let s = "a \u{e9}\u{e9} b";
        assert_eq!(split_parts(s, 0..s.len()).len(), 1, "no panic inside a multi-byte character");
    }

    #[test]
    fn front_matter_reads_known_keys_and_warns_about_the_rest() {
        let mut w = Vec::new();
        let fm = front_matter(
            "title = \"T\"\noutlet = \"Paper\"\npublished = 2015-04-26\ncredits = [\"AFP\"]\nurl = \"https://x\"\ncolour = 1\n",
            "a.md",
            1,
            &mut w,
        );
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(fm.outlet.as_deref(), Some("Paper"));
        assert_eq!(fm.published, date(2015, 4, 26));
        assert_eq!(fm.credits, Some(vec!["AFP".to_string()]));
        assert_eq!(fm.url.as_deref(), Some("https://x"));
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("`colour`") && w[0].starts_with("a.md:1:"), "{w:?}");
        let mut w = Vec::new();
        let fm = front_matter("published = \"yesterday\"\ntitle = [\n", "a.md", 1, &mut w);
        assert_eq!(fm, FrontMatter::default());
        assert!(w[0].contains("not valid TOML"), "{w:?}");
        let mut w = Vec::new();
        let fm = front_matter("published = \"yesterday\"\n", "a.md", 1, &mut w);
        assert!(fm.published.is_none() && w[0].contains("YYYY-MM-DD"), "{w:?}");
    }
}
