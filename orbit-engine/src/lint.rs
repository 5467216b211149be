//! The id scanner behind `orbit lint`: finds strings shaped like MIDs, RIDs, PIDs, physical
//! names and flow repository names in any text, and reports those the manifest does not
//! declare or that break the conventions.
//!
//! The scanner is a byte scanner built for whole monorepos. A multi-literal SIMD search
//! (Aho-Corasick, the prefilter ripgrep uses) finds the type codes every candidate must contain
//! (`fms`, `bms`, `bre`, `-tbl`, `-bkt`, `_dtb`, `-rep-`); each hit is then grown into a
//! candidate by hand, requiring word boundaries, so that `c8fms03` inside `abc8fms03x` is not an
//! id. Only candidates reach the id grammar of [`crate::id`], which decides what is wrong.
//!
//! ```
//! # #[cfg(feature = "lint")] {
//! let m = orbit_engine::check(r#"
//! [orbit]
//! name = "demo"
//! cloud = "aws"
//! [environment.k8d]
//! name = "development"
//! [region.n-virginia]
//! name = "N. Virginia"
//! components = [1, 100]
//! [flow.flow-4]
//! name = "Portal"
//! components = ["c8"]
//! [component.c8]
//! name = "Portal node"
//! [microservice.c8fms03]
//! name = "Upload Board"
//! "#).into_result().unwrap();
//! let linter = orbit_engine::lint::Linter::new(&m);
//! let findings = linter.scan(b"calls c8fms06 and c8fms3, not abc8fms03x");
//! assert_eq!(findings.len(), 2);
//! assert_eq!(findings[0].text, "c8fms06");
//! assert_eq!(findings[0].suggestions, ["c8fms03"]);
//! assert_eq!(findings[1].suggestions, ["c8fms03"]);
//! # }
//! ```

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::id::{self, Endpoint, IdError, IdKind, Mid, PhysicalName, Pid, RepositoryName, Rid};
use crate::model::Manifest;
use crate::suggest;

/// What is wrong with a string found in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Problem {
    /// Well formed, but the manifest does not declare it.
    Undeclared,
    /// It breaks the conventions' grammar.
    Malformed,
    /// A retired MID or RID: its names point at old data.
    Retired,
}

impl Problem {
    /// `undeclared`, `malformed`, `retired`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Problem::Undeclared => "undeclared",
            Problem::Malformed => "malformed",
            Problem::Retired => "retired",
        }
    }
}

/// One suspicious string in a scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte range of the string in the scanned text.
    pub span: Range<usize>,
    /// 1-based line (filled in by [`locate`]; 0 until then).
    pub line: usize,
    /// 1-based column in characters (filled in by [`locate`]; 0 until then).
    pub column: usize,
    /// What the string looks like.
    pub kind: IdKind,
    /// The string.
    pub text: String,
    /// What is wrong.
    pub problem: Problem,
    /// One sentence: what is wrong.
    pub message: String,
    /// Did-you-mean: the declared names nearest to the string, best first.
    pub suggestions: Vec<String>,
}

/// Scans texts against one manifest. Build once, share between threads.
#[derive(Debug, Clone)]
pub struct Linter {
    finder: AhoCorasick,
    cloud: String,
    mids: HashSet<Mid>,
    rids: HashSet<Rid>,
    pids: HashSet<Pid>,
    retired: HashSet<Endpoint>,
    envs: Vec<String>,
    flows: HashSet<id::FlowId>,
    /// Declared physical names and the environment each is for.
    physical: HashMap<String, String>,
    mid_names: Vec<String>,
    rid_names: Vec<String>,
    pid_names: Vec<String>,
    physical_names: Vec<String>,
    repo_names: Vec<String>,
}

/// The literals every candidate contains, in pattern-id order.
const NEEDLES: [&str; 7] = ["fms", "bms", "bre", "-tbl", "-bkt", "_dtb", "-rep-"];

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn digits_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// If `b[i..]` starts with `c<digits><fms|bms|bre><digits>`, its end.
fn endpoint_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'c') {
        return None;
    }
    let d = digits_end(b, i + 1);
    if d == i + 1 {
        return None;
    }
    let code = b.get(d..d + 3)?;
    if !matches!(code, b"fms" | b"bms" | b"bre") {
        return None;
    }
    let e = digits_end(b, d + 3);
    (e > d + 3).then_some(e)
}

impl Linter {
    /// Prepares a scanner for the ids `m` declares.
    pub fn new(m: &Manifest) -> Self {
        // Seven short constant literals always build (a DFA with a SIMD prefilter).
        let finder = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .build(NEEDLES)
            .expect("constant literals build");
        let mut physical = HashMap::new();
        for r in &m.resources {
            for (env, name) in m.physical_names(r) {
                physical.insert(name, env.code.clone());
            }
        }
        let mut physical_names: Vec<String> = physical.keys().cloned().collect();
        physical_names.sort();
        let repo_names = m
            .flows
            .iter()
            .flat_map(|f| m.repositories(f.id))
            .map(|r| r.name)
            .collect();
        Linter {
            finder,
            cloud: m.orbit.cloud.clone(),
            mids: m.microservices.iter().map(|s| s.id).collect(),
            rids: m.resources.iter().map(|r| r.id).collect(),
            pids: m.processes().map(|(_, p)| p.pid).collect(),
            retired: m.orbit.retired.iter().copied().collect(),
            envs: m.environments.iter().map(|e| e.code.clone()).collect(),
            flows: m.flows.iter().map(|f| f.id).collect(),
            physical,
            mid_names: m.microservices.iter().map(|s| s.id.to_string()).collect(),
            rid_names: m.resources.iter().map(|r| r.id.to_string()).collect(),
            pid_names: m.processes().map(|(_, p)| p.pid.to_string()).collect(),
            physical_names,
            repo_names,
        }
    }

    /// Every finding in `text`, in text order. Lines and columns are left at 0: call
    /// [`locate`] on the result (only findings cost anything beyond the scan).
    pub fn scan(&self, text: &[u8]) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut consumed = 0usize;
        for hit in self.finder.find_iter(text) {
            let p = hit.start();
            if p < consumed {
                continue;
            }
            match hit.pattern().as_usize() {
                0..=2 => {
                    if let Some(end) = self.endpoint_or_pid(text, p, &mut out) {
                        consumed = end;
                    }
                }
                3..=5 => {
                    if let Some(end) = self.physical_name(text, p, &mut out) {
                        consumed = end;
                    }
                }
                _ => {
                    if let Some(end) = self.repository(text, p, &mut out) {
                        consumed = end;
                    }
                }
            }
        }
        out
    }

    /// A type code at `p`: grows it into a MID, RID or PID candidate.
    fn endpoint_or_pid(&self, b: &[u8], p: usize, out: &mut Vec<Finding>) -> Option<usize> {
        let mut s = p;
        while s > 0 && b[s - 1].is_ascii_digit() {
            s -= 1;
        }
        if s == p || s == 0 || b[s - 1] != b'c' {
            return None;
        }
        let c = s - 1;
        if c > 0 && is_alnum(b[c - 1]) {
            return None;
        }
        let e = digits_end(b, p + 3);
        if e == p + 3 || b.get(e).is_some_and(|&x| is_alnum(x)) {
            return None;
        }
        // A PID: `<endpoint>-<endpoint>-e<digits>`.
        if b.get(e) == Some(&b'-') {
            if let Some(e2) = endpoint_end(b, e + 1) {
                if b.get(e2) == Some(&b'-') && b.get(e2 + 1) == Some(&b'e') {
                    let k = digits_end(b, e2 + 2);
                    if k > e2 + 2 && !b.get(k).is_some_and(|&x| is_alnum(x)) {
                        self.classify_pid(b, c..k, out);
                        return Some(k);
                    }
                }
            }
        }
        self.classify_endpoint(b, c..e, out);
        Some(e)
    }

    fn classify_endpoint(&self, b: &[u8], span: Range<usize>, out: &mut Vec<Finding>) {
        let text = ascii(&b[span.clone()]);
        let looks = if &b[span.end - 3..span.end] == b"bre" || text.contains("bre") {
            IdKind::Rid
        } else {
            IdKind::Mid
        };
        let names = if looks == IdKind::Rid {
            &self.rid_names
        } else {
            &self.mid_names
        };
        match text.parse::<Endpoint>() {
            Ok(ep) => {
                if self.retired.contains(&ep) {
                    out.push(self.finding(
                        span,
                        looks,
                        text,
                        Problem::Retired,
                        format!("`{text}` is retired: names derived from it point at old data"),
                        suggest::nearest(text, names.iter().map(String::as_str), 3),
                    ));
                    return;
                }
                let declared = match ep {
                    Endpoint::Mid(m) => self.mids.contains(&m),
                    Endpoint::Rid(r) => self.rids.contains(&r),
                };
                if !declared {
                    let number = match ep {
                        Endpoint::Mid(m) => m.number,
                        Endpoint::Rid(r) => r.number,
                    };
                    let slot = if number.is_multiple_of(3) {
                        String::new()
                    } else {
                        format!(" (and {number:02} is a reserved slot: identifiers step by 3)")
                    };
                    out.push(self.finding(
                        span,
                        looks,
                        text,
                        Problem::Undeclared,
                        format!(
                            "{} `{text}` is not declared in the manifest{slot}",
                            looks.describe()
                        ),
                        suggest::nearest(text, names.iter().map(String::as_str), 3),
                    ));
                }
            }
            Err(err) => out.push(self.malformed(span, text, &err, names)),
        }
    }

    fn classify_pid(&self, b: &[u8], span: Range<usize>, out: &mut Vec<Finding>) {
        let text = ascii(&b[span.clone()]);
        match text.parse::<Pid>() {
            Ok(pid) => {
                if self.pids.contains(&pid) {
                    return;
                }
                let undeclared_ends: Vec<String> = [pid.start, pid.end]
                    .into_iter()
                    .filter(|e| match e {
                        Endpoint::Mid(m) => !self.mids.contains(m),
                        Endpoint::Rid(r) => !self.rids.contains(r),
                    })
                    .map(|e| format!("`{e}`"))
                    .collect();
                let message = if undeclared_ends.is_empty() {
                    format!("PID `{text}` is not a part of any leg in the manifest")
                } else {
                    format!(
                        "PID `{text}` is not declared in the manifest ({} not declared either)",
                        undeclared_ends.join(" and ")
                    )
                };
                out.push(self.finding(
                    span,
                    IdKind::Pid,
                    text,
                    Problem::Undeclared,
                    message,
                    suggest::nearest(text, self.pid_names.iter().map(String::as_str), 3),
                ));
            }
            Err(err) => out.push(self.malformed(span, text, &err, &self.pid_names)),
        }
    }

    /// A physical-name suffix at `p`: the candidate is the surrounding run of name bytes,
    /// when it ends with `<sep><cloud>`.
    fn physical_name(&self, b: &[u8], p: usize, out: &mut Vec<Finding>) -> Option<usize> {
        let (start, end) = token(b, p, is_name_byte);
        let text = ascii(&b[start..end]);
        if !self.ends_with_cloud(text) {
            return None;
        }
        let span = start..end;
        if self.physical.contains_key(text) {
            return Some(end);
        }
        match PhysicalName::parse(text) {
            Ok(pn) => {
                let (message, pool): (String, Vec<&str>) = if !self.envs.iter().any(|e| e == pn.env)
                {
                    (
                        format!(
                            "`{text}`: environment `{}` is not declared in the manifest",
                            pn.env
                        ),
                        self.physical_names.iter().map(String::as_str).collect(),
                    )
                } else {
                    (
                        format!(
                            "`{text}` is not the physical name of any declared resource in `{}`",
                            pn.env
                        ),
                        self.physical
                            .iter()
                            .filter(|(_, env)| env.as_str() == pn.env)
                            .map(|(n, _)| n.as_str())
                            .collect(),
                    )
                };
                let mut pool = pool;
                pool.sort_unstable();
                out.push(self.finding(
                    span,
                    IdKind::PhysicalName,
                    text,
                    Problem::Undeclared,
                    message,
                    suggest::nearest(text, pool.into_iter(), 3),
                ));
            }
            Err(err) => out.push(self.malformed(span, text, &err, &self.physical_names)),
        }
        Some(end)
    }

    /// `-rep-` at `p`: the candidate is the surrounding `flow-…-<cloud>` run.
    fn repository(&self, b: &[u8], p: usize, out: &mut Vec<Finding>) -> Option<usize> {
        let (start, end) = token(b, p, |x| x.is_ascii_alphanumeric() || x == b'-');
        let text = ascii(&b[start..end]);
        if !text.starts_with("flow-") || !self.ends_with_cloud(text) {
            return None;
        }
        let span = start..end;
        let near = || suggest::nearest(text, self.repo_names.iter().map(String::as_str), 3);
        match RepositoryName::parse(text) {
            Ok(r) => {
                if !self.flows.contains(&r.flow) {
                    out.push(self.finding(span, IdKind::Repository, text, Problem::Undeclared,
                        format!("`{text}` is the repository of `{}`, which the manifest does not declare", r.flow),
                        near()));
                } else if !self.envs.iter().any(|e| e == r.env) {
                    out.push(self.finding(
                        span,
                        IdKind::Repository,
                        text,
                        Problem::Undeclared,
                        format!(
                            "`{text}`: environment `{}` is not declared in the manifest",
                            r.env
                        ),
                        near(),
                    ));
                }
            }
            Err(err) => out.push(self.malformed(span, text, &err, &self.repo_names)),
        }
        Some(end)
    }

    /// Whether a well-formed MID, RID, PID or physical name is declared.
    fn is_declared(&self, text: &str) -> bool {
        if self.physical.contains_key(text) {
            return true;
        }
        if let Ok(p) = text.parse::<Pid>() {
            return self.pids.contains(&p);
        }
        match text.parse::<Endpoint>() {
            Ok(Endpoint::Mid(m)) => self.mids.contains(&m),
            Ok(Endpoint::Rid(r)) => self.rids.contains(&r),
            Err(_) => false,
        }
    }

    fn ends_with_cloud(&self, text: &str) -> bool {
        let c = self.cloud.as_str();
        !c.is_empty()
            && text.len() > c.len() + 1
            && text.ends_with(c)
            && matches!(text.as_bytes()[text.len() - c.len() - 1], b'-' | b'_')
    }

    fn malformed(
        &self,
        span: Range<usize>,
        text: &str,
        err: &IdError,
        names: &[String],
    ) -> Finding {
        let problems: Vec<&str> = err.problems().iter().map(|p| p.message.as_str()).collect();
        let mut suggestions = Vec::new();
        let mut message = format!(
            "malformed {} `{text}`: {}",
            err.kind().describe(),
            problems.join("; ")
        );
        if let Some(s) = err.suggestion() {
            if self.is_declared(s) {
                suggestions.push(s.to_string());
            } else {
                message.push_str(&format!(
                    " (`{s}` is the canonical spelling, but it is not declared either)"
                ));
            }
        }
        for n in suggest::nearest(text, names.iter().map(String::as_str), 3) {
            if !suggestions.contains(&n) && suggestions.len() < 3 {
                suggestions.push(n);
            }
        }
        self.finding(
            span,
            err.kind(),
            text,
            Problem::Malformed,
            message,
            suggestions,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        span: Range<usize>,
        kind: IdKind,
        text: &str,
        problem: Problem,
        message: String,
        suggestions: Vec<String>,
    ) -> Finding {
        Finding {
            span,
            line: 0,
            column: 0,
            kind,
            text: text.to_string(),
            problem,
            message,
            suggestions,
        }
    }
}

/// The maximal run of bytes around `p` that satisfy `keep`, without leading or trailing
/// separators.
fn token(b: &[u8], p: usize, keep: impl Fn(u8) -> bool) -> (usize, usize) {
    let mut s = p;
    while s > 0 && keep(b[s - 1]) {
        s -= 1;
    }
    let mut e = p;
    while e < b.len() && keep(b[e]) {
        e += 1;
    }
    while s < e && matches!(b[s], b'-' | b'_') {
        s += 1;
    }
    while e > s && matches!(b[e - 1], b'-' | b'_') {
        e -= 1;
    }
    (s, e)
}

/// Candidates are made of ASCII bytes only, so this never fails.
fn ascii(b: &[u8]) -> &str {
    std::str::from_utf8(b).unwrap_or("")
}

/// Fills in the 1-based line and character column of every finding, in one pass over the
/// text when the findings are in text order, as [`Linter::scan`] returns them (linear however
/// many findings share a line). A UTF-8 byte order mark is not a character of the first line.
pub fn locate(text: &[u8], findings: &mut [Finding]) {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let origin = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut line = 1;
    // Characters between the start of the current line and `at`.
    let mut column = 0;
    let mut at = origin;
    for f in findings.iter_mut() {
        let target = f.span.start.clamp(origin, text.len());
        if target < at {
            // Out of order: restart from the beginning.
            line = 1;
            column = 0;
            at = origin;
        }
        for &c in &text[at..target] {
            if c == b'\n' {
                line += 1;
                column = 0;
            } else if (c & 0xC0) != 0x80 {
                column += 1;
            }
        }
        at = target;
        f.line = line;
        f.column = column + 1;
    }
}

/// Whether a file's first bytes look binary (a NUL byte), as ripgrep decides.
pub fn looks_binary(head: &[u8]) -> bool {
    head.iter().take(8192).any(|&c| c == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linter() -> Linter {
        let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../orbit.toml"))
            .expect("the project's manifest");
        let c = crate::check(&src);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        Linter::new(&c.manifest)
    }

    fn texts(l: &Linter, s: &str) -> Vec<(String, Problem, Vec<String>)> {
        l.scan(s.as_bytes())
            .into_iter()
            .map(|f| (f.text, f.problem, f.suggestions))
            .collect()
    }

    #[test]
    fn declared_ids_are_quiet() {
        let l = linter();
        let src = "c8fms03 calls c20bre06 in c8fms03-c20bre06-e15; table user-input-manifest-data-1606-tbl-k8p-aws \
                   db app_image_mql_2003_dtb_k8d_aws repo https://github.com/x/flow-4-data-rep-k8d-aws/tree/k8or-dev";
        assert_eq!(texts(&l, src), vec![]);
    }

    #[test]
    fn word_boundaries() {
        let l = linter();
        for s in [
            "abc8fms03x",
            "c8fms03x",
            "xc8fms99",
            "C8FMS99",
            "c8fms",
            "umbrella bre",
            "x-tbl-row",
            "c8bms18s",
        ] {
            assert_eq!(texts(&l, s), vec![], "{s}");
        }
        let f = l.scan(b"svc_c8fms99.yaml");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].span, 4..11);
    }

    #[test]
    fn undeclared_and_malformed() {
        let l = linter();
        let got = texts(
            &l,
            "x = \"c8fms3\"\ny = c8bms30\nz = c8fms03-c20bre06-e20\n",
        );
        assert_eq!(got[0].0, "c8fms3");
        assert_eq!(got[0].1, Problem::Malformed);
        assert_eq!(got[0].2[0], "c8fms03");
        assert_eq!(got[1].1, Problem::Undeclared);
        assert_eq!(got[2].0, "c8fms03-c20bre06-e20");
        assert_eq!(got[2].2[0], "c8fms03-c20bre06-e15");
        let got = l.scan(b"bucket = \"k8or-backup-bkt-prod-k8d-aws\"");
        assert_eq!(got.len(), 1);
        assert!(
            got[0].message.contains("no serial before `-bkt`"),
            "{}",
            got[0].message
        );
        assert!(got[0]
            .message
            .contains("`prod` stands where only the environment code may"));
        let got = texts(
            &l,
            "user-input-manifest-data-1607-tbl-k8d-aws flow-44-data-rep-k8d-aws",
        );
        assert_eq!(got[0].2[0], "user-input-manifest-data-1606-tbl-k8d-aws");
        assert_eq!(got[1].1, Problem::Undeclared);
    }

    #[test]
    fn retired_ids_are_flagged() {
        let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../orbit.toml"))
            .expect("the project's manifest")
            .replace("retired = []", "retired = [\"c8bms12\", \"c20bre18\"]");
        let c = crate::check(&src);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        let l = Linter::new(&c.manifest);
        let got = texts(&l, "old: c8bms12, c20bre18");
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|g| g.1 == Problem::Retired), "{got:?}");
    }

    #[test]
    fn locates_lines_and_character_columns() {
        let l = linter();
        let text = "é\n  c8fms99 and c8fms98\n";
        let mut f = l.scan(text.as_bytes());
        locate(text.as_bytes(), &mut f);
        assert_eq!((f[0].line, f[0].column), (2, 3));
        assert_eq!((f[1].line, f[1].column), (2, 15));
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let l = linter();
        let text = "\u{feff}c8fms99\n";
        let mut f = l.scan(text.as_bytes());
        locate(text.as_bytes(), &mut f);
        assert_eq!((f[0].line, f[0].column), (1, 1));
    }

    #[test]
    fn many_findings_on_one_line_locate_in_linear_time() {
        let l = linter();
        let text = "c8fms99 ".repeat(20_000);
        let mut f = l.scan(text.as_bytes());
        assert_eq!(f.len(), 20_000);
        let started = std::time::Instant::now();
        locate(text.as_bytes(), &mut f);
        // Quadratic (recounting from the line start) is 1.6 G byte visits here.
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(f[19_999].column, 8 * 19_999 + 1);
    }
}
