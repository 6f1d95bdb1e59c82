//! Keeping untrusted text inert in every output format.
//!
//! Story and article text can hold characters that act on whatever displays them rather than being shown:
//! ESC sequences that retitle a terminal window, clear the screen or plant an OSC-8 hyperlink; C1 controls
//! (U+009B alone is a CSI to some terminals); bidirectional controls that make a reader see characters in
//! another order than they are stored. Every exporter passes such text through [`visible`] before applying its
//! own escaping, so these characters are shown, never obeyed: each one is written as `<U+XXXX>`, its code point
//! in upper-case hex, the way `less` shows characters it will not print. The same convention holds in every
//! format (in HTML and SVG it is escaped like any other text, so it reads `<U+001B>` there as well).
//!
//! What counts as such a character ([`is_hidden`]): C0 controls other than tab and line feed (a carriage return
//! directly before a line feed is dropped, so text from files with CRLF line ends reads normally), DEL, the C1
//! controls U+0080–U+009F, the bidirectional marks and controls (U+061C, U+200E, U+200F, U+202A–U+202E,
//! U+2066–U+2069), and the non-characters U+FFFE and U+FFFF (which XML forbids).
//!
//! The JSON formats also go through [`InertJson`], a `serde_json` formatter that writes `<`, `>`, `&`, U+2028 and
//! U+2029 (and any hidden character left) as `\u` escapes: the document parses to the same values, but no
//! `</script>` or `<!--` appears in its bytes, so it can be pasted into an HTML `<script>` element, and no raw
//! control reaches a terminal that shows the file.
//!
//! [`web_url`] decides which URLs may stand in a `url` field or become a link: absolute `http(s)` URLs only.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use serde_json::Value;
use serde_json::ser::{Formatter, PrettyFormatter};

use credence_model::text::Slice;

/// Whether `c` must be shown as `<U+XXXX>` rather than written as it is (see the module documentation).
#[must_use]
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

/// Appends the visible form of `c`: `<U+XXXX>`.
pub fn push_visible(out: &mut String, c: char) {
    let _ = write!(out, "<U+{:04X}>", u32::from(c));
}

/// The text with every hidden character replaced by its visible form `<U+XXXX>` (and the carriage return of a
/// CRLF line end dropped). Borrowed when there is nothing to replace. Applying it twice changes nothing more.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if is_hidden(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Replaces every string of a JSON value (not the object keys, which exporters choose) by its [`visible`] form.
pub fn neutralise_json(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Cow::Owned(o) = visible(s) {
                *s = o;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(neutralise_json),
        Value::Object(map) => map.values_mut().for_each(neutralise_json),
        _ => {}
    }
}

/// Characters [`InertJson`] writes as `\u` escapes inside strings.
fn json_escaped(c: char) -> bool {
    matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') || is_hidden(c)
}

/// A `serde_json` formatter that escapes `<`, `>`, `&`, U+2028, U+2029 and hidden characters inside strings as
/// `\u003c`-style escapes and leaves everything else to the formatter it wraps. The JSON means the same; its
/// bytes hold no markup and no raw control.
pub struct InertJson<F>(pub F);

impl InertJson<PrettyFormatter<'static>> {
    /// Pretty printing (two-space indent) with inert strings.
    #[must_use]
    pub fn pretty() -> Self {
        InertJson(PrettyFormatter::new())
    }
}

impl<F: Formatter> Formatter for InertJson<F> {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if json_escaped(c) {
                if start < i {
                    self.0.write_string_fragment(w, fragment.part(start..i))?;
                }
                write!(w, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        if start < fragment.len() {
            self.0.write_string_fragment(w, fragment.part(start..))?;
        }
        Ok(())
    }
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, x: f64) -> io::Result<()> {
        self.0.write_f64(w, x)
    }
}

/// A JSON-LD document as published: every string in its visible form, pretty-printed through [`InertJson`],
/// with a final newline.
pub fn jsonld_bytes(mut doc: Value) -> serde_json::Result<Vec<u8>> {
    use serde::Serialize;
    neutralise_json(&mut doc);
    let mut out = Vec::with_capacity(1 << 16);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, InertJson::pretty());
    doc.serialize(&mut ser)?;
    out.push(b'\n');
    Ok(out)
}

/// An absolute `http` or `https` URL with a host, trimmed: fit for a JSON-LD `url` field or a link. Anything
/// else (`javascript:`, `data:`, relative or scheme-relative URLs, user names before the host) is `None`, and so
/// is a URL holding white space, a control or bidi character, a quote, an angle bracket, a backtick or a
/// backslash. The check is deliberately narrow: it parses the scheme and the host, no more.
#[must_use]
pub fn web_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let (scheme, rest) = u.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let bad = |c: char| {
        c.is_whitespace() || c.is_control() || is_hidden(c) || matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    };
    if u.chars().any(bad) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host_ok, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        (h.contains(':') && h.chars().all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.')), after)
    } else {
        let (h, after) = authority.split_at(authority.find(':').unwrap_or(authority.len()));
        let labels: Vec<&str> = h.strip_suffix('.').unwrap_or(h).split('.').collect();
        let label_ok = |l: &&str| {
            !l.is_empty() && !l.starts_with('-') && l.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        };
        (!h.is_empty() && labels.iter().all(label_ok), after)
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    (host_ok && port_ok).then_some(u)
}

/// Checks `--review-url`: the URL as given (trimmed) when [`web_url`] accepts it, else why not. The CLI uses
/// this as the flag's value parser, so a bad URL is a usage error naming the flag.
pub fn review_url(url: &str) -> Result<String, String> {
    web_url(url).map(str::to_string).ok_or_else(|| {
        "not an absolute http:// or https:// URL with a host (javascript:, data:, relative URLs, user names, \
         spaces, quotes and control characters are refused)"
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_become_visible() {
        assert_eq!(visible("plain – text"), Cow::Borrowed("plain – text"));
        assert_eq!(visible("a\u{1b}]0;pwned\u{7}b"), "a<U+001B>]0;pwned<U+0007>b");
        assert_eq!(visible("\u{1b}[2J"), "<U+001B>[2J");
        assert_eq!(visible("x\u{9b}31m\u{85}"), "x<U+009B>31m<U+0085>");
        assert_eq!(visible("abc\u{202e}fed"), "abc<U+202E>fed");
        assert_eq!(visible("\u{2066}\u{2069}\u{200e}\u{200f}\u{61c}"), "<U+2066><U+2069><U+200E><U+200F><U+061C>");
        assert_eq!(visible("\u{0}\u{7f}\u{fffe}"), "<U+0000><U+007F><U+FFFE>");
        assert_eq!(visible("line\r\nnext\rover\ttab"), "line\nnext<U+000D>over\ttab");
        // Idempotent, and ordinary text (Arabic letters, line separators) is left alone.
        let once = visible("\u{1b}\u{202e}x").into_owned();
        assert_eq!(visible(&once), once);
        assert_eq!(visible("جسر الشغور\u{2028}"), "جسر الشغور\u{2028}");
    }

    #[test]
    fn json_strings_hold_no_markup_and_mean_the_same() {
        let v = serde_json::json!({"t": "</script><!-- & \u{2028}\u{2029} \u{1b}[2J \u{202e}"});
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, InertJson::pretty());
        serde::Serialize::serialize(&v, &mut ser).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains(['<', '>', '&', '\u{2028}', '\u{2029}', '\u{1b}', '\u{202e}']), "{text}");
        assert!(text.contains("\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
        // JSON-LD also makes the controls visible.
        let ld = String::from_utf8(jsonld_bytes(v).unwrap()).unwrap();
        let back: Value = serde_json::from_str(&ld).unwrap();
        assert_eq!(back["t"], "</script><!-- & \u{2028}\u{2029} <U+001B>[2J <U+202E>");
    }

    #[test]
    fn only_absolute_web_urls_pass() {
        for good in [
            "https://example.org",
            "http://example.org/a?b=c#d",
            " HTTPS://Example.org:8443/x ",
            "https://[2001:db8::1]:443/",
            "https://例え.jp/パス",
            "https://example.org./",
        ] {
            assert!(web_url(good).is_some(), "{good}");
        }
        assert_eq!(web_url(" http://x.org/a "), Some("http://x.org/a"));
        for bad in [
            "javascript:alert(1)",
            "JavaScript://example.org/%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//example.org/a",
            "/relative",
            "ftp://example.org/",
            "https://",
            "https:///path",
            "https://user@example.org/",
            "https://example.org@evil.example/",
            "https://exa mple.org/",
            "https://example.org/a b",
            "https://example.org/\u{1b}]0;x\u{7}",
            "https://example.org/\u{202e}gpj.exe",
            "https://example.org/\"onmouseover=\"x",
            "https://example.org/<script>",
            "https://example.org\\@evil.example/",
            "https://example.org:/",
            "https://example.org:99999999/",
            "https://.example.org/",
            "https://-x.org/",
            "https://[::1/",
            "",
        ] {
            assert_eq!(web_url(bad), None, "{bad:?}");
        }
        assert!(review_url("javascript:alert(1)").unwrap_err().contains("http"));
        assert_eq!(review_url("https://example.org/r.html").unwrap(), "https://example.org/r.html");
    }
}
