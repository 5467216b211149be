//! Flow repositories: their names (`flow-4-infrastructure-rep-k8d-aws`), and the GitHub owner
//! and git branch they live under.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use super::{check_code, FlowId, IdError, IdKind};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
