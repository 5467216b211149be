//! Physical names of resources: `user-input-manifest-data-1606-tbl-k8d-aws`.

use std::fmt;
use std::str::FromStr;

use super::{check_code, write_number, FlowId, IdError, IdKind, Problem, Rid};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
