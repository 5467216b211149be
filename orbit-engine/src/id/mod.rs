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

mod component;
mod endpoint;
mod environment;
mod flow;
mod physical;
mod pid;
mod repository;

pub use component::ComponentId;
pub use endpoint::{Endpoint, Mid, Rid, ServiceKind};
pub use environment::{article, check_code};
pub use flow::{blocks, FlowId, MAX_COMPONENTS_PER_FLOW};
pub use physical::{physical_name, serial, write_physical_name, PhysicalName, ResourceKind};
pub use pid::Pid;
pub use repository::{
    check_repository_branch, check_repository_owner, repository_name, NameProblem, RepoKind,
    RepositoryName, MAX_OWNER_LEN,
};

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

#[cfg(test)]
mod tests {
    use super::*;

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
