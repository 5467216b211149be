//! MIDs (`c8fms03`) and RIDs (`c20bre06`): one grammar, `c<component><type code><NN>`, and
//! the [`Endpoint`] that is either, at each end of a PID.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use super::{
    digits_end, group_number, letters_end, padded_number, plural, write_number, ComponentId,
    IdError, IdKind, Pid, MAX_GROUP,
};

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
pub(super) fn fast_pid(b: &[u8]) -> Option<Pid> {
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
    pub(super) fn parse_at(text: &str, offset: usize) -> Result<Self, IdError> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
