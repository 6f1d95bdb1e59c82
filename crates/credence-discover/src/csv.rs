//! A small RFC 4180 CSV reader for claim files.
//!
//! Why our own: the input is three columns, and what we need from a reader is exact positions for error
//! messages (line and column of the offending byte, the field's name) and a guarantee that no byte sequence
//! makes it panic. That is a hundred lines; a dependency would bring more than we use.
//!
//! Accepted: comma separators; fields optionally wrapped in double quotes, with `""` for a quote inside;
//! quoted fields may span lines; records end with LF, CRLF or a lone CR; a UTF-8 byte order mark at the
//! start is skipped; blank lines are skipped. Rejected, with the position: a quote inside an unquoted field,
//! anything but a separator or line end after a closing quote, an unterminated quoted field, and bytes that
//! are not UTF-8.

use std::ops::Range;

/// Why a record could not be read, with the 1-based line and column (in characters) of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CsvProblem {
    pub line: usize,
    pub column: usize,
    /// 0-based index of the field concerned.
    pub field: usize,
    pub message: &'static str,
    pub hint: &'static str,
}

/// One field of the current record: its unescaped bytes are `bytes` of the input itself when `direct`
/// (no quote pair or CR to undo, the usual case: nothing is copied), else of the reader's buffer.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub bytes: Range<usize>,
    pub direct: bool,
    /// 1-based line where the field starts.
    pub line: usize,
    /// Byte offsets of the field's start and of the start of its line in the input (the column is only
    /// worked out, by [`Reader::column`], when an error needs it).
    start: usize,
    line_start: usize,
}

/// Pull reader: [`Reader::next_record`] fills `fields` and `buf` with the next non-blank record.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        let pos = if data.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
        Reader { data, pos, line: 1, line_start: pos }
    }

    /// 1-based column (in characters) where `field` starts.
    pub(crate) fn column(&self, field: &Field) -> usize {
        self.column_between(field.line_start, field.start)
    }

    /// Characters between the start of the current line and byte `at` (1-based column of `at`).
    fn column_at(&self, at: usize) -> usize {
        self.column_between(self.line_start, at)
    }

    fn column_between(&self, line_start: usize, at: usize) -> usize {
        let upto = at.min(self.data.len());
        let from = line_start.min(upto);
        // Count UTF-8 lead bytes (not continuation bytes); invalid bytes count as one character each.
        1 + self.data[from..upto].iter().filter(|&&b| (b & 0xC0) != 0x80).count()
    }

    fn problem(&self, at: usize, field: usize, message: &'static str, hint: &'static str) -> CsvProblem {
        CsvProblem { line: self.line, column: self.column_at(at), field, message, hint }
    }

    /// Consumes a line ending at the current position (LF, CRLF or CR), if there is one.
    fn eat_newline(&mut self) -> bool {
        match self.data.get(self.pos) {
            Some(b'\n') => {
                self.pos += 1;
            }
            Some(b'\r') => {
                self.pos += 1;
                if self.data.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
            }
            _ => return false,
        }
        self.line += 1;
        self.line_start = self.pos;
        true
    }

    /// Reads the next record, skipping blank lines. Returns the 1-based line it starts on, or `None` at the
    /// end of the data.
    pub(crate) fn next_record(
        &mut self,
        fields: &mut Vec<Field>,
        buf: &mut Vec<u8>,
    ) -> Result<Option<usize>, CsvProblem> {
        loop {
            fields.clear();
            buf.clear();
            if self.pos >= self.data.len() {
                return Ok(None);
            }
            if self.eat_newline() {
                continue; // blank line
            }
            let start_line = self.line;
            loop {
                let index = fields.len();
                let (field_line, start, line_start) = (self.line, self.pos, self.line_start);
                let begin = buf.len();
                let (bytes, direct) = if self.data.get(self.pos) == Some(&b'"') {
                    match self.read_quoted(index, buf)? {
                        Some(inside) => (inside, true),
                        None => (begin..buf.len(), false),
                    }
                } else {
                    self.read_plain(index)?;
                    (start..self.pos, true)
                };
                fields.push(Field { bytes, direct, line: field_line, start, line_start });
                match self.data.get(self.pos) {
                    Some(b',') => self.pos += 1,
                    None => break,
                    Some(_) => {
                        self.eat_newline();
                        break;
                    }
                }
            }
            return Ok(Some(start_line));
        }
    }

    /// An unquoted field: the input up to the next separator, line end or quote.
    fn read_plain(&mut self, index: usize) -> Result<(), CsvProblem> {
        let rest = &self.data[self.pos..];
        let n = rest.iter().position(|&b| matches!(b, b',' | b'\n' | b'\r' | b'"')).unwrap_or(rest.len());
        self.pos += n;
        if rest.get(n) == Some(&b'"') {
            return Err(self.problem(
                self.pos,
                index,
                "a double quote inside a field that does not start with one",
                "wrap the whole field in double quotes and write each quote inside it twice (\"\")",
            ));
        }
        Ok(())
    }

    /// A quoted field, unescaped into `buf`; returns the range of the input between the quotes instead
    /// (and leaves `buf` as it was) when there was nothing to unescape.
    fn read_quoted(&mut self, index: usize, buf: &mut Vec<u8>) -> Result<Option<Range<usize>>, CsvProblem> {
        let (open_line, open_column) = (self.line, self.column_at(self.pos));
        self.pos += 1;
        let (inside, begin) = (self.pos, buf.len());
        let mut escaped = false;
        let close;
        loop {
            match self.data.get(self.pos) {
                None => {
                    return Err(CsvProblem {
                        line: open_line,
                        column: open_column,
                        field: index,
                        message: "a quoted field is never closed",
                        hint: "add the closing double quote; a quote inside a quoted field is written twice (\"\")",
                    });
                }
                Some(b'"') => {
                    if self.data.get(self.pos + 1) == Some(&b'"') {
                        buf.push(b'"');
                        self.pos += 2;
                        escaped = true;
                    } else {
                        close = self.pos;
                        self.pos += 1;
                        break;
                    }
                }
                Some(b'\n') => {
                    buf.push(b'\n');
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                }
                Some(b'\r') => {
                    // CRLF inside a quoted field is kept as LF so that the value does not depend on the
                    // platform that wrote the file.
                    escaped = true;
                    self.pos += 1;
                    if self.data.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    buf.push(b'\n');
                    self.line += 1;
                    self.line_start = self.pos;
                }
                Some(_) => {
                    // Copy the run up to the next quote or line end in one go.
                    let rest = &self.data[self.pos..];
                    let n = rest.iter().position(|&b| matches!(b, b'"' | b'\n' | b'\r')).unwrap_or(rest.len());
                    buf.extend_from_slice(&rest[..n]);
                    self.pos += n;
                }
            }
        }
        match self.data.get(self.pos) {
            None | Some(b',' | b'\n' | b'\r') if escaped => Ok(None),
            None | Some(b',' | b'\n' | b'\r') => {
                buf.truncate(begin);
                Ok(Some(inside..close))
            }
            Some(_) => Err(self.problem(
                self.pos,
                index,
                "text after the closing quote of a quoted field",
                "a quote inside a quoted field is written twice (\"\"); put the separator right after the closing quote",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(data: &[u8]) -> Result<Vec<(usize, Vec<String>)>, CsvProblem> {
        let mut r = Reader::new(data);
        let (mut fields, mut buf) = (Vec::new(), Vec::new());
        let mut out = Vec::new();
        while let Some(line) = r.next_record(&mut fields, &mut buf)? {
            out.push((
                line,
                fields
                    .iter()
                    .map(|f| {
                        let bytes = if f.direct { &data[f.bytes.clone()] } else { &buf[f.bytes.clone()] };
                        String::from_utf8_lossy(bytes).into_owned()
                    })
                    .collect(),
            ));
        }
        Ok(out)
    }

    #[test]
    fn quoting_line_endings_and_blank_lines() {
        let got = records(b"\xEF\xBB\xBFa,b,c\r\n\r\n\"x,y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\rlast,,\n").unwrap();
        assert_eq!(
            got,
            vec![
                (1, vec!["a".into(), "b".into(), "c".into()]),
                (3, vec!["x,y".into(), "say \"hi\"".into(), "two\nlines".into()]),
                (5, vec!["last".into(), String::new(), String::new()]),
            ]
        );
    }

    #[test]
    fn no_trailing_newline_and_empty_input() {
        assert_eq!(records(b"").unwrap(), vec![]);
        assert_eq!(records(b"\n\n").unwrap(), vec![]);
        assert_eq!(records(b"a").unwrap(), vec![(1, vec!["a".to_string()])]);
        assert_eq!(records(b"a,\"\"").unwrap(), vec![(1, vec!["a".to_string(), String::new()])]);
    }

    #[test]
    fn problems_have_positions() {
        let e = records(b"h\nab\"c").unwrap_err();
        assert_eq!((e.line, e.column, e.field), (2, 3, 0));
        let e = records(b"h\nx,\"open\nstill open").unwrap_err();
        assert_eq!((e.line, e.column, e.field, e.message), (2, 3, 1, "a quoted field is never closed"));
        let e = records("h\n\"é\"x".as_bytes()).unwrap_err();
        assert_eq!((e.line, e.column), (2, 4));
    }
}
