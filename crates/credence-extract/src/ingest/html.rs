//! A small, forgiving HTML renderer: the page's visible main text, one block per paragraph, with a map from
//! every output byte back to the file.
//!
//! It is a tag and entity walker, not a full HTML5 parser: it keeps a stack of open elements (an end tag closes
//! everything opened after its start tag; an end tag with no open start tag is ignored), treats the contents of
//! `script`, `style`, `title`, `textarea` and the like as raw text (so a `"</p>"` inside a script is not a tag),
//! skips comments, CDATA sections, doctypes and processing instructions, reads quoted attribute values whole
//! (a `>` inside quotes does not end a tag), and decodes character references. Elements that are never article
//! text (scripts, navigation, page headers and footers, asides, forms, buttons, embedded frames and media) are
//! removed with everything inside them; the visible ones are reported so a user can see what went. A `<header>`
//! inside an `<article>` holds the headline and is kept.

use std::collections::HashMap;
use std::ops::Range;

use super::text::SourceMap;
use credence_model::text::Slice;

/// Elements removed with their content.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "nav", "header", "footer", "aside", "form", "iframe",
    "button", "select", "textarea", "object", "canvas", "audio", "video", "dialog", "noembed", "noframes",
];

/// Removed elements whose text is listed in the dropped pieces: what a reader would have seen, and what a page
/// holds for readers without scripts (`noscript`) or for scripts to show (`template`), which may be article text.
const VISIBLE_SKIP: &[&str] =
    &["nav", "header", "footer", "aside", "form", "button", "select", "dialog", "noscript", "template"];

/// Elements whose content is raw text, up to the matching end tag.
const RAW_TEXT: &[&str] =
    &["script", "style", "noscript", "iframe", "noembed", "noframes", "xmp", "textarea", "title", "plaintext"];

/// The text of a fragment of markup, tags removed, references decoded and white space collapsed.
fn strip_tags(markup: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track",
    "wbr",
];

/// Elements that start and end a paragraph.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "br",
];

/// An element removed before rendering, with the text it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Removed {
    pub element: String,
    /// Byte offset of its start tag in the source.
    pub source: usize,
    /// Where it stood in the rendered text.
    pub at: usize,
    pub text: String,
}

/// A rendered page.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    pub text: String,
    pub map: SourceMap,
    /// The text of the first non-empty `<h1>` outside removed elements.
    pub h1: Option<String>,
    /// `<title>`.
    pub title: Option<String>,
    pub og_title: Option<String>,
    pub site_name: Option<String>,
    /// `article:published_time` or a similar meta tag, as written.
    pub published: Option<String>,
    /// `og:url`, else `<link rel="canonical">`.
    pub url: Option<String>,
    pub removed: Vec<Removed>,
}

struct Open {
    name: String,
    skip: bool,
    source: usize,
}

struct Renderer<'a> {
    src: &'a str,
    out: String,
    map: SourceMap,
    pending_space: Option<Range<usize>>,
    pending_break: Option<(usize, Range<usize>)>,
    stack: Vec<Open>,
    counts: HashMap<String, usize>,
    skip: usize,
    in_article: usize,
    pre: usize,
    /// Text of the outermost visible removed element: its stack depth and the text so far.
    capture: Option<(usize, String)>,
    h1: Option<(usize, String)>,
    h1_done: Option<String>,
    title: Option<String>,
    og_title: Option<String>,
    site_name: Option<String>,
    published: Option<(u8, String)>,
    og_url: Option<String>,
    canonical: Option<String>,
    removed: Vec<Removed>,
}

/// Renders `src`.
pub(crate) fn render(src: &str) -> Rendered {
    let mut r = Renderer {
        src,
        out: String::with_capacity(src.len() / 3),
        map: SourceMap::with_capacity(src.len() / 3),
        pending_space: None,
        pending_break: None,
        stack: Vec::new(),
        counts: HashMap::new(),
        skip: 0,
        in_article: 0,
        pre: 0,
        capture: None,
        h1: None,
        h1_done: None,
        title: None,
        og_title: None,
        site_name: None,
        published: None,
        og_url: None,
        canonical: None,
        removed: Vec::new(),
    };
    r.run();
    let Renderer { out, mut map, h1_done, title, og_title, site_name, published, og_url, canonical, removed, .. } = r;
    map.finish(src.len());
    Rendered {
        text: out,
        map,
        h1: h1_done,
        title,
        og_title,
        site_name,
        published: published.map(|(_, p)| p),
        url: og_url.or(canonical),
        removed,
    }
}

fn is_html_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0C)
}

fn push_collapsed(buf: &mut String, c: char) {
    if c.is_whitespace() {
        if !buf.is_empty() && !buf.ends_with(' ') {
            buf.push(' ');
        }
    } else {
        buf.push(c);
    }
}

impl Renderer<'_> {
    fn run(&mut self) {
        let src = self.src;
        let len = src.len();
        let mut i = 0;
        while i < len {
            let b = src.as_bytes()[i];
            if b == b'<'
                && let Some(next) = self.markup(i)
            {
                i = next;
                continue;
            }
            if b == b'&'
                && let Some((decoded, end)) = entity(src, i)
            {
                // A few references stand for two characters (`&NotEqualTilde;`): each maps to the reference.
                for c in decoded.chars() {
                    self.text_char(c, i..end, false);
                }
                i = end;
                continue;
            }
            let c = src.part(i..).chars().next().expect("i is a char boundary");
            self.text_char(c, i..i + c.len_utf8(), true);
            i += c.len_utf8();
        }
        while let Some(open) = self.stack.pop() {
            self.close(open, len);
        }
    }

    fn text_char(&mut self, c: char, src: Range<usize>, literal: bool) {
        if let Some((_, buf)) = &mut self.h1 {
            push_collapsed(buf, c);
        }
        if self.skip > 0 {
            if let Some((_, buf)) = &mut self.capture {
                push_collapsed(buf, c);
            }
            return;
        }
        if c.is_ascii() && is_html_space(c as u8) {
            if self.pre > 0 && c == '\n' {
                self.want_break(1, src);
            } else if self.pending_space.is_none() {
                self.pending_space = Some(src);
            }
            return;
        }
        self.flush();
        self.out.push(c);
        if literal {
            self.map.copy(src.start, c.len_utf8());
        } else {
            self.map.unit(src, c.len_utf8());
        }
    }

    fn flush(&mut self) {
        if let Some((n, r)) = self.pending_break.take() {
            if !self.out.is_empty() {
                for _ in 0..n {
                    self.out.push('\n');
                    self.map.unit(r.clone(), 1);
                }
            }
            self.pending_space = None;
        } else if let Some(r) = self.pending_space.take()
            && !self.out.is_empty()
            && !self.out.ends_with('\n')
        {
            self.out.push(' ');
            self.map.unit(r, 1);
        }
    }

    fn want_break(&mut self, n: usize, r: Range<usize>) {
        if self.skip > 0 {
            if let Some((_, buf)) = &mut self.capture {
                push_collapsed(buf, ' ');
            }
            return;
        }
        if let Some((m, _)) = &self.pending_break
            && *m >= n
        {
            return;
        }
        self.pending_break = Some((n, r));
    }

    /// Handles the markup starting at `<` at `i`; returns where text resumes, or `None` when the `<` is text.
    fn markup(&mut self, i: usize) -> Option<usize> {
        let src = self.src;
        let len = src.len();
        let rest = src.part(i..);
        let find_from =
            |from: usize, pat: &str, extra: usize| src.part(from..).find(pat).map_or(len, |p| from + p + extra);
        if let Some(body) = rest.strip_prefix("<!--") {
            let at = i + 4;
            if body.starts_with('>') {
                return Some(at + 1);
            }
            if body.starts_with("->") {
                return Some(at + 2);
            }
            return Some(find_from(at, "-->", 3));
        }
        if rest.starts_with("<![CDATA[") {
            return Some(find_from(i + 9, "]]>", 3));
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            return Some(find_from(i, ">", 1));
        }
        if let Some(after) = rest.strip_prefix("</") {
            let at = i + 2;
            let n = name_len(after);
            if n == 0 {
                return Some(find_from(at, ">", 1));
            }
            let name = after.part(..n).to_ascii_lowercase();
            let end = find_from(at + n, ">", 1);
            self.end_tag(&name, i..end);
            return Some(end);
        }
        let n = name_len(rest.part(1..));
        if n == 0 {
            return None;
        }
        let name = rest.part(1..=n).to_ascii_lowercase();
        let Some((attrs, self_closing, end)) = attributes(src, i + 1 + n) else {
            // The file ends inside the tag: like a browser, drop it.
            return Some(len);
        };
        self.start_tag(&name, &attrs, self_closing, i..end);
        if RAW_TEXT.contains(&name.as_str()) && !self_closing {
            let close = find_end_tag(src, end, &name);
            if name == "title"
                && self.title.is_none()
                && !self.stack.iter().any(|o| matches!(o.name.as_str(), "svg" | "math" | "template"))
            {
                let t = decode_entities(src.part(end..close)).split_whitespace().collect::<Vec<_>>().join(" ");
                self.title = Some(t).filter(|t| !t.is_empty());
            }
            if name == "noscript" && self.skip == 1 {
                // Its content is markup a browser without scripts would show: list its text as dropped.
                let text = strip_tags(src.part(end..close));
                if !text.is_empty() {
                    self.removed.push(Removed { element: name.clone(), source: i, at: self.out.len(), text });
                }
            }
            let stop = if close < len { find_from(close, ">", 1) } else { len };
            self.end_tag(&name, close..stop);
            return Some(stop);
        }
        Some(end)
    }

    fn start_tag(&mut self, name: &str, attrs: &[(String, String)], self_closing: bool, r: Range<usize>) {
        match name {
            "meta" => self.meta(attrs),
            "link" => self.link(attrs),
            _ => {}
        }
        let block = BLOCK.contains(&name);
        if VOID.contains(&name) || self_closing {
            if block {
                self.want_break(2, r);
            }
            if name == "br"
                && let Some((_, buf)) = &mut self.h1
            {
                push_collapsed(buf, ' ');
            }
            return;
        }
        if block {
            self.want_break(2, r.clone());
        }
        let skip = SKIP.contains(&name) && !(name == "header" && self.in_article > 0);
        if skip {
            if self.skip == 0 && VISIBLE_SKIP.contains(&name) {
                self.capture = Some((self.stack.len(), String::new()));
            }
            self.skip += 1;
        }
        match name {
            "article" => self.in_article += 1,
            "pre" => self.pre += 1,
            // A site logo in a removed page header is not the headline.
            "h1" if self.h1.is_none() && self.h1_done.is_none() && self.skip == 0 => {
                self.h1 = Some((self.stack.len(), String::new()));
            }
            _ => {}
        }
        self.stack.push(Open { name: name.to_string(), skip, source: r.start });
        *self.counts.entry(name.to_string()).or_default() += 1;
    }

    fn end_tag(&mut self, name: &str, r: Range<usize>) {
        if name == "br" {
            self.want_break(2, r);
            return;
        }
        if self.counts.get(name).copied().unwrap_or(0) == 0 {
            if BLOCK.contains(&name) {
                self.want_break(2, r);
            }
            return;
        }
        while let Some(open) = self.stack.pop() {
            let done = open.name == name;
            self.close(open, r.start);
            if done {
                break;
            }
        }
    }

    fn close(&mut self, open: Open, at: usize) {
        if let Some(c) = self.counts.get_mut(&open.name) {
            *c -= 1;
        }
        let depth = self.stack.len();
        if open.skip {
            self.skip -= 1;
            if self.capture.as_ref().is_some_and(|(d, _)| *d == depth)
                && let Some((_, text)) = self.capture.take()
            {
                let text = text.trim().to_string();
                if !text.is_empty() {
                    self.removed.push(Removed {
                        element: open.name.clone(),
                        source: open.source,
                        at: self.out.len(),
                        text,
                    });
                }
            }
        }
        match open.name.as_str() {
            "article" => self.in_article -= 1,
            "pre" => self.pre -= 1,
            _ => {}
        }
        if self.h1.as_ref().is_some_and(|(d, _)| *d == depth)
            && let Some((_, text)) = self.h1.take()
        {
            let text = text.trim().to_string();
            self.h1_done = Some(text).filter(|t| !t.is_empty());
            if self.h1_done.is_none() {
                // An empty <h1> (an image logo): wait for the next one.
                self.h1 = None;
            }
        }
        if BLOCK.contains(&open.name.as_str()) {
            self.want_break(2, at..at);
        }
    }

    fn meta(&mut self, attrs: &[(String, String)]) {
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string());
        let Some(key) = get("property").or_else(|| get("name")).or_else(|| get("itemprop")) else { return };
        let Some(content) = get("content").filter(|c| !c.is_empty()) else { return };
        let key = key.to_ascii_lowercase();
        match key.as_str() {
            "og:site_name" => {
                self.site_name.get_or_insert(content);
            }
            "og:url" => {
                self.og_url.get_or_insert(content);
            }
            "og:title" => {
                self.og_title.get_or_insert(content);
            }
            _ => {
                let rank = match key.as_str() {
                    "article:published_time" => 1,
                    "datepublished" | "og:published_time" => 2,
                    "pubdate" | "publishdate" | "publish-date" | "date" | "dc.date" | "dc.date.issued"
                    | "dcterms.created" | "dcterms.issued" | "sailthru.date" | "parsely-pub-date" => 3,
                    _ => return,
                };
                if self.published.as_ref().is_none_or(|(r, _)| rank < *r) {
                    self.published = Some((rank, content));
                }
            }
        }
    }

    fn link(&mut self, attrs: &[(String, String)]) {
        let rel = attrs.iter().find(|(n, _)| n == "rel").map(|(_, v)| v.to_ascii_lowercase()).unwrap_or_default();
        if rel.split_ascii_whitespace().any(|r| r == "canonical")
            && let Some((_, href)) = attrs.iter().find(|(n, _)| n == "href")
            && !href.trim().is_empty()
        {
            self.canonical.get_or_insert(href.trim().to_string());
        }
    }
}

/// Length of a tag name at the start of `s`: an ASCII letter, then anything up to a space, `/` or `>`.
fn name_len(s: &str) -> usize {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    b.iter().position(|&c| is_html_space(c) || c == b'/' || c == b'>').unwrap_or(b.len())
}

type Attributes = Vec<(String, String)>;

/// Reads attributes from `pos` to the end of the tag: the attributes (names lower-cased, values decoded),
/// whether the tag ends in `/>`, and the offset after `>`. `None` when the file ends first.
fn attributes(src: &str, mut p: usize) -> Option<(Attributes, bool, usize)> {
    let b = src.as_bytes();
    let len = b.len();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while p < len && is_html_space(b[p]) {
            p += 1;
        }
        if p >= len {
            return None;
        }
        match b[p] {
            b'>' => return Some((attrs, self_closing, p + 1)),
            b'/' => {
                p += 1;
                self_closing = p < len && b[p] == b'>';
            }
            _ => {
                self_closing = false;
                let start = p;
                p += 1;
                while p < len && !is_html_space(b[p]) && !matches!(b[p], b'/' | b'>' | b'=') {
                    p += 1;
                }
                let name = src.part(start..p).to_ascii_lowercase();
                let mut q = p;
                while q < len && is_html_space(b[q]) {
                    q += 1;
                }
                let mut value = String::new();
                if q < len && b[q] == b'=' {
                    q += 1;
                    while q < len && is_html_space(b[q]) {
                        q += 1;
                    }
                    if q >= len {
                        return None;
                    }
                    if b[q] == b'"' || b[q] == b'\'' {
                        let close = src.part(q + 1..).find(b[q] as char)?;
                        value = decode_entities(src.part(q + 1..q + 1 + close));
                        q = q + 1 + close + 1;
                    } else {
                        let s = q;
                        while q < len && !is_html_space(b[q]) && b[q] != b'>' {
                            q += 1;
                        }
                        value = decode_entities(src.part(s..q));
                    }
                    p = q;
                }
                attrs.push((name, value));
            }
        }
    }
}

/// Offset of the end tag `</name` (any case, followed by a space, `/`, `>` or the end) from `from`, or the end.
fn find_end_tag(src: &str, from: usize, name: &str) -> usize {
    let b = src.as_bytes();
    let mut p = from;
    while let Some(k) = src.part(p..).find("</") {
        let at = p + k;
        let n = at + 2;
        if b.len() >= n + name.len()
            && b[n..n + name.len()].eq_ignore_ascii_case(name.as_bytes())
            && b.get(n + name.len()).is_none_or(|&c| is_html_space(c) || c == b'/' || c == b'>')
        {
            return at;
        }
        p = n;
    }
    src.len()
}

/// Decodes the character references in `s` (for attribute values and titles).
pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s.as_bytes()[i] == b'&'
            && let Some((decoded, end)) = entity(s, i)
        {
            out.extend(decoded.chars());
            i = end;
            continue;
        }
        let c = s.part(i..).chars().next().expect("char boundary");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// What a character reference stands for: one character (numeric references) or the text of a named one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decoded {
    /// A numeric reference.
    Char(char),
    /// A named reference (one or two characters).
    Named(&'static str),
}

impl Decoded {
    /// The characters.
    pub(crate) fn chars(self) -> impl Iterator<Item = char> {
        let (one, named) = match self {
            Decoded::Char(c) => (Some(c), ""),
            Decoded::Named(s) => (None, s),
        };
        one.into_iter().chain(named.chars())
    }
}

/// The character reference at `&` at `i`: what it stands for and the offset after it. Numeric references may
/// omit the `;`; named ones are every name of the WHATWG table (the `htmlize` crate's, 2,231 names) and need
/// the `;`, except the legacy names the table also lists bare (`&amp`, `&copy`, `&eacute`…), as browsers read
/// them in text.
pub(crate) fn entity(src: &str, i: usize) -> Option<(Decoded, usize)> {
    let rest = src.part(i + 1..);
    if let Some(num) = rest.strip_prefix('#') {
        let hex = num.starts_with(['x', 'X']);
        let digits = if hex { num.part(1..) } else { num };
        let n = digits.bytes().take_while(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() }).count();
        if n == 0 {
            return None;
        }
        let value =
            if n > 8 { u32::MAX } else { u32::from_str_radix(digits.part(..n), if hex { 16 } else { 10 }).ok()? };
        let mut end = i + 2 + usize::from(hex) + n;
        if src.part(end..).starts_with(';') {
            end += 1;
        }
        return Some((Decoded::Char(numeric_char(value)), end));
    }
    let n = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if n == 0 {
        return None;
    }
    let name = rest.part(..n);
    let semi = rest.part(n..).starts_with(';');
    let text = named(name, semi)?;
    Some((Decoded::Named(text), i + 1 + n + usize::from(semi)))
}

fn numeric_char(v: u32) -> char {
    const CP1252: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2C6}',
        '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}',
        '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}',
        '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
    ];
    match v {
        0 => '\u{FFFD}',
        0x80..=0x9F => CP1252[(v - 0x80) as usize],
        _ => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// The text of a named reference, `&` + `name` (+ `;` when `semi`), if the table has it.
fn named(name: &str, semi: bool) -> Option<&'static str> {
    let mut key = Vec::with_capacity(name.len() + 2);
    key.push(b'&');
    key.extend_from_slice(name.as_bytes());
    if semi {
        key.push(b';');
    }
    htmlize::ENTITIES.get(key.as_slice()).and_then(|v| std::str::from_utf8(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        render(html).text
    }

    #[test]
    fn blocks_become_paragraphs_and_inline_text_joins() {
        assert_eq!(text("<p>One <b>bold</b>\n  word.</p><p>Two.</p>"), "One bold word.\n\nTwo.");
        assert_eq!(text("<div>a<div>b</div>c</div>"), "a\n\nb\n\nc");
        assert_eq!(text("line one<br>line two<br/>three"), "line one\n\nline two\n\nthree");
        assert_eq!(text("<ul><li>x</li><li>y</li></ul>"), "x\n\ny");
    }

    #[test]
    fn noscript_and_template_text_is_listed_not_lost() {
        let r = render(
            "<p>Kept.</p><noscript><p>The council said the market would <b>reopen</b>.</p></noscript>\
             <template><p>Hidden draft paragraph.</p></template>",
        );
        assert_eq!(r.text, "Kept.");
        let removed: Vec<(&str, &str)> = r.removed.iter().map(|x| (x.element.as_str(), x.text.as_str())).collect();
        assert_eq!(
            removed,
            [("noscript", "The council said the market would reopen ."), ("template", "Hidden draft paragraph.")]
        );
    }

    #[test]
    fn removed_elements_take_their_content() {
        let t = text(
            "<nav>Home | World</nav><header><p>Site name</p></header><article><header><h1>Headline</h1></header>\
             <p>Body.</p><aside>Related: other story</aside></article><footer>Copyright</footer>\
             <form><label>Email</label><button>Go</button></form>",
        );
        assert_eq!(t, "Headline\n\nBody.");
        let r = render("<nav>Home</nav><p>x</p><aside><p>Read more</p><script>1</script></aside>");
        let removed: Vec<(&str, &str)> = r.removed.iter().map(|x| (x.element.as_str(), x.text.as_str())).collect();
        assert_eq!(removed, [("nav", "Home"), ("aside", "Read more")]);
    }

    #[test]
    fn scripts_and_styles_are_raw_text() {
        let t = text(
            "<p>Before.</p><script>var s = \"</p><p>not text</p>\"; if (a < b) {}</script>\
             <style>p::after { content: '</p>' }</style><p>After.</p>",
        );
        assert_eq!(t, "Before.\n\nAfter.");
        // Upper-case end tag, and an end tag with a space.
        assert_eq!(text("<SCRIPT>x</SCRIPT ><p>ok</p>"), "ok");
    }

    #[test]
    fn comments_cdata_doctype_and_processing_instructions_vanish() {
        let t = text("<!DOCTYPE html><?xml version=\"1.0\"?><p>a<!-- <p>hidden</p> -->b<!---->c<![CDATA[ d ]]>e</p>");
        assert_eq!(t, "abce");
        assert_eq!(text("<p>x<!-- never closed"), "x");
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            text(
                "<p>&amp; &lt;b&gt; &quot;q&quot; &#39;s &#8212; &#x2014; &nbsp;&eacute;&Uuml;&hellip;&bogus; &amp x</p>"
            ),
            "& <b> \"q\" 's \u{2014} \u{2014} \u{A0}\u{E9}\u{DC}\u{2026}&bogus; & x"
        );
        assert_eq!(text("<p>&#150;&#0;&#x110000;&#9999999999;</p>"), "\u{2013}\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(text("<p>AT&T</p>"), "AT&T");
        // Any name of the table, and the two-character ones.
        assert_eq!(
            text("<p>&Ccedil;a &rarr; &frac34; &NotEqualTilde; &bne; &eacute x</p>"),
            "Ça → ¾ \u{2242}\u{338} =\u{20E5} é x"
        );
    }

    #[test]
    fn attributes_with_angle_brackets_and_odd_markup() {
        assert_eq!(text("<p title=\"a > b\" data-x='<p>'>Text</p>"), "Text");
        assert_eq!(text("<P CLASS=lead>Upper</P><DIV>case</DIV>"), "Upper\n\ncase");
        assert_eq!(text("<p>unclosed <b>bold <i>italic<p>next"), "unclosed bold italic\n\nnext");
        assert_eq!(text("a < b and c<d"), "a < b and c", "`<d` opens a tag the file never closes");
        assert_eq!(text("1 <3 you</p>"), "1 <3 you");
        assert_eq!(text("<p>x</p></div></span><p>y"), "x\n\ny");
        assert_eq!(text("<p>cut <a href=\"x"), "cut");
    }

    #[test]
    fn an_unclosed_aside_ends_with_its_parent() {
        assert_eq!(text("<div><aside>Related</div><p>Kept.</p>"), "Kept.");
    }

    #[test]
    fn every_output_byte_maps_to_its_source() {
        let html = "<p>Caf&eacute; <b>x</b></p>\n<p>&amp;y</p>";
        let r = render(html);
        assert_eq!(r.text, "Caf\u{E9} x\n\n&y");
        let m = &r.map;
        assert_eq!(m.starts.len(), r.text.len() + 1);
        assert_eq!(&html[m.starts[0] as usize..m.ends[2] as usize], "Caf");
        // Both bytes of é map to the whole reference.
        assert_eq!(&html[m.starts[3] as usize..m.ends[4] as usize], "&eacute;");
        let amp = r.text.find('&').unwrap();
        assert_eq!(&html[m.starts[amp] as usize..m.ends[amp] as usize], "&amp;");
        assert_eq!(*m.starts.last().unwrap() as usize, html.len());
    }

    #[test]
    fn page_metadata() {
        let r = render(
            "<html><head><title>Rebels take town | The Paper</title>\
             <meta property=\"og:site_name\" content=\"The Paper\">\
             <meta name=\"date\" content=\"2015-04-01\">\
             <meta property=\"article:published_time\" content=\"2015-04-26T09:00:00+05:00\">\
             <link rel=\"canonical\" href=\"https://example.org/a\">\
             <svg><title>icon</title></svg></head>\
             <body><h1><img src=x></h1><h1>Rebels &amp; allies take town</h1><p>Text.</p></body></html>",
        );
        assert_eq!(r.title.as_deref(), Some("Rebels take town | The Paper"));
        assert_eq!(r.h1.as_deref(), Some("Rebels & allies take town"));
        assert_eq!(r.site_name.as_deref(), Some("The Paper"));
        assert_eq!(r.published.as_deref(), Some("2015-04-26T09:00:00+05:00"));
        assert_eq!(r.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(r.text, "Rebels & allies take town\n\nText.");
    }

    #[test]
    fn pre_keeps_line_breaks() {
        assert_eq!(text("<pre>a\nb  c</pre>"), "a\nb c");
    }
}
