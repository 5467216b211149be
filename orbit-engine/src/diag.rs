//! Diagnostics: one rule code, a message, a location in the manifest and an optional help line.

use std::fmt;
use std::ops::Range;

macro_rules! codes {
    ($($variant:ident $text:literal $title:literal,)*) => {
        /// A rule code (the README's "Rule codes", "`orbit diff`" and "`orbit audit`" tables).
        /// Every violation of a manifest, every change `orbit diff` reports and every finding of
        /// `orbit audit` has exactly one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written: `ORB303`.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// What the code means, as in the rule-code table.
            pub const fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }
        }
    };
}

codes! {
    Orb001 "ORB001" "not valid TOML",
    Orb002 "ORB002" "unknown key (with the nearest known key as a suggestion)",
    Orb003 "ORB003" "missing required key, or a value of the wrong type",
    Orb004 "ORB004" "manifest file not found or unreadable",
    Orb005 "ORB005" "the same id declared twice",
    Orb010 "ORB010" "malformed environment or cloud code",
    Orb011 "ORB011" "no environment declared",
    Orb012 "ORB012" "malformed `repository_owner` (GitHub's rules: letters, digits, single hyphens, at most 39) or `repository_branch` (git's ref-name rules)",
    Orb020 "ORB020" "region range empty or reversed",
    Orb021 "ORB021" "two regions' ranges overlap",
    Orb022 "ORB022" "malformed region name (lowercase kebab-case), or a range bound that is not an integer from 1 to 9999",
    Orb101 "ORB101" "malformed flow id",
    Orb102 "ORB102" "flow number not a multiple of 4 and not `inserted`",
    Orb103 "ORB103" "more than 8 components in one flow",
    Orb104 "ORB104" "flow lists an undeclared component",
    Orb105 "ORB105" "component listed twice in one flow",
    Orb201 "ORB201" "malformed component id",
    Orb202 "ORB202" "component number not a multiple of 4 and not `inserted`",
    Orb203 "ORB203" "component number outside every region's range",
    Orb204 "ORB204" "component listed in no flow",
    Orb301 "ORB301" "malformed MID (wrong type code, padding, case, characters)",
    Orb302 "ORB302" "MID's component not declared",
    Orb303 "ORB303" "MID identifier not a multiple of 3 and not `inserted`",
    Orb304 "ORB304" "MID identifier already used by another microservice of that component",
    Orb305 "ORB305" "MID is retired",
    Orb401 "ORB401" "malformed RID",
    Orb402 "ORB402" "RID's component not declared",
    Orb403 "ORB403" "RID identifier not a multiple of 3 and not `inserted`",
    Orb404 "ORB404" "unknown resource kind",
    Orb405 "ORB405" "malformed descriptive name for its kind",
    Orb406 "ORB406" "resource's flow ambiguous, or its `flow` does not list its component",
    Orb407 "ORB407" "a derived physical name breaks the cloud's limits in some environment",
    Orb408 "ORB408" "two resources derive the same physical name",
    Orb409 "ORB409" "RID is retired",
    Orb501 "ORB501" "malformed PID",
    Orb502 "ORB502" "PID start or end is not a declared MID or RID",
    Orb503 "ORB503" "execution order not a multiple of 5 and not `inserted`",
    Orb504 "ORB504" "execution orders in a leg not strictly increasing in listed order",
    Orb505 "ORB505" "PID declared more than once",
    Orb506 "ORB506" "leg's flow not declared",
    Orb507 "ORB507" "leg without parts",
    Orb601 "ORB601" "event name not kebab-case",
    Orb602 "ORB602" "event's MID or RID not declared",
    Orb603 "ORB603" "event field name invalid, repeated, or reserved (`event`, `timestamp`)",
    Orb701 "ORB701" "malformed entry in `retired`",
    Orb702 "ORB702" "malformed `[[waiver]]`: code not an ORB8xx code, empty `id` or `reason`",
    Orb801 "ORB801" "a MID or RID declared in BASE is not declared in HEAD and not in HEAD's `retired`",
    Orb802 "ORB802" "a resource declared in both derives another physical name in an environment declared in both",
    Orb803 "ORB803" "an environment declared in BASE is not declared in HEAD",
    Orb804 "ORB804" "a component's blocks changed: it moved within a flow's `components`, or left a flow that HEAD still declares",
    Orb805 "ORB805" "an id in BASE's `retired` is not in HEAD's `retired`",
    Orb806 "ORB806" "a flow declared in BASE is not declared in HEAD",
    Orb807 "ORB807" "an event declared in BASE is not declared in HEAD, or one of its fields is gone",
    Orb808 "ORB808" "an event's producer `mid` or sink `rid` changed",
    Orb809 "ORB809" "a PID of BASE is not a part of any leg in HEAD",
    Orb890 "ORB890" "a waiver matches no change",
    Orb901 "ORB901" "a declared resource's physical name for ENV does not exist",
    Orb902 "ORB902" "a name for ENV exists that no resource declares",
    Orb903 "ORB903" "a name for ENV exists that breaks the conventions",
    Orb904 "ORB904" "a name derived from a retired id exists (data left behind)",
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the verb (exit 1).
    Error,
    /// Reported, but does not fail the verb.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as in the JSON output.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which verb reports a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// A rule of one manifest, reported by `orbit check` and the build (ORB0xx–ORB7xx).
    Check,
    /// A change between two manifests, reported by `orbit diff` (ORB8xx).
    Diff,
    /// The manifest against what exists in the cloud, reported by `orbit audit` (ORB9xx).
    Audit,
}

impl Code {
    /// The severity of every finding under this code.
    pub const fn severity(self) -> Severity {
        match self {
            Code::Orb808 | Code::Orb809 | Code::Orb890 | Code::Orb903 | Code::Orb904 => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }

    /// Which verb reports this code.
    pub const fn family(self) -> Family {
        match self {
            Code::Orb801
            | Code::Orb802
            | Code::Orb803
            | Code::Orb804
            | Code::Orb805
            | Code::Orb806
            | Code::Orb807
            | Code::Orb808
            | Code::Orb809
            | Code::Orb890 => Family::Diff,
            Code::Orb901 | Code::Orb902 | Code::Orb903 | Code::Orb904 => Family::Audit,
            _ => Family::Check,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let up = s.to_ascii_uppercase();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == up)
            .ok_or_else(|| format!("`{s}` is not an Orbit rule code (ORB001 … ORB904)"))
    }
}

/// A secondary location that explains a diagnostic (for example, the first declaration of a
/// duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Byte range in the manifest.
    pub span: Range<usize>,
    /// What is there.
    pub message: String,
}

/// One violation of one rule, located in the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Byte range of the offending text in the manifest.
    pub span: Range<usize>,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column (in characters) of `span.start`.
    pub column: usize,
    /// What to do: the nearest valid id, the next free number, the key meant.
    pub help: Option<String>,
    /// Short label under the caret.
    pub label: Option<String>,
    /// Other places that explain this one.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic at `span`; line and column are filled in by [`LineIndex::locate`].
    pub fn new(code: Code, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: cap_quoted(message.into()),
            span,
            line: 0,
            column: 0,
            help: None,
            label: None,
            related: Vec::new(),
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(cap_quoted(help.into()));
        self
    }

    /// Adds a help line when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help.map(cap_quoted);
        self
    }

    /// Adds a label under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(cap_quoted(label.into()));
        self
    }

    /// Points at another place that explains this diagnostic.
    pub fn with_related(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            message: cap_quoted(message.into()),
        });
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `ORB303 at 12:15: message (help: …)`; the full rendering with the source line is in
    /// [`crate::render`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {}:{}: {}",
            self.code, self.line, self.column, self.message
        )?;
        if let Some(h) = &self.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}

/// The most characters of a quoted (`` `…` ``) value a message shows; a longer one is cut
/// there and ends in `…`. A manifest value can be megabytes long (a 10 MB `name`); the message
/// only has to say which one is meant.
pub const MAX_QUOTED_CHARS: usize = 100;

/// The most characters of a whole message; beyond, it is cut and ends in `…`.
const MAX_MESSAGE_CHARS: usize = 2000;

/// Cuts every backtick-quoted part of a message longer than [`MAX_QUOTED_CHARS`] to that
/// many characters and `…`, and the whole message to 2,000 characters. Messages of
/// ordinary size come back unchanged (and without copying).
pub fn cap_quoted(message: String) -> String {
    if message.len() <= MAX_QUOTED_CHARS {
        return message;
    }
    let mut out = String::new();
    let mut changed = false;
    let mut rest = message.as_str();
    // Alternating unquoted and quoted parts; an unpaired backtick's tail counts as unquoted.
    while let Some(open) = rest.find('`') {
        let (before, after) = rest.split_at(open + 1);
        out.push_str(before);
        let Some(close) = after.find('`') else {
            rest = after;
            break;
        };
        let quoted = &after[..close];
        match quoted.char_indices().nth(MAX_QUOTED_CHARS) {
            Some((cut, _)) => {
                out.push_str(&quoted[..cut]);
                out.push('…');
                changed = true;
            }
            None => out.push_str(quoted),
        }
        out.push('`');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    if let Some((cut, _)) = out.char_indices().nth(MAX_MESSAGE_CHARS) {
        out.truncate(cut);
        out.push('…');
        changed = true;
    }
    if changed {
        out
    } else {
        message
    }
}

/// Maps byte offsets of a source text to 1-based lines and character columns.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `source`.
    pub fn new(source: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(source.as_bytes()));
        LineIndex { source, starts }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !self.source.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.source[start..end].chars().count() + 1;
        (line + 1, col)
    }

    /// The text of 1-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(self.source.len(), |&e| e - 1);
        self.source[start..end.max(start)].trim_end_matches('\r')
    }

    /// Fills in `line` and `column` of a diagnostic from its span.
    pub fn locate(&self, d: &mut Diagnostic) {
        let (l, c) = self.line_col(d.span.start);
        d.line = l;
        d.column = c;
    }
}

fn memchr_newlines(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    b.iter()
        .enumerate()
        .filter(|(_, &c)| c == b'\n')
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_parse() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()));
            assert_eq!(c.as_str().parse::<Code>().unwrap(), *c);
        }
        assert_eq!(Code::ALL.len(), 60);
        assert_eq!(Code::Orb903.severity(), Severity::Warning);
        assert_eq!(Code::Orb901.severity(), Severity::Error);
        assert_eq!(Code::Orb904.family(), Family::Audit);
        assert_eq!(Code::Orb808.severity(), Severity::Warning);
        assert_eq!(Code::Orb801.family(), Family::Diff);
        assert_eq!(Code::Orb702.family(), Family::Check);
    }

    #[test]
    fn line_columns_count_characters() {
        let src = "a = 1\nbé = \"x\"\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(6), (2, 1));
        assert_eq!(idx.line_col(10), (2, 4));
        assert_eq!(idx.line_text(2), "bé = \"x\"");
        assert_eq!(idx.line_text(9), "");
    }

    #[test]
    fn long_quoted_values_are_cut() {
        let short = "malformed name `Audit_Archive`: names are lowercase".to_string();
        assert_eq!(cap_quoted(short.clone()), short);
        let long = format!(
            "malformed name `{}`: names are lowercase (`x`)",
            "é".repeat(10_000)
        );
        let cut = cap_quoted(long);
        assert_eq!(
            cut,
            format!(
                "malformed name `{}…`: names are lowercase (`x`)",
                "é".repeat(100)
            )
        );
        let unpaired = format!("a `{}", "b".repeat(5000));
        assert_eq!(cap_quoted(unpaired).chars().count(), 2001);
    }
}
