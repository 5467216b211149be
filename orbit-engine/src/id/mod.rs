//! The grammar of every kind of k8or Orbit identifier, usable without a manifest.
//!
//! Each identifier parses into a small `Copy` value that keeps its structure (component number,
//! type, identifier, execution order …) and formats back to its one canonical text. Parsing never
//! allocates on success; a failure is an [`IdError`] that says what is wrong, where in the text,
//! and, when the intent is clear, the canonical spelling to use instead.
//!
//! ```
//! use orbit_engine::id::{Mid, Pid, ServiceKind};
//!
//! let mid: Mid = "c8fms03".parse()?;
//! assert_eq!((mid.component, mid.kind, mid.number), (8, ServiceKind::Frontend, 3));
//! assert_eq!(mid.to_string(), "c8fms03");
//!
//! let pid: Pid = "c8fms03-c20bre06-e15".parse()?;
//! assert_eq!(pid.order, 15);
//!
//! let err = "c8fms3".parse::<Mid>().unwrap_err();
//! assert_eq!(err.suggestion(), Some("c8fms03"));
//! # Ok::<(), orbit_engine::id::IdError>(())
//! ```

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// The largest number an identifier, execution order or component may carry (three digits).
pub const MAX_NUMBER: u16 = 999;
/// The largest flow or component number the grammar accepts.
pub const MAX_GROUP: u16 = 9999;

/// The kinds of identifier Orbit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// `flow-16`
    Flow,
    /// `c20`
    Component,
    /// `c8fms03`
    Mid,
    /// `c20bre06`
    Rid,
    /// `c8fms03-c20bre06-e15`
    Pid,
    /// `user-input-manifest-data-1606-tbl-k8d-aws`
    PhysicalName,
    /// `flow-4-infrastructure-rep-k8d-aws`
    Repository,
    /// `k8d`
    Environment,
}

impl IdKind {
    /// A short human name: "MID", "flow id" …
    pub fn describe(self) -> &'static str {
        match self {
            IdKind::Flow => "flow id",
            IdKind::Component => "component id",
            IdKind::Mid => "MID",
            IdKind::Rid => "RID",
            IdKind::Pid => "PID",
            IdKind::PhysicalName => "physical name",
            IdKind::Repository => "flow repository name",
            IdKind::Environment => "environment code",
        }
    }

    /// The canonical form, as a pattern with an example.
    pub fn form(self) -> &'static str {
        match self {
            IdKind::Flow => "`flow-N` with N a positive number, e.g. `flow-16`",
            IdKind::Component => "`cN` with N a positive number, e.g. `c20`",
            IdKind::Mid => {
                "`c<component><fms|bms><NN>` with a 2-digit (or 3-digit from 100) identifier, e.g. `c8fms03`"
            }
            IdKind::Rid => {
                "`c<component>bre<NN>` with a 2-digit (or 3-digit from 100) identifier, e.g. `c20bre06`"
            }
            IdKind::Pid => "`<start>-<end>-e<NN>` with a MID or RID at each end, e.g. `c8fms03-c20bre06-e15`",
            IdKind::PhysicalName => {
                "`<name>-<serial>-tbl|bkt-<env>-<cloud>` or `<name>_<serial>_dtb_<env>_<cloud>`, e.g. `user-input-manifest-data-1606-tbl-k8d-aws`"
            }
            IdKind::Repository => {
                "`flow-N-<kind>-rep-<env>-<cloud>`, e.g. `flow-4-infrastructure-rep-k8d-aws`"
            }
            IdKind::Environment => "lowercase letters and digits, e.g. `k8d`",
        }
    }
}

impl fmt::Display for IdKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One way a text breaks the grammar, located in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong, in a sentence without a trailing period.
    pub message: String,
    /// Byte range of the offending part of the text.
    pub span: Range<usize>,
}

/// Why a text is not a well-formed identifier of the kind asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError {
    kind: IdKind,
    problems: Vec<Problem>,
    suggestion: Option<String>,
}

impl IdError {
    fn new(kind: IdKind, message: impl Into<String>, span: Range<usize>) -> Self {
        IdError {
            kind,
            problems: vec![Problem {
                message: message.into(),
                span,
            }],
            suggestion: None,
        }
    }

    fn suggest(mut self, s: impl Into<String>) -> Self {
        self.suggestion = Some(s.into());
        self
    }

    /// The kind of identifier that was expected.
    pub fn kind(&self) -> IdKind {
        self.kind
    }

    /// Every problem found, in text order (at least one).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The first problem's message.
    pub fn message(&self) -> &str {
        &self.problems[0].message
    }

    /// Byte range of the first problem within the parsed text.
    pub fn span(&self) -> Range<usize> {
        self.problems[0].span.clone()
    }

    /// The canonical spelling the text most likely meant, when there is one.
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "malformed {}: ", self.kind)?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(&p.message)?;
        }
        if let Some(s) = &self.suggestion {
            write!(f, " (write `{s}`)")?;
        }
        Ok(())
    }
}

impl std::error::Error for IdError {}

/// Writes `n` as an identifier: two digits below 100, three from 100.
pub fn write_number(f: &mut impl fmt::Write, n: u16) -> fmt::Result {
    if n < 10 {
        write!(f, "0{n}")
    } else {
        write!(f, "{n}")
    }
}

/// Reads a run of ASCII digits starting at `at`; returns the end index.
fn digits_end(b: &[u8], at: usize) -> usize {
    let mut i = at;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

fn letters_end(b: &[u8], at: usize) -> usize {
    let mut i = at;
    while i < b.len() && b[i].is_ascii_alphabetic() {
        i += 1;
    }
    i
}

/// Parses a component or flow number: digits without leading zeros, 1..=MAX_GROUP.
fn group_number(s: &str, kind: IdKind, what: &str, offset: usize) -> Result<u16, IdError> {
    let span = offset..offset + s.len();
    if s.is_empty() {
        return Err(IdError::new(
            kind,
            format!("{what} number is missing"),
            span,
        ));
    }
    if !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(IdError::new(
            kind,
            format!("{what} number `{s}` is not a number"),
            span,
        ));
    }
    let trimmed = s.trim_start_matches('0');
    if trimmed.is_empty() {
        return Err(IdError::new(
            kind,
            format!("{what} number `{s}` must be positive"),
            span,
        ));
    }
    if trimmed.len() != s.len() {
        return Err(IdError::new(
            kind,
            format!("{what} number `{s}` has a leading zero"),
            span,
        ));
    }
    match trimmed.parse::<u16>() {
        Ok(n) if n <= MAX_GROUP => Ok(n),
        _ => Err(IdError::new(
            kind,
            format!("{what} number `{s}` is larger than {MAX_GROUP}"),
            span,
        )),
    }
}

/// Parses a 2-or-3 digit identifier (`03`, `120`) and names the canonical spelling on failure.
fn padded_number(
    s: &str,
    kind: IdKind,
    what: &str,
    offset: usize,
) -> Result<u16, (IdError, Option<u16>)> {
    let span = offset..offset + s.len();
    if s.is_empty() {
        return Err((IdError::new(kind, format!("{what} is missing"), span), None));
    }
    if !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err((
            IdError::new(kind, format!("{what} `{s}` is not a number"), span),
            None,
        ));
    }
    let value: u32 =
        s.trim_start_matches('0')
            .parse::<u32>()
            .unwrap_or(if s.bytes().all(|c| c == b'0') {
                0
            } else {
                u32::MAX
            });
    if value == 0 {
        return Err((
            IdError::new(kind, format!("{what} `{s}` must be positive"), span),
            None,
        ));
    }
    if value > u32::from(MAX_NUMBER) {
        return Err((
            IdError::new(
                kind,
                format!("{what} `{s}` is larger than {MAX_NUMBER}, the 3-digit ceiling"),
                span,
            ),
            None,
        ));
    }
    let n = value as u16;
    let want = if n < 100 { 2 } else { 3 };
    if s.len() != want {
        let mut canon = String::new();
        let _ = write_number(&mut canon, n);
        return Err((
            IdError::new(
                kind,
                format!(
                    "{what} `{s}` must be written with {} digits: `{canon}`",
                    if want == 2 { "two" } else { "three" }
                ),
                span,
            ),
            Some(n),
        ));
    }
    Ok(n)
}

fn check_ascii_lower(text: &str, kind: IdKind) -> Result<(), IdError> {
    if let Some(pos) = text.find(|c: char| c.is_ascii_uppercase()) {
        let lower = text.to_ascii_lowercase();
        let err = IdError::new(
            kind,
            format!("{} are lowercase", plural(kind)),
            pos..pos + 1,
        );
        return Err(match parse_any_of(&lower, kind) {
            true => err.suggest(lower),
            false => err,
        });
    }
    if let Some((pos, c)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        return Err(IdError::new(
            kind,
            format!("`{c}` cannot appear in a {}", kind.describe()),
            pos..pos + c.len_utf8(),
        ));
    }
    Ok(())
}

fn plural(kind: IdKind) -> &'static str {
    match kind {
        IdKind::Flow => "flow ids",
        IdKind::Component => "component ids",
        IdKind::Mid => "MIDs",
        IdKind::Rid => "RIDs",
        IdKind::Pid => "PIDs",
        IdKind::PhysicalName => "physical names",
        IdKind::Repository => "flow repository names",
        IdKind::Environment => "environment codes",
    }
}

fn parse_any_of(text: &str, kind: IdKind) -> bool {
    match kind {
        IdKind::Flow => text.parse::<FlowId>().is_ok(),
        IdKind::Component => text.parse::<ComponentId>().is_ok(),
        IdKind::Mid => text.parse::<Mid>().is_ok(),
        IdKind::Rid => text.parse::<Rid>().is_ok(),
        IdKind::Pid => text.parse::<Pid>().is_ok(),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Flow

/// A flow id such as `flow-16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowId(pub u16);

impl FlowId {
    /// The flow number (16 for `flow-16`).
    pub const fn number(self) -> u16 {
        self.0
    }
}

impl FromStr for FlowId {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        const K: IdKind = IdKind::Flow;
        check_ascii_lower(text, K)?;
        let Some(rest) = text.strip_prefix("flow-") else {
            let err = IdError::new(K, "a flow id starts with `flow-`", 0..text.len().min(5));
            let digits = text.trim_start_matches(|c: char| !c.is_ascii_digit());
            return Err(match digits.parse::<u16>() {
                Ok(n) if n > 0 && digits.len() == digits.trim_start_matches('0').len() => {
                    err.suggest(format!("flow-{n}"))
                }
                _ => err,
            });
        };
        group_number(rest, K, "flow", 5).map(FlowId).map_err(|e| {
            let t = rest.trim_start_matches('0');
            match group_number(t, K, "flow", 5) {
                Ok(n) if t.len() < rest.len() => e.suggest(format!("flow-{n}")),
                _ => e,
            }
        })
    }
}

impl fmt::Display for FlowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "flow-{}", self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Component

/// A component id such as `c20` (written `C20` in prose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentId(pub u16);

impl ComponentId {
    /// The component number (20 for `c20`).
    pub const fn number(self) -> u16 {
        self.0
    }

    /// Parses the prose form `C20` as well as the canonical `c20`.
    pub fn parse_prose(text: &str) -> Result<Self, IdError> {
        match text.strip_prefix('C') {
            Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => {
                format!("c{rest}").parse()
            }
            _ => text.parse(),
        }
    }
}

impl FromStr for ComponentId {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        const K: IdKind = IdKind::Component;
        if let Some(rest) = text.strip_prefix('C') {
            if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
                let err = IdError::new(
                    K,
                    "component ids are lowercase in a manifest (`C` is prose)",
                    0..1,
                );
                return Err(match group_number(rest, K, "component", 1) {
                    Ok(n) => err.suggest(format!("c{n}")),
                    Err(_) => err,
                });
            }
        }
        check_ascii_lower(text, K)?;
        let Some(rest) = text.strip_prefix('c') else {
            return Err(IdError::new(
                K,
                "a component id starts with `c`",
                0..text.len().min(1),
            ));
        };
        group_number(rest, K, "component", 1)
            .map_err(|e| {
                let t = rest.trim_start_matches('0');
                if !t.is_empty() && t.len() < rest.len() && t.bytes().all(|b| b.is_ascii_digit()) {
                    e.suggest(format!("c{t}"))
                } else {
                    e
                }
            })
            .map(ComponentId)
    }
}

impl fmt::Display for ComponentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// MID and RID

/// The type code of a microservice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceKind {
    /// `fms`: a frontend microservice.
    Frontend,
    /// `bms`: a backend microservice.
    Backend,
}

impl ServiceKind {
    /// The three-letter type code (`fms` or `bms`).
    pub const fn code(self) -> &'static str {
        match self {
            ServiceKind::Frontend => "fms",
            ServiceKind::Backend => "bms",
        }
    }

    /// "frontend" or "backend".
    pub const fn describe(self) -> &'static str {
        match self {
            ServiceKind::Frontend => "frontend",
            ServiceKind::Backend => "backend",
        }
    }
}

/// A microservice identification such as `c8fms03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mid {
    /// Component number (8 in `c8fms03`).
    pub component: u16,
    /// Frontend or backend.
    pub kind: ServiceKind,
    /// Functional identifier (3 in `c8fms03`).
    pub number: u16,
}

/// A resource identification such as `c20bre06`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rid {
    /// Component number (20 in `c20bre06`).
    pub component: u16,
    /// Numerical identifier (6 in `c20bre06`).
    pub number: u16,
}

impl Mid {
    /// The component this microservice belongs to.
    pub const fn component_id(self) -> ComponentId {
        ComponentId(self.component)
    }
}

impl Rid {
    /// The component this resource belongs to.
    pub const fn component_id(self) -> ComponentId {
        ComponentId(self.component)
    }

    /// The identifier as written (`06` for `c20bre06`), used in physical-name serials.
    pub fn number_text(self) -> String {
        let mut s = String::with_capacity(3);
        let _ = write_number(&mut s, self.number);
        s
    }
}

/// A MID or a RID: what may stand at either end of a PID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    /// A microservice.
    Mid(Mid),
    /// A backend resource.
    Rid(Rid),
}

impl Endpoint {
    /// The component number of either kind.
    pub const fn component(self) -> u16 {
        match self {
            Endpoint::Mid(m) => m.component,
            Endpoint::Rid(r) => r.component,
        }
    }
}

impl From<Mid> for Endpoint {
    fn from(m: Mid) -> Self {
        Endpoint::Mid(m)
    }
}

impl From<Rid> for Endpoint {
    fn from(r: Rid) -> Self {
        Endpoint::Rid(r)
    }
}

/// The type code found in `c<N><code><NN>`.
enum TypeCode {
    Service(ServiceKind),
    Resource,
}

/// Parses `c<N><code><NN>` into its pieces; `want` is the kind reported in errors.
fn parse_cid(text: &str, want: IdKind, offset: usize) -> Result<(u16, TypeCode, u16), IdError> {
    match fast_cid(text.as_bytes()) {
        Some(parsed) => Ok(parsed),
        None => parse_cid_slow(text, want, offset),
    }
}

// Fast paths: a well-formed id in canonical form, read in one pass over its bytes with no
// `Result<_, IdError>` in flight. They accept exactly the texts the full parsers accept (the
// test `fast_paths_accept_exactly_what_the_parsers_accept` compares them), and return `None`
// for everything else, which the full parser then explains.

/// `NN` or `NNN`: 2 digits below 100, 3 digits (no leading zero) from 100, never 0.
#[inline]
fn fast_padded(b: &[u8]) -> Option<u16> {
    let d = |x: u8| x.is_ascii_digit().then(|| u16::from(x - b'0'));
    let n = match *b {
        [x, y] => d(x)? * 10 + d(y)?,
        [x, y, z] if x != b'0' => d(x)? * 100 + d(y)? * 10 + d(z)?,
        _ => return None,
    };
    (n > 0).then_some(n)
}

/// `c<N><fms|bms|bre><NN>` with N in 1..=MAX_GROUP without leading zero.
#[inline]
fn fast_cid(b: &[u8]) -> Option<(u16, TypeCode, u16)> {
    let mut at = 0;
    let cid = cid_at(b, &mut at)?;
    (at == b.len()).then_some(cid)
}

/// Reads a canonical `c<N><code><NN>` starting at `*at`, up to the first byte that is not part
/// of it, and moves `*at` past it.
#[inline(always)]
fn cid_at(b: &[u8], at: &mut usize) -> Option<(u16, TypeCode, u16)> {
    let mut i = *at;
    if b.get(i) != Some(&b'c') {
        return None;
    }
    i += 1;
    let start = i;
    let mut component: u16 = 0;
    while i < b.len() && b[i].is_ascii_digit() && i - start < 4 {
        component = component * 10 + u16::from(b[i] - b'0');
        i += 1;
    }
    if i == start || b[start] == b'0' || component > MAX_GROUP {
        return None;
    }
    let ty = match b.get(i..i + 3)? {
        b"fms" => TypeCode::Service(ServiceKind::Frontend),
        b"bms" => TypeCode::Service(ServiceKind::Backend),
        b"bre" => TypeCode::Resource,
        _ => return None,
    };
    i += 3;
    let n_start = i;
    while i < b.len() && b[i].is_ascii_digit() && i - n_start < 4 {
        i += 1;
    }
    let number = fast_padded(&b[n_start..i])?;
    *at = i;
    Some((component, ty, number))
}

#[inline(always)]
fn endpoint_of((component, ty, number): (u16, TypeCode, u16)) -> Endpoint {
    match ty {
        TypeCode::Service(kind) => Endpoint::Mid(Mid {
            component,
            kind,
            number,
        }),
        TypeCode::Resource => Endpoint::Rid(Rid { component, number }),
    }
}

/// `<start>-<end>-e<NN>`, read left to right in one pass.
#[inline]
fn fast_pid(b: &[u8]) -> Option<Pid> {
    let mut at = 0;
    let start = endpoint_of(cid_at(b, &mut at)?);
    if b.get(at) != Some(&b'-') {
        return None;
    }
    at += 1;
    let end = endpoint_of(cid_at(b, &mut at)?);
    if b.get(at..at + 2) != Some(b"-e") {
        return None;
    }
    let order = fast_padded(&b[at + 2..])?;
    Some(Pid { start, end, order })
}

fn parse_cid_slow(
    text: &str,
    want: IdKind,
    offset: usize,
) -> Result<(u16, TypeCode, u16), IdError> {
    let b = text.as_bytes();
    let at = |r: Range<usize>| r.start + offset..r.end + offset;
    if b.first() != Some(&b'c') {
        let mut e = IdError::new(
            want,
            format!(
                "a {} starts with `c` and its component number",
                want.describe()
            ),
            at(0..b.len().min(1)),
        );
        if b.first() == Some(&b'C') {
            e.problems[0].message = format!("{} are lowercase", plural(want));
            let lower = text.to_ascii_lowercase();
            if parse_cid(&lower, want, 0).is_ok() {
                e = e.suggest(lower);
            }
        }
        return Err(e);
    }
    let d_end = digits_end(b, 1);
    let l_end = letters_end(b, d_end);
    let n_end = digits_end(b, l_end);
    if n_end != b.len() {
        // Something other than digit/letter runs: report the first odd character.
        let c = text[n_end..].chars().next().unwrap_or(' ');
        return Err(IdError::new(
            want,
            format!("unexpected `{c}` in a {}", want.describe()),
            at(n_end..n_end + c.len_utf8()),
        ));
    }
    let comp_text = &text[1..d_end];
    let code = &text[d_end..l_end];
    let num_text = &text[l_end..n_end];
    let component = group_number(comp_text, want, "component", offset + 1);
    let ty = match code {
        "fms" => Some(TypeCode::Service(ServiceKind::Frontend)),
        "bms" => Some(TypeCode::Service(ServiceKind::Backend)),
        "bre" => Some(TypeCode::Resource),
        _ => None,
    };
    let Some(ty) = ty else {
        let msg = if code.is_empty() {
            format!("the type code is missing after `c{comp_text}`")
        } else if code.bytes().any(|c| c.is_ascii_uppercase()) {
            format!("{} are lowercase", plural(want))
        } else {
            format!("`{code}` is not a type code")
        };
        let expect = match want {
            IdKind::Rid => "a RID uses `bre`",
            _ => "a MID uses `fms` (frontend) or `bms` (backend)",
        };
        let mut e = IdError::new(want, format!("{msg}: {expect}"), at(d_end..l_end));
        let lower = code.to_ascii_lowercase();
        if lower != code {
            let fixed = text.to_ascii_lowercase();
            if parse_cid(&fixed, want, 0).is_ok() {
                e = e.suggest(fixed);
            }
        }
        return Err(e);
    };
    let component = match component {
        Ok(c) => c,
        Err(e) => {
            let t = comp_text.trim_start_matches('0');
            if !t.is_empty() && t.len() < comp_text.len() {
                let fixed = format!("c{t}{code}{num_text}");
                if parse_cid(&fixed, want, 0).is_ok() {
                    return Err(e.suggest(fixed));
                }
            }
            return Err(e);
        }
    };
    let what = match ty {
        TypeCode::Service(_) => "functional identifier",
        TypeCode::Resource => "resource identifier",
    };
    let number = padded_number(num_text, want, what, offset + l_end).map_err(|(e, n)| match n {
        Some(n) => {
            let mut fixed = format!("c{component}{code}");
            let _ = write_number(&mut fixed, n);
            e.suggest(fixed)
        }
        None => e,
    })?;
    Ok((component, ty, number))
}

impl FromStr for Mid {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        Mid::parse_at(text, 0)
    }
}

impl Mid {
    fn parse_at(text: &str, offset: usize) -> Result<Self, IdError> {
        match parse_cid(text, IdKind::Mid, offset)? {
            (component, TypeCode::Service(kind), number) => Ok(Mid {
                component,
                kind,
                number,
            }),
            (_, TypeCode::Resource, _) => Err(IdError::new(
                IdKind::Mid,
                format!("`{text}` is a RID (type code `bre`), not a MID"),
                offset..offset + text.len(),
            )),
        }
    }
}

impl FromStr for Rid {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        Rid::parse_at(text, 0)
    }
}

impl Rid {
    fn parse_at(text: &str, offset: usize) -> Result<Self, IdError> {
        match parse_cid(text, IdKind::Rid, offset)? {
            (component, TypeCode::Resource, number) => Ok(Rid { component, number }),
            (_, TypeCode::Service(k), _) => Err(IdError::new(
                IdKind::Rid,
                format!("`{text}` is a MID (type code `{}`), not a RID", k.code()),
                offset..offset + text.len(),
            )),
        }
    }
}

impl FromStr for Endpoint {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        Endpoint::parse_at(text, 0)
    }
}

impl Endpoint {
    fn parse_at(text: &str, offset: usize) -> Result<Self, IdError> {
        let want = if text.contains("bre") {
            IdKind::Rid
        } else {
            IdKind::Mid
        };
        match parse_cid(text, want, offset)? {
            (component, TypeCode::Service(kind), number) => Ok(Endpoint::Mid(Mid {
                component,
                kind,
                number,
            })),
            (component, TypeCode::Resource, number) => Ok(Endpoint::Rid(Rid { component, number })),
        }
    }
}

impl fmt::Display for Mid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}{}", self.component, self.kind.code())?;
        write_number(f, self.number)
    }
}

impl fmt::Display for Rid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}bre", self.component)?;
        write_number(f, self.number)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Mid(m) => m.fmt(f),
            Endpoint::Rid(r) => r.fmt(f),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PID

/// A process id such as `c8fms03-c20bre06-e15`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid {
    /// The start resource: a MID or a RID.
    pub start: Endpoint,
    /// The end resource: a MID or a RID.
    pub end: Endpoint,
    /// The execution order (15 in `e15`).
    pub order: u16,
}

impl FromStr for Pid {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        if let Some(pid) = fast_pid(text.as_bytes()) {
            return Ok(pid);
        }
        Pid::parse_slow(text)
    }
}

impl Pid {
    fn parse_slow(text: &str) -> Result<Self, IdError> {
        const K: IdKind = IdKind::Pid;
        check_ascii_lower(text, K)?;
        // Three parts joined by `-`, found without allocating.
        let mut it = text.splitn(4, '-');
        let parts = [
            it.next().unwrap_or(""),
            it.next().unwrap_or(""),
            it.next().unwrap_or(""),
        ];
        let count = text.split('-').count();
        if count != 3 {
            return Err(IdError::new(
                K,
                format!("a PID has three parts joined by `-` (start, end, `e<NN>`), found {count}"),
                0..text.len(),
            ));
        }
        let start_off = 0;
        let end_off = parts[0].len() + 1;
        let ord_off = end_off + parts[1].len() + 1;
        let relabel = |mut e: IdError| {
            e.kind = K;
            e
        };
        let rebuild = |s: &str, e: &str, o: &str| format!("{s}-{e}-{o}");
        let start = Endpoint::parse_at(parts[0], start_off).map_err(|e| {
            let sugg = e
                .suggestion()
                .map(|s| rebuild(s, parts[1], parts[2]))
                .filter(|s| s.parse::<Pid>().is_ok());
            let e = relabel(e);
            match sugg {
                Some(s) => e.suggest(s),
                None => e,
            }
        })?;
        let end = Endpoint::parse_at(parts[1], end_off).map_err(|e| {
            let sugg = e
                .suggestion()
                .map(|s| rebuild(parts[0], s, parts[2]))
                .filter(|s| s.parse::<Pid>().is_ok());
            let e = relabel(e);
            match sugg {
                Some(s) => e.suggest(s),
                None => e,
            }
        })?;
        let Some(ord) = parts[2].strip_prefix('e') else {
            return Err(IdError::new(
                K,
                "the execution order starts with `e`, e.g. `e05`",
                ord_off..text.len(),
            ));
        };
        let order =
            padded_number(ord, K, "execution order", ord_off + 1).map_err(|(e, n)| match n {
                Some(n) => {
                    let mut o = String::from("e");
                    let _ = write_number(&mut o, n);
                    e.suggest(rebuild(parts[0], parts[1], &o))
                }
                None => e,
            })?;
        Ok(Pid { start, end, order })
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-e", self.start, self.end)?;
        write_number(f, self.order)
    }
}

// ---------------------------------------------------------------------------------------------
// Environment codes

/// Checks an environment or cloud code: lowercase ASCII letters and digits, not empty.
pub fn check_code(text: &str, what: &str) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::new(
            IdKind::Environment,
            format!("the {what} code is empty"),
            0..0,
        ));
    }
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
    {
        let e = IdError::new(
            IdKind::Environment,
            format!(
                "`{c}` cannot appear in {} {what} code: use lowercase letters and digits",
                article(what)
            ),
            i..i + c.len_utf8(),
        );
        let lower = text.to_ascii_lowercase();
        return Err(
            if lower
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                e.suggest(lower)
            } else {
                e
            },
        );
    }
    Ok(())
}

/// The indefinite article of `word`: "an" before a vowel ("an environment"), else "a".
pub fn article(word: &str) -> &'static str {
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u' | b'A' | b'E' | b'I' | b'O' | b'U') => "an",
        _ => "a",
    }
}

/// Why a `repository_owner` or `repository_branch` is malformed: what is wrong, where in the
/// text (a byte range), and the corrected value when one is obvious.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    /// What is wrong, in one phrase.
    pub message: String,
    /// Byte range of the offending text (empty for an empty value).
    pub at: Range<usize>,
    /// A corrected value that passes the same check, when one is obvious.
    pub fix: Option<String>,
}

/// The longest GitHub user or organisation name.
pub const MAX_OWNER_LEN: usize = 39;

/// Checks a GitHub user or organisation name (`repository_owner`): ASCII letters, digits and
/// single hyphens, not starting or ending with a hyphen, at most 39 characters.
pub fn check_repository_owner(text: &str) -> Result<(), NameProblem> {
    let problem = |message: String, at: Range<usize>| {
        let fix = owner_fix(text);
        Err(NameProblem { message, at, fix })
    };
    if text.is_empty() {
        return problem("the owner is empty".into(), 0..0);
    }
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-'))
    {
        return problem(
            format!(
                "{} cannot appear in a GitHub owner name: use letters, digits and single hyphens",
                describe_char(c)
            ),
            i..i + c.len_utf8(),
        );
    }
    if text.starts_with('-') {
        return problem(
            "a GitHub owner name cannot start with a hyphen".into(),
            0..1,
        );
    }
    if text.ends_with('-') {
        return problem(
            "a GitHub owner name cannot end with a hyphen".into(),
            text.len() - 1..text.len(),
        );
    }
    if let Some(i) = text.find("--") {
        return problem(
            "a GitHub owner name cannot hold two hyphens in a row".into(),
            i..i + 2,
        );
    }
    if text.len() > MAX_OWNER_LEN {
        return Err(NameProblem {
            message: format!(
                "a GitHub owner name has at most {MAX_OWNER_LEN} characters, this one {}",
                text.len()
            ),
            at: MAX_OWNER_LEN..text.len(),
            fix: None,
        });
    }
    Ok(())
}

/// `text` with every run of characters a GitHub owner name cannot hold made one hyphen, and
/// hyphens trimmed from both ends; `None` when that leaves nothing valid.
fn owner_fix(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    (!out.is_empty() && out.len() <= MAX_OWNER_LEN).then(|| out.to_string())
}

/// A character as a message names it: `` `~` ``, "a space", "a line break", "control character U+0007".
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\n' | '\r' => "a line break".into(),
        '\t' => "a tab".into(),
        c if c.is_control() => format!("control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

/// Checks a branch name (`repository_branch`) as `git check-ref-format --branch` does: no
/// `..`, no ASCII control character, space, `~`, `^`, `:`, `?`, `*`, `[` or `\`; not starting
/// with `-`; not starting or ending with `/`, no `//`; no component starting with `.` or ending
/// with `.lock`; not ending with `.`; no `@{`; not `@` or `HEAD`.
pub fn check_repository_branch(text: &str) -> Result<(), NameProblem> {
    match branch_problem(text) {
        None => Ok(()),
        Some((message, at)) => Err(NameProblem {
            message,
            at,
            fix: branch_fix(text),
        }),
    }
}

/// What [`check_repository_branch`] finds wrong with `text`, and where.
fn branch_problem(text: &str) -> Option<(String, Range<usize>)> {
    let problem = |message: String, at: Range<usize>| Some((message, at));
    if text.is_empty() {
        return problem("the branch name is empty".into(), 0..0);
    }
    if let Some((i, c)) = text.char_indices().find(|&(_, c)| {
        c.is_ascii_control() || matches!(c, ' ' | '~' | '^' | ':' | '?' | '*' | '[' | '\\')
    }) {
        return problem(
            format!("{} cannot appear in a git branch name", describe_char(c)),
            i..i + c.len_utf8(),
        );
    }
    if let Some(i) = text.find("..") {
        return problem("a git branch name cannot hold `..`".into(), i..i + 2);
    }
    if let Some(i) = text.find("@{") {
        return problem("a git branch name cannot hold `@{`".into(), i..i + 2);
    }
    if let Some(i) = text.find("//") {
        return problem(
            "a git branch name cannot hold two slashes in a row".into(),
            i..i + 2,
        );
    }
    if text == "@" || text == "HEAD" {
        return problem(
            format!("`{text}` is not a branch name: git reads it as a revision"),
            0..text.len(),
        );
    }
    if text.starts_with('-') {
        return problem("a git branch name cannot start with `-`".into(), 0..1);
    }
    if text.starts_with('/') {
        return problem("a git branch name cannot start with `/`".into(), 0..1);
    }
    if text.ends_with('/') {
        return problem(
            "a git branch name cannot end with `/`".into(),
            text.len() - 1..text.len(),
        );
    }
    if text.ends_with('.') {
        return problem(
            "a git branch name cannot end with `.`".into(),
            text.len() - 1..text.len(),
        );
    }
    let mut start = 0;
    for part in text.split('/') {
        if part.starts_with('.') {
            return problem(
                "a component of a git branch name (between slashes) cannot start with `.`".into(),
                start..start + 1,
            );
        }
        if part.ends_with(".lock") {
            let end = start + part.len();
            return problem(
                "a component of a git branch name (between slashes) cannot end with `.lock`".into(),
                end - 5..end,
            );
        }
        start += part.len() + 1;
    }
    None
}

/// `text` made a valid branch name in the obvious way: forbidden characters as `-`, `..` and
/// `//` collapsed, leading dots, hyphens and slashes and trailing `.`, `/` and `.lock`
/// dropped; `None` when that leaves nothing valid.
fn branch_fix(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if c.is_ascii_control()
            || matches!(c, ' ' | '~' | '^' | ':' | '?' | '*' | '[' | '\\')
        {
            '-'
        } else {
            c
        };
        let last = out.chars().last();
        match (last, c) {
            (Some('-'), '-') | (Some('.'), '.') | (Some('/'), '/') => {}
            (Some('/') | None, '.') => {}
            (Some('@'), '{') => out.push('-'),
            _ => out.push(c),
        }
    }
    let mut out = out.trim_start_matches(['-', '/', '.']).to_string();
    loop {
        let before = out.len();
        out = out.trim_end_matches(['/', '.', '-']).to_string();
        if let Some(s) = out.strip_suffix(".lock") {
            out = s.to_string();
        }
        if out.len() == before {
            break;
        }
    }
    let out = out
        .split('/')
        .map(|p| p.strip_suffix(".lock").unwrap_or(p).trim_start_matches('.'))
        .collect::<Vec<_>>()
        .join("/");
    branch_problem(&out).is_none().then_some(out)
}

// ---------------------------------------------------------------------------------------------
// Physical names

/// The kinds of backend resource, with their physical-name suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    /// A DynamoDB table: `<name>-<serial>-tbl-<env>-<cloud>`.
    Dynamodb,
    /// An S3 bucket: `<name>-<serial>-bkt-<env>-<cloud>`.
    S3,
    /// A MySQL database: `<name>_<serial>_dtb_<env>_<cloud>`.
    Mysql,
}

impl ResourceKind {
    /// Every kind, in manifest order.
    pub const ALL: [ResourceKind; 3] = [
        ResourceKind::Dynamodb,
        ResourceKind::S3,
        ResourceKind::Mysql,
    ];

    /// The manifest spelling: `dynamodb`, `s3`, `mysql`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Dynamodb => "dynamodb",
            ResourceKind::S3 => "s3",
            ResourceKind::Mysql => "mysql",
        }
    }

    /// The suffix in physical names: `tbl`, `bkt`, `dtb`.
    pub const fn suffix(self) -> &'static str {
        match self {
            ResourceKind::Dynamodb => "tbl",
            ResourceKind::S3 => "bkt",
            ResourceKind::Mysql => "dtb",
        }
    }

    /// The separator between words: `-`, or `_` for MySQL.
    pub const fn separator(self) -> char {
        match self {
            ResourceKind::Mysql => '_',
            _ => '-',
        }
    }

    /// What the cloud calls it: "DynamoDB table" …
    pub const fn describe(self) -> &'static str {
        match self {
            ResourceKind::Dynamodb => "DynamoDB table",
            ResourceKind::S3 => "S3 bucket",
            ResourceKind::Mysql => "MySQL database",
        }
    }

    fn from_suffix(s: &str) -> Option<Self> {
        match s {
            "tbl" => Some(ResourceKind::Dynamodb),
            "bkt" => Some(ResourceKind::S3),
            "dtb" => Some(ResourceKind::Mysql),
            _ => None,
        }
    }

    /// Checks a descriptive name (`user-input-manifest-data`) for this kind: lowercase
    /// `[a-z0-9]` words joined by the kind's separator. Returns what is wrong.
    pub fn check_name(self, name: &str) -> Result<(), String> {
        let sep = self.separator();
        if name.is_empty() {
            return Err("the name is empty".into());
        }
        for (i, c) in name.char_indices() {
            if c == sep {
                if i == 0 || i + 1 == name.len() {
                    return Err(format!(
                        "`{sep}` may only join words, not start or end the name"
                    ));
                }
                if name[i + 1..].starts_with(sep) {
                    return Err(format!(
                        "`{sep}{sep}`: words are joined by a single `{sep}`"
                    ));
                }
            } else if !(c.is_ascii_lowercase() || c.is_ascii_digit()) {
                let other = if sep == '-' { '_' } else { '-' };
                return Err(if c == other {
                    format!(
                        "`{c}` cannot join words here: {} names join words with `{sep}`",
                        self.describe()
                    )
                } else if c.is_ascii_uppercase() {
                    format!("`{c}`: names are lowercase")
                } else {
                    format!(
                        "`{c}` cannot appear in a name: use lowercase letters, digits and `{sep}`"
                    )
                });
            }
        }
        Ok(())
    }

    /// The longest physical name the cloud allows for this kind: 63 characters for an S3
    /// bucket, 255 for a DynamoDB table, 64 for a MySQL database (RDS `DBName`).
    pub const fn max_name_len(self) -> usize {
        match self {
            ResourceKind::S3 => 63,
            ResourceKind::Dynamodb => 255,
            ResourceKind::Mysql => 64,
        }
    }

    /// Checks a complete physical name against the cloud's limits. Returns what is wrong.
    pub fn check_cloud_limits(self, name: &str) -> Result<(), String> {
        let len = name.len();
        match self {
            ResourceKind::S3 => {
                if !(3..=self.max_name_len()).contains(&len) {
                    return Err(format!(
                        "an S3 bucket name has 3 to 63 characters; `{name}` has {len}"
                    ));
                }
                if let Some(c) = first_char_not(name, |b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
                }) {
                    return Err(format!("`{c}` cannot appear in an S3 bucket name"));
                }
                let ok_end = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                if !ok_end(name.chars().next()) || !ok_end(name.chars().last()) {
                    return Err("an S3 bucket name starts and ends with a letter or digit".into());
                }
                for p in ["xn--", "sthree-", "amzn-s3-demo-"] {
                    if name.starts_with(p) {
                        return Err(format!("S3 reserves the prefix `{p}`"));
                    }
                }
                Ok(())
            }
            ResourceKind::Dynamodb => {
                if !(3..=self.max_name_len()).contains(&len) {
                    return Err(format!(
                        "a DynamoDB table name has 3 to 255 characters; `{name}` has {len}"
                    ));
                }
                if let Some(c) = first_char_not(name, |b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
                }) {
                    return Err(format!("`{c}` cannot appear in a DynamoDB table name"));
                }
                Ok(())
            }
            ResourceKind::Mysql => {
                if len > self.max_name_len() {
                    return Err(format!("a MySQL database name (RDS DBName) has at most 64 characters; `{name}` has {len}"));
                }
                if !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
                    return Err("a MySQL database name (RDS DBName) starts with a letter".into());
                }
                if let Some(c) = first_char_not(name, |b| b.is_ascii_alphanumeric() || b == b'_') {
                    return Err(format!("`{c}` cannot appear in a MySQL database name"));
                }
                Ok(())
            }
        }
    }
}

/// The first character of `name` outside an ASCII set given by `allowed`. Scans bytes: a byte
/// outside ASCII starts a character that no such set allows.
fn first_char_not(name: &str, allowed: impl Fn(u8) -> bool) -> Option<char> {
    // A plain loop: the proc macro runs this unoptimised, where `position` costs calls per byte.
    let b = name.as_bytes();
    let mut at = 0;
    while at < b.len() {
        if !allowed(b[at]) {
            return name[at..].chars().next();
        }
        at += 1;
    }
    None
}

impl FromStr for ResourceKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ResourceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a resource kind: use `dynamodb`, `s3` or `mysql`"))
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Builds the serial of a resource: its flow number followed by its identifier as written
/// (`c20bre06` in `flow-16` → `1606`).
pub fn serial(flow: FlowId, rid: Rid) -> String {
    let mut s = flow.0.to_string();
    let _ = write_number(&mut s, rid.number);
    s
}

/// Formats the physical name of a resource.
pub fn physical_name(
    kind: ResourceKind,
    name: &str,
    serial: &str,
    env: &str,
    cloud: &str,
) -> String {
    let mut out = String::new();
    write_physical_name(&mut out, kind, name, serial, env, cloud);
    out
}

/// [`physical_name`] into `out` (cleared first), so that a loop over many names reuses one
/// buffer.
///
/// ```
/// use orbit_engine::id::{write_physical_name, ResourceKind};
///
/// let mut buf = String::new();
/// write_physical_name(&mut buf, ResourceKind::Mysql, "app_image_mql", "2003", "k8p", "aws");
/// assert_eq!(buf, "app_image_mql_2003_dtb_k8p_aws");
/// ```
pub fn write_physical_name(
    out: &mut String,
    kind: ResourceKind,
    name: &str,
    serial: &str,
    env: &str,
    cloud: &str,
) {
    let sep = kind.separator();
    out.clear();
    out.reserve(name.len() + serial.len() + env.len() + cloud.len() + 7);
    for (i, part) in [name, serial, kind.suffix(), env, cloud]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push(sep);
        }
        out.push_str(part);
    }
}

/// A physical name taken apart: `user-input-manifest-data-1606-tbl-k8d-aws`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhysicalName<'a> {
    /// DynamoDB, S3 or MySQL, from the suffix.
    pub kind: ResourceKind,
    /// The descriptive name (context and words): `user-input-manifest-data`.
    pub name: &'a str,
    /// The serial digits: `1606`.
    pub serial: &'a str,
    /// The environment code: `k8d`.
    pub env: &'a str,
    /// The cloud code: `aws`.
    pub cloud: &'a str,
}

impl<'a> PhysicalName<'a> {
    /// Parses a physical name, reporting every way it breaks the convention. A well-formed
    /// name is taken apart without allocating.
    pub fn parse(text: &'a str) -> Result<Self, IdError> {
        match Self::parse_fast(text) {
            Some(p) => Ok(p),
            None => Self::parse_slow(text),
        }
    }

    /// The common case: a well-formed name, read from the end in one pass over its bytes.
    /// Accepts exactly what [`Self::parse_fast_reference`] accepts (a test compares them).
    fn parse_fast(text: &'a str) -> Option<Self> {
        let b = text.as_bytes();
        let word = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        // `<cloud>`: the trailing run of lowercase letters and digits, after the separator.
        let mut i = b.len();
        while i > 0 && word(b[i - 1]) {
            i -= 1;
        }
        if i == b.len() || i == 0 {
            return None;
        }
        let (cloud_at, sep) = (i, b[i - 1]);
        if sep != b'-' && sep != b'_' {
            return None;
        }
        // `<env>`.
        i -= 1;
        let env_end = i;
        while i > 0 && word(b[i - 1]) {
            i -= 1;
        }
        if i == env_end || i == 0 || b[i - 1] != sep {
            return None;
        }
        let env_at = i;
        i -= 1;
        // `<suffix>`: three letters between separators.
        if i < 4 || b[i - 4] != sep {
            return None;
        }
        let kind = match &b[i - 3..i] {
            b"tbl" => ResourceKind::Dynamodb,
            b"bkt" => ResourceKind::S3,
            b"dtb" => ResourceKind::Mysql,
            _ => return None,
        };
        if kind.separator() as u8 != sep {
            return None;
        }
        i -= 4;
        // `<serial>`: at least three digits, no leading zero.
        let serial_end = i;
        while i > 0 && b[i - 1].is_ascii_digit() {
            i -= 1;
        }
        if serial_end - i < 3 || b[i] == b'0' || i == 0 || b[i - 1] != sep {
            return None;
        }
        let name = &text[..i - 1];
        kind.check_name(name).ok()?;
        Some(PhysicalName {
            kind,
            name,
            serial: &text[i..serial_end],
            env: &text[env_at..env_end],
            cloud: &text[cloud_at..],
        })
    }

    /// The first fast path, kept as the reference the byte-level one is tested against.
    #[cfg(test)]
    fn parse_fast_reference(text: &'a str) -> Option<Self> {
        for sep in ['-', '_'] {
            let mut it = text.rsplitn(5, sep);
            let (Some(cloud), Some(env), Some(suffix), Some(serial), Some(name)) =
                (it.next(), it.next(), it.next(), it.next(), it.next())
            else {
                continue;
            };
            let Some(kind) = ResourceKind::from_suffix(suffix) else {
                continue;
            };
            let ok = kind.separator() == sep
                && serial.len() >= 3
                && serial.bytes().all(|b| b.is_ascii_digit())
                && !serial.starts_with('0')
                && kind.check_name(name).is_ok()
                && check_code(env, "environment").is_ok()
                && check_code(cloud, "cloud").is_ok();
            if ok {
                return Some(PhysicalName {
                    kind,
                    name,
                    serial,
                    env,
                    cloud,
                });
            }
        }
        None
    }

    fn parse_slow(text: &'a str) -> Result<Self, IdError> {
        const K: IdKind = IdKind::PhysicalName;
        let sep = if text.contains('_') && !text.contains('-') {
            '_'
        } else {
            '-'
        };
        // Token boundaries.
        let mut toks: Vec<(usize, &str)> = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c == sep {
                toks.push((start, &text[start..i]));
                start = i + 1;
            }
        }
        toks.push((start, &text[start..]));
        let suffix_at = toks
            .iter()
            .rposition(|(_, t)| ResourceKind::from_suffix(t).is_some());
        let Some(si) = suffix_at else {
            return Err(IdError::new(
                K,
                "no resource suffix: a physical name has `-tbl`, `-bkt` or `_dtb` before the environment",
                0..text.len(),
            ));
        };
        let kind = ResourceKind::from_suffix(toks[si].1).unwrap_or(ResourceKind::Dynamodb);
        let mut problems = Vec::new();
        let span_of = |i: usize| toks[i].0..toks[i].0 + toks[i].1.len();
        if kind.separator() != sep {
            problems.push(Problem {
                message: format!(
                    "a {} joins its parts with `{}`",
                    kind.describe(),
                    kind.separator()
                ),
                span: span_of(si),
            });
        }
        let serial_ok = si >= 1 && {
            let s = toks[si - 1].1;
            s.len() >= 3 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0')
        };
        if !serial_ok {
            let span = if si >= 1 {
                span_of(si - 1)
            } else {
                span_of(si)
            };
            problems.push(Problem {
                message: format!(
                    "no serial before `{sep}{}`: the flow number and resource identifier (e.g. `1606`) stand there",
                    toks[si].1
                ),
                span,
            });
        }
        let name_end = if serial_ok { si - 1 } else { si };
        if name_end == 0 || (!serial_ok && si == 0) {
            problems.push(Problem {
                message: "the descriptive name is missing".into(),
                span: 0..0,
            });
        }
        let after = &toks[si + 1..];
        match after.len() {
            2 => {}
            n if n > 2 => {
                for (j, (_, t)) in after[..n - 2].iter().enumerate() {
                    problems.push(Problem {
                        message: format!(
                            "`{t}` stands where only the environment code may: after `{sep}{}` come `{sep}<env>{sep}<cloud>`",
                            toks[si].1
                        ),
                        span: span_of(si + 1 + j),
                    });
                }
            }
            _ => problems.push(Problem {
                message: format!(
                    "the environment and cloud codes must follow `{sep}{}`",
                    toks[si].1
                ),
                span: text.len()..text.len(),
            }),
        }
        let name_text = if name_end > 0 {
            &text[..toks[name_end - 1].0 + toks[name_end - 1].1.len()]
        } else {
            ""
        };
        if name_end > 0 {
            if let Err(m) = kind.check_name(name_text) {
                problems.push(Problem {
                    message: m,
                    span: 0..name_text.len(),
                });
            }
        }
        let (env, cloud) = if after.len() >= 2 {
            (after[after.len() - 2].1, after[after.len() - 1].1)
        } else {
            ("", "")
        };
        for (code, what, i) in [
            (env, "environment", toks.len().saturating_sub(2)),
            (cloud, "cloud", toks.len() - 1),
        ] {
            if after.len() >= 2 {
                if let Err(e) = check_code(code, what) {
                    problems.push(Problem {
                        message: e.message().to_string(),
                        span: span_of(i),
                    });
                }
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.span.start);
            // Case and separators are the usual slips: offer the spelling that fixes them.
            let lower = text.to_ascii_lowercase();
            let sep = kind.separator();
            let joined: String = lower
                .chars()
                .map(|c| if c == '-' || c == '_' { sep } else { c })
                .collect();
            let suggestion = [lower, joined]
                .into_iter()
                .find(|c| c != text && PhysicalName::parse_fast(c).is_some());
            return Err(IdError {
                kind: K,
                problems,
                suggestion,
            });
        }
        Ok(PhysicalName {
            kind,
            name: name_text,
            serial: toks[si - 1].1,
            env,
            cloud,
        })
    }
}

impl fmt::Display for PhysicalName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.kind.separator();
        write!(
            f,
            "{}{s}{}{s}{}{s}{}{s}{}",
            self.name,
            self.serial,
            self.kind.suffix(),
            self.env,
            self.cloud
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Flow repositories

/// The six repositories every flow has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RepoKind {
    /// Infrastructure code.
    Infrastructure,
    /// Application code.
    Application,
    /// Data.
    Data,
    /// Population (seed data).
    Population,
    /// Tests.
    Testing,
    /// Infrastructure state.
    State,
}

impl RepoKind {
    /// Every kind, in the conventions document's order.
    pub const ALL: [RepoKind; 6] = [
        RepoKind::Infrastructure,
        RepoKind::Application,
        RepoKind::Data,
        RepoKind::Population,
        RepoKind::Testing,
        RepoKind::State,
    ];

    /// The word used in repository names: `infrastructure` …
    pub const fn as_str(self) -> &'static str {
        match self {
            RepoKind::Infrastructure => "infrastructure",
            RepoKind::Application => "application",
            RepoKind::Data => "data",
            RepoKind::Population => "population",
            RepoKind::Testing => "testing",
            RepoKind::State => "state",
        }
    }
}

impl FromStr for RepoKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RepoKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!("`{s}` is not a repository kind: infrastructure, application, data, population, testing or state")
            })
    }
}

impl fmt::Display for RepoKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Formats a flow repository name: `flow-4-infrastructure-rep-k8d-aws`.
pub fn repository_name(flow: FlowId, kind: RepoKind, env: &str, cloud: &str) -> String {
    format!("{flow}-{kind}-rep-{env}-{cloud}")
}

/// A flow repository name taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RepositoryName<'a> {
    /// The flow (`flow-4`).
    pub flow: FlowId,
    /// Which of the six repositories.
    pub kind: RepoKind,
    /// The environment code.
    pub env: &'a str,
    /// The cloud code.
    pub cloud: &'a str,
}

impl<'a> RepositoryName<'a> {
    /// Parses `flow-N-<kind>-rep-<env>-<cloud>`.
    pub fn parse(text: &'a str) -> Result<Self, IdError> {
        const K: IdKind = IdKind::Repository;
        let mut it = text.splitn(7, '-');
        let mut toks = [""; 6];
        for t in toks.iter_mut() {
            *t = it.next().unwrap_or("");
        }
        if it.next().is_some() || text.split('-').count() != 6 || toks[0] != "flow" {
            return Err(IdError::new(
                K,
                format!("a flow repository name has the form {}", K.form()),
                0..text.len(),
            ));
        }
        let flow_len = toks[0].len() + 1 + toks[1].len();
        let flow = text[..flow_len].parse::<FlowId>().map_err(|mut e| {
            e.kind = K;
            e
        })?;
        let kind_at = flow_len + 1;
        let kind = toks[2]
            .parse::<RepoKind>()
            .map_err(|m| IdError::new(K, m, kind_at..kind_at + toks[2].len()))?;
        let rep_at = kind_at + toks[2].len() + 1;
        if toks[3] != "rep" {
            return Err(IdError::new(
                K,
                format!("`{}` stands where `rep` must", toks[3]),
                rep_at..rep_at + toks[3].len(),
            ));
        }
        let env_at = rep_at + 4;
        check_code(toks[4], "environment")
            .map_err(|e| IdError::new(K, e.message(), env_at..env_at + toks[4].len()))?;
        let cloud_at = env_at + toks[4].len() + 1;
        check_code(toks[5], "cloud")
            .map_err(|e| IdError::new(K, e.message(), cloud_at..text.len()))?;
        Ok(RepositoryName {
            flow,
            kind,
            env: toks[4],
            cloud: toks[5],
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Any id

/// Any identifier, classified by its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyId<'a> {
    /// `flow-16`
    Flow(FlowId),
    /// `c20` (or `C20`)
    Component(ComponentId),
    /// `c8fms03`
    Mid(Mid),
    /// `c20bre06`
    Rid(Rid),
    /// `c8fms03-c20bre06-e15`
    Pid(Pid),
    /// `user-input-manifest-data-1606-tbl-k8d-aws`
    PhysicalName(PhysicalName<'a>),
    /// `flow-4-infrastructure-rep-k8d-aws`
    Repository(RepositoryName<'a>),
}

/// Guesses which kind of id a text is meant to be, from its shape.
pub fn guess_kind(text: &str) -> IdKind {
    let lower = text.to_ascii_lowercase();
    let dashes = lower.matches('-').count();
    if lower.starts_with("flow") {
        if lower.contains("-rep-") || dashes > 1 {
            return IdKind::Repository;
        }
        return IdKind::Flow;
    }
    if lower.contains("_dtb") || lower.contains("-tbl") || lower.contains("-bkt") {
        return IdKind::PhysicalName;
    }
    let cidish = |s: &str| s.starts_with('c') && s.len() > 1 && s.as_bytes()[1].is_ascii_digit();
    if dashes >= 1 && lower.split('-').next().is_some_and(cidish) {
        return IdKind::Pid;
    }
    if cidish(&lower) {
        if lower.bytes().all(|b| b == b'c' || b.is_ascii_digit()) {
            return IdKind::Component;
        }
        if lower.contains("bre") {
            return IdKind::Rid;
        }
        return IdKind::Mid;
    }
    if dashes >= 3 || lower.contains('_') {
        return IdKind::PhysicalName;
    }
    IdKind::Mid
}

impl<'a> AnyId<'a> {
    /// Parses any kind of id; on failure, the error is for the kind the text looks most like.
    pub fn parse(text: &'a str) -> Result<Self, IdError> {
        match guess_kind(text) {
            IdKind::Flow => text.parse().map(AnyId::Flow),
            IdKind::Component => ComponentId::parse_prose(text).map(AnyId::Component),
            IdKind::Mid => text.parse().map(AnyId::Mid),
            IdKind::Rid => text.parse().map(AnyId::Rid),
            IdKind::Pid => text.parse().map(AnyId::Pid),
            IdKind::Repository => RepositoryName::parse(text).map(AnyId::Repository),
            IdKind::PhysicalName | IdKind::Environment => {
                PhysicalName::parse(text).map(AnyId::PhysicalName)
            }
        }
    }

    /// The kind of this id.
    pub fn kind(&self) -> IdKind {
        match self {
            AnyId::Flow(_) => IdKind::Flow,
            AnyId::Component(_) => IdKind::Component,
            AnyId::Mid(_) => IdKind::Mid,
            AnyId::Rid(_) => IdKind::Rid,
            AnyId::Pid(_) => IdKind::Pid,
            AnyId::PhysicalName(_) => IdKind::PhysicalName,
            AnyId::Repository(_) => IdKind::Repository,
        }
    }
}

/// The blocks the k-th component (1-based, 1..=8) of a flow reserves: `12(k-1)+3, +6, +9, +12`.
pub const fn blocks(position: u8) -> [u8; 4] {
    let base = 12 * (position - 1);
    [base + 3, base + 6, base + 9, base + 12]
}

/// The most components one flow may list.
pub const MAX_COMPONENTS_PER_FLOW: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_messages_take_the_right_article() {
        let e = check_code("K8d", "environment").unwrap_err();
        assert!(
            e.message().contains("in an environment code"),
            "{}",
            e.message()
        );
        let e = check_code("AWS", "cloud").unwrap_err();
        assert!(e.message().contains("in a cloud code"), "{}", e.message());
    }

    #[test]
    fn repository_owners_follow_github() {
        for ok in ["k8or-orbit-aws", "K8or", "a", "a-b-c", &"a".repeat(39)] {
            assert_eq!(check_repository_owner(ok), Ok(()), "{ok}");
        }
        let cases: [(&str, Range<usize>, Option<&str>); 8] = [
            ("", 0..0, None),
            ("a b", 1..2, Some("a-b")),
            ("../x", 0..1, Some("x")),
            ("k8or\norbit", 4..5, Some("k8or-orbit")),
            ("-a", 0..1, Some("a")),
            ("a-", 1..2, Some("a")),
            ("a--b", 1..3, Some("a-b")),
            ("k8or_orbit", 4..5, Some("k8or-orbit")),
        ];
        for (text, at, fix) in cases {
            let p = check_repository_owner(text).expect_err(text);
            assert_eq!(
                (p.at, p.fix.as_deref()),
                (at, fix),
                "{text:?}: {}",
                p.message
            );
        }
        let long = "a".repeat(40);
        let p = check_repository_owner(&long).unwrap_err();
        assert_eq!((p.at, p.fix), (39..40, None), "{}", p.message);
    }

    /// The verdicts of `git check-ref-format --branch` (git 2.x) on each name, except `@`,
    /// which git resolves as a revision there and the ref-name rules forbid.
    #[test]
    fn repository_branches_follow_git() {
        for ok in [
            "k8or-dev",
            "feature/x",
            "é",
            "a@b",
            "a.b",
            "refs/heads/x",
            "a/b.locks",
        ] {
            assert_eq!(check_repository_branch(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "a b",
            "../x",
            "a\nb",
            "a..b",
            "a/",
            "a.lock",
            "a/.b",
            "a.",
            "@",
            "a@{b",
            "a//b",
            "-a",
            "HEAD",
            "a/b.lock/c",
            ".a",
            "x~1",
            "/a",
            "a.lock/b",
            "a/.",
            "a/.lock",
            "a\u{7f}",
            "a^",
            "a:b",
            "a?",
            "a*",
            "a[b",
            "a\\b",
            "a\tb",
        ] {
            let p = check_repository_branch(bad).expect_err(bad);
            assert!(p.at.end <= bad.len(), "{bad:?}: {:?}", p.at);
            if let Some(fix) = &p.fix {
                assert_eq!(check_repository_branch(fix), Ok(()), "{bad:?} → {fix:?}");
            }
        }
        let fix = |t: &str| check_repository_branch(t).unwrap_err().fix;
        assert_eq!(fix("a b").as_deref(), Some("a-b"));
        assert_eq!(fix("../x").as_deref(), Some("x"));
        assert_eq!(fix("k8or-dev\n").as_deref(), Some("k8or-dev"));
        assert_eq!(fix("dev.lock").as_deref(), Some("dev"));
        assert_eq!(fix("feature//x/").as_deref(), Some("feature/x"));
        assert_eq!(fix(""), None);
    }

    #[test]
    fn mids_round_trip() {
        for t in ["c8fms03", "c8bms18", "c12bms03", "c204fms120", "c8bms999"] {
            assert_eq!(t.parse::<Mid>().unwrap().to_string(), t);
        }
    }

    #[test]
    fn mid_padding_is_precise() {
        let e = "c8fms3".parse::<Mid>().unwrap_err();
        assert_eq!(e.suggestion(), Some("c8fms03"));
        assert_eq!(e.span(), 5..6);
        let e = "c8fms003".parse::<Mid>().unwrap_err();
        assert_eq!(e.suggestion(), Some("c8fms03"));
        let e = "C8FMS03".parse::<Mid>().unwrap_err();
        assert_eq!(e.suggestion(), Some("c8fms03"));
        let e = "c08fms03".parse::<Mid>().unwrap_err();
        assert_eq!(e.suggestion(), Some("c8fms03"));
        let e = "c8xms03".parse::<Mid>().unwrap_err();
        assert!(e.message().contains("`xms` is not a type code"), "{e}");
        let e = "c20bre06".parse::<Mid>().unwrap_err();
        assert!(e.message().contains("is a RID"), "{e}");
        assert!("c8fms1000".parse::<Mid>().is_err());
        assert!("c8fms00".parse::<Mid>().is_err());
        assert!("c8fms".parse::<Mid>().is_err());
        assert!("".parse::<Mid>().is_err());
    }

    #[test]
    fn rids_and_pids() {
        let r: Rid = "c20bre06".parse().unwrap();
        assert_eq!((r.component, r.number), (20, 6));
        assert!("c8fms03"
            .parse::<Rid>()
            .unwrap_err()
            .message()
            .contains("is a MID"));
        let p: Pid = "c8fms03-c20bre06-e15".parse().unwrap();
        assert_eq!(p.to_string(), "c8fms03-c20bre06-e15");
        let e = "c8fms03-c20bre06-e5".parse::<Pid>().unwrap_err();
        assert_eq!(e.suggestion(), Some("c8fms03-c20bre06-e05"));
        let e = "c8fms3-c20bre06-e05".parse::<Pid>().unwrap_err();
        assert_eq!(e.suggestion(), Some("c8fms03-c20bre06-e05"));
        assert!("c8fms03-c20bre06".parse::<Pid>().is_err());
        assert!("c8fms03-c20bre06-x05".parse::<Pid>().is_err());
    }

    #[test]
    fn flows_and_components() {
        assert_eq!("flow-16".parse::<FlowId>().unwrap(), FlowId(16));
        assert!("flow-016".parse::<FlowId>().is_err());
        assert_eq!(
            "flow16".parse::<FlowId>().unwrap_err().suggestion(),
            Some("flow-16")
        );
        assert_eq!("c20".parse::<ComponentId>().unwrap(), ComponentId(20));
        assert_eq!(
            "C20".parse::<ComponentId>().unwrap_err().suggestion(),
            Some("c20")
        );
        assert_eq!(ComponentId::parse_prose("C20").unwrap(), ComponentId(20));
        assert!("c0".parse::<ComponentId>().is_err());
    }

    #[test]
    fn physical_names() {
        let p = PhysicalName::parse("user-input-manifest-data-1606-tbl-k8d-aws").unwrap();
        assert_eq!(p.name, "user-input-manifest-data");
        assert_eq!(p.serial, "1606");
        assert_eq!(p.kind, ResourceKind::Dynamodb);
        let p = PhysicalName::parse("app_image_mql_2003_dtb_k8p_aws").unwrap();
        assert_eq!((p.kind, p.env), (ResourceKind::Mysql, "k8p"));
        let e = PhysicalName::parse("app-image-mql-2003-dtb-k8d-aws").unwrap_err();
        assert_eq!(e.suggestion(), Some("app_image_mql_2003_dtb_k8d_aws"));
        let e = PhysicalName::parse("User-Data-1612-tbl-k8d-aws").unwrap_err();
        assert_eq!(e.suggestion(), Some("user-data-1612-tbl-k8d-aws"));
        let e = PhysicalName::parse("k8or-backup-bkt-prod-k8d-aws").unwrap_err();
        let msgs: Vec<_> = e.problems().iter().map(|p| p.message.as_str()).collect();
        assert!(msgs[0].contains("no serial before `-bkt`"), "{msgs:?}");
        assert!(
            msgs[1].contains("`prod` stands where only the environment code may"),
            "{msgs:?}"
        );
    }

    #[test]
    fn repositories() {
        let r = RepositoryName::parse("flow-4-infrastructure-rep-k8d-aws").unwrap();
        assert_eq!(
            (r.flow, r.kind, r.env),
            (FlowId(4), RepoKind::Infrastructure, "k8d")
        );
        assert!(RepositoryName::parse("flow-4-infra-rep-k8d-aws").is_err());
    }

    #[test]
    fn blocks_follow_the_pattern() {
        assert_eq!(blocks(1), [3, 6, 9, 12]);
        assert_eq!(blocks(2), [15, 18, 21, 24]);
        assert_eq!(blocks(8), [87, 90, 93, 96]);
    }

    #[test]
    fn guesses() {
        assert!(matches!(AnyId::parse("flow-4"), Ok(AnyId::Flow(_))));
        assert!(matches!(AnyId::parse("C8"), Ok(AnyId::Component(_))));
        assert!(matches!(AnyId::parse("c8bms18"), Ok(AnyId::Mid(_))));
        assert!(matches!(AnyId::parse("c20bre06"), Ok(AnyId::Rid(_))));
        assert!(matches!(
            AnyId::parse("c8fms03-c20bre06-e15"),
            Ok(AnyId::Pid(_))
        ));
        assert!(matches!(
            AnyId::parse("flow-4-data-rep-k8d-aws"),
            Ok(AnyId::Repository(_))
        ));
        assert!(matches!(
            AnyId::parse("app-image-1206-bkt-k8d-aws"),
            Ok(AnyId::PhysicalName(_))
        ));
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    fn numbers() -> Vec<String> {
        let mut v = Vec::new();
        for n in 0..=1000u16 {
            v.push(n.to_string());
            v.push(format!("{n:02}"));
            v.push(format!("{n:03}"));
            v.push(format!("{n:04}"));
        }
        v.extend(["", "x", "1a", "-1", "+5"].map(String::from));
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn fast_pid_accepts_exactly_what_the_parser_accepts() {
        let ends = [
            "c8fms03",
            "c8fms3",
            "c08fms03",
            "c8bre100",
            "c8bre099",
            "c9999bms999",
            "c10000bms03",
            "c8fms0003",
            "c8xms03",
            "c8bre",
            "c8fms00",
            "",
        ];
        let orders = [
            "e05", "e5", "e100", "e005", "e995", "e1000", "e0", "e00", "E05", "e05x", "e", "",
        ];
        let mut checked = 0;
        for s in ends {
            for e in ends {
                for o in orders {
                    for text in [
                        format!("{s}-{e}-{o}"),
                        format!("{s}-{e}{o}"),
                        format!("{s}--{e}-{o}"),
                        format!("{s}-{e}-{o}-"),
                    ] {
                        assert_eq!(
                            fast_pid(text.as_bytes()),
                            Pid::parse_slow(&text).ok(),
                            "{text:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 12 * 12 * 12 * 4);
    }

    #[test]
    fn physical_fast_path_accepts_exactly_what_the_reference_accepts() {
        let names = [
            "user-data",
            "user_data",
            "a",
            "",
            "-a",
            "a-",
            "a--b",
            "Ab",
            "a.b",
            "é-x",
            "a-b_c",
        ];
        let serials = ["1606", "160", "16", "0160", "16a6", ""];
        let suffixes = ["tbl", "bkt", "dtb", "tb", "xtbl", ""];
        let envs = ["k8d", "K8d", "", "k-8"];
        let clouds = ["aws", "Aws", "", "a_ws"];
        let mut checked = 0;
        for n in names {
            for serial in serials {
                for suffix in suffixes {
                    for env in envs {
                        for cloud in clouds {
                            for sep in ["-", "_"] {
                                let text = [n, serial, suffix, env, cloud].join(sep);
                                assert_eq!(
                                    PhysicalName::parse_fast(&text),
                                    PhysicalName::parse_fast_reference(&text),
                                    "{text:?}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 11 * 6 * 6 * 4 * 4 * 2);
        for text in [
            "x-1606-tbl-k8d-aws-",
            "-1606-tbl-k8d-aws",
            "1606-tbl-k8d-aws",
            "x-1606-tbl-k8d",
            "x_1606-tbl-k8d-aws",
        ] {
            assert_eq!(
                PhysicalName::parse_fast(text),
                PhysicalName::parse_fast_reference(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn fast_paths_accept_exactly_what_the_parsers_accept() {
        let comps = [
            "", "0", "1", "4", "8", "01", "99", "100", "300", "9999", "09999", "10000", "65536",
            "a",
        ];
        let codes = ["fms", "bms", "bre", "bmsx", "fm", "Fms", ""];
        let nums = numbers();
        let mut checked = 0;
        for c in comps {
            for code in codes {
                for n in &nums {
                    let text = format!("c{c}{code}{n}");
                    let slow = parse_cid_slow(&text, IdKind::Mid, 0)
                        .ok()
                        .map(|(a, t, b)| (a, matches!(t, TypeCode::Resource), b));
                    let fast = fast_cid(text.as_bytes())
                        .map(|(a, t, b)| (a, matches!(t, TypeCode::Resource), b));
                    assert_eq!(fast, slow, "{text:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 50_000);
        for (s, e, o) in [
            ("c8fms03", "c20bre06", "e15"),
            ("c8fms03", "c20bre06", "e5"),
            ("c8fms03", "c20bre06", "e100"),
            ("c8fms03", "c20bre06", "e005"),
            ("c8bms18", "c8fms03", "e995"),
            ("C8fms03", "c20bre06", "e15"),
            ("c8fms03", "c20bre06", "E15"),
            ("c8fms03", "c20bre06-x", "e15"),
            ("c8fms3", "c20bre06", "e15"),
            ("c8fms03", "", "e15"),
        ] {
            for text in [
                format!("{s}-{e}-{o}"),
                format!("{s}-{e}-{o}-"),
                format!("{s}{e}-{o}"),
            ] {
                let slow = Pid::parse_slow(&text).ok();
                assert_eq!(fast_pid(text.as_bytes()), slow, "{text:?}");
            }
        }
    }
}
