//! The claims, read and indexed: objects, sources, distinct values per object, and who claims what.
//!
//! Everything is stored in flat arrays with offsets (compressed rows) so that memory is a few words per
//! claim and every pass of the algorithm is a linear scan. Names are sorted before ids are given out, so ids
//! — and with them every tie-break — do not depend on the order of the input rows.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::ops::Range;

use crate::csv::{CsvProblem, Field, Reader};
use crate::error::Error;
use crate::value::{self, Kind, ValueType};

/// Indexed claims. Ids are `u32` indices into the name tables, in sorted-name order.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Source names, sorted.
    pub sources: Vec<String>,
    /// Object names, sorted.
    pub objects: Vec<String>,
    /// Values of object `o` are ids `object_values[o]..object_values[o + 1]`.
    pub object_values: Vec<u32>,
    /// Canonical text of each value (what `truths.csv` prints).
    pub value_text: Vec<String>,
    /// Object of each value.
    pub value_object: Vec<u32>,
    /// Kind of each value.
    pub value_kind: Vec<Kind>,
    /// Parsed number of each value (0 for non-numbers).
    pub value_number: Vec<f64>,
    /// Token ids of value `v` (sorted): `token_ids[value_tokens[v]..value_tokens[v + 1]]`.
    pub value_tokens: Vec<u32>,
    /// Flat token id storage.
    pub token_ids: Vec<u32>,
    /// Claims of value `v` are `value_claims[v]..value_claims[v + 1]` (sorted by source).
    pub value_claims: Vec<u32>,
    /// Source of each claim.
    pub claim_source: Vec<u32>,
    /// Claims of source `s` are `source_claims[source_offsets[s]..source_offsets[s + 1]]` (claim ids).
    pub source_offsets: Vec<u32>,
    /// Flat claim ids per source.
    pub source_claims: Vec<u32>,
    /// Value id of each claim.
    pub claim_value: Vec<u32>,
    /// Data rows read (blank lines excluded).
    pub rows: usize,
    /// Rows dropped because their source already gave a value for the object (the first is kept).
    pub duplicates: usize,
    /// Rows dropped because their value was empty.
    pub empty_values: usize,
}

fn range(offsets: &[u32], i: usize) -> Range<usize> {
    offsets[i] as usize..offsets[i + 1] as usize
}

impl Dataset {
    /// Number of claims kept.
    #[must_use]
    pub fn claims(&self) -> usize {
        self.claim_source.len()
    }
    /// Value ids of object `o`.
    #[must_use]
    pub fn values_of(&self, o: usize) -> Range<usize> {
        range(&self.object_values, o)
    }
    /// Claim ids of value `v`.
    #[must_use]
    pub fn claims_of(&self, v: usize) -> Range<usize> {
        range(&self.value_claims, v)
    }
    /// Claim ids of source `s`.
    #[must_use]
    pub fn claims_by(&self, s: usize) -> &[u32] {
        &self.source_claims[range(&self.source_offsets, s)]
    }
    /// Sorted token ids of value `v`.
    #[must_use]
    pub fn tokens_of(&self, v: usize) -> &[u32] {
        &self.token_ids[range(&self.value_tokens, v)]
    }
    /// Number of sources claiming value `v`.
    #[must_use]
    pub fn support(&self, v: usize) -> usize {
        self.claims_of(v).len()
    }

    /// Reads claims from CSV bytes (`file` names the input in error messages).
    pub fn from_csv(bytes: &[u8], file: &str, value_type: ValueType) -> Result<Dataset, Error> {
        let raw = read_rows(bytes, file)?;
        Ok(build(raw, value_type))
    }
}

/// Rows as read: interned names and normalised value texts, in file order.
struct RawRows {
    objects: Vec<String>,
    sources: Vec<String>,
    /// Normalised value texts of all rows, one after the other (no allocation per row).
    arena: String,
    rows: Vec<Row>,
    empty_values: usize,
}

/// One kept row: object and source ids, and its normalised value text `arena[start..end]`.
#[derive(Debug, Clone, Copy)]
struct Row {
    object: u32,
    source: u32,
    start: usize,
    end: usize,
}

/// Hash state for the name tables: a multiply-rotate hash over eight bytes at a time, much cheaper than
/// `SipHash` on short names, keyed by a random seed drawn once per table (from the standard library's
/// `RandomState`) so that no fixed set of names collides on every run. Lookup only: no output depends on
/// the order of a table.
#[derive(Clone)]
struct Seeded(u64);

impl Seeded {
    fn new() -> Seeded {
        Seeded(std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64))
    }
}

struct NameHasher(u64);

const MUL: u64 = 0x9e37_79b9_7f4a_7c15;

impl BuildHasher for Seeded {
    type Hasher = NameHasher;
    fn build_hasher(&self) -> NameHasher {
        NameHasher(self.0)
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h ^ u64::from_le_bytes(w)).wrapping_mul(MUL).rotate_left(29);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            h = (h ^ u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59)).wrapping_mul(MUL).rotate_left(29);
        }
        self.0 = h;
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0 ^ u64::from(i)).wrapping_mul(MUL).rotate_left(29);
    }
    fn finish(&self) -> u64 {
        crate::engine::mix64(self.0)
    }
}

type NameMap = HashMap<String, u32, Seeded>;

fn intern(map: &mut NameMap, names: &mut Vec<String>, key: &str) -> u32 {
    if let Some(&id) = map.get(key) {
        return id;
    }
    let id = names.len() as u32;
    names.push(key.to_string());
    map.insert(key.to_string(), id);
    id
}

const FIELDS: [&str; 3] = ["object", "source", "value"];

fn csv_error(file: &str, p: CsvProblem, names: &[usize; 3]) -> Error {
    let field = names
        .iter()
        .position(|&i| i == p.field)
        .map_or_else(|| format!("field {}", p.field + 1), |k| format!("field {} ({})", p.field + 1, FIELDS[k]));
    Error::Csv {
        file: file.to_string(),
        line: p.line,
        column: p.column,
        message: format!("{field}: {}", p.message),
        hint: p.hint,
    }
}

/// The text of a field: a slice of `whole` (the input, when it is all UTF-8) for a field read in place,
/// otherwise its bytes checked as UTF-8, with the position of the first bad byte in the error.
#[allow(clippy::too_many_arguments)]
fn field_str<'b>(
    file: &str,
    reader: &Reader,
    data: &'b [u8],
    whole: Option<&'b str>,
    buf: &'b [u8],
    f: &Field,
    index: usize,
    names: &[usize; 3],
) -> Result<&'b str, Error> {
    if f.direct {
        // Fields start and end next to ASCII delimiters, so these are character boundaries.
        if let Some(t) = whole.and_then(|w| w.get(f.bytes.clone())) {
            return Ok(t);
        }
    }
    let bytes = if f.direct { &data[f.bytes.clone()] } else { &buf[f.bytes.clone()] };
    std::str::from_utf8(bytes).map_err(|e| {
        let good = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).chars().count();
        // The column is exact for fields on one line; for a multi-line quoted field it points at its start.
        csv_error(
            file,
            CsvProblem {
                line: f.line,
                column: reader.column(f) + good,
                field: index,
                message: "bytes that are not UTF-8",
                hint: "save the file as UTF-8 (most spreadsheet programs offer \"CSV UTF-8\")",
            },
            names,
        )
    })
}

fn read_rows(bytes: &[u8], file: &str) -> Result<RawRows, Error> {
    let mut reader = Reader::new(bytes);
    // One check of the whole input (fast), after which fields read in place need none of their own.
    let whole = std::str::from_utf8(bytes).ok();
    let (mut fields, mut buf) = (Vec::new(), Vec::new());
    let positional = [0, 1, 2];
    let header_err = |line: usize, message: String| Error::Csv {
        file: file.to_string(),
        line,
        column: 1,
        message,
        hint: "the first line must be the header object,source,value (in any order)",
    };
    let Some(hline) = reader.next_record(&mut fields, &mut buf).map_err(|p| csv_error(file, p, &positional))? else {
        return Err(header_err(1, "the file is empty".into()));
    };
    // Position of each of object, source, value in the rows.
    let mut names = [usize::MAX; 3];
    if fields.len() != 3 {
        return Err(header_err(hline, format!("the header has {} fields, expected 3", fields.len())));
    }
    for (i, f) in fields.iter().enumerate() {
        let name = field_str(file, &reader, bytes, whole, &buf, f, i, &positional)?.trim().to_ascii_lowercase();
        match FIELDS.iter().position(|&n| n == name) {
            Some(k) if names[k] == usize::MAX => names[k] = i,
            Some(_) => return Err(header_err(hline, format!("the header names {name:?} twice"))),
            None => return Err(header_err(hline, format!("unknown header field {name:?}"))),
        }
    }
    let (mut omap, mut smap) = (NameMap::with_hasher(Seeded::new()), NameMap::with_hasher(Seeded::new()));
    // Room for the value texts (at most the input) and for about one row per 32 bytes, so that the
    // arena and the rows are not copied over and over while they grow.
    let mut raw = RawRows {
        objects: vec![],
        sources: vec![],
        arena: String::with_capacity(bytes.len() / 2),
        rows: Vec::with_capacity(bytes.len() / 32),
        empty_values: 0,
    };
    while let Some(line) = reader.next_record(&mut fields, &mut buf).map_err(|p| csv_error(file, p, &names))? {
        if fields.len() != 3 {
            let at = fields.get(3).or(fields.last()).map_or(1, |f| reader.column(f));
            return Err(Error::Csv {
                file: file.to_string(),
                line,
                column: at,
                message: format!("{} fields, expected 3 (object,source,value)", fields.len()),
                hint: "wrap a field that contains a comma in double quotes",
            });
        }
        let mut cell = [""; 3];
        for (k, &i) in names.iter().enumerate() {
            cell[k] = field_str(file, &reader, bytes, whole, &buf, &fields[i], i, &names)?.trim();
        }
        for k in 0..2 {
            if cell[k].is_empty() {
                let f = &fields[names[k]];
                return Err(Error::Csv {
                    file: file.to_string(),
                    line: f.line,
                    column: reader.column(f),
                    message: format!("field {} ({}) is empty", names[k] + 1, FIELDS[k]),
                    hint: "every row needs an object and a source; remove the row or fill the field in",
                });
            }
        }
        let start = raw.arena.len();
        value::normalize_into(cell[2], &mut raw.arena);
        if raw.arena.len() == start {
            raw.empty_values += 1;
            continue;
        }
        // Rows usually come grouped by object: the previous row's object is checked before the table.
        let object = match raw.rows.last() {
            Some(last) if raw.objects[last.object as usize] == cell[0] => last.object,
            _ => intern(&mut omap, &mut raw.objects, cell[0]),
        };
        let source = intern(&mut smap, &mut raw.sources, cell[1]);
        raw.rows.push(Row { object, source, start, end: raw.arena.len() });
    }
    Ok(raw)
}

/// Ids in sorted-name order: returns (sorted names, old id → new id).
fn sort_names(names: Vec<String>) -> (Vec<String>, Vec<u32>) {
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
    let mut remap = vec![0u32; names.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old as usize] = new as u32;
    }
    let mut slots: Vec<Option<String>> = names.into_iter().map(Some).collect();
    let sorted = order.iter().map(|&old| slots[old as usize].take().unwrap_or_default()).collect();
    (sorted, remap)
}

/// A value's canonical form within its object: a number, or a range of the object's canonical texts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Canon {
    Number(f64),
    Text(usize, usize),
}

fn build(raw: RawRows, value_type: ValueType) -> Dataset {
    let RawRows { objects, sources, arena, mut rows, empty_values } = raw;
    let row_count = rows.len() + empty_values;
    let (objects, omap) = sort_names(objects);
    let (sources, smap) = sort_names(sources);
    for r in &mut rows {
        r.object = omap[r.object as usize];
        r.source = smap[r.source as usize];
    }
    // Stable: among duplicates of (object, source) the first row of the file comes first and is kept.
    rows.sort_by_key(|r| (r.object, r.source));
    let before = rows.len();
    rows.dedup_by_key(|r| (r.object, r.source));
    let duplicates = before - rows.len();

    let mut d = Dataset {
        sources,
        objects,
        rows: row_count,
        duplicates,
        empty_values,
        object_values: vec![0],
        claim_source: Vec::with_capacity(rows.len()),
        claim_value: Vec::with_capacity(rows.len()),
        value_tokens: vec![0],
        value_claims: vec![0],
        ..Default::default()
    };
    let mut token_map = NameMap::with_hasher(Seeded::new());
    let mut token_names: Vec<String> = Vec::new();
    let mut start = 0;
    // Per object, the work is done once per distinct raw text, not per row (many sources give the same
    // text): `order` sorts the object's rows by text, `distinct` holds (first row, canonical form, kind,
    // parsed number) per distinct text, `raw_of` the distinct text of each row. Canonical texts live in
    // `canon`, rebuilt for every object.
    let mut order: Vec<u32> = Vec::new();
    let mut raw_of: Vec<u32> = Vec::new();
    let mut distinct: Vec<(u32, Canon, Kind, Option<f64>)> = Vec::new();
    let mut by_key: Vec<u32> = Vec::new();
    let mut rank: Vec<u32> = Vec::new();
    let mut items: Vec<(u32, u32)> = Vec::new();
    let mut count: Vec<u32> = Vec::new();
    let mut canon = String::new();
    let mut words: Vec<&str> = Vec::new();
    let mut ids: Vec<u32> = Vec::new();
    while start < rows.len() {
        let o = rows[start].object;
        let end = start + rows[start..].iter().take_while(|r| r.object == o).count();
        let group = &rows[start..end];
        let text = |k: u32| &arena[group[k as usize].start..group[k as usize].end];
        raw_of.clear();
        raw_of.resize(group.len(), 0);
        distinct.clear();
        if group.len() <= 64 {
            // Few rows: compare each with the distinct texts seen so far (usually a handful).
            for k in 0..group.len() as u32 {
                let t = text(k);
                if let Some(i) = distinct.iter().position(|x| text(x.0) == t) {
                    raw_of[k as usize] = i as u32;
                } else {
                    raw_of[k as usize] = distinct.len() as u32;
                    distinct.push((k, Canon::Number(0.0), Kind::Text, value::parse_number(t)));
                }
            }
        } else {
            order.clear();
            order.extend(0..group.len() as u32);
            order.sort_unstable_by(|&x, &y| text(x).cmp(text(y)).then(x.cmp(&y)));
            for (i, &k) in order.iter().enumerate() {
                if i == 0 || text(k) != text(order[i - 1]) {
                    distinct.push((k, Canon::Number(0.0), Kind::Text, value::parse_number(text(k))));
                }
                raw_of[k as usize] = distinct.len() as u32 - 1;
            }
        }
        let kind = match value_type {
            ValueType::Text => Kind::Text,
            ValueType::Number => Kind::Number,
            ValueType::Tokens => Kind::Tokens,
            ValueType::Auto => {
                if distinct.iter().all(|x| x.3.is_some()) {
                    Kind::Number
                } else if distinct.iter().any(|x| value::several_tokens(text(x.0))) {
                    Kind::Tokens
                } else {
                    Kind::Text
                }
            }
        };
        canon.clear();
        for x in &mut distinct {
            let from = canon.len();
            (x.1, x.2) = match (kind, x.3) {
                (Kind::Number, Some(n)) => (Canon::Number(n), Kind::Number),
                (Kind::Tokens, _) => {
                    value::tokens_into(text(x.0), &mut words);
                    for (i, t) in words.iter().enumerate() {
                        if i > 0 {
                            canon.push(' ');
                        }
                        canon.push_str(t);
                    }
                    (Canon::Text(from, canon.len()), Kind::Tokens)
                }
                _ => {
                    canon.push_str(text(x.0));
                    (Canon::Text(from, canon.len()), Kind::Text)
                }
            };
        }
        // Numbers first in numeric order, then texts in byte order; equal canonical forms share a rank.
        let key = |c: &Canon| match *c {
            Canon::Number(x) => (0, x, ""),
            Canon::Text(a, b) => (1, 0.0, &canon[a..b]),
        };
        let cmp = |a: &Canon, b: &Canon| {
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(ka.2.cmp(kb.2))
        };
        by_key.clear();
        by_key.extend(0..distinct.len() as u32);
        by_key.sort_unstable_by(|&x, &y| cmp(&distinct[x as usize].1, &distinct[y as usize].1).then(x.cmp(&y)));
        rank.clear();
        rank.resize(distinct.len(), 0);
        let mut r = 0;
        for (i, &x) in by_key.iter().enumerate() {
            if i > 0 && cmp(&distinct[x as usize].1, &distinct[by_key[i - 1] as usize].1).is_ne() {
                r += 1;
            }
            rank[x as usize] = r;
        }
        // Claims grouped by value (rank), sources ascending within a value: the rows are in source order,
        // so a stable counting sort by rank keeps that order.
        count.clear();
        count.resize(r as usize + 2, 0);
        for &raw in &raw_of {
            count[rank[raw as usize] as usize + 1] += 1;
        }
        for x in 0..=r as usize {
            count[x + 1] += count[x];
        }
        items.clear();
        items.resize(group.len(), (0, 0));
        for (k, row) in group.iter().enumerate() {
            let rk = rank[raw_of[k] as usize];
            items[count[rk as usize] as usize] = (rk, row.source);
            count[rk as usize] += 1;
        }
        let mut i = 0;
        let mut next_key = 0;
        while i < items.len() {
            let j = i + items[i..].iter().take_while(|x| x.0 == items[i].0).count();
            // The distinct text that gives this value its canonical form: the first one of this rank.
            while rank[by_key[next_key] as usize] != items[i].0 {
                next_key += 1;
            }
            let (_, c, k, _) = distinct[by_key[next_key] as usize];
            let v = d.value_text.len() as u32;
            let (text, number) = match c {
                Canon::Number(x) => (value::format_number(x), x),
                Canon::Text(a, b) => (canon[a..b].to_string(), 0.0),
            };
            if k == Kind::Tokens {
                // The canonical text is the sorted, de-duplicated tokens joined by single spaces.
                ids.clear();
                ids.extend(
                    text.split(' ').filter(|t| !t.is_empty()).map(|t| intern(&mut token_map, &mut token_names, t)),
                );
                ids.sort_unstable();
                d.token_ids.extend_from_slice(&ids);
            }
            d.value_tokens.push(d.token_ids.len() as u32);
            d.value_text.push(text);
            d.value_number.push(number);
            d.value_kind.push(k);
            d.value_object.push(o);
            for item in &items[i..j] {
                d.claim_source.push(item.1);
                d.claim_value.push(v);
            }
            d.value_claims.push(d.claim_source.len() as u32);
            i = j;
        }
        d.object_values.push(d.value_text.len() as u32);
        start = end;
    }
    // Objects whose every row had an empty value have no values; they are dropped with their rows.
    // (An object is only created for a kept row, so every object has at least one value.)

    // Claims per source (counting sort, claims ascending within each source).
    let mut offsets = vec![0u32; d.sources.len() + 1];
    for &s in &d.claim_source {
        offsets[s as usize + 1] += 1;
    }
    for i in 0..d.sources.len() {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut flat = vec![0u32; d.claim_source.len()];
    for (c, &s) in d.claim_source.iter().enumerate() {
        flat[fill[s as usize] as usize] = c as u32;
        fill[s as usize] += 1;
    }
    d.source_offsets = offsets;
    d.source_claims = flat;
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(csv: &str) -> Dataset {
        Dataset::from_csv(csv.as_bytes(), "t.csv", ValueType::Auto).unwrap()
    }

    #[test]
    fn indexes_and_types_values() {
        let d = ds(
            "value,object,source\n1000,pop,b\n\"1,000\",pop,a\n999,pop,c\nSmith John,book,a\njohn  smith,book,b\nx,word,a\n",
        );
        assert_eq!(d.objects, vec!["book", "pop", "word"]);
        assert_eq!(d.sources, vec!["a", "b", "c"]);
        // book: one token-set value claimed by a and b.
        assert_eq!(d.values_of(0), 0..1);
        assert_eq!(d.value_text[0], "john smith");
        assert_eq!(d.value_kind[0], Kind::Tokens);
        // pop: 999 then 1000 (numeric order); "1,000" and "1000" are one value.
        assert_eq!(d.values_of(1), 1..3);
        assert_eq!((d.value_text[1].as_str(), d.value_text[2].as_str()), ("999", "1000"));
        assert_eq!(d.support(2), 2);
        assert_eq!(d.value_kind[3], Kind::Text);
        assert_eq!(d.claims(), 6);
        assert_eq!(d.claims_by(0).len(), 3);
    }

    #[test]
    fn duplicates_and_empty_values_are_counted() {
        let d = ds("object,source,value\no,a,1\no,a,2\no,b,\n");
        assert_eq!((d.claims(), d.duplicates, d.empty_values, d.rows), (1, 1, 1, 3));
        assert_eq!(d.value_text, vec!["1"]);
    }

    #[test]
    fn forced_types() {
        let d = Dataset::from_csv(b"object,source,value\no,a,10\no,b,ten\n", "t", ValueType::Number).unwrap();
        assert_eq!(d.value_kind, vec![Kind::Number, Kind::Text]);
        let d = Dataset::from_csv(b"object,source,value\no,a,10\no,b,010\n", "t", ValueType::Text).unwrap();
        assert_eq!(d.value_text, vec!["010", "10"]);
    }
}
