//! The manifest's TOML, read into one flat tree that keeps every span.
//!
//! `toml_parser` (the lexer and parser under the `toml` crate) turns the text into events; this
//! module folds them straight into a `Vec` of nodes, applying TOML's table rules (implicit,
//! dotted, inline and array-of-tables tables; duplicate keys) the way `toml::de::DeTable` applies
//! them, with the same spans and the same error messages. What it saves over `DeTable`: no token
//! and event buffers as long as the document (the text is lexed and parsed a few thousand tokens
//! at a time, cut at line ends outside brackets), no map allocated per table, and no tree of
//! boxes to free (BENCHMARKS.md §2 has the figures). The tests at the end compare it with
//! `DeTable` on the project's manifest, on M, on cases of each table rule and on generated
//! documents, valid and not, read whole and in the smallest pieces.

use std::borrow::Cow;
use std::hash::Hasher;
use std::ops::Range;

use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::lexer::{Token, TokenKind};
use toml_parser::parser::{EventReceiver, RecursionGuard, ValidateWhitespace};
use toml_parser::{ErrorSink, Expected, ParseError, Raw, Source, Span};

use crate::fxhash::{FxHasher, HashMap};

/// No node: the end of a child list.
const NONE: u32 = u32::MAX;
/// Tables with this many children get their keys hashed; smaller ones are scanned.
const INDEX_AT: u32 = 8;
/// Nesting and dotted-key depth, as `toml` limits it.
const LIMIT: u32 = 80;
/// Tokens parsed at a time (the buffer is cut at the first line end outside brackets after it).
const CHUNK: usize = 4096;

/// A table created by a dotted key or a header's path, not yet defined by a header.
const IMPLICIT: u8 = 1;
/// A table created by a dotted key.
const DOTTED: u8 = 2;
/// An inline table, or a table a dotted key made inside one: closed to headers and dotted keys.
const INLINE: u8 = 4;

/// A TOML syntax or table error, worded as `toml` words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TomlError {
    /// What is wrong, and what was expected.
    pub(crate) message: String,
    /// Where, when known.
    pub(crate) span: Option<Range<usize>>,
    /// What it clashes with, when there is such a place: for a duplicate key or table, its
    /// first declaration's key (or the value a table header would replace).
    pub(crate) context: Option<Range<usize>>,
}

/// A parsed document: the root table is node 0.
pub(crate) struct Tree<'i> {
    src: &'i str,
    nodes: Vec<Node>,
    /// Keys and strings with escapes, decoded.
    owned: Vec<Box<str>>,
    /// Children of large tables by (table, hash of key).
    index: HashMap<(u32, u64), u32>,
    /// The rare second key with the same (table, hash).
    collisions: Vec<(u32, u64, u32)>,
}

/// A key's or string's text: a slice of the source (most are), or an index into
/// [`Tree::owned`] when `len` is [`NONE`].
#[derive(Clone, Copy)]
struct Text {
    at: u32,
    len: u32,
}

impl Text {
    const EMPTY: Text = Text { at: 0, len: 0 };
}

/// 44 bytes: a large manifest holds a value per 18 bytes of text.
struct Node {
    key: Text,
    key_span: [u32; 2],
    span: [u32; 2],
    /// The next entry of the same table or element of the same array.
    next: u32,
    kind: Kind,
}

enum Kind {
    Str(Text),
    /// The value's halves (so a node is 4-aligned), or `None` when it does not fit an `i64`.
    Int(Option<[u32; 2]>),
    Float,
    Bool(bool),
    Datetime,
    Array {
        list: List,
        /// Made by `[[header]]`s.
        tables: bool,
    },
    Table {
        list: List,
        flags: u8,
    },
}

#[derive(Clone, Copy)]
struct List {
    first: u32,
    last: u32,
    len: u32,
}

impl List {
    const EMPTY: List = List {
        first: NONE,
        last: NONE,
        len: 0,
    };
}

fn span32(s: Span) -> [u32; 2] {
    // `parse` refuses texts whose offsets do not fit in `u32`.
    [s.start() as u32, s.end() as u32]
}

fn range(s: [u32; 2]) -> Range<usize> {
    s[0] as usize..s[1] as usize
}

fn key_hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    h.finish()
}

fn type_str(kind: &Kind) -> &'static str {
    match kind {
        Kind::Str(_) => "string",
        Kind::Int(_) => "integer",
        Kind::Float => "float",
        Kind::Bool(_) => "boolean",
        Kind::Datetime => "datetime",
        Kind::Array { .. } => "array",
        Kind::Table { .. } => "table",
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the tree.

/// One value of the tree.
#[derive(Clone, Copy)]
pub(crate) struct Value<'t, 'i> {
    tree: &'t Tree<'i>,
    ix: u32,
}

/// What a value is.
pub(crate) enum Ref<'t, 'i> {
    String(&'t str),
    /// `None` when the integer does not fit in an `i64`.
    Integer(Option<i64>),
    Float,
    Boolean(bool),
    Datetime,
    Array(Array<'t, 'i>),
    Table(Table<'t, 'i>),
}

/// A table of the tree.
#[derive(Clone, Copy)]
pub(crate) struct Table<'t, 'i> {
    tree: &'t Tree<'i>,
    ix: u32,
    list: List,
}

/// An array of the tree.
#[derive(Clone, Copy)]
pub(crate) struct Array<'t, 'i> {
    tree: &'t Tree<'i>,
    list: List,
}

/// One entry of a table: its key, the key's span and its value.
pub(crate) type Entry<'t, 'i> = (&'t str, Range<usize>, Value<'t, 'i>);

impl<'i> Tree<'i> {
    /// How many values the document holds, tables and the root included.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The document's top-level table.
    pub(crate) fn root(&self) -> Table<'_, 'i> {
        match &self.nodes[0].kind {
            Kind::Table { list, .. } => Table {
                tree: self,
                ix: 0,
                list: *list,
            },
            _ => unreachable!("node 0 is the root table"),
        }
    }

    fn children(&self, list: List) -> Children<'_, 'i> {
        Children {
            tree: self,
            at: list.first,
        }
    }

    fn find(&self, table: u32, list: List, key: &str) -> Option<u32> {
        if list.len >= INDEX_AT {
            let h = key_hash(key);
            let &at = self.index.get(&(table, h))?;
            if self.key_is(at, key) {
                return Some(at);
            }
            return self
                .collisions
                .iter()
                .find(|&&(t, hh, n)| t == table && hh == h && self.key_is(n, key))
                .map(|&(_, _, n)| n);
        }
        self.children(list).find(|&n| self.key_is(n, key))
    }

    /// Whether node `n`'s key is `key` (lengths first: most keys differ in length or early).
    #[inline]
    fn key_is(&self, n: u32, key: &str) -> bool {
        let t = self.nodes[n as usize].key;
        if t.len == NONE {
            return self.owned.get(t.at as usize).is_some_and(|s| **s == *key);
        }
        let at = t.at as usize;
        t.len as usize == key.len()
            && self.src.as_bytes().get(at..at + key.len()) == Some(key.as_bytes())
    }

    fn text(&self, t: Text) -> &str {
        if t.len == NONE {
            return self.owned.get(t.at as usize).map_or("", |s| s);
        }
        let (at, len) = (t.at as usize, t.len as usize);
        self.src.get(at..at + len).unwrap_or("")
    }

    /// Where a decoded text lies in the source, or a copy kept aside.
    fn keep(&mut self, text: Cow<'_, str>) -> Text {
        if let Cow::Borrowed(s) = &text {
            // A decoded key or string without escapes is a slice of the source: note where.
            let at = (s.as_ptr() as usize).wrapping_sub(self.src.as_ptr() as usize);
            if at <= self.src.len() && s.len() <= self.src.len() - at {
                return Text {
                    at: at as u32,
                    len: s.len() as u32,
                };
            }
        }
        let at = self.owned.len() as u32;
        self.owned.push(text.into_owned().into_boxed_str());
        Text { at, len: NONE }
    }
}

struct Children<'t, 'i> {
    tree: &'t Tree<'i>,
    at: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let at = self.at;
        let node = self.tree.nodes.get(at as usize)?;
        self.at = node.next;
        Some(at)
    }
}

impl<'t, 'i> Value<'t, 'i> {
    /// Where the value is: the text of a scalar, array or inline table; the header of a table a
    /// header defines; the key of a table a dotted key or header path implies.
    pub(crate) fn span(&self) -> Range<usize> {
        range(self.tree.nodes[self.ix as usize].span)
    }

    /// What the value is.
    pub(crate) fn get(&self) -> Ref<'t, 'i> {
        let tree = self.tree;
        match &tree.nodes[self.ix as usize].kind {
            Kind::Str(s) => Ref::String(tree.text(*s)),
            Kind::Int(i) => {
                Ref::Integer(i.map(|[hi, lo]| (u64::from(hi) << 32 | u64::from(lo)) as i64))
            }
            Kind::Float => Ref::Float,
            Kind::Bool(b) => Ref::Boolean(*b),
            Kind::Datetime => Ref::Datetime,
            Kind::Array { list, .. } => Ref::Array(Array { tree, list: *list }),
            Kind::Table { list, .. } => Ref::Table(Table {
                tree,
                ix: self.ix,
                list: *list,
            }),
        }
    }
}

impl<'t, 'i> Table<'t, 'i> {
    fn entry(&self, n: u32) -> Entry<'t, 'i> {
        let node = &self.tree.nodes[n as usize];
        (
            self.tree.text(node.key),
            range(node.key_span),
            Value {
                tree: self.tree,
                ix: n,
            },
        )
    }

    /// The entry with this key.
    pub(crate) fn get(&self, key: &str) -> Option<Entry<'t, 'i>> {
        let n = self.tree.find(self.ix, self.list, key)?;
        Some(self.entry(n))
    }

    /// The entries, in the order their keys first appear in the document.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Entry<'t, 'i>> + 't {
        let this = *self;
        self.tree.children(self.list).map(move |n| this.entry(n))
    }

    /// How many entries.
    pub(crate) fn len(&self) -> usize {
        self.list.len as usize
    }

    /// Whether there are no entries.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.len == 0
    }
}

impl<'t, 'i> Array<'t, 'i> {
    /// The elements, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Value<'t, 'i>> + 't {
        let tree = self.tree;
        tree.children(self.list).map(move |ix| Value { tree, ix })
    }

    /// How many elements.
    pub(crate) fn len(&self) -> usize {
        self.list.len as usize
    }

    /// Whether there are no elements.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.len == 0
    }
}

// ---------------------------------------------------------------------------------------------
// Building the tree.

/// Parses a document. Errors do not stop the parse: the tree holds what could be read.
pub(crate) fn parse(src: &str) -> (Tree<'_>, Vec<TomlError>) {
    parse_in_chunks(src, CHUNK)
}

fn parse_in_chunks(src: &str, chunk: usize) -> (Tree<'_>, Vec<TomlError>) {
    let mut b = Builder::new(src);
    let mut sink = Sink::default();
    if u32::try_from(src.len()).map_or(true, |n| n == u32::MAX) {
        sink.errors.push(TomlError {
            message: "the manifest is larger than 4 GiB, the most Orbit reads".into(),
            span: None,
            context: None,
        });
        return (b.tree, sink.errors);
    }
    let source = Source::new(src);
    {
        let mut ws = ValidateWhitespace::new(&mut b, source);
        let mut guarded = RecursionGuard::new(&mut ws, LIMIT);
        let mut buf: Vec<Token> = Vec::with_capacity(chunk.saturating_add(64).min(1 << 16));
        // Open brackets, innermost last (`true` for `[`). After a bracket that does not match,
        // the parser's recovery decides what is open: the rest is parsed in one piece.
        let mut open: Vec<bool> = Vec::new();
        let mut whole = false;
        for token in source.lex() {
            let kind = token.kind();
            match kind {
                TokenKind::LeftSquareBracket => open.push(true),
                TokenKind::LeftCurlyBracket => open.push(false),
                TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                    let square = kind == TokenKind::RightSquareBracket;
                    if open.pop() != Some(square) {
                        whole = true;
                    }
                }
                _ => {}
            }
            buf.push(token);
            // A line end outside brackets ends every expression: the parser holds no state
            // across it, so the document can be parsed in pieces.
            if kind == TokenKind::Newline && open.is_empty() && !whole && buf.len() >= chunk {
                toml_parser::parser::parse_document(&buf, &mut guarded, &mut sink);
                buf.clear();
            }
        }
        toml_parser::parser::parse_document(&buf, &mut guarded, &mut sink);
    }
    // A header still open at the end of the text (the parser has reported it).
    b.end_header_at(None, &mut sink);
    (b.tree, sink.errors)
}

#[derive(Default)]
struct Sink {
    errors: Vec<TomlError>,
}

impl ErrorSink for Sink {
    fn report_error(&mut self, error: ParseError) {
        self.errors.push(to_error(&error));
    }
}

/// `toml::de::Error`'s wording of a parser error.
fn to_error(error: &ParseError) -> TomlError {
    let mut message = String::from(error.description());
    if let Some(expected) = error.expected() {
        message.push_str(", expected ");
        if expected.is_empty() {
            message.push_str("nothing");
        }
        for (i, e) in expected.iter().enumerate() {
            if i != 0 {
                message.push_str(", ");
            }
            match e {
                Expected::Literal(lit) => match *lit {
                    "\n" => message.push_str("newline"),
                    "`" => message.push_str("'`'"),
                    s if s.chars().all(|c| c.is_ascii_control()) => {
                        message.push('`');
                        message.extend(s.escape_debug());
                        message.push('`');
                    }
                    s => {
                        message.push('`');
                        message.push_str(s);
                        message.push('`');
                    }
                },
                Expected::Description(d) => message.push_str(d),
                _ => message.push_str("etc"),
            }
        }
    }
    TomlError {
        message,
        span: error.unexpected().map(|s| s.start()..s.end()),
        context: error.context().map(|s| s.start()..s.end()),
    }
}

struct Header {
    open: Span,
    array: bool,
}

struct Builder<'i> {
    tree: Tree<'i>,
    /// The key being read: a dotted key's parts, or a header's path.
    keys: Vec<(Text, Span)>,
    /// Inside `[` or `[[`.
    header: Option<Header>,
    /// The table key-values outside brackets go into.
    table: u32,
    /// Open arrays and inline tables, innermost last.
    open: Vec<u32>,
}

impl<'i> Builder<'i> {
    fn new(src: &'i str) -> Self {
        let root = Node {
            key: Text::EMPTY,
            key_span: [0, 0],
            span: [0, 0],
            next: NONE,
            kind: Kind::Table {
                list: List::EMPTY,
                flags: 0,
            },
        };
        // About one value per 16 bytes of manifest (M and L: one per 18), so the node vector is
        // rarely copied to grow; pages reserved and never written cost nothing.
        let mut nodes = Vec::with_capacity(src.len() / 16 + 1);
        nodes.push(root);
        Builder {
            tree: Tree {
                src,
                nodes,
                owned: Vec::new(),
                index: HashMap::default(),
                collisions: Vec::new(),
            },
            keys: Vec::new(),
            header: None,
            table: 0,
            open: Vec::new(),
        }
    }

    fn raw(&self, span: Span, encoding: Option<Encoding>) -> Raw<'i> {
        let text = self.tree.src.get(span.start()..span.end()).unwrap_or("");
        Raw::new_unchecked(text, encoding, span)
    }

    fn push_node(&mut self, key: Text, key_span: Span, span: Span, kind: Kind) -> u32 {
        let ix = self.tree.nodes.len() as u32;
        self.tree.nodes.push(Node {
            key,
            key_span: span32(key_span),
            span: span32(span),
            next: NONE,
            kind,
        });
        ix
    }

    fn new_table(&mut self, key: Text, key_span: Span, span: Span, flags: u8) -> u32 {
        let kind = Kind::Table {
            list: List::EMPTY,
            flags,
        };
        self.push_node(key, key_span, span, kind)
    }

    fn list(&self, n: u32) -> Option<List> {
        match &self.tree.nodes[n as usize].kind {
            Kind::Table { list, .. } | Kind::Array { list, .. } => Some(*list),
            _ => None,
        }
    }

    fn flags(&self, n: u32) -> u8 {
        match &self.tree.nodes[n as usize].kind {
            Kind::Table { flags, .. } => *flags,
            _ => 0,
        }
    }

    fn set_flags(&mut self, n: u32, f: impl FnOnce(u8) -> u8) {
        if let Kind::Table { flags, .. } = &mut self.tree.nodes[n as usize].kind {
            *flags = f(*flags);
        }
    }

    fn find(&self, table: u32, key: &str) -> Option<u32> {
        let list = self.list(table)?;
        self.tree.find(table, list, key)
    }

    /// Appends `child` to the table or array `parent`.
    fn link(&mut self, parent: u32, child: u32) {
        let nodes = &mut self.tree.nodes;
        let (list, is_table) = match &mut nodes[parent as usize].kind {
            Kind::Table { list, .. } => (list, true),
            Kind::Array { list, .. } => (list, false),
            _ => return,
        };
        let last = list.last;
        list.last = child;
        if list.first == NONE {
            list.first = child;
        }
        list.len += 1;
        let len = list.len;
        let first = list.first;
        if last != NONE {
            nodes[last as usize].next = child;
        }
        if !is_table || len < INDEX_AT {
            return;
        }
        if len == INDEX_AT {
            let mut at = first;
            while at != NONE {
                self.index_key(parent, at);
                at = self.tree.nodes[at as usize].next;
            }
        } else {
            self.index_key(parent, child);
        }
    }

    fn index_key(&mut self, table: u32, n: u32) {
        let h = key_hash(self.tree.text(self.tree.nodes[n as usize].key));
        if let Some(&other) = self.tree.index.get(&(table, h)) {
            if other != n {
                self.tree.collisions.push((table, h, n));
            }
        } else {
            self.tree.index.insert((table, h), n);
        }
    }

    fn error(errors: &mut dyn ErrorSink, message: impl Into<Cow<'static, str>>, at: Span) {
        errors.report_error(ParseError::new(message).with_unexpected(at));
    }

    fn error_in(
        errors: &mut dyn ErrorSink,
        message: impl Into<Cow<'static, str>>,
        at: Span,
        context: [u32; 2],
    ) {
        let context = Span::new_unchecked(context[0] as usize, context[1] as usize);
        errors.report_error(
            ParseError::new(message)
                .with_unexpected(at)
                .with_context(context),
        );
    }

    /// Walks a dotted key's or header's path from `table`, making implicit tables where none
    /// are. `None` (and an error) where the path crosses a value that is not an open table.
    fn descend(
        &mut self,
        mut table: u32,
        path: &[(Text, Span)],
        dotted: bool,
        inline: bool,
        errors: &mut dyn ErrorSink,
    ) -> Option<u32> {
        for (key, span) in path {
            let Some(n) = self.find(table, self.tree.text(*key)) else {
                let flags =
                    IMPLICIT | if dotted { DOTTED } else { 0 } | if inline { INLINE } else { 0 };
                let t = self.new_table(*key, *span, *span, flags);
                self.link(table, t);
                table = t;
                continue;
            };
            let node = &self.tree.nodes[n as usize];
            let old_span = node.span;
            match &node.kind {
                Kind::Table { flags, .. } => {
                    let flags = *flags;
                    if !inline && flags & INLINE != 0 {
                        Self::error(
                            errors,
                            "cannot extend value of type inline table with a dotted key",
                            *span,
                        );
                        return None;
                    }
                    if !inline && dotted && flags & IMPLICIT != 0 {
                        self.set_flags(n, |f| f | DOTTED);
                    }
                    if dotted && flags & IMPLICIT == 0 {
                        Self::error(errors, "duplicate key", *span);
                        return None;
                    }
                    table = n;
                }
                Kind::Array {
                    tables: true, list, ..
                } if !inline => {
                    let last = list.last;
                    match self.tree.nodes.get(last as usize).map(|l| &l.kind) {
                        Some(Kind::Table { .. }) => table = last,
                        other => {
                            let what = other.map_or("array", type_str);
                            let message =
                                format!("cannot extend value of type {what} with a dotted key");
                            Self::error_in(errors, message, *span, old_span);
                            return None;
                        }
                    }
                }
                Kind::Array { tables: false, .. } if !inline => {
                    let message = "cannot extend value of type array with a dotted key";
                    Self::error_in(errors, message, *span, old_span);
                    return None;
                }
                other => {
                    let message = format!(
                        "cannot extend value of type {} with a dotted key",
                        type_str(other)
                    );
                    Self::error_in(errors, message, *span, old_span);
                    return None;
                }
            }
        }
        Some(table)
    }

    /// The key just read, split into its path and its last part. `None` when there is none, or
    /// its path is deeper than `toml` allows (reported).
    #[allow(clippy::type_complexity)]
    fn split_key<'k>(
        keys: &'k [(Text, Span)],
        errors: &mut dyn ErrorSink,
    ) -> Option<(&'k [(Text, Span)], &'k (Text, Span))> {
        let (key, path) = keys.split_last()?;
        if let Some((_, at)) = path.get(LIMIT as usize) {
            // `toml` says only "recursion limit", and nowhere: say what and where.
            let message = format!("a dotted key of more than {LIMIT} parts");
            Self::error(errors, message, *at);
            return None;
        }
        Some((path, key))
    }

    /// Gives back the key buffer [`Builder::place`] and headers borrow, emptied (its
    /// allocation is reused for the next key).
    fn recycle(&mut self, mut keys: Vec<(Text, Span)>) {
        keys.clear();
        self.keys = keys;
    }

    /// Puts a new value where the parser is: into the innermost open array, or under the key
    /// just read in the innermost inline table or the current table.
    fn place(&mut self, kind: Kind, span: Span, errors: &mut dyn ErrorSink) -> u32 {
        if let Some(&top) = self.open.last() {
            if matches!(self.tree.nodes[top as usize].kind, Kind::Array { .. }) {
                self.keys.clear();
                let n = self.push_node(Text::EMPTY, span.before(), span, kind);
                self.link(top, n);
                return n;
            }
        }
        let keys = std::mem::take(&mut self.keys);
        let n = self.place_keyed(&keys, kind, span, errors);
        self.recycle(keys);
        n
    }

    fn place_keyed(
        &mut self,
        keys: &[(Text, Span)],
        kind: Kind,
        span: Span,
        errors: &mut dyn ErrorSink,
    ) -> u32 {
        let Some((path, &(key, key_span))) = Self::split_key(keys, errors) else {
            // No key: the parser has reported it. Keep the value out of the tree.
            return self.push_node(Text::EMPTY, span.before(), span, kind);
        };
        let n = self.push_node(key, key_span, span, kind);
        let inline = self.open.last().copied();
        let dotted = !path.is_empty();
        let parent = match inline {
            Some(t) => self.descend(t, path, true, true, errors),
            None => self.descend(self.table, path, dotted, false, errors),
        };
        let Some(parent) = parent else {
            return n;
        };
        let flags = self.flags(parent);
        // Dotted keys may only add to tables dotted keys made (TOML forbids mixing the forms).
        let mixed = match inline {
            Some(_) => (flags & DOTTED != 0) == path.is_empty(),
            None => dotted && flags & IMPLICIT == 0,
        };
        if mixed {
            Self::error(errors, "duplicate key", key_span);
            return n;
        }
        match self.find(parent, self.tree.text(key)) {
            Some(old) => {
                let old_span = self.tree.nodes[old as usize].key_span;
                Self::error_in(errors, "duplicate key", key_span, old_span);
            }
            None => self.link(parent, n),
        }
        n
    }

    /// A header's `]` or `]]` (or the line end of one left open): the table it names becomes
    /// the one key-values go into.
    fn end_header_at(&mut self, close: Option<Span>, errors: &mut dyn ErrorSink) {
        let Some(header) = self.header.take() else {
            return;
        };
        let span = match close {
            Some(c) => header.open.append(c),
            None => header.open,
        };
        let keys = std::mem::take(&mut self.keys);
        self.table = match Self::split_key(&keys, errors) {
            Some((path, key)) => self
                .header_table(header.array, span, path, key, errors)
                .unwrap_or_else(|| self.new_table(Text::EMPTY, span, span, 0)),
            // Nowhere to go: key-values up to the next header are read into a table outside
            // the tree.
            None => self.new_table(Text::EMPTY, span, span, 0),
        };
        self.recycle(keys);
    }

    /// The table a header names, made or reopened; `None` (and an error) where it cannot be.
    fn header_table(
        &mut self,
        array: bool,
        span: Span,
        path: &[(Text, Span)],
        &(key, key_span): &(Text, Span),
        errors: &mut dyn ErrorSink,
    ) -> Option<u32> {
        let parent = self.descend(0, path, false, false, errors)?;
        let old = self.find(parent, self.tree.text(key));
        if array {
            let array = match old {
                None => {
                    let kind = Kind::Array {
                        list: List::EMPTY,
                        tables: true,
                    };
                    let a = self.push_node(key, key_span, span, kind);
                    self.link(parent, a);
                    a
                }
                Some(a) => match &self.tree.nodes[a as usize].kind {
                    Kind::Array { tables: true, .. } => a,
                    _ => {
                        let old_span = self.tree.nodes[a as usize].span;
                        Self::error_in(errors, "duplicate key", key_span, old_span);
                        return None;
                    }
                },
            };
            let t = self.new_table(Text::EMPTY, span, span, 0);
            self.link(array, t);
            return Some(t);
        }
        let Some(t) = old else {
            let t = self.new_table(key, key_span, span, 0);
            self.link(parent, t);
            return Some(t);
        };
        // An implicit table (a header's path made it) is defined now. Anything else is defined
        // twice: like `toml`, go on into the old table (so its keys are duplicates too), or
        // replace a value that is not one.
        let node = &self.tree.nodes[t as usize];
        let implicit = matches!(node.kind, Kind::Table { flags, .. }
            if flags & IMPLICIT != 0 && flags & DOTTED == 0);
        if !implicit {
            Self::error_in(errors, "duplicate key", key_span, node.key_span);
        }
        let node = &mut self.tree.nodes[t as usize];
        node.span = span32(span);
        if implicit {
            // Defined here. A table defined again keeps its first key, so that a third
            // definition's error also points at the first.
            node.key_span = span32(key_span);
        }
        match &mut node.kind {
            Kind::Table { flags, .. } => *flags &= !(IMPLICIT | DOTTED),
            other => {
                *other = Kind::Table {
                    list: List::EMPTY,
                    flags: 0,
                }
            }
        }
        Some(t)
    }

    fn close(&mut self, close: Span) {
        if let Some(top) = self.open.pop() {
            let node = &mut self.tree.nodes[top as usize];
            node.span[1] = close.end() as u32;
        }
    }

    fn scalar_kind(
        &mut self,
        span: Span,
        encoding: Option<Encoding>,
        errors: &mut dyn ErrorSink,
    ) -> Kind {
        let raw = self.raw(span, encoding);
        let mut text: Cow<'i, str> = Cow::Borrowed("");
        match raw.decode_scalar(&mut text, errors) {
            ScalarKind::String => Kind::Str(self.tree.keep(text)),
            ScalarKind::Boolean(b) => Kind::Bool(b),
            ScalarKind::Float => Kind::Float,
            ScalarKind::Integer(radix) => {
                let value = i64::from_str_radix(&text, radix.value()).ok();
                Kind::Int(value.map(|v| [(v as u64 >> 32) as u32, v as u32]))
            }
            ScalarKind::DateTime => {
                if let Err(e) = text.parse::<toml_datetime::Datetime>() {
                    errors.report_error(ParseError::new(e.to_string()).with_unexpected(span));
                }
                Kind::Datetime
            }
        }
    }
}

impl Builder<'_> {
    /// A header's `[` or `[[`: whatever was open (an unclosed header, array or inline table,
    /// all reported by the parser) ends here.
    fn start_header(&mut self, open: Span, array: bool, errors: &mut dyn ErrorSink) {
        self.end_header_at(None, errors);
        self.open.clear();
        self.keys.clear();
        self.header = Some(Header { open, array });
    }

    /// An array's `[` or an inline table's `{`: placed like any value, then filled until its
    /// close.
    fn open_value(&mut self, kind: Kind, span: Span, errors: &mut dyn ErrorSink) -> bool {
        let n = self.place(kind, span, errors);
        self.open.push(n);
        true
    }
}

impl EventReceiver for Builder<'_> {
    fn std_table_open(&mut self, span: Span, errors: &mut dyn ErrorSink) {
        self.start_header(span, false, errors);
    }

    fn std_table_close(&mut self, span: Span, errors: &mut dyn ErrorSink) {
        self.end_header_at(Some(span), errors);
    }

    fn array_table_open(&mut self, span: Span, errors: &mut dyn ErrorSink) {
        self.start_header(span, true, errors);
    }

    fn array_table_close(&mut self, span: Span, errors: &mut dyn ErrorSink) {
        self.end_header_at(Some(span), errors);
    }

    fn inline_table_open(&mut self, span: Span, errors: &mut dyn ErrorSink) -> bool {
        let kind = Kind::Table {
            list: List::EMPTY,
            flags: INLINE,
        };
        self.open_value(kind, span, errors)
    }

    fn inline_table_close(&mut self, span: Span, _errors: &mut dyn ErrorSink) {
        self.close(span);
    }

    fn array_open(&mut self, span: Span, errors: &mut dyn ErrorSink) -> bool {
        let kind = Kind::Array {
            list: List::EMPTY,
            tables: false,
        };
        self.open_value(kind, span, errors)
    }

    fn array_close(&mut self, span: Span, _errors: &mut dyn ErrorSink) {
        self.close(span);
    }

    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, errors: &mut dyn ErrorSink) {
        let raw = self.raw(span, encoding);
        let mut key: Cow<'_, str> = Cow::Borrowed("");
        raw.decode_key(&mut key, errors);
        let key = self.tree.keep(key);
        self.keys.push((key, span));
    }

    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, errors: &mut dyn ErrorSink) {
        let kind = self.scalar_kind(span, encoding, errors);
        self.place(kind, span, errors);
    }

    fn newline(&mut self, _span: Span, errors: &mut dyn ErrorSink) {
        if self.header.is_some() {
            self.end_header_at(None, errors);
        }
        if self.open.is_empty() {
            self.keys.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use toml::de::{DeTable, DeValue};

    use super::*;

    /// A value with its span, and a table's entries by key with their key spans: what both
    /// readers must agree on, whatever order they keep.
    #[derive(Debug, PartialEq)]
    enum Canon {
        Str(String),
        Int(Option<i64>),
        Float,
        Bool(bool),
        Datetime,
        Array(Vec<(Range<usize>, Canon)>),
        Table(BTreeMap<String, (Range<usize>, Range<usize>, Canon)>),
    }

    fn ours(v: Value<'_, '_>) -> Canon {
        match v.get() {
            Ref::String(s) => Canon::Str(s.to_string()),
            Ref::Integer(i) => Canon::Int(i),
            Ref::Float => Canon::Float,
            Ref::Boolean(b) => Canon::Bool(b),
            Ref::Datetime => Canon::Datetime,
            Ref::Array(a) => Canon::Array(a.iter().map(|v| (v.span(), ours(v))).collect()),
            Ref::Table(t) => ours_table(t),
        }
    }

    fn ours_table(t: Table<'_, '_>) -> Canon {
        Canon::Table(
            t.iter()
                .map(|(k, ks, v)| (k.to_string(), (ks, v.span(), ours(v))))
                .collect(),
        )
    }

    fn theirs(v: &toml::Spanned<DeValue<'_>>) -> Canon {
        match v.get_ref() {
            DeValue::String(s) => Canon::Str(s.to_string()),
            DeValue::Integer(i) => {
                let radix = match i.to_string().get(..2) {
                    Some("0x") => 16,
                    Some("0o") => 8,
                    Some("0b") => 2,
                    _ => 10,
                };
                Canon::Int(i64::from_str_radix(i.as_str(), radix).ok())
            }
            DeValue::Float(_) => Canon::Float,
            DeValue::Boolean(b) => Canon::Bool(*b),
            DeValue::Datetime(_) => Canon::Datetime,
            DeValue::Array(a) => Canon::Array(a.iter().map(|v| (v.span(), theirs(v))).collect()),
            DeValue::Table(t) => theirs_table(t),
        }
    }

    fn theirs_table(t: &DeTable<'_>) -> Canon {
        Canon::Table(
            t.iter()
                .map(|(k, v)| (k.get_ref().to_string(), (k.span(), v.span(), theirs(v))))
                .collect(),
        )
    }

    fn errors_of(mut errors: Vec<TomlError>) -> Vec<(Option<Range<usize>>, String)> {
        let mut out: Vec<_> = errors.drain(..).map(|e| (e.span, e.message)).collect();
        out.sort_by(|a, b| {
            (a.0.as_ref().map(|r| (r.start, r.end)), &a.1)
                .cmp(&(b.0.as_ref().map(|r| (r.start, r.end)), &b.1))
        });
        out.dedup();
        out
    }

    /// Our reading of `src` (whole and cut into the smallest pieces) against `toml`'s.
    fn compare(src: &str) -> Result<(), TestCaseError> {
        let (tree, errors) = parse_in_chunks(src, usize::MAX);
        let (small, small_errors) = parse_in_chunks(src, 1);
        prop_assert_eq!(
            ours_table(tree.root()),
            ours_table(small.root()),
            "pieces: {:?}",
            src
        );
        let ours_errors = errors_of(errors);
        prop_assert_eq!(&ours_errors, &errors_of(small_errors), "pieces: {:?}", src);
        let (root, their_errors) = DeTable::parse_recoverable(src);
        let their_errors: Vec<TomlError> = their_errors
            .into_iter()
            .map(|e| TomlError {
                message: e.message().to_string(),
                span: e.span(),
                context: None,
            })
            .collect();
        let their_errors = errors_of(their_errors);
        // After a syntax error the two recover differently (`toml` reads the lines after an
        // unclosed header as more of its key and decodes no value there, for one), so past the
        // first syntax error (which the same parser reports to both) only the verdict is
        // compared; table errors are compared where the syntax is sound.
        let syntax = |errors: &[(Option<Range<usize>>, String)]| -> Vec<_> {
            errors
                .iter()
                .filter(|(_, m)| m != "duplicate key" && !m.starts_with("cannot extend"))
                .cloned()
                .collect()
        };
        let sound = syntax(&their_errors).is_empty();
        prop_assert_eq!(
            syntax(&ours_errors).into_iter().next(),
            syntax(&their_errors).into_iter().next(),
            "first syntax error: {:?}",
            src
        );
        if sound {
            prop_assert_eq!(&ours_errors, &their_errors, "errors: {:?}", src);
        }
        if ours_errors.is_empty() {
            prop_assert_eq!(
                ours_table(tree.root()),
                theirs_table(root.get_ref()),
                "tree: {:?}",
                src
            );
        }
        Ok(())
    }

    #[test]
    fn a_dotted_key_too_long_is_an_error_where_it_goes_over() {
        let key = vec!["k"; LIMIT as usize + 2].join(".");
        let src = format!("{key} = 1\n");
        let (_, errors) = parse(&src);
        let over = 2 * LIMIT as usize;
        assert_eq!(
            errors,
            [TomlError {
                message: format!("a dotted key of more than {LIMIT} parts"),
                span: Some(over..over + 1),
                context: None,
            }]
        );
        let (_, errors) = parse(&format!("{} = 1\n", vec!["k"; LIMIT as usize].join(".")));
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn a_node_is_small() {
        assert_eq!(std::mem::size_of::<Node>(), 44);
    }

    #[test]
    fn the_projects_manifest_reads_as_toml_reads_it() {
        let src = include_str!("../../orbit.toml");
        compare(src).unwrap();
    }

    #[test]
    fn a_medium_manifest_reads_as_toml_reads_it() {
        let src = crate::synth::manifest(crate::synth::Size::Medium);
        compare(&src).unwrap();
    }

    #[test]
    fn table_rules() {
        for src in [
            "a = 1\na = 2\n",
            "[a]\nx = 1\n[a]\ny = 2\n",
            "[a.b]\n[a]\nx = 1\n",
            "[a]\nb.c = 1\n[a.b]\n",
            "[a]\nb.c = 1\n[a.b.d]\n",
            "[a.b.c]\n[a]\nb.d = 1\n[a.b]\n",
            "[a.b.c]\n[a]\nb.d = 1\n[a.b.e]\n",
            "a = {x = 1}\na.y = 2\n",
            "a = {x = 1}\n[a.b]\n",
            "a = [1]\n[[a]]\n",
            "[[a]]\nx = 1\n[[a]]\nx = 2\n[a.b]\ny = 3\n",
            "[[a.b]]\n[a]\nc = 1\n",
            "a.b = 1\n[a]\n",
            "a = 1\n[a]\nx = 2\n",
            "a = {b.c = 1, b.d = 2}\n",
            "a = {b = {c = 1}, b.d = 2}\n",
            "a = {b.c = 1, b = 2}\n",
            "x = 0x1F\ny = -0o17\nz = 0b101\nw = 9223372036854775808\n",
            "d = 1979-13-45\n",
            "n = -5\nm = -9223372036854775808\nk = 9223372036854775807\nj = 1_000\n",
            "\"a.b\" = 1\n'c' = 2\n\"\\u0041\" = 3\n",
            "a = [\n  1,\n  [2, {x = 3}],\n]\n",
            "[a]\n[b]\n[a]\n",
            "[ a . b ]\n",
            "a = \"unterminated\n",
            "a = [1, 2\n[b]\nc = 1\n",
        ] {
            compare(src).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    fn line() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            Just("a"),
            Just("b"),
            Just("c"),
            Just("\"a\""),
            Just("'b'"),
            Just("a.b"),
            Just("a.c"),
            Just("b.a"),
            Just("a . b"),
            Just("\"x y\""),
            Just("a.\"b.c\""),
            Just("a.b.c"),
            Just("c.a.b"),
        ];
        let value = prop_oneof![
            Just("1"),
            Just("\"s\""),
            Just("'lit'"),
            Just("true"),
            Just("1.5"),
            Just("1979-05-27"),
            Just("[1, 2]"),
            Just("[]"),
            Just("{}"),
            Just("{x = 1}"),
            Just("{a.b = 1, a.c = 2}"),
            Just("[{a = 1}, {b = 2}]"),
            Just("\"e\\tscape\""),
            Just("\"\"\"ml\nstring\"\"\""),
            Just("0x10"),
            Just("[\n 1,\n 2,\n]"),
            Just("{a = 1, a = 2}"),
            Just("{a = {b = 1}, a.c = 2}"),
            Just("{a.b = 1, a = 2}"),
            Just("{\n  a = 1,\n  b.c = [{d = 1}],\n}"),
            Just("[[1], [[2]], {}]"),
            Just("-0x1"),
            Just("1979-05-27T07:32:00Z"),
            Just("07:32:00"),
            Just("nan"),
        ];
        prop_oneof![
            4 => (key.clone(), value).prop_map(|(k, v)| format!("{k} = {v}")),
            2 => key.clone().prop_map(|k| format!("[{k}]")),
            1 => key.prop_map(|k| format!("[[{k}]]")),
            1 => prop_oneof![
                Just("# comment"),
                Just(""),
                Just("="),
                Just("["),
                Just("a ="),
                Just("]]"),
                Just("{"),
                Just("a = [1,"),
                Just("a = }"),
                Just("[a"),
            ]
            .prop_map(String::from),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn reads_generated_documents_as_toml_does(lines in prop::collection::vec(line(), 0..10)) {
            compare(&lines.join("\n"))?;
        }

        #[test]
        fn never_panics(src in "\\PC{0,200}") {
            let _ = parse_in_chunks(&src, 1);
            let _ = parse(&src);
        }

        /// TOML's own punctuation in any order: every recovery path of the parser, and the
        /// same verdict as `toml`'s, wherever the text is cut.
        #[test]
        fn never_panics_on_toml_punctuation(src in "[\\[\\]{}=,.\"'ab1 \n#]{0,120}") {
            let (_, whole) = parse_in_chunks(&src, usize::MAX);
            let (_, pieces) = parse_in_chunks(&src, 1);
            prop_assert_eq!(whole.is_empty(), pieces.is_empty());
            let (_, theirs) = DeTable::parse_recoverable(&src);
            prop_assert_eq!(whole.is_empty(), theirs.is_empty(), "verdict on {:?}", src);
        }
    }
}
