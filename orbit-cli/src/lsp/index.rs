//! Where the ids stand in an `orbit.toml`: its tables and every id-valued string, found by a
//! lexical scan that never fails (the document is often half typed).
//!
//! The rules themselves are the engine's ([`orbit_engine::check`]); this index only locates
//! text, so that hover, go to definition, references, completion and code actions can find
//! what is under the cursor. It is built once per change of the document.

use std::ops::Range;

/// A top-level table family of the manifest (the engine's `keys::ROOT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `[orbit]`.
    Orbit,
    /// `[environment.CODE]`.
    Environment,
    /// `[region.KEY]`.
    Region,
    /// `[flow.flow-N]`.
    Flow,
    /// `[component.cN]`.
    Component,
    /// `[microservice.MID]`.
    Microservice,
    /// `[resource.RID]`.
    Resource,
    /// `[leg.NAME]`.
    Leg,
    /// `[event.NAME]`.
    Event,
    /// `[[waiver]]`.
    Waiver,
    /// Anything else (an unknown table, ORB002).
    Unknown,
}

impl Family {
    /// The family named `name`.
    pub fn of(name: &str) -> Family {
        match name {
            "orbit" => Family::Orbit,
            "environment" => Family::Environment,
            "region" => Family::Region,
            "flow" => Family::Flow,
            "component" => Family::Component,
            "microservice" => Family::Microservice,
            "resource" => Family::Resource,
            "leg" => Family::Leg,
            "event" => Family::Event,
            "waiver" => Family::Waiver,
            _ => Family::Unknown,
        }
    }

    /// The keys a table of this family allows (the engine's key tables, as `orbit schema`).
    pub fn keys(self) -> &'static [&'static str] {
        use orbit_engine::keys;
        match self {
            Family::Orbit => keys::ORBIT,
            Family::Environment => keys::ENVIRONMENT,
            Family::Region => keys::REGION,
            Family::Flow => keys::FLOW,
            Family::Component => keys::COMPONENT,
            Family::Microservice => keys::MICROSERVICE,
            Family::Resource => keys::RESOURCE,
            Family::Leg => keys::LEG,
            Family::Event => keys::EVENT,
            Family::Waiver => keys::WAIVER,
            Family::Unknown => &[],
        }
    }
}

/// What an id-valued string (or a table header's key) stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A table header's key: the declaration of a flow, component, MID, RID, leg, event,
    /// environment or region.
    Header(Family),
    /// An entry of a flow's `components`.
    Component,
    /// A resource's or a leg's `flow`.
    Flow,
    /// An event's `mid`.
    Mid,
    /// An event's `rid`.
    Rid,
    /// An entry of `[orbit]`'s `retired`.
    Retired,
    /// A part's `pid`, whole.
    Pid,
    /// The start MID or RID inside a `pid`.
    PidStart,
    /// The end MID or RID inside a `pid`.
    PidEnd,
    /// The execution order (`e15`) inside a `pid`.
    PidOrder,
    /// A waiver's `id`.
    WaiverId,
    /// A waiver's `code`.
    WaiverCode,
    /// A resource's `kind`.
    Kind,
}

impl Slot {
    /// The slot of a string under `key` in a table of `family`, if it holds an id.
    pub fn of(family: Family, key: &str) -> Option<Slot> {
        Some(match (family, key) {
            (Family::Flow, "components") => Slot::Component,
            (Family::Resource | Family::Leg, "flow") => Slot::Flow,
            (Family::Event, "mid") => Slot::Mid,
            (Family::Event, "rid") => Slot::Rid,
            (Family::Orbit, "retired") => Slot::Retired,
            (Family::Leg, "pid") => Slot::Pid,
            (Family::Waiver, "id") => Slot::WaiverId,
            (Family::Waiver, "code") => Slot::WaiverCode,
            (Family::Resource, "kind") => Slot::Kind,
            _ => return None,
        })
    }
}

/// One table of the document.
#[derive(Debug, Clone)]
pub struct Table {
    /// Its family.
    pub family: Family,
    /// Its key as written (`c8bms18`), empty for `[orbit]` and `[[waiver]]`.
    pub key: String,
    /// The header line's text range (from `[` to the line end).
    pub header: Range<usize>,
    /// The key's range inside the header (empty at the header's end when there is none).
    pub key_span: Range<usize>,
    /// Where the table's body ends: the next header's start, or the text's end.
    pub end: usize,
}

/// An id-valued string or header key.
#[derive(Debug, Clone)]
pub struct Token {
    /// The text's range (inside the quotes).
    pub span: Range<usize>,
    /// What it stands for.
    pub slot: Slot,
}

/// The tables and id tokens of a manifest's text.
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Tables in text order.
    pub tables: Vec<Table>,
    /// Tokens in text order (a `pid`'s parts right after it).
    pub tokens: Vec<Token>,
}

impl Index {
    /// Scans `text`.
    pub fn new(text: &str) -> Self {
        let mut lx = Lexer::new(text, 0);
        let mut index = Index::default();
        lx.run(text.len(), &mut index);
        index
    }

    /// The innermost token holding byte `offset` (its end counts: the cursor after an id).
    pub fn token_at(&self, offset: usize) -> Option<&Token> {
        let upto = self.tokens.partition_point(|t| t.span.start <= offset);
        self.tokens[..upto]
            .iter()
            .rev()
            .take(4)
            .filter(|t| t.span.end >= offset)
            .min_by_key(|t| t.span.len())
    }

    /// The token of `slot` holding byte `offset` (a part's whole `pid` around one of its ids).
    pub fn enclosing(&self, offset: usize, slot: Slot) -> Option<&Token> {
        let upto = self.tokens.partition_point(|t| t.span.start <= offset);
        self.tokens[..upto]
            .iter()
            .rev()
            .take(4)
            .find(|t| t.slot == slot && t.span.end >= offset)
    }

    /// The table whose header or body holds byte `offset`.
    pub fn table_at(&self, offset: usize) -> Option<(usize, &Table)> {
        let i = self.tables.partition_point(|t| t.header.start <= offset);
        let i = i.checked_sub(1)?;
        Some((i, &self.tables[i]))
    }

    /// The table declaring `key` in `family`.
    pub fn declaration(&self, family: Family, key: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.family == family && t.key == key)
    }
}

/// The lexical state at a place in the text, for completion.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The enclosing table's family and key, when there is one.
    pub table: Option<(Family, String)>,
    /// The last key assigned before the place (`components`, `pid` …).
    pub key: Option<String>,
    /// The place is inside a string: where its text starts.
    pub string_start: Option<usize>,
    /// The place stands where a key may (line start, after `{` or `,` in an inline table):
    /// where the key typed so far starts (the place itself when nothing is typed).
    pub key_start: Option<usize>,
    /// The place ends a bare word (a key or a value being typed): where it starts.
    pub word_start: Option<usize>,
    /// The place is after `key =` with no value begun yet.
    pub after_equals: bool,
    /// The place is inside an inline table (a leg's part).
    pub inline: bool,
    /// The execution orders of the parts before the place, in its table.
    pub orders: Vec<u16>,
}

/// The context at `offset`: the text is scanned from the enclosing table's header only.
pub fn context_at(text: &str, offset: usize) -> Context {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = header_start_before(text, offset);
    let mut lx = Lexer::new(text, start);
    lx.cursor = Some(offset);
    let mut scratch = Index::default();
    lx.run(offset, &mut scratch);
    let table = scratch.tables.last().map(|t| (t.family, t.key.clone()));
    let in_string = lx.open_string.is_some();
    Context {
        table,
        key: lx.last_key.map(|k| text[k].to_string()),
        string_start: lx.open_string,
        key_start: (lx.key_position && !in_string).then(|| lx.word_start.unwrap_or(offset)),
        word_start: lx.word_start.filter(|_| !in_string),
        after_equals: lx.after_equals,
        inline: lx.braces > 0,
        orders: scratch
            .tokens
            .iter()
            .filter(|t| t.slot == Slot::PidOrder)
            .filter_map(|t| text.get(t.span.clone())?.strip_prefix('e')?.parse().ok())
            .collect(),
    }
}

/// The start of the last line before `offset` that opens a table header (or 0).
fn header_start_before(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    let mut line_end = offset;
    loop {
        let line_start = b[..line_end]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        let first = b[line_start..]
            .iter()
            .position(|&c| c != b' ' && c != b'\t');
        if first.is_some_and(|f| b.get(line_start + f) == Some(&b'[')) {
            let line = &text[line_start..line_end_of(b, line_start)];
            if looks_like_header(line) {
                return line_start;
            }
        }
        if line_start == 0 {
            return 0;
        }
        line_end = line_start - 1;
    }
}

fn line_end_of(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |i| from + i)
}

/// A line that can only be a table header: `[name.key]` or `[[name]]`, words, dots, quotes and
/// spaces between the brackets, and nothing but a comment after them. (An array value on a line
/// of its own, inside a multi-line array, holds commas, digits first or quotes first.)
fn looks_like_header(line: &str) -> bool {
    let t = line.trim();
    let Some(inner) = t.strip_prefix('[') else {
        return false;
    };
    let inner = inner.strip_prefix('[').unwrap_or(inner);
    let Some(first) = inner.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return false;
    }
    let Some(close) = inner.find(']') else {
        // Being typed: `[microservice.c8`.
        return inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    };
    let (keys, after) = inner.split_at(close);
    let after = after.trim_start_matches(']').trim();
    keys.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '"' | '\'' | ' '))
        && (after.is_empty() || after.starts_with('#'))
}

struct Lexer<'t> {
    text: &'t str,
    b: &'t [u8],
    i: usize,
    /// The last key assigned (its range), reset at each header and at a line end outside
    /// brackets.
    last_key: Option<Range<usize>>,
    /// Open `[` and `{` of values.
    brackets: usize,
    /// Open `{` of values.
    braces: usize,
    family: Family,
    table: Option<u32>,
    /// Completion: where to stop, and what was open there.
    cursor: Option<usize>,
    open_string: Option<usize>,
    word_start: Option<usize>,
    after_equals: bool,
    /// Only spaces since the line start, `{` or `,` in an inline table.
    key_position: bool,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str, start: usize) -> Self {
        Lexer {
            text,
            b: text.as_bytes(),
            i: start,
            last_key: None,
            brackets: 0,
            braces: 0,
            family: Family::Unknown,
            table: None,
            cursor: None,
            open_string: None,
            word_start: None,
            after_equals: false,
            key_position: true,
        }
    }

    /// Scans up to `stop` (the text's end, or the cursor).
    fn run(&mut self, stop: usize, out: &mut Index) {
        let b = self.b;
        let mut line_start = true;
        while self.i < stop {
            let c = b[self.i];
            if line_start {
                // Spaces, then perhaps a header.
                while self.i < stop && matches!(b[self.i], b' ' | b'\t') {
                    self.i += 1;
                }
                line_start = false;
                if self.i >= stop {
                    break;
                }
                if b[self.i] == b'[' {
                    let end = line_end_of(b, self.i);
                    if self.brackets == 0 || looks_like_header(&self.text[self.i..end]) {
                        self.header(end.min(stop), out);
                        continue;
                    }
                }
                continue;
            }
            match c {
                b'\n' => {
                    self.i += 1;
                    line_start = true;
                    if self.brackets == 0 {
                        self.last_key = None;
                        self.after_equals = false;
                    }
                    self.key_position = self.brackets == 0 || self.braces > 0;
                }
                b'#' => {
                    self.i = line_end_of(b, self.i).min(stop);
                }
                b'"' | b'\'' => self.string(c, stop, out),
                b'[' => {
                    self.brackets += 1;
                    self.after_equals = false;
                    self.key_position = false;
                    self.i += 1;
                }
                b'{' => {
                    self.brackets += 1;
                    self.braces += 1;
                    self.after_equals = false;
                    self.key_position = true;
                    self.i += 1;
                }
                b']' => {
                    self.brackets = self.brackets.saturating_sub(1);
                    self.key_position = false;
                    self.i += 1;
                }
                b'}' => {
                    self.brackets = self.brackets.saturating_sub(1);
                    self.braces = self.braces.saturating_sub(1);
                    self.key_position = false;
                    self.i += 1;
                }
                b',' => {
                    self.after_equals = false;
                    self.key_position = self.braces > 0;
                    self.i += 1;
                }
                b'=' => {
                    self.after_equals = true;
                    self.key_position = false;
                    self.i += 1;
                }
                b' ' | b'\t' | b'\r' => self.i += 1,
                _ if is_bare(c) => self.word(stop),
                _ => {
                    // Any other character (non-ASCII in a bare value is a TOML error): skip
                    // it whole.
                    self.after_equals = false;
                    self.key_position = false;
                    self.i += utf8_len(c);
                }
            }
        }
        if let Some(t) = self.table {
            if let Some(table) = out.tables.get_mut(t as usize) {
                table.end = stop;
            }
        }
    }

    fn header(&mut self, end: usize, out: &mut Index) {
        let b = self.b;
        let start = self.i;
        if let Some(t) = self.table {
            if let Some(table) = out.tables.get_mut(t as usize) {
                table.end = start;
            }
        }
        self.brackets = 0;
        self.braces = 0;
        self.last_key = None;
        self.after_equals = false;
        self.key_position = true;
        let mut j = start + 1;
        if b.get(j) == Some(&b'[') {
            j += 1;
        }
        // Segments separated by dots, each bare or quoted, up to `]`.
        let mut segments: Vec<Range<usize>> = Vec::new();
        loop {
            while j < end && matches!(b[j], b' ' | b'\t') {
                j += 1;
            }
            if j >= end || b[j] == b']' || b[j] == b'#' {
                break;
            }
            if b[j] == b'"' || b[j] == b'\'' {
                let q = b[j];
                let s = j + 1;
                let mut k = s;
                while k < end && b[k] != q {
                    k += 1;
                }
                segments.push(s..k);
                j = (k + 1).min(end);
            } else {
                let s = j;
                while j < end && !matches!(b[j], b'.' | b']' | b' ' | b'\t' | b'#' | b'"' | b'\'') {
                    j += utf8_len(b[j]);
                }
                let j2 = j.min(end);
                segments.push(s..j2);
                j = j2;
            }
            while j < end && matches!(b[j], b' ' | b'\t') {
                j += 1;
            }
            if j < end && b[j] == b'.' {
                j += 1;
                if j >= end {
                    // `[microservice.` being typed: an empty key.
                    segments.push(end..end);
                }
            } else {
                break;
            }
        }
        let family = segments
            .first()
            .map_or(Family::Unknown, |s| Family::of(&self.text[s.clone()]));
        let key_span = segments.get(1).cloned().unwrap_or(end..end);
        self.family = family;
        let t = out.tables.len() as u32;
        self.table = Some(t);
        let mut line_end = end;
        while line_end > start && matches!(b[line_end - 1], b'\r') {
            line_end -= 1;
        }
        out.tables.push(Table {
            family,
            key: self.text[key_span.clone()].to_string(),
            header: start..line_end,
            key_span: key_span.clone(),
            end: self.text.len(),
        });
        if segments.len() >= 2 && !key_span.is_empty() {
            out.tokens.push(Token {
                span: key_span,
                slot: Slot::Header(family),
            });
        }
        self.i = end;
    }

    fn string(&mut self, q: u8, stop: usize, out: &mut Index) {
        let b = self.b;
        let start = self.i;
        let was_key_position = self.key_position;
        self.key_position = false;
        // Multi-line strings: skipped whole (docs, never ids).
        if b.get(start + 1) == Some(&q) && b.get(start + 2) == Some(&q) {
            let mut k = start + 3;
            loop {
                if k + 2 >= b.len() || k >= stop {
                    self.i = b.len().min(stop);
                    if k >= stop && self.cursor.is_some() {
                        self.open_string = Some(start + 3);
                    }
                    return;
                }
                if q == b'"' && b[k] == b'\\' {
                    k += 2;
                    continue;
                }
                if b[k] == q && b[k + 1] == q && b[k + 2] == q {
                    self.i = k + 3;
                    self.after_equals = false;
                    return;
                }
                k += 1;
            }
        }
        let s = start + 1;
        let mut k = s;
        while k < stop && b[k] != q && b[k] != b'\n' {
            if q == b'"' && b[k] == b'\\' {
                k += 1;
            }
            k += 1;
        }
        let k = k.min(stop);
        if k >= stop && self.cursor.is_some() {
            // The cursor is inside this string.
            self.open_string = Some(s);
            self.i = stop;
            return;
        }
        let closed = k < b.len() && b[k] == q;
        self.i = if closed { k + 1 } else { k };
        // A quoted key: `"pid" = …`.
        let mut j = self.i;
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        if was_key_position && b.get(j) == Some(&b'=') {
            self.last_key = Some(s..k);
            return;
        }
        self.after_equals = false;
        let Some(key) = self.last_key.clone() else {
            return;
        };
        if self.table.is_none() {
            return;
        }
        let Some(slot) = Slot::of(self.family, &self.text[key]) else {
            return;
        };
        out.tokens.push(Token { span: s..k, slot });
        if slot == Slot::Pid {
            // `start-end-eNN`: the two ids and the order.
            let text = &self.text[s..k];
            let mut at = s;
            for (n, part) in text.splitn(3, '-').enumerate() {
                let slot = match n {
                    0 => Slot::PidStart,
                    1 => Slot::PidEnd,
                    _ => Slot::PidOrder,
                };
                out.tokens.push(Token {
                    span: at..at + part.len(),
                    slot,
                });
                at += part.len() + 1;
            }
        }
    }

    fn word(&mut self, stop: usize) {
        let b = self.b;
        let start = self.i;
        let mut k = start;
        while k < stop && (is_bare(b[k]) || b[k] == b'.') {
            k += 1;
        }
        let at_key = self.key_position;
        self.i = k;
        if k >= stop && self.cursor.is_some() {
            self.word_start = Some(start);
            return;
        }
        let mut j = k;
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        if at_key && b.get(j) == Some(&b'=') && b.get(j + 1) != Some(&b'=') {
            // A key; a dotted key's last part names the value.
            let word = &self.text[start..k];
            let last = word.rfind('.').map_or(start, |d| start + d + 1);
            self.last_key = Some(last..k);
        } else {
            self.after_equals = false;
        }
        self.key_position = false;
    }
}

fn is_bare(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// The length of the UTF-8 sequence a byte starts (1 for a stray continuation byte).
fn utf8_len(c: u8) -> usize {
    match c {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"# comment [not.a.header]
[orbit]
name = "demo"
retired = [
  "c8bms27", # gone
]

[flow.flow-4]
name = "Portal"
components = ["c8", "c12"]

[microservice.c8fms03]
name = "Upload Board"
doc = """
[microservice.c8fms99] is not a header
"""

[leg.manifest-input]
flow = "flow-4"
parts = [
  { pid = "c8fms03-c20bre06-e15", doc = "é" },
]
"#;

    fn texts(ix: &Index, slot: Slot) -> Vec<&str> {
        ix.tokens
            .iter()
            .filter(|t| t.slot == slot)
            .map(|t| &DOC[t.span.clone()])
            .collect()
    }

    #[test]
    fn finds_tables_and_id_tokens() {
        let ix = Index::new(DOC);
        let keys: Vec<(Family, &str)> = ix
            .tables
            .iter()
            .map(|t| (t.family, t.key.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                (Family::Orbit, ""),
                (Family::Flow, "flow-4"),
                (Family::Microservice, "c8fms03"),
                (Family::Leg, "manifest-input"),
            ]
        );
        assert_eq!(texts(&ix, Slot::Retired), ["c8bms27"]);
        assert_eq!(texts(&ix, Slot::Component), ["c8", "c12"]);
        assert_eq!(texts(&ix, Slot::Flow), ["flow-4"]);
        assert_eq!(texts(&ix, Slot::Pid), ["c8fms03-c20bre06-e15"]);
        assert_eq!(texts(&ix, Slot::PidStart), ["c8fms03"]);
        assert_eq!(texts(&ix, Slot::PidEnd), ["c20bre06"]);
        assert_eq!(texts(&ix, Slot::PidOrder), ["e15"]);
        let at = DOC.find("c20bre06").unwrap() + 2;
        assert_eq!(ix.token_at(at).map(|t| t.slot), Some(Slot::PidEnd));
        let (_, t) = ix.table_at(at).unwrap();
        assert_eq!(t.key, "manifest-input");
        assert_eq!(
            ix.declaration(Family::Flow, "flow-4")
                .map(|t| &DOC[t.key_span.clone()]),
            Some("flow-4")
        );
    }

    #[test]
    fn context_for_completion() {
        let text = "[flow.flow-4]\ncomponents = [\"c8\", \"c1";
        let cx = context_at(text, text.len());
        assert_eq!(cx.table, Some((Family::Flow, "flow-4".into())));
        assert_eq!(cx.key.as_deref(), Some("components"));
        assert_eq!(cx.string_start, Some(text.len() - 2));

        let text = "[leg.x]\nflow = \"flow-4\"\nparts = [\n  { pid = \"c8fms03-c20bre06-e15\", ins";
        let cx = context_at(text, text.len());
        assert!(cx.inline);
        assert_eq!(cx.key_start, Some(text.len() - 3));

        let text = "[microservice.c8fms03]\nna";
        let cx = context_at(text, text.len());
        assert_eq!(cx.key_start, Some(text.len() - 2));
        assert!(!cx.inline);

        let text = "[event.e]\nmid = ";
        let cx = context_at(text, text.len());
        assert!(cx.after_equals);
        assert_eq!(cx.key.as_deref(), Some("mid"));
    }

    #[test]
    fn an_unclosed_array_does_not_hide_later_tables() {
        let text = "[flow.flow-4]\ncomponents = [\"c8\",\n\n[component.c8]\nname = \"x\"\n";
        let ix = Index::new(text);
        assert_eq!(ix.tables.len(), 2);
        assert_eq!(ix.tables[1].key, "c8");
    }

    #[test]
    fn any_text_scans() {
        for text in [
            "",
            "[",
            "[[",
            "\"",
            "'''",
            "[a.\"",
            "x = \"\\",
            "é[é.é]\n\"é",
            "[leg.x]\npid=\"-\"",
            "{{{{]]]]",
        ] {
            let ix = Index::new(text);
            for i in 0..=text.len() {
                let _ = ix.token_at(i);
                let _ = context_at(text, i);
            }
        }
    }
}
