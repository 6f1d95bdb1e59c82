//! Finding the line of a value from its path in a TOML or JSON document.
//!
//! Loading and validation work on plain data (no span bookkeeping in the model), and report problems with a
//! document path such as `report[3].chain[1]`. This module maps such a path back to a byte offset, and so a
//! line and column, in the text the user wrote. For TOML it uses the spanned parse tree of the `toml` crate;
//! for JSON a small scanner that walks only the path asked for.

use std::fmt;

use crate::text::Slice;
use toml::de::{DeTable, DeValue};

/// One step of a document path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A path into a document, e.g. `report[3].chain[1]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocPath(pub Vec<Seg>);

impl DocPath {
    /// The empty path (the document itself).
    #[must_use]
    pub fn root() -> DocPath {
        DocPath(Vec::new())
    }

    /// This path extended by a key.
    #[must_use]
    pub fn key(&self, k: &str) -> DocPath {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        DocPath(v)
    }

    /// This path extended by an index.
    #[must_use]
    pub fn index(&self, i: usize) -> DocPath {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        DocPath(v)
    }
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The syntax of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
#[must_use]
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let mut at = at;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = text.part(..at);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, before.part(line_start..).chars().count() + 1)
}

/// Byte offset of the value at `path` in `text`, or of the deepest ancestor that exists.
#[must_use]
pub fn locate(text: &str, syntax: Syntax, path: &DocPath) -> Option<usize> {
    match syntax {
        Syntax::Toml => locate_toml(text, path),
        Syntax::Json => locate_json(text, path),
    }
}

fn locate_toml(text: &str, path: &DocPath) -> Option<usize> {
    let (doc, _) = DeTable::parse_recoverable(text);
    toml_offset(doc.get_ref(), path)
}

fn toml_offset(doc: &DeTable<'_>, path: &DocPath) -> Option<usize> {
    let mut best: Option<usize> = None;
    let mut table: Option<&DeTable<'_>> = Some(doc);
    let mut value: Option<&DeValue<'_>> = None;
    for seg in &path.0 {
        let next = match (seg, table, value) {
            (Seg::Key(k), Some(t), _) => {
                t.iter().find(|(key, _)| key.get_ref().as_ref() == k.as_str()).map(|(key, v)| {
                    // Point at the key for tables (the header line), at the value for scalars.
                    let at = if v.get_ref().is_table() { key.span().start } else { v.span().start };
                    (at, v.get_ref())
                })
            }
            (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i).map(|v| (v.span().start, v.get_ref())),
            _ => None,
        };
        let Some((at, v)) = next else { break };
        best = Some(at);
        value = Some(v);
        table = match v {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    best
}

/// Locates many paths in one document: the TOML parse tree and the line index are built once, on first use,
/// so locating every problem of a large file costs one parse, not one per problem.
pub struct Locator<'a> {
    text: &'a str,
    syntax: Syntax,
    toml: std::cell::OnceCell<toml::Spanned<DeTable<'a>>>,
    lines: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Locator<'a> {
    /// A locator over `text`.
    #[must_use]
    pub fn new(text: &'a str, syntax: Syntax) -> Locator<'a> {
        Locator { text, syntax, toml: std::cell::OnceCell::new(), lines: std::cell::OnceCell::new() }
    }

    /// Byte offset of the value at `path`, or of its deepest ancestor that exists.
    pub fn offset(&self, path: &DocPath) -> Option<usize> {
        match self.syntax {
            Syntax::Toml => {
                toml_offset(self.toml.get_or_init(|| DeTable::parse_recoverable(self.text).0).get_ref(), path)
            }
            Syntax::Json => locate_json(self.text, path),
        }
    }

    /// 1-based line and column (in characters) of byte offset `at`.
    pub fn line_col(&self, at: usize) -> (usize, usize) {
        let lines = self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1))
                .collect()
        });
        let at = crate::text::floor(self.text, at);
        let line = lines.partition_point(|&start| start <= at);
        let start = lines.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        (line.max(1), self.text.part(start..at).chars().count() + 1)
    }

    /// Line and column of the value at `path`.
    pub fn find(&self, path: &DocPath) -> Option<(usize, usize)> {
        self.offset(path).map(|at| self.line_col(at))
    }
}

/// A minimal JSON walker: follows `path` and returns the offset of the value found, skipping everything else.
struct JsonWalker<'a> {
    s: &'a [u8],
    pos: usize,
}

impl JsonWalker<'_> {
    fn ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// Reads a string starting at `"`, returning its (unescaped only for simple escapes) content.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'u' => self.pos += 4,
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        None
    }

    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    match c {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                None
            }
            _ => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace() {
                        break;
                    }
                    self.pos += 1;
                }
                Some(())
            }
        }
    }

    fn enter_key(&mut self, key: &str) -> Option<()> {
        self.ws();
        if self.peek()? != b'{' {
            return None;
        }
        self.pos += 1;
        loop {
            self.ws();
            if self.peek()? == b'}' {
                return None;
            }
            let k = self.string()?;
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.ws();
            if k == key {
                return Some(());
            }
            self.skip_value()?;
            self.ws();
            if self.peek()? == b',' {
                self.pos += 1;
            }
        }
    }

    fn enter_index(&mut self, index: usize) -> Option<()> {
        self.ws();
        if self.peek()? != b'[' {
            return None;
        }
        self.pos += 1;
        for _ in 0..index {
            self.ws();
            if self.peek()? == b']' {
                return None;
            }
            self.skip_value()?;
            self.ws();
            if self.peek()? == b',' {
                self.pos += 1;
            }
        }
        self.ws();
        (self.peek()? != b']').then_some(())
    }
}

fn locate_json(text: &str, path: &DocPath) -> Option<usize> {
    let mut w = JsonWalker { s: text.as_bytes(), pos: 0 };
    let mut best = None;
    for seg in &path.0 {
        let ok = match seg {
            Seg::Key(k) => w.enter_key(k),
            Seg::Index(i) => w.enter_index(*i),
        };
        if ok.is_none() {
            break;
        }
        w.ws();
        best = Some(w.pos);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(segs: &[Seg]) -> DocPath {
        DocPath(segs.to_vec())
    }

    #[test]
    fn toml_paths() {
        let text = "[story]\ntitle = \"x\"\n\n[[report]]\nchain = [\"a\"]\n\n[[report]]\nchain = [\"a\", \"b\"]\n";
        let at = locate(
            text,
            Syntax::Toml,
            &p(&[Seg::Key("report".into()), Seg::Index(1), Seg::Key("chain".into()), Seg::Index(1)]),
        );
        assert_eq!(line_col(text, at.unwrap()), (8, 15));
        let at = locate(text, Syntax::Toml, &p(&[Seg::Key("story".into()), Seg::Key("title".into())]));
        assert_eq!(line_col(text, at.unwrap()), (2, 9));
        // A missing key falls back to its parent.
        let at = locate(text, Syntax::Toml, &p(&[Seg::Key("report".into()), Seg::Index(0), Seg::Key("nope".into())]));
        assert_eq!(line_col(text, at.unwrap()).0, 4);
    }

    #[test]
    fn json_paths() {
        let text = "{\n  \"story\": {\"title\": \"a \\\"q\\\" b\"},\n  \"report\": [\n    {\"chain\": [\"a\"]},\n    {\"chain\": [\"a\", \"b\"]}\n  ]\n}";
        let at = locate(
            text,
            Syntax::Json,
            &p(&[Seg::Key("report".into()), Seg::Index(1), Seg::Key("chain".into()), Seg::Index(1)]),
        );
        assert_eq!(line_col(text, at.unwrap()), (5, 21));
        assert_eq!(
            DocPath(vec![Seg::Key("report".into()), Seg::Index(1), Seg::Key("chain".into())]).to_string(),
            "report[1].chain"
        );
    }
}
