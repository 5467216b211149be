//! Reads a manifest (format v1) and checks every rule, collecting all violations in one pass.
//!
//! Stages: TOML with spans → per-table checks while building the model (shape, ids, steps) →
//! relational checks over the whole model (references, uniqueness, derived names). The
//! model returned alongside the diagnostics holds every entry that is sound enough to
//! generate code from, so a manifest with errors still yields a usable partial model.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, LineIndex};
use crate::id::{
    self, ComponentId, Endpoint, FlowId, IdError, Mid, Pid, ResourceKind, Rid,
    MAX_COMPONENTS_PER_FLOW, MAX_NUMBER,
};
use crate::model::*;
use crate::suggest;
use crate::tree::{self, Entry, Ref, Table, Value};

/// The result of checking a manifest: the (possibly partial) model and every violation.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every sound entry of the manifest. Complete when `diagnostics` is empty.
    pub manifest: Manifest,
    /// Every violation, ordered by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether the manifest breaks no rule.
    pub fn is_ok(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// The model, or every violation.
    pub fn into_result(self) -> Result<Manifest, Vec<Diagnostic>> {
        if self.diagnostics.is_empty() {
            Ok(self.manifest)
        } else {
            Err(self.diagnostics)
        }
    }
}

/// The keys each table may hold; everything else is ORB002.
pub mod keys {
    /// Top-level tables.
    pub const ROOT: &[&str] = &[
        "orbit",
        "environment",
        "region",
        "flow",
        "component",
        "microservice",
        "resource",
        "leg",
        "event",
        "waiver",
    ];
    /// `[orbit]`.
    pub const ORBIT: &[&str] = &[
        "name",
        "cloud",
        "repository_owner",
        "repository_branch",
        "retired",
        "doc",
    ];
    /// `[environment.*]`.
    pub const ENVIRONMENT: &[&str] = &["name", "doc"];
    /// `[region.*]`.
    pub const REGION: &[&str] = &["name", "components", "doc"];
    /// `[flow.*]`.
    pub const FLOW: &[&str] = &["name", "doc", "components", "inserted"];
    /// `[component.*]`.
    pub const COMPONENT: &[&str] = &["name", "doc", "inserted"];
    /// `[microservice.*]`.
    pub const MICROSERVICE: &[&str] = &["name", "roles", "doc", "inserted"];
    /// `[resource.*]`.
    pub const RESOURCE: &[&str] = &["kind", "name", "doc", "flow", "inserted"];
    /// `[leg.*]`.
    pub const LEG: &[&str] = &["flow", "doc", "parts"];
    /// A part of a leg.
    pub const PART: &[&str] = &["pid", "doc", "actions", "inserted"];
    /// `[event.*]`.
    pub const EVENT: &[&str] = &["doc", "mid", "rid", "fields"];
    /// `[[waiver]]`.
    pub const WAIVER: &[&str] = &["code", "id", "reason"];
}

/// Checks a manifest given as text.
pub fn check(source: &str) -> Checked {
    let mut cx = Cx {
        source,
        diags: Vec::new(),
        manifest: Manifest::default(),
        declared: HashSet::default(),
        listed: HashSet::default(),
        malformed_regions: Vec::new(),
        region_range_broken: false,
    };
    let (tree, errors) = tree::parse(source);
    let mut fatal = false;
    // A table declared twice re-opens it: TOML then also calls each of its keys a duplicate.
    // Report the table once, with where it was first declared, and not its keys.
    let mut dup_headers: HashSet<usize> = HashSet::default();
    for e in errors {
        let span = e.span.unwrap_or(0..0);
        let msg = e.message;
        if msg.starts_with("duplicate key") {
            let (line_start, line) = line_at(source, span.start);
            let header = line.trim_start().starts_with('[');
            if !header
                && enclosing_header(source, line_start).is_some_and(|h| dup_headers.contains(&h))
            {
                continue;
            }
            let key = source.get(span.clone()).unwrap_or("").trim();
            let mut d = Diagnostic::new(Code::Orb005, span, format!("`{key}` is declared twice"))
                .with_label("declared again here")
                .with_help("keep one declaration and remove or renumber the other");
            if header {
                dup_headers.insert(line_start);
            }
            // The reader names the first declaration's key: show its whole line for a table,
            // the key itself for a key.
            if let Some(first) = e.context {
                let first = if header {
                    let (start, line) = line_at(source, first.start);
                    start..start + line.len()
                } else {
                    first
                };
                d = d.with_related(first, "first declared here");
            }
            cx.push(d);
        } else {
            fatal = true;
            cx.push(
                Diagnostic::new(Code::Orb001, span, format!("not valid TOML: {msg}")).with_help(
                    "fix the TOML here; the naming rules are checked once the file parses",
                ),
            );
        }
    }
    if !fatal {
        cx.document(tree.root());
    }
    let mut diagnostics = cx.diags;
    if !diagnostics.is_empty() {
        let index = LineIndex::new(source);
        for d in &mut diagnostics {
            index.locate(d);
        }
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.code));
    diagnostics.dedup_by(|a, b| a.span == b.span && a.code == b.code && a.message == b.message);
    let mut manifest = cx.manifest;
    if !fatal && !diagnostics.is_empty() {
        manifest.declared = table_keys(tree.root());
    }
    manifest.reindex();
    Checked {
        manifest,
        diagnostics,
    }
}

/// `family.key` of every table below a top-level table (`[microservice.c8bms27]`), and
/// `part.PID` of every `pid` a leg lists.
fn table_keys(root: Table<'_, '_>) -> HashSet<String> {
    let mut out = HashSet::default();
    for (family, _, v) in entries(root, 0..0).iter() {
        let Ref::Table(t) = v.get() else {
            continue;
        };
        for (key, _, lv) in entries(t, 0..0).iter() {
            out.insert(format!("{family}.{key}"));
            if family != "leg" {
                continue;
            }
            let Ref::Table(leg) = lv.get() else {
                continue;
            };
            let Some((_, _, pv)) = entries(leg, 0..0).get("parts") else {
                continue;
            };
            let Ref::Array(parts) = pv.get() else {
                continue;
            };
            for part in parts.iter() {
                if let Ref::Table(p) = part.get() {
                    if let Some((_, _, id)) = entries(p, 0..0).get("pid") {
                        if let Ref::String(pid) = id.get() {
                            out.insert(format!("part.{pid}"));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The largest manifest [`check_file`] reads: 64 MiB. A manifest at the conventions' far end
/// (10,000 MIDs, 10,000 RIDs, 50,000 PIDs) is 6.5 MB; anything ten times that is not a
/// manifest (`/dev/zero`, a log, a disk image) and is refused before it fills the memory.
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024 * 1024;

/// Reads and checks a manifest file. An unreadable file is an ORB004 diagnostic, whose
/// message says what is wrong and whose help says what to do: a missing file, a directory,
/// anything that is not a regular file (a FIFO, a socket, a device such as `/dev/zero`), a
/// symbolic link loop, a file above [`MAX_MANIFEST_BYTES`], text that is not UTF-8, and a
/// permission error each have their own.
///
/// The path is checked with `metadata` before it is opened, so a FIFO is refused without
/// being opened (opening one for reading blocks until a writer comes). Between that check and
/// the open, the path could be replaced by a FIFO (a race only a hostile local user can
/// win): the opened handle is checked again, and what is read is bounded either way.
// One diagnostic per file read: its size does not matter, and callers render it like any other.
#[allow(clippy::result_large_err)]
pub fn check_file(path: &Path) -> Result<(String, Checked), Diagnostic> {
    let text = read_file(path)?;
    let checked = check(&text);
    Ok((text, checked))
}

/// Reads a manifest file as [`check_file`] does, without checking it: for callers that check
/// several manifests at once (`orbit diff`). Every failure is the same ORB004 diagnostic.
#[allow(clippy::result_large_err)]
pub fn read_file(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_manifest(path)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let mut d = Diagnostic::new(
                Code::Orb004,
                at..at,
                format!(
                    "`{}` is not UTF-8 text (invalid byte at offset {at})",
                    path.display()
                ),
            );
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            LineIndex::new(&text).locate(&mut d);
            Err(d.with_help(
                "save the manifest as UTF-8 (an editor's \"encoding\" setting; `iconv -f LATIN1 -t UTF-8` converts a Latin-1 file)",
            ))
        }
    }
}

/// The bytes of a manifest file, bounded by [`MAX_MANIFEST_BYTES`]; see [`check_file`].
#[allow(clippy::result_large_err)]
fn read_manifest(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| read_error(path, &e))?;
    not_a_manifest(path, &meta)?;
    let file = std::fs::File::open(path).map_err(|e| read_error(path, &e))?;
    let meta = file.metadata().map_err(|e| read_error(path, &e))?;
    not_a_manifest(path, &meta)?;
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_MANIFEST_BYTES) as usize);
    file.take(MAX_MANIFEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, &e))?;
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(too_large(path, None));
    }
    Ok(bytes)
}

/// An ORB004 diagnostic at the start of the file (there is no source to point into).
fn unreadable(message: String, help: impl Into<String>) -> Diagnostic {
    let mut d = Diagnostic::new(Code::Orb004, 0..0, message);
    d.line = 1;
    d.column = 1;
    d.with_help(help)
}

/// Refuses what `metadata` says is not a manifest: a directory, a FIFO, a device, a socket,
/// a file above the size limit.
#[allow(clippy::result_large_err)]
fn not_a_manifest(path: &Path, meta: &std::fs::Metadata) -> Result<(), Diagnostic> {
    let shown = path.display();
    if meta.is_dir() {
        return Err(unreadable(
            format!("cannot read manifest `{shown}`: it is a directory"),
            format!(
                "name the manifest file itself, e.g. `{}`",
                path.join("orbit.toml").display()
            ),
        ));
    }
    if !meta.is_file() {
        return Err(unreadable(
            format!(
                "cannot read manifest `{shown}`: it is {}, not a regular file",
                file_kind(meta)
            ),
            "a manifest is a regular file: name the `orbit.toml` itself (to check text that a program writes, save it to a file first)",
        ));
    }
    if meta.len() > MAX_MANIFEST_BYTES {
        return Err(too_large(path, Some(meta.len())));
    }
    Ok(())
}

#[allow(clippy::result_large_err)]
fn too_large(path: &Path, len: Option<u64>) -> Diagnostic {
    let size = match len {
        Some(n) => format!("{n} bytes"),
        None => "still growing past the limit".to_string(),
    };
    unreadable(
        format!(
            "cannot read manifest `{}`: it is {size}, above the limit of {MAX_MANIFEST_BYTES} bytes (64 MiB)",
            path.display()
        ),
        "check that the path names the manifest: one at the conventions' far end (10,000 MIDs, 50,000 PIDs) is 6.5 MB",
    )
}

/// What kind of file `metadata` describes, for a message ("a FIFO (named pipe)").
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    special_file_kind(meta).unwrap_or("a special file")
}

/// A FIFO, socket or device, as a message names it ("a FIFO (named pipe)"); `None` for any
/// other kind of file. `orbit lint` names the paths it refuses with it too.
pub fn special_file_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    let _ = meta;
    None
}

/// An ORB004 diagnostic for an I/O error, with a help line for that error.
fn read_error(path: &Path, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let shown = path.display();
    let message = format!("cannot read manifest `{shown}`: {}", io_reason(e));
    let help = match e.kind() {
        ErrorKind::NotFound => {
            "create it, or name the manifest's path (`orbit check PATH`, `--manifest PATH`, or the macro's path argument)".to_string()
        }
        ErrorKind::PermissionDenied => format!(
            "you may not read it, or a directory on its path: `ls -l {shown}` shows its owner and mode; ask its owner for read access"
        ),
        ErrorKind::IsADirectory => format!(
            "name the manifest file itself, e.g. `{}`",
            path.join("orbit.toml").display()
        ),
        ErrorKind::NotADirectory => {
            "a part of the path before the file name is a file, not a directory: correct the path".to_string()
        }
        ErrorKind::OutOfMemory => {
            "free memory (or check that the path names the manifest, not a huge file) and run again".to_string()
        }
        _ if is_symlink_loop(e) => format!(
            "`{shown}` is a symbolic link that leads back to itself: point it at the real manifest (`ls -l {shown}`)"
        ),
        _ => "the operating system's reason is above; fix it and run again".to_string(),
    };
    unreadable(message, help)
}

/// Whether an I/O error is a symbolic link loop (ELOOP; its `ErrorKind` is not stable).
fn is_symlink_loop(e: &std::io::Error) -> bool {
    let eloop = if cfg!(any(target_os = "linux", target_os = "android")) {
        40
    } else if cfg!(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    )) {
        62
    } else {
        return false;
    };
    cfg!(unix) && e.raw_os_error() == Some(eloop)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if is_symlink_loop(e) => "a loop of symbolic links".into(),
        _ => e.to_string(),
    }
}

/// The start offset and text of the line holding `offset`.
fn line_at(source: &str, offset: usize) -> (usize, &str) {
    let offset = offset.min(source.len());
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    (start, &source[start..end])
}

/// The start offset of the nearest `[table]` header line at or before `line_start`.
fn enclosing_header(source: &str, line_start: usize) -> Option<usize> {
    let mut at = line_start;
    loop {
        let (start, line) = line_at(source, at);
        if line.trim_start().starts_with('[') {
            return Some(start);
        }
        if start == 0 {
            return None;
        }
        at = start - 1;
    }
}

/// Finds `orbit.toml` in `start` or the nearest directory above it.
pub fn find_manifest(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join("orbit.toml"))
        .find(|p| p.is_file())
}

// ---------------------------------------------------------------------------------------------

/// A flow's index in the model and its listed components with their spans.
type FlowList = (usize, Vec<(ComponentId, Range<usize>)>);

struct Cx<'s> {
    /// The manifest's text, for quoting a value as written.
    source: &'s str,
    diags: Vec<Diagnostic>,
    manifest: Manifest,
    /// Every MID and RID declared with a well-formed key, sound or not: references to them
    /// are not reported again (the entry's own error says what is wrong).
    declared: HashSet<Endpoint>,
    /// Every component some flow lists, whether or not the model keeps it there (a ninth
    /// component, a flow whose id is malformed): such a component is not "listed in no flow"
    /// (ORB204); the flow's own error says what is wrong.
    listed: HashSet<ComponentId>,
    /// Declaration offsets of the regions whose names are malformed (ORB022).
    malformed_regions: Vec<usize>,
    /// Whether a region was left out because its range is missing or broken (ORB003, ORB020,
    /// ORB022): which component it would hold cannot be judged, so ORB203 is not reported.
    region_range_broken: bool,
}

/// A table's entries with their key spans. Looked up by key without copying; copied and
/// sorted only where document order matters ([`Entries::in_order`]).
struct Entries<'a, 'i> {
    table: Table<'a, 'i>,
    span: Range<usize>,
}

impl<'a, 'i> Entries<'a, 'i> {
    fn get(&self, key: &str) -> Option<Entry<'a, 'i>> {
        self.table.get(key)
    }

    /// The entries in the order their keys first appear (see [`Entries::in_order`] for the
    /// order of the declarations themselves).
    fn iter(&self) -> impl Iterator<Item = Entry<'a, 'i>> + 'a {
        self.table.iter()
    }

    /// The entries in the order the document declares them: by the span of each entry's
    /// defining key, which differs from [`Entries::iter`] for a table a header path implied
    /// before a later header defined it.
    fn in_order(&self) -> Vec<Entry<'a, 'i>> {
        let mut items: Vec<_> = self.iter().collect();
        items.sort_by_key(|(_, s, _)| s.start);
        items
    }

    fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    fn len(&self) -> usize {
        self.table.len()
    }
}

fn entries<'a, 'i>(table: Table<'a, 'i>, span: Range<usize>) -> Entries<'a, 'i> {
    Entries { table, span }
}

fn type_name(v: &Ref<'_, '_>) -> &'static str {
    match v {
        Ref::String(_) => "a string",
        Ref::Integer(_) => "an integer",
        Ref::Float => "a float",
        Ref::Boolean(_) => "a boolean",
        Ref::Datetime => "a date-time",
        Ref::Array(_) => "an array",
        Ref::Table(_) => "a table",
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && s.as_bytes()[0].is_ascii_lowercase()
}

fn kebab_of(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else if c == '_' || c == ' ' || c == '-' {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        } else {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_string()
}

impl Cx<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn id_error(&mut self, code: Code, key_span: Range<usize>, text: &str, e: &IdError) {
        let inner = e.span();
        let start = key_span.start + inner.start.min(text.len());
        let end = (key_span.start + inner.end.min(text.len())).max(start);
        // Key spans may include quotes; only narrow when the text is there verbatim.
        let span = if key_span.len() == text.len() && end > start {
            start..end
        } else {
            key_span.clone()
        };
        let mut msg = format!("malformed {} `{text}`: ", e.kind());
        for (i, p) in e.problems().iter().enumerate() {
            if i > 0 {
                msg.push_str("; ");
            }
            msg.push_str(&p.message);
        }
        let help = match e.suggestion() {
            Some(s) => format!("write `{s}`"),
            None => format!("the form is {}", e.kind().form()),
        };
        self.push(Diagnostic::new(code, span, msg).with_help(help));
    }

    /// Reports unknown keys (ORB002) of a table.
    fn known_keys(&mut self, e: &Entries<'_, '_>, allowed: &[&str], what: &str) {
        for (k, span, _) in e.iter() {
            // A plain loop: the proc macro runs this unoptimised, where `contains` costs
            // several calls per key.
            let mut known = false;
            let mut i = 0;
            while !known && i < allowed.len() {
                known = allowed[i] == k;
                i += 1;
            }
            if !known {
                let near = suggest::nearest_key(k, allowed);
                let help = match near {
                    Some(n) => format!(
                        "did you mean `{n}`? the keys of {what} are: {}",
                        allowed.join(", ")
                    ),
                    None => format!("the keys of {what} are: {}", allowed.join(", ")),
                };
                self.push(
                    Diagnostic::new(
                        Code::Orb002,
                        span.clone(),
                        format!("unknown key `{k}` in {what}"),
                    )
                    .with_help(help),
                );
            }
        }
    }

    fn missing(&mut self, span: Range<usize>, key: &str, what: impl fmt::Display, example: &str) {
        self.push(
            Diagnostic::new(
                Code::Orb003,
                span,
                format!("{what} lacks the required key `{key}`"),
            )
            .with_help(format!("add `{key} = {example}`")),
        );
    }

    fn wrong_type(&mut self, v: Value<'_, '_>, key: &str, want: &str) {
        self.push(Diagnostic::new(
            Code::Orb003,
            v.span(),
            format!("`{key}` must be {want}, not {}", type_name(&v.get())),
        ));
    }

    /// A table value, or ORB003.
    /// `what` is formatted only when reporting, so callers pass `format_args!`.
    fn table<'a, 'i>(
        &mut self,
        v: Value<'a, 'i>,
        what: impl fmt::Display,
    ) -> Option<Entries<'a, 'i>> {
        match v.get() {
            Ref::Table(t) => Some(entries(t, v.span())),
            other => {
                self.push(Diagnostic::new(
                    Code::Orb003,
                    v.span(),
                    format!("{what} must be a table, not {}", type_name(&other)),
                ));
                None
            }
        }
    }

    fn opt_str(&mut self, e: &Entries<'_, '_>, key: &str) -> Option<(String, Range<usize>)> {
        let (_, _, v) = e.get(key)?;
        match v.get() {
            Ref::String(s) => Some((s.to_string(), v.span())),
            _ => {
                self.wrong_type(v, key, "a string");
                None
            }
        }
    }

    fn req_str(
        &mut self,
        e: &Entries<'_, '_>,
        key: &str,
        what: impl fmt::Display,
        example: &str,
    ) -> Option<(String, Range<usize>)> {
        if e.get(key).is_none() {
            self.missing(e.span.clone(), key, what, example);
            return None;
        }
        self.opt_str(e, key)
    }

    fn opt_bool(&mut self, e: &Entries<'_, '_>, key: &str) -> bool {
        let Some((_, _, v)) = e.get(key) else {
            return false;
        };
        match v.get() {
            Ref::Boolean(b) => b,
            _ => {
                self.wrong_type(v, key, "`true` or `false`");
                false
            }
        }
    }

    /// An array of strings with the span of each.
    fn str_array(&mut self, e: &Entries<'_, '_>, key: &str) -> Option<Vec<(String, Range<usize>)>> {
        self.str_array_map(e, key, |s, span| (s.to_string(), span))
    }

    /// An array of strings, without their spans; empty when absent or not an array.
    fn strings(&mut self, e: &Entries<'_, '_>, key: &str) -> Vec<String> {
        self.str_array_map(e, key, |s, _| s.to_string())
            .unwrap_or_default()
    }

    fn str_array_map<T>(
        &mut self,
        e: &Entries<'_, '_>,
        key: &str,
        f: impl Fn(&str, Range<usize>) -> T,
    ) -> Option<Vec<T>> {
        let (_, _, v) = e.get(key)?;
        let Ref::Array(items) = v.get() else {
            self.wrong_type(v, key, "an array of strings");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get() {
                Ref::String(s) => out.push(f(s, item.span())),
                _ => self.wrong_type(item, key, "an array of strings"),
            }
        }
        Some(out)
    }

    fn document(&mut self, root: Table<'_, '_>) {
        let top = entries(root, 0..0);
        self.known_keys(&top, keys::ROOT, "the manifest");
        let section = |name: &str| top.get(name).map(|(_, s, v)| (s, v));

        let retired = match section("orbit") {
            Some((_, v)) => self.orbit(v),
            None => {
                self.push(
                    Diagnostic::new(
                        Code::Orb003,
                        0..0,
                        "the manifest lacks the required `[orbit]` table",
                    )
                    .with_help("add `[orbit]` with `name` and `cloud`"),
                );
                HashMap::default()
            }
        };
        match section("environment") {
            Some((_, v)) => self.environments(v),
            None => self.push(
                Diagnostic::new(Code::Orb011, 0..0, "no environment is declared").with_help(
                    "declare one, e.g. `[environment.k8d]` with `name = \"development\"`",
                ),
            ),
        }
        match section("region") {
            Some((_, v)) => self.regions(v),
            None => self.push(
                Diagnostic::new(Code::Orb003, 0..0, "the manifest declares no `[region.*]`")
                    .with_help("declare the region ranges, e.g. `[region.n-virginia]` with `components = [1, 100]`"),
            ),
        }
        let flow_lists = section("flow")
            .map(|(_, v)| self.flows(v))
            .unwrap_or_default();
        if let Some((_, v)) = section("component") {
            self.components(v);
        }
        // Components in a region with a malformed name are checked against its range; the
        // region itself is not sound enough to generate names from.
        let malformed = std::mem::take(&mut self.malformed_regions);
        self.manifest
            .regions
            .retain(|r| !malformed.contains(&r.span.start));
        self.flow_components(flow_lists);
        if let Some((_, v)) = section("microservice") {
            self.microservices(v, &retired);
        }
        if let Some((_, v)) = section("resource") {
            self.resources(v, &retired);
        }
        if let Some((_, v)) = section("leg") {
            self.legs(v);
        }
        if let Some((_, v)) = section("event") {
            self.events(v);
        }
        if let Some((_, v)) = section("waiver") {
            self.waivers(v);
        }
        self.constant_clashes();
        let clashes = self.manifest.variant_clashes();
        self.diags.extend(clashes);
    }

    fn orbit(&mut self, v: Value<'_, '_>) -> HashMap<Endpoint, Range<usize>> {
        let mut retired = HashMap::default();
        let Some(e) = self.table(v, "`[orbit]`") else {
            return retired;
        };
        self.known_keys(&e, keys::ORBIT, "`[orbit]`");
        let name = self.req_str(&e, "name", "`[orbit]`", "\"k8or Orbit\"");
        let cloud = self.req_str(&e, "cloud", "`[orbit]`", "\"aws\"");
        if let Some((c, span)) = &cloud {
            if let Err(err) = id::check_code(c, "cloud") {
                self.push(
                    Diagnostic::new(
                        Code::Orb010,
                        span.clone(),
                        format!("malformed cloud code `{c}`: {}", err.message()),
                    )
                    .with_help_opt(err.suggestion().map(|s| format!("write `\"{s}\"`"))),
                );
            }
        }
        let owner = self.opt_str(&e, "repository_owner").and_then(|(text, span)| {
            let checked = id::check_repository_owner(&text);
            self.repository_value(&text, span, "repository_owner", checked, "the GitHub user or organisation that owns the flow repositories, e.g. `\"k8or-orbit-aws\"`")
        });
        let branch = self
            .opt_str(&e, "repository_branch")
            .and_then(|(text, span)| {
                let checked = id::check_repository_branch(&text);
                self.repository_value(
                    &text,
                    span,
                    "repository_branch",
                    checked,
                    "the git branch of the flow repositories, e.g. `\"k8or-dev\"`",
                )
            });
        let doc = self.opt_str(&e, "doc").map(|s| s.0);
        let mut list = Vec::new();
        let mut spans = Vec::new();
        for (text, span) in self.str_array(&e, "retired").unwrap_or_default() {
            match text.parse::<Endpoint>() {
                Ok(ep) if ep.to_string() == text => {
                    retired.insert(ep, span.clone());
                    list.push(ep);
                    spans.push(span);
                }
                Ok(_) | Err(_) => {
                    let fix = text
                        .parse::<Endpoint>()
                        .err()
                        .and_then(|e| e.suggestion().map(str::to_string));
                    let why = match id::guess_kind(&text) {
                        id::IdKind::Mid | id::IdKind::Rid => match text.parse::<Endpoint>() {
                            Err(err) => err.to_string(),
                            Ok(_) => String::new(),
                        },
                        k => format!("`{text}` looks like a {k}; only MIDs and RIDs are retired"),
                    };
                    self.push(
                        Diagnostic::new(
                            Code::Orb701,
                            span,
                            format!("malformed entry `{text}` in `retired`: {why}"),
                        )
                        .with_help(match fix {
                            Some(f) => format!("write `\"{f}\"`"),
                            None => {
                                "list MIDs such as `c8bms12` or RIDs such as `c20bre18`".to_string()
                            }
                        }),
                    );
                }
            }
        }
        self.manifest.orbit = Orbit {
            name: name.map(|s| s.0).unwrap_or_default(),
            cloud: cloud.map(|s| s.0).unwrap_or_default(),
            repository_owner: owner,
            repository_branch: branch,
            retired: list,
            retired_spans: spans,
            doc,
        };
        retired
    }

    /// A `repository_owner` or `repository_branch` value if it is well formed, or ORB012 at
    /// the offending text (the corrected value as help when one is obvious, else `what`).
    fn repository_value(
        &mut self,
        text: &str,
        span: Range<usize>,
        key: &str,
        checked: Result<(), id::NameProblem>,
        what: &str,
    ) -> Option<String> {
        let problem = match checked {
            Ok(()) => return Some(text.to_string()),
            Err(p) => p,
        };
        // Narrow to the offending characters when the literal holds the text verbatim.
        let written = self.source.get(span.clone()).unwrap_or("");
        let verbatim = written.len() == text.len() + 2 && &written[1..written.len() - 1] == text;
        let at = if verbatim && !problem.at.is_empty() {
            span.start + 1 + problem.at.start..span.start + 1 + problem.at.end
        } else {
            span
        };
        let shown: String = text.escape_debug().collect();
        let help = match &problem.fix {
            Some(f) => format!("write `{key} = \"{}\"`", f.escape_debug()),
            None => format!("`{key}` is {what}"),
        };
        self.push(
            Diagnostic::new(
                Code::Orb012,
                at,
                format!("malformed `{key}` \"{shown}\": {}", problem.message),
            )
            .with_help(help),
        );
        None
    }

    fn environments(&mut self, v: Value<'_, '_>) {
        let Some(all) = self.table(v, "`[environment]`") else {
            return;
        };
        if all.is_empty() {
            self.push(
                Diagnostic::new(Code::Orb011, all.span.clone(), "no environment is declared")
                    .with_help(
                        "declare one, e.g. `[environment.k8d]` with `name = \"development\"`",
                    ),
            );
        }
        for (code, kspan, ev) in all.in_order() {
            if let Err(err) = id::check_code(code, "environment") {
                self.push(
                    Diagnostic::new(
                        Code::Orb010,
                        kspan.clone(),
                        format!("malformed environment code `{code}`: {}", err.message()),
                    )
                    .with_help(match err.suggestion() {
                        Some(s) => format!("write `[environment.{s}]`"),
                        None => {
                            "environment codes are lowercase letters and digits, e.g. `k8d`".into()
                        }
                    }),
                );
                continue;
            }
            let Some(e) = self.table(ev, format_args!("`[environment.{code}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::ENVIRONMENT, "an environment");
            let name = self.opt_str(&e, "name").map(|s| s.0);
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            self.manifest.environments.push(Environment {
                code: code.to_string(),
                name,
                doc,
                span: kspan.clone(),
            });
        }
        self.manifest.environments.sort_by_key(|e| e.span.start);
    }

    fn regions(&mut self, v: Value<'_, '_>) {
        let Some(all) = self.table(v, "`[region]`") else {
            return;
        };
        let mut range_spans: Vec<(usize, Range<usize>)> = Vec::new();
        // Regions whose names are malformed: kept for the range checks, then left out of
        // the model, whose generated names rely on well-formed region names.
        let mut malformed: Vec<usize> = Vec::new();
        for (key, kspan, rv) in all.in_order() {
            let Some(e) = self.table(rv, format_args!("`[region.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::REGION, "a region");
            if !is_kebab(key) {
                let fixed = kebab_of(&key.to_ascii_lowercase());
                self.push(
                    Diagnostic::new(
                        Code::Orb022,
                        kspan.clone(),
                        format!("malformed region name `{key}`: region names are lowercase kebab-case, words of lowercase letters and digits joined by single hyphens, starting with a letter"),
                    )
                    .with_help_opt(is_kebab(&fixed).then(|| format!("write `[region.{fixed}]`"))),
                );
                malformed.push(kspan.start);
            }
            let name = self.req_str(
                &e,
                "name",
                format_args!("region `{key}`"),
                "\"N. Virginia\"",
            );
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let Some((_, _, cv)) = e.get("components") else {
                self.missing(
                    e.span.clone(),
                    "components",
                    format_args!("region `{key}`"),
                    "[1, 100]",
                );
                self.region_range_broken = true;
                continue;
            };
            let Some((lo, hi)) = self.region_range(key, cv) else {
                self.region_range_broken = true;
                continue;
            };
            if hi < lo {
                self.region_range_broken = true;
                self.push(
                    Diagnostic::new(
                        Code::Orb020,
                        cv.span(),
                        format!("region `{key}`'s range [{lo}, {hi}] is reversed"),
                    )
                    .with_help(format!("write `[{hi}, {lo}]`")),
                );
                continue;
            }
            range_spans.push((kspan.start, cv.span()));
            self.manifest.regions.push(Region {
                key: key.to_string(),
                name: name.map(|s| s.0).unwrap_or_default(),
                components: lo..=hi,
                doc,
                span: kspan.clone(),
            });
        }
        let mut regions = std::mem::take(&mut self.manifest.regions);
        regions.sort_by_key(|r| (*r.components.start(), r.span.start));
        let mut kept: Vec<Region> = Vec::with_capacity(regions.len());
        for r in regions {
            if let Some(prev) = kept.iter().find(|p| {
                p.components.start() <= r.components.end()
                    && r.components.start() <= p.components.end()
            }) {
                let (first, second) = if prev.span.start < r.span.start {
                    (prev, &r)
                } else {
                    (&r, prev)
                };
                let at = range_spans
                    .iter()
                    .find(|(k, _)| *k == second.span.start)
                    .map_or(second.span.clone(), |(_, s)| s.clone());
                self.push(
                    Diagnostic::new(
                        Code::Orb021,
                        at,
                        format!(
                            "region `{}` [{}, {}] overlaps region `{}` [{}, {}]",
                            second.key,
                            second.components.start(),
                            second.components.end(),
                            first.key,
                            first.components.start(),
                            first.components.end()
                        ),
                    )
                    .with_related(first.span.clone(), "overlapping region declared here")
                    .with_help("give each region its own range of component numbers"),
                );
                continue;
            }
            kept.push(r);
        }
        self.manifest.regions = kept;
        self.malformed_regions = malformed;
    }

    /// A region's `components = [first, last]`, each bound an integer from 1 to 9999, or
    /// ORB003 (not a pair) or ORB022 (a bound that is not a component number).
    fn region_range(&mut self, key: &str, cv: Value<'_, '_>) -> Option<(u16, u16)> {
        let want = "a range of two integers, `[first, last]`";
        let items = match cv.get() {
            Ref::Array(a) if a.len() == 2 => a,
            Ref::Array(a) => {
                self.push(
                    Diagnostic::new(
                        Code::Orb003,
                        cv.span(),
                        format!(
                            "`components` must be {want}, not an array of {} {}",
                            a.len(),
                            if a.len() == 1 { "value" } else { "values" }
                        ),
                    )
                    .with_help("write the first and the last component number of the region, e.g. `[1, 100]`"),
                );
                return None;
            }
            _ => {
                self.wrong_type(cv, "components", want);
                return None;
            }
        };
        let max = id::MAX_GROUP;
        let mut bounds = [0u16; 2];
        let mut ok = true;
        for (i, item) in items.iter().enumerate().take(2) {
            let which = if i == 0 { "first" } else { "last" };
            let text = self.source.get(item.span()).unwrap_or("").trim();
            let (why, help) = match item.get() {
                Ref::Integer(Some(n)) if (1..=i64::from(max)).contains(&n) => {
                    bounds[i] = n as u16;
                    continue;
                }
                Ref::Integer(n) if n.map_or(text.starts_with('-'), |n| n < 1) => (
                    "component numbers start at 1".to_string(),
                    "write `1` or a larger number".to_string(),
                ),
                Ref::Integer(_) => (
                    format!("component numbers end at {max}"),
                    format!("write `{max}` or a smaller number"),
                ),
                Ref::Float => {
                    let help = match text.replace('_', "").parse::<f64>() {
                        Ok(f) if f.is_finite() && f >= 1.0 && f <= f64::from(max) => {
                            let (a, b) = (f.floor() as u16, f.ceil() as u16);
                            if a == b || a == 0 {
                                format!("write `{b}`")
                            } else {
                                format!("write `{a}` or `{b}`")
                            }
                        }
                        _ => format!("write a whole number from 1 to {max}"),
                    };
                    ("it is not a whole number".to_string(), help)
                }
                Ref::String(s) => (
                    "it is a string".to_string(),
                    match s.trim().parse::<u16>() {
                        Ok(n) if (1..=max).contains(&n) => format!("write `{n}` without quotes"),
                        _ => format!("write a whole number from 1 to {max}, without quotes"),
                    },
                ),
                other => (
                    format!("it is {}", type_name(&other)),
                    format!("write a whole number from 1 to {max}"),
                ),
            };
            ok = false;
            self.push(
                Diagnostic::new(
                    Code::Orb022,
                    item.span(),
                    format!(
                        "the {which} bound `{text}` of region `{key}`'s range is not a component number (an integer from 1 to {max}): {why}"
                    ),
                )
                .with_help(help),
            );
        }
        ok.then_some((bounds[0], bounds[1]))
    }

    /// Parses flows; returns each flow's component list (checked later against components).
    fn flows(&mut self, v: Value<'_, '_>) -> Vec<FlowList> {
        let mut lists = Vec::new();
        let Some(all) = self.table(v, "`[flow]`") else {
            return lists;
        };
        let used: Vec<u16> = all
            .iter()
            .filter_map(|(k, _, _)| k.parse::<FlowId>().ok().map(|f| f.0))
            .collect();
        for (key, kspan, fv) in all.in_order() {
            let fid = match key.parse::<FlowId>() {
                Ok(f) => f,
                Err(err) => {
                    self.id_error(Code::Orb101, kspan.clone(), key, &err);
                    self.listed_by_malformed_flow(fv);
                    continue;
                }
            };
            let Some(e) = self.table(fv, format_args!("`[flow.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::FLOW, "a flow");
            let name = self.req_str(&e, "name", format_args!("flow `{key}`"), "\"ChartStore\"");
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let inserted = self.opt_bool(&e, "inserted");
            if fid.0 % 4 != 0 && !inserted {
                let next = next_multiple(&used, 4, 1);
                self.push(
                    Diagnostic::new(
                        Code::Orb102,
                        kspan.clone(),
                        format!("flow number {} is not a multiple of 4, and the flow is not `inserted`", fid.0),
                    )
                    .with_label("reserved slot")
                    .with_help(format!(
                        "the next free flow is `flow-{next}`; to use the reserved slot deliberately, add `inserted = true`"
                    )),
                );
            }
            let mut comps: Vec<(ComponentId, Range<usize>)> = Vec::new();
            match e.get("components") {
                None => self.missing(
                    e.span.clone(),
                    "components",
                    format_args!("flow `{key}`"),
                    "[\"c20\"]",
                ),
                Some(_) => {
                    let list = self.str_array(&e, "components").unwrap_or_default();
                    for (i, (text, span)) in list.iter().enumerate() {
                        let c = match ComponentId::parse_prose(text) {
                            Ok(c) if c.to_string() == *text => c,
                            Ok(c) => {
                                self.push(
                                    Diagnostic::new(
                                        Code::Orb201,
                                        span.clone(),
                                        format!("malformed component id `{text}`: component ids are lowercase in a manifest"),
                                    )
                                    .with_help(format!("write `\"{c}\"`")),
                                );
                                continue;
                            }
                            Err(err) => {
                                self.id_error(Code::Orb201, span.clone(), text, &err);
                                continue;
                            }
                        };
                        if let Some((_, first)) = comps.iter().find(|(x, _)| *x == c) {
                            self.push(
                                Diagnostic::new(
                                    Code::Orb105,
                                    span.clone(),
                                    format!("component `{c}` is listed twice in `{fid}`"),
                                )
                                .with_related(first.clone(), "first listed here")
                                .with_help(
                                    "list each component once; its position fixes its blocks",
                                ),
                            );
                            continue;
                        }
                        if i == MAX_COMPONENTS_PER_FLOW {
                            self.push(
                                Diagnostic::new(
                                    Code::Orb103,
                                    span.clone(),
                                    format!(
                                        "`{fid}` lists {} components; a flow holds at most 8 (blocks 3 to 96)",
                                        list.len()
                                    ),
                                )
                                .with_label("ninth component")
                                .with_help("divide the process into several flows of at most 8 components each"),
                            );
                        }
                        self.listed.insert(c);
                        comps.push((c, span.clone()));
                    }
                }
            }
            comps.truncate(MAX_COMPONENTS_PER_FLOW);
            lists.push((self.manifest.flows.len(), comps));
            self.manifest.flows.push(Flow {
                id: fid,
                name: name.map(|s| s.0).unwrap_or_default(),
                doc,
                components: Vec::new(),
                inserted,
                span: kspan.clone(),
            });
        }
        lists
    }

    /// Records the well-formed component ids a flow with a malformed id lists, without
    /// reporting anything about them: the flow's ORB101 is the error, not its components.
    fn listed_by_malformed_flow(&mut self, fv: Value<'_, '_>) {
        let Ref::Table(t) = fv.get() else {
            return;
        };
        let Some((_, _, cv)) = t.get("components") else {
            return;
        };
        let Ref::Array(items) = cv.get() else {
            return;
        };
        for item in items.iter() {
            if let Ref::String(s) = item.get() {
                if let Some(c) = canonical::<ComponentId>(s) {
                    self.listed.insert(c);
                }
            }
        }
    }

    fn components(&mut self, v: Value<'_, '_>) {
        let Some(all) = self.table(v, "`[component]`") else {
            return;
        };
        let used: Vec<u16> = all
            .iter()
            .filter_map(|(k, _, _)| k.parse::<ComponentId>().ok().map(|c| c.0))
            .collect();
        for (key, kspan, cv) in all.in_order() {
            let cid = match key.parse::<ComponentId>() {
                Ok(c) => c,
                Err(err) => {
                    self.id_error(Code::Orb201, kspan.clone(), key, &err);
                    continue;
                }
            };
            let Some(e) = self.table(cv, format_args!("`[component.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::COMPONENT, "a component");
            let name = self.req_str(
                &e,
                "name",
                format_args!("component `{key}`"),
                "\"ChartStore data\"",
            );
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let inserted = self.opt_bool(&e, "inserted");
            let region = self
                .manifest
                .regions
                .iter()
                .find(|r| r.components.contains(&cid.0))
                .cloned();
            let region = region.as_ref();
            if cid.0 % 4 != 0 && !inserted {
                let in_region: Vec<u16> = match region {
                    Some(r) => used
                        .iter()
                        .copied()
                        .filter(|n| r.components.contains(n))
                        .collect(),
                    None => used.clone(),
                };
                let floor = region.map_or(0, |r| *r.components.start() - 1);
                let next = next_multiple(&in_region, 4, floor);
                self.push(
                    Diagnostic::new(
                        Code::Orb202,
                        kspan.clone(),
                        format!("component number {} is not a multiple of 4, and the component is not `inserted`", cid.0),
                    )
                    .with_label("reserved slot")
                    .with_help(format!(
                        "the next free component{} is `c{next}`; to use the reserved slot deliberately, add `inserted = true`",
                        region.map(|r| format!(" in {}", r.key)).unwrap_or_default()
                    )),
                );
            }
            if region.is_none() && !self.manifest.regions.is_empty() && !self.region_range_broken {
                let ranges: Vec<String> = self
                    .manifest
                    .regions
                    .iter()
                    .map(|r| format!("{} {}–{}", r.key, r.components.start(), r.components.end()))
                    .collect();
                self.push(
                    Diagnostic::new(
                        Code::Orb203,
                        kspan.clone(),
                        format!("component number {} is outside every region's range", cid.0),
                    )
                    .with_help(format!("regions: {}", ranges.join(", "))),
                );
            }
            self.manifest.components.push(Component {
                id: cid,
                name: name.map(|s| s.0).unwrap_or_default(),
                doc,
                inserted,
                span: kspan.clone(),
            });
        }
        self.manifest.components.sort_by_key(|c| c.id);
    }

    fn declared_components(&self) -> HashSet<ComponentId> {
        self.manifest.components.iter().map(|c| c.id).collect()
    }

    fn flow_components(&mut self, lists: Vec<FlowList>) {
        let declared = self.declared_components();
        let names: Vec<String> = self
            .manifest
            .components
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        for (fi, comps) in lists {
            let fid = self.manifest.flows[fi].id;
            let mut kept = Vec::new();
            for (c, span) in comps {
                if declared.contains(&c) {
                    kept.push(c);
                } else {
                    let near =
                        suggest::nearest(&c.to_string(), names.iter().map(String::as_str), 3);
                    self.push(
                        Diagnostic::new(
                            Code::Orb104,
                            span,
                            format!("`{fid}` lists component `{c}`, which is not declared"),
                        )
                        .with_help(suggest::declare_or(&format!("[component.{c}]"), &near)),
                    );
                }
            }
            self.manifest.flows[fi].components = kept;
        }
        self.manifest.flows.sort_by_key(|f| f.id);
        let mut unlisted = Vec::new();
        for c in &self.manifest.components {
            if !self.listed.contains(&c.id) {
                unlisted.push(
                    Diagnostic::new(Code::Orb204, c.span.clone(), format!("component `{}` is listed in no flow", c.id))
                        .with_help(format!(
                            "add \"{}\" to a flow's `components`; every component belongs to at least one flow",
                            c.id
                        )),
                );
            }
        }
        self.diags.extend(unlisted);
    }

    fn microservices(&mut self, v: Value<'_, '_>, retired: &HashMap<Endpoint, Range<usize>>) {
        let Some(all) = self.table(v, "`[microservice]`") else {
            return;
        };
        let declared = self.declared_components();
        let comp_names: Vec<String> = self
            .manifest
            .components
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        // Numbers in use per component, across fms and bms, for "next free" hints.
        let mut used: HashMap<u16, Vec<u16>> = HashMap::default();
        for (k, _, _) in all.iter() {
            if let Ok(m) = k.parse::<Mid>() {
                used.entry(m.component).or_default().push(m.number);
            }
        }
        for r in retired.keys() {
            if let Endpoint::Mid(m) = r {
                used.entry(m.component).or_default().push(m.number);
            }
        }
        let mut by_number: HashMap<(u16, u16), (Mid, Range<usize>)> = HashMap::default();
        let mut out = Vec::with_capacity(all.len());
        for (key, kspan, mv) in all.in_order() {
            let mid = match key.parse::<Mid>() {
                Ok(m) => m,
                Err(err) => {
                    self.id_error(Code::Orb301, kspan.clone(), key, &err);
                    continue;
                }
            };
            self.declared.insert(Endpoint::Mid(mid));
            let Some(e) = self.table(mv, format_args!("`[microservice.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::MICROSERVICE, "a microservice");
            let name = self.req_str(
                &e,
                "name",
                format_args!("microservice `{key}`"),
                "\"Portal Search Logic\"",
            );
            let roles = self.strings(&e, "roles");
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let inserted = self.opt_bool(&e, "inserted");
            let mut sound = true;
            if !declared.contains(&mid.component_id()) {
                sound = false;
                let c = mid.component_id().to_string();
                let near = suggest::nearest(&c, comp_names.iter().map(String::as_str), 3);
                self.push(
                    Diagnostic::new(
                        Code::Orb302,
                        kspan.start..kspan.start + c.len(),
                        format!("`{mid}` belongs to component `{c}`, which is not declared"),
                    )
                    .with_help(suggest::declare_or(&format!("[component.{c}]"), &near)),
                );
            }
            if mid.number % 3 != 0 && !inserted {
                let next = next_multiple(used.get(&mid.component).map_or(&[][..], |v| v), 3, 0);
                let mut free = format!("c{}{}", mid.component, mid.kind.code());
                let _ = id::write_number(&mut free, next);
                self.push(
                    Diagnostic::new(
                        Code::Orb303,
                        kspan.clone(),
                        format!(
                            "MID identifier {:02} is not a multiple of 3, and `{mid}` is not `inserted`",
                            mid.number
                        ),
                    )
                    .with_label("reserved slot")
                    .with_help(format!(
                        "identifiers step by 3; the next free in c{} is `{free}`; to use the reserved slot deliberately, add `inserted = true`",
                        mid.component
                    )),
                );
            }
            if let Some((other, first)) = by_number.get(&(mid.component, mid.number)) {
                self.push(
                    Diagnostic::new(
                        Code::Orb304,
                        kspan.clone(),
                        format!(
                            "identifier {:02} of component c{} is already used by `{other}`",
                            mid.number, mid.component
                        ),
                    )
                    .with_related(first.clone(), format!("`{other}` declared here"))
                    .with_help({
                        let next = next_multiple(used.get(&mid.component).map_or(&[][..], |v| v), 3, 0);
                        let mut free = format!("c{}{}", mid.component, mid.kind.code());
                        let _ = id::write_number(&mut free, next);
                        format!("frontend and backend microservices of one component share one sequence; the next free is `{free}`")
                    }),
                );
                sound = false;
            } else {
                by_number.insert((mid.component, mid.number), (mid, kspan.clone()));
            }
            if let Some(rspan) = retired.get(&Endpoint::Mid(mid)) {
                self.push(
                    Diagnostic::new(Code::Orb305, kspan.clone(), format!("`{mid}` is retired and must not be declared again"))
                        .with_related(rspan.clone(), "retired here")
                        .with_help("persistent names derive from retired ids; allocate a new one (`orbit next mid`)"),
                );
            }
            if sound {
                out.push(Microservice {
                    id: mid,
                    name: name.map(|s| s.0).unwrap_or_default(),
                    roles,
                    doc,
                    inserted,
                    span: kspan.clone(),
                });
            }
        }
        out.sort_by_key(|m| (m.id.component, m.id.number, m.id.kind));
        self.manifest.microservices = out;
    }

    fn resources(&mut self, v: Value<'_, '_>, retired: &HashMap<Endpoint, Range<usize>>) {
        let Some(all) = self.table(v, "`[resource]`") else {
            return;
        };
        let declared = self.declared_components();
        let comp_names: Vec<String> = self
            .manifest
            .components
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        let mut used: HashMap<u16, Vec<u16>> = HashMap::default();
        for (k, _, _) in all.iter() {
            if let Ok(r) = k.parse::<Rid>() {
                used.entry(r.component).or_default().push(r.number);
            }
        }
        for r in retired.keys() {
            if let Endpoint::Rid(r) = r {
                used.entry(r.component).or_default().push(r.number);
            }
        }
        let flows_listing: HashMap<ComponentId, Vec<FlowId>> = {
            let mut m: HashMap<ComponentId, Vec<FlowId>> = HashMap::default();
            for f in &self.manifest.flows {
                for c in &f.components {
                    m.entry(*c).or_default().push(f.id);
                }
            }
            m
        };
        let cloud = self.manifest.orbit.cloud.clone();
        let envs: Vec<String> = self
            .manifest
            .environments
            .iter()
            .map(|e| e.code.clone())
            .collect();
        let mut names: HashMap<(ResourceKind, String, String), (Rid, Range<usize>)> =
            HashMap::default();
        let mut out = Vec::with_capacity(all.len());
        // Each physical name, written in turn to check the cloud's limits.
        let mut full = String::new();
        for (key, kspan, rv) in all.in_order() {
            let rid = match key.parse::<Rid>() {
                Ok(r) => r,
                Err(err) => {
                    self.id_error(Code::Orb401, kspan.clone(), key, &err);
                    continue;
                }
            };
            self.declared.insert(Endpoint::Rid(rid));
            let Some(e) = self.table(rv, format_args!("`[resource.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::RESOURCE, "a resource");
            let kind = self.req_str(&e, "kind", format_args!("resource `{key}`"), "\"dynamodb\"");
            let name = self.req_str(
                &e,
                "name",
                format_args!("resource `{key}`"),
                "\"user-data\"",
            );
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let flow_decl = self.opt_str(&e, "flow");
            let inserted = self.opt_bool(&e, "inserted");
            let mut sound = true;
            let cid = rid.component_id();
            if !declared.contains(&cid) {
                sound = false;
                let c = cid.to_string();
                let near = suggest::nearest(&c, comp_names.iter().map(String::as_str), 3);
                self.push(
                    Diagnostic::new(
                        Code::Orb402,
                        kspan.start..kspan.start + c.len(),
                        format!("`{rid}` belongs to component `{c}`, which is not declared"),
                    )
                    .with_help(suggest::declare_or(&format!("[component.{c}]"), &near)),
                );
            }
            if rid.number % 3 != 0 && !inserted {
                let next = next_multiple(used.get(&rid.component).map_or(&[][..], |v| v), 3, 0);
                let mut free = format!("c{}bre", rid.component);
                let _ = id::write_number(&mut free, next);
                self.push(
                    Diagnostic::new(
                        Code::Orb403,
                        kspan.clone(),
                        format!(
                            "RID identifier {:02} is not a multiple of 3, and `{rid}` is not `inserted`",
                            rid.number
                        ),
                    )
                    .with_label("reserved slot")
                    .with_help(format!(
                        "identifiers step by 3; the next free in c{} is `{free}`; to use the reserved slot deliberately, add `inserted = true`",
                        rid.component
                    )),
                );
            }
            if let Some(rspan) = retired.get(&Endpoint::Rid(rid)) {
                self.push(
                    Diagnostic::new(Code::Orb409, kspan.clone(), format!("`{rid}` is retired and must not be declared again"))
                        .with_related(rspan.clone(), "retired here")
                        .with_help("persistent names derive from retired ids; allocate a new one (`orbit next rid`)"),
                );
            }
            let kind = match kind {
                Some((k, span)) => match k.parse::<ResourceKind>() {
                    Ok(k) => Some(k),
                    Err(msg) => {
                        let kinds: Vec<&str> =
                            ResourceKind::ALL.iter().map(|k| k.as_str()).collect();
                        let near = suggest::nearest_key(&k, &kinds);
                        self.push(
                            Diagnostic::new(
                                Code::Orb404,
                                span,
                                format!("unknown resource kind: {msg}"),
                            )
                            .with_help_opt(near.map(|n| format!("did you mean `\"{n}\"`?"))),
                        );
                        None
                    }
                },
                None => None,
            };
            let (Some(kind), Some((name, name_span))) = (kind, name) else {
                continue;
            };
            if let Err(msg) = kind.check_name(&name) {
                let fixed = name
                    .to_ascii_lowercase()
                    .replace(['-', '_', ' ', '.'], &kind.separator().to_string());
                self.push(
                    Diagnostic::new(
                        Code::Orb405,
                        name_span.clone(),
                        format!("malformed {} name `{name}`: {msg}", kind.describe()),
                    )
                    .with_help_opt(
                        kind.check_name(&fixed)
                            .ok()
                            .map(|_| format!("write `\"{fixed}\"`")),
                    ),
                );
                sound = false;
            }
            // The flow whose number starts the serial.
            let listing = flows_listing.get(&cid).map_or(&[][..], |v| v);
            let flow = match flow_decl {
                Some((text, span)) => match text.parse::<FlowId>() {
                    Ok(f) if listing.contains(&f) => Some(f),
                    Ok(f) => {
                        let help = match listing {
                            [] => format!("no flow lists `{cid}`; add it to `{f}`'s components"),
                            l => format!(
                                "flows listing `{cid}`: {}",
                                l.iter()
                                    .map(|f| format!("`{f}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        self.push(
                            Diagnostic::new(
                                Code::Orb406,
                                span,
                                format!("`{rid}` names `{f}`, which does not list its component `{cid}`"),
                            )
                            .with_help(help),
                        );
                        None
                    }
                    Err(err) => {
                        self.id_error(Code::Orb101, span, &text, &err);
                        None
                    }
                },
                None => match listing {
                    [one] => Some(*one),
                    [] => None, // ORB204 already says the component is in no flow.
                    many => {
                        self.push(
                            Diagnostic::new(
                                Code::Orb406,
                                kspan.clone(),
                                format!(
                                    "`{rid}`'s flow is ambiguous: {} list component `{cid}`",
                                    many.iter()
                                        .map(|f| format!("`{f}`"))
                                        .collect::<Vec<_>>()
                                        .join(" and ")
                                ),
                            )
                            .with_help(format!("say which, e.g. `flow = \"{}\"`", many[0])),
                        );
                        None
                    }
                },
            };
            if let (Some(f), true) = (flow, sound) {
                let serial = id::serial(f, rid);
                let mut bad = Vec::new();
                let mut why = String::new();
                for env in &envs {
                    id::write_physical_name(&mut full, kind, &name, &serial, env, &cloud);
                    if let Err(m) = kind.check_cloud_limits(&full) {
                        if bad.is_empty() {
                            why = m;
                        }
                        bad.push(env.as_str());
                    }
                }
                if !bad.is_empty() {
                    self.push(
                        Diagnostic::new(
                            Code::Orb407,
                            name_span.clone(),
                            format!(
                                "the {} name of `{rid}` breaks the cloud's limits in {}: {why}",
                                kind.describe(),
                                bad.iter()
                                    .map(|e| format!("`{e}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                        .with_help(
                            "shorten the descriptive name; names are never truncated to fit",
                        ),
                    );
                }
                let key3 = (kind, name.clone(), serial.clone());
                if let Some((other, first)) = names.get(&key3) {
                    let example = envs
                        .first()
                        .map(|e| id::physical_name(kind, &name, &serial, e, &cloud));
                    self.push(
                        Diagnostic::new(
                            Code::Orb408,
                            kspan.clone(),
                            format!(
                                "`{rid}` derives the same physical name as `{other}`{}",
                                example.map(|n| format!(" (`{n}`)")).unwrap_or_default()
                            ),
                        )
                        .with_related(first.clone(), format!("`{other}` declared here"))
                        .with_help("give one of them another descriptive name"),
                    );
                } else {
                    names.insert(key3, (rid, kspan.clone()));
                }
            }
            if sound {
                out.push(Resource {
                    id: rid,
                    kind,
                    name,
                    doc,
                    flow,
                    inserted,
                    span: kspan.clone(),
                });
            }
        }
        out.sort_by_key(|r| r.id);
        self.manifest.resources = out;
    }

    fn endpoint_names(&self) -> (Vec<String>, Vec<String>) {
        let mut mids = Vec::new();
        let mut rids = Vec::new();
        for e in &self.declared {
            match e {
                Endpoint::Mid(_) => mids.push(e.to_string()),
                Endpoint::Rid(_) => rids.push(e.to_string()),
            }
        }
        mids.sort();
        rids.sort();
        (mids, rids)
    }

    fn legs(&mut self, v: Value<'_, '_>) {
        let Some(all) = self.table(v, "`[leg]`") else {
            return;
        };
        let mids: HashSet<Mid> = self.manifest.microservices.iter().map(|m| m.id).collect();
        let rids: HashSet<Rid> = self.manifest.resources.iter().map(|r| r.id).collect();
        let flows: HashSet<FlowId> = self.manifest.flows.iter().map(|f| f.id).collect();
        let flow_names: Vec<String> = self
            .manifest
            .flows
            .iter()
            .map(|f| f.id.to_string())
            .collect();
        let mut names: Option<(Vec<String>, Vec<String>)> = None;
        let mut seen: HashMap<Pid, Range<usize>> = HashMap::default();
        let mut out = Vec::new();
        for (key, kspan, lv) in all.in_order() {
            if !is_kebab(key) {
                let fixed = kebab_of(key);
                self.push(
                    Diagnostic::new(
                        Code::Orb003,
                        kspan.clone(),
                        format!("leg name `{key}` is not kebab-case"),
                    )
                    .with_help_opt(is_kebab(&fixed).then(|| format!("write `[leg.{fixed}]`"))),
                );
                continue;
            }
            let Some(e) = self.table(lv, format_args!("`[leg.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::LEG, "a leg");
            let what = format!("leg `{key}`");
            let flow = self.req_str(&e, "flow", &what, "\"flow-4\"");
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let flow = match flow {
                Some((text, span)) => match text.parse::<FlowId>() {
                    Ok(f) if flows.contains(&f) => Some(f),
                    Ok(f) => {
                        let near =
                            suggest::nearest(&text, flow_names.iter().map(String::as_str), 3);
                        self.push(
                            Diagnostic::new(
                                Code::Orb506,
                                span,
                                format!("leg `{key}` belongs to `{f}`, which is not declared"),
                            )
                            .with_help(suggest::declare_or(&format!("[flow.{f}]"), &near)),
                        );
                        None
                    }
                    Err(err) => {
                        self.id_error(Code::Orb101, span, &text, &err);
                        None
                    }
                },
                None => None,
            };
            let mut parts = Vec::new();
            match e.get("parts") {
                None => self.missing(
                    e.span.clone(),
                    "parts",
                    &what,
                    "[{ pid = \"c8fms03-c20bre06-e05\" }]",
                ),
                Some((_, _, pv)) => match pv.get() {
                    Ref::Array(items) if items.is_empty() => self.push(
                        Diagnostic::new(
                            Code::Orb507,
                            pv.span(),
                            format!("leg `{key}` has no parts"),
                        )
                        .with_help(
                            "list its process steps: `parts = [{ pid = \"<start>-<end>-e05\" }]`",
                        ),
                    ),
                    Ref::Array(items) => {
                        let mut last: Option<(u16, Range<usize>)> = None;
                        for item in items.iter() {
                            let Some(pe) = self.table(item, format_args!("a part of leg `{key}`"))
                            else {
                                continue;
                            };
                            self.known_keys(&pe, keys::PART, "a part");
                            let Some((text, pspan)) = self.req_str(
                                &pe,
                                "pid",
                                format_args!("a part of leg `{key}`"),
                                "\"c8fms03-c20bre06-e05\"",
                            ) else {
                                continue;
                            };
                            let pdoc = self.opt_str(&pe, "doc").map(|s| s.0);
                            let actions = self.strings(&pe, "actions");
                            let inserted = self.opt_bool(&pe, "inserted");
                            // The value span includes its quotes.
                            let inner =
                                pspan.start + 1..pspan.end.saturating_sub(1).max(pspan.start + 1);
                            let pid = match text.parse::<Pid>() {
                                Ok(p) => p,
                                Err(err) => {
                                    self.id_error(Code::Orb501, inner, &text, &err);
                                    continue;
                                }
                            };
                            let mut sound = true;
                            let mut offset = inner.start;
                            for ep in [pid.start, pid.end] {
                                let len = endpoint_len(ep);
                                let span = offset..offset + len;
                                offset += len + 1;
                                let ok = match ep {
                                    Endpoint::Mid(m) => mids.contains(&m),
                                    Endpoint::Rid(r) => rids.contains(&r),
                                };
                                if !ok {
                                    sound = false;
                                }
                                if !ok && !self.declared.contains(&ep) {
                                    let txt = ep.to_string();
                                    let (mn, rn) =
                                        names.get_or_insert_with(|| self.endpoint_names());
                                    let (pool, kind, table) = match ep {
                                        Endpoint::Mid(_) => (&*mn, "MID", "microservice"),
                                        Endpoint::Rid(_) => (&*rn, "RID", "resource"),
                                    };
                                    let near =
                                        suggest::nearest(&txt, pool.iter().map(String::as_str), 3);
                                    self.push(
                                        Diagnostic::new(
                                            Code::Orb502,
                                            span,
                                            format!("`{txt}` in `{pid}` is not a declared {kind}"),
                                        )
                                        .with_help(
                                            suggest::declare_or(&format!("[{table}.{txt}]"), &near),
                                        ),
                                    );
                                }
                            }
                            let order_span = inner
                                .end
                                .saturating_sub(decimal_digits(pid.order).max(2) + 1)
                                ..inner.end;
                            if pid.order % 5 != 0 && !inserted {
                                let lo = (pid.order / 5 * 5).max(5);
                                let hi = lo + 5;
                                let lo = if lo > pid.order { 5 } else { lo };
                                self.push(
                                    Diagnostic::new(
                                        Code::Orb503,
                                        order_span.clone(),
                                        format!("execution order {:02} is not a multiple of 5, and the part is not `inserted`", pid.order),
                                    )
                                    .with_label("reserved slot")
                                    .with_help(format!(
                                        "orders step by 5 (e05, e10, …): use e{lo:02} or e{hi:02}; to insert a step deliberately, add `inserted = true`"
                                    )),
                                );
                            }
                            if let Some((prev, prev_span)) = &last {
                                if pid.order <= *prev {
                                    self.push(
                                        Diagnostic::new(
                                            Code::Orb504,
                                            order_span.clone(),
                                            format!(
                                                "execution order e{:02} does not follow e{:02}: orders in leg `{key}` strictly increase",
                                                pid.order, prev
                                            ),
                                        )
                                        .with_related(prev_span.clone(), "previous part")
                                        .with_help("list parts in execution order, or renumber this one"),
                                    );
                                }
                            }
                            last = Some((pid.order, order_span));
                            if let Some(first) = seen.get(&pid) {
                                self.push(
                                    Diagnostic::new(Code::Orb505, inner.clone(), format!("PID `{pid}` is declared more than once"))
                                        .with_related(first.clone(), "first declared here")
                                        .with_help("a PID is unique in the whole manifest; renumber one of them"),
                                );
                                sound = false;
                            } else {
                                seen.insert(pid, inner.clone());
                            }
                            if sound {
                                parts.push(Part {
                                    pid,
                                    doc: pdoc,
                                    actions,
                                    inserted,
                                    span: inner,
                                });
                            }
                        }
                    }
                    _ => self.wrong_type(pv, "parts", "an array of tables `{ pid = … }`"),
                },
            }
            if let Some(flow) = flow {
                out.push(Leg {
                    name: key.to_string(),
                    flow,
                    doc,
                    parts,
                    span: kspan.clone(),
                });
            }
        }
        out.sort_by_key(|l| l.span.start);
        self.manifest.legs = out;
    }

    fn events(&mut self, v: Value<'_, '_>) {
        let Some(all) = self.table(v, "`[event]`") else {
            return;
        };
        let mut names: Option<(Vec<String>, Vec<String>)> = None;
        let mut out = Vec::new();
        for (key, kspan, ev) in all.in_order() {
            let mut sound = true;
            if !is_kebab(key) {
                let fixed = kebab_of(key);
                self.push(
                    Diagnostic::new(
                        Code::Orb601,
                        kspan.clone(),
                        format!("event name `{key}` is not kebab-case"),
                    )
                    .with_help_opt(is_kebab(&fixed).then(|| format!("write `[event.{fixed}]`"))),
                );
                sound = false;
            }
            let Some(e) = self.table(ev, format_args!("`[event.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::EVENT, "an event");
            let what = format!("event `{key}`");
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let mid = self.req_str(&e, "mid", &what, "\"c8bms18\"");
            let rid = self.req_str(&e, "rid", &what, "\"c20bre21\"");
            let mid =
                mid.and_then(|(t, s)| self.event_ref::<Mid>(&t, s, key, &mut names, Code::Orb301));
            let rid =
                rid.and_then(|(t, s)| self.event_ref::<Rid>(&t, s, key, &mut names, Code::Orb401));
            let mut fields: Vec<String> = Vec::new();
            for (f, span) in self.str_array(&e, "fields").unwrap_or_default() {
                let valid = !f.is_empty()
                    && f.as_bytes()[0].is_ascii_lowercase()
                    && f.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                let problem = if f == "event" || f == "timestamp" {
                    Some(format!(
                        "field `{f}` is reserved: every entry has `event` and `timestamp` already"
                    ))
                } else if !valid {
                    Some(format!("field name `{f}` is invalid: use lowercase letters, digits and `_`, starting with a letter"))
                } else if fields.contains(&f) {
                    Some(format!("field `{f}` is listed twice"))
                } else {
                    None
                };
                match problem {
                    Some(m) => {
                        sound = false;
                        self.push(Diagnostic::new(Code::Orb603, span, m));
                    }
                    None => fields.push(f),
                }
            }
            if let (Some(mid), Some(rid), true) = (mid, rid, sound) {
                out.push(Event {
                    name: key.to_string(),
                    doc,
                    mid,
                    rid,
                    fields,
                    span: kspan.clone(),
                });
            }
        }
        out.sort_by_key(|e| e.span.start);
        self.manifest.events = out;
    }

    /// `[[waiver]]` entries (ORB702): each names an ORB8xx code, an id and a reason.
    fn waivers(&mut self, v: Value<'_, '_>) {
        let Ref::Array(items) = v.get() else {
            self.push(
                Diagnostic::new(
                    Code::Orb003,
                    v.span(),
                    format!(
                        "`waiver` must be an array of tables, not {}",
                        type_name(&v.get())
                    ),
                )
                .with_help("write each waiver as `[[waiver]]` with `code`, `id` and `reason`"),
            );
            return;
        };
        let diff_codes = || {
            Code::ALL
                .iter()
                .filter(|c| c.family() == crate::diag::Family::Diff)
                .map(|c| c.as_str())
        };
        for item in items.iter() {
            let Some(e) = self.table(item, "a `[[waiver]]`") else {
                continue;
            };
            self.known_keys(&e, keys::WAIVER, "a waiver");
            let code = self.req_str(&e, "code", "a `[[waiver]]`", "\"ORB802\"");
            let id = self.req_str(&e, "id", "a `[[waiver]]`", "\"c20bre24\"");
            let reason = self.req_str(
                &e,
                "reason",
                "a `[[waiver]]`",
                "\"Table renamed with a data migration (OPS-1234).\"",
            );
            let code = code.and_then(|(text, span)| {
                match text.parse::<Code>() {
                    Ok(c) if c.family() == crate::diag::Family::Diff && c.as_str() == text => {
                        return Some((c, span));
                    }
                    _ => {}
                }
                let near = suggest::nearest(&text, diff_codes(), 3);
                let help = if near.is_empty() {
                    format!(
                        "waivers are for the changes `orbit diff` reports: {}",
                        diff_codes().collect::<Vec<_>>().join(", ")
                    )
                } else {
                    format!(
                        "did you mean {}? waivers are for the changes `orbit diff` reports (ORB801 … ORB890)",
                        near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    )
                };
                self.push(
                    Diagnostic::new(
                        Code::Orb702,
                        span,
                        format!(
                            "waiver code `{}` is not an ORB8xx code",
                            text
                        ),
                    )
                    .with_help(help),
                );
                None
            });
            let mut blank = |field: &str, value: Option<(String, Range<usize>)>, example: &str| {
                let (text, span) = value?;
                if text.trim().is_empty() {
                    self.push(
                        Diagnostic::new(Code::Orb702, span, format!("waiver `{field}` is empty"))
                            .with_help(format!("write {example}")),
                    );
                    return None;
                }
                Some(text)
            };
            let id = blank(
                "id",
                id,
                "the id the change concerns: a MID, RID, environment, component, flow, event or PID",
            );
            let reason = blank(
                "reason",
                reason,
                "why the change is safe, e.g. the migration or ticket that covers it",
            );
            if let (Some((code, span)), Some(id), Some(reason)) = (code, id, reason) {
                self.manifest.waivers.push(Waiver {
                    code,
                    id,
                    reason,
                    span,
                });
            }
        }
    }

    fn event_ref<T>(
        &mut self,
        text: &str,
        span: Range<usize>,
        event: &str,
        names: &mut Option<(Vec<String>, Vec<String>)>,
        malformed: Code,
    ) -> Option<T>
    where
        T: std::str::FromStr<Err = IdError> + Copy + Into<Endpoint>,
    {
        let inner = span.start + 1..span.end.saturating_sub(1).max(span.start + 1);
        let parsed = match text.parse::<T>() {
            Ok(v) => v,
            Err(err) => {
                self.id_error(malformed, inner, text, &err);
                return None;
            }
        };
        let ep: Endpoint = parsed.into();
        if self.manifest.has_endpoint_unindexed(ep) {
            return Some(parsed);
        }
        if self.declared.contains(&ep) {
            return None;
        }
        let (mn, rn) = names.get_or_insert_with(|| self.endpoint_names());
        let (pool, kind, table) = match ep {
            Endpoint::Mid(_) => (&*mn, "MID", "microservice"),
            Endpoint::Rid(_) => (&*rn, "RID", "resource"),
        };
        let near = suggest::nearest(text, pool.iter().map(String::as_str), 3);
        self.push(
            Diagnostic::new(
                Code::Orb602,
                inner,
                format!("event `{event}` names `{text}`, which is not a declared {kind}"),
            )
            .with_help(suggest::declare_or(&format!("[{table}.{text}]"), &near)),
        );
        None
    }

    /// Legs and events become constants of one namespace: two that would share a name clash.
    fn constant_clashes(&mut self) {
        let mut seen: HashMap<String, (String, Range<usize>)> = HashMap::default();
        let legs = self.manifest.legs.iter().map(|l| ("leg", &l.name, &l.span));
        let events = self
            .manifest
            .events
            .iter()
            .map(|e| ("event", &e.name, &e.span));
        let mut clashes = Vec::new();
        for (what, name, span) in legs.chain(events) {
            let constant = name.replace('-', "_").to_ascii_uppercase();
            // The ids' own constants (`C8`, `FLOW_4`, `C8FMS03`, `C8FMS03_C20BRE06_E15`) share
            // the namespace: a leg named `c8` would clash with component `c8`. An id's text
            // has no `_` and no capitals, so the only id whose constant this can be is the
            // name lowercased with `_` read as `-`; ids are not formatted one by one.
            let first = self
                .id_with_text(&name.to_ascii_lowercase().replace('_', "-"))
                .or_else(|| seen.get(&constant).cloned());
            match first {
                Some((first, fspan)) => clashes.push(
                    Diagnostic::new(
                        Code::Orb005,
                        span.clone(),
                        format!(
                            "{what} `{name}` and {first} generate the same constant `{constant}`"
                        ),
                    )
                    .with_related(fspan, format!("{first} declared here"))
                    .with_help("rename one of them"),
                ),
                None => {
                    seen.insert(constant, (format!("{what} `{name}`"), span.clone()));
                }
            }
        }
        self.diags.extend(clashes);
    }

    fn id_with_text(&self, text: &str) -> Option<(String, Range<usize>)> {
        self.manifest.id_with_text(text)
    }
}

impl Manifest {
    /// The declared flow, component, MID, RID or PID whose canonical text is `text`, as
    /// "`kind `id``" with its declaration's span.
    pub(crate) fn id_with_text(&self, text: &str) -> Option<(String, Range<usize>)> {
        let m = self;
        let found = if let Some(id) = canonical::<FlowId>(text) {
            m.flows
                .iter()
                .find(|f| f.id == id)
                .map(|f| ("flow", &f.span))
        } else if let Some(id) = canonical::<ComponentId>(text) {
            let c = m.components.iter().find(|c| c.id == id);
            c.map(|c| ("component", &c.span))
        } else if let Some(id) = canonical::<Mid>(text) {
            let x = m.microservices.iter().find(|x| x.id == id);
            x.map(|x| ("microservice", &x.span))
        } else if let Some(id) = canonical::<Rid>(text) {
            let x = m.resources.iter().find(|x| x.id == id);
            x.map(|x| ("resource", &x.span))
        } else if let Some(id) = canonical::<Pid>(text) {
            let p = m.processes().find(|(_, p)| p.pid == id);
            p.map(|(_, p)| ("process", &p.span))
        } else {
            None
        };
        found.map(|(what, span)| (format!("{what} `{text}`"), span.clone()))
    }
}

impl Manifest {
    /// Environments, regions, legs and events become variants of one enum per kind
    /// (`Environment::K8d`, `Region::NVirginia`): an entry whose variant an entry of its kind
    /// declared before it already has, or whose variant would be the enum's list `ALL`, is an
    /// ORB005. Well-formed region, leg and event names (kebab-case) never share a variant;
    /// environment codes do when one starts with a digit (`8k` and `n8k` both give `N8k`).
    /// The generator leaves these entries out, so a new entry never takes a variant's name.
    pub(crate) fn variant_clashes(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        /// What the entries are, their enum, and each entry's name and declaration.
        type Family<'m> = (&'static str, &'static str, Vec<(&'m str, &'m Range<usize>)>);
        let families: [Family<'_>; 4] = [
            (
                "environment",
                "Environment",
                self.environments
                    .iter()
                    .map(|e| (e.code.as_str(), &e.span))
                    .collect(),
            ),
            (
                "region",
                "Region",
                self.regions
                    .iter()
                    .map(|r| (r.key.as_str(), &r.span))
                    .collect(),
            ),
            (
                "leg",
                "Leg",
                self.legs
                    .iter()
                    .map(|l| (l.name.as_str(), &l.span))
                    .collect(),
            ),
            (
                "event",
                "Event",
                self.events
                    .iter()
                    .map(|e| (e.name.as_str(), &e.span))
                    .collect(),
            ),
        ];
        for (what, ty, mut items) in families {
            items.sort_by_key(|(_, span)| span.start);
            let mut seen: HashMap<String, (&str, &Range<usize>)> = HashMap::default();
            for (name, span) in items {
                let v = variant_text(name);
                if v == "ALL" {
                    out.push(
                        Diagnostic::new(
                            Code::Orb005,
                            span.clone(),
                            format!("{what} `{name}` would generate the variant `{ty}::ALL`, the name of the list of every {what}"),
                        )
                        .with_help(format!("rename the {what}")),
                    );
                    continue;
                }
                match seen.get(&v) {
                    Some((first, fspan)) => out.push(
                        Diagnostic::new(
                            Code::Orb005,
                            span.clone(),
                            format!("{what} `{name}` and {what} `{first}` generate the same variant `{ty}::{v}`"),
                        )
                        .with_related((*fspan).clone(), format!("{what} `{first}` declared here"))
                        .with_help(format!("rename one of them; `{ty}::{v}` keeps meaning `{first}`")),
                    ),
                    None => {
                        seen.insert(v, (name, span));
                    }
                }
            }
        }
        out
    }
}

/// The enum variant the generator gives an environment code or a kebab-case name
/// (`codegen::names::variant` for such text): each `-`-separated word capitalised, a word
/// starting with a digit preceded by `_`, or by `N` when it is the first.
pub(crate) fn variant_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    for (i, word) in text.split('-').enumerate() {
        let mut chars = word.chars();
        let Some(first) = chars.next() else { continue };
        if first.is_ascii_digit() {
            out.push(if i == 0 { 'N' } else { '_' });
            out.push(first);
        } else {
            out.push(first.to_ascii_uppercase());
        }
        out.extend(chars);
    }
    out
}

/// `text` as an id of type `T`, if it is that id's canonical text.
fn canonical<T: std::str::FromStr + fmt::Display>(text: &str) -> Option<T> {
    text.parse::<T>().ok().filter(|id| id.to_string() == text)
}

impl Manifest {
    fn has_endpoint_unindexed(&self, e: Endpoint) -> bool {
        match e {
            Endpoint::Mid(m) => self
                .microservices
                .binary_search_by_key(&(m.component, m.number, m.kind), |x| {
                    (x.id.component, x.id.number, x.id.kind)
                })
                .is_ok(),
            Endpoint::Rid(r) => self.resources.binary_search_by_key(&r, |x| x.id).is_ok(),
        }
    }
}

/// The next free multiple of `step` above every number in use (never filling a gap below the
/// highest) and above `floor`.
pub fn next_multiple(used: &[u16], step: u16, floor: u16) -> u16 {
    let top = used.iter().copied().max().unwrap_or(0).max(floor);
    (top / step + 1) * step
}

/// The largest identifier a MID or RID may carry.
pub const MAX_IDENTIFIER: u16 = MAX_NUMBER;

// ---------------------------------------------------------------------------------------------
// Speed: id maps use the Fx hash (see `crate::fxhash`).

use crate::fxhash::{HashMap, HashSet};

/// The number of decimal digits of `n`.
fn decimal_digits(n: u16) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    }
}

/// The length of a MID's or RID's canonical text (`c<N><code><NN>`), without formatting it.
fn endpoint_len(ep: Endpoint) -> usize {
    let (component, number) = match ep {
        Endpoint::Mid(m) => (m.component, m.number),
        Endpoint::Rid(r) => (r.component, r.number),
    };
    1 + decimal_digits(component) + 3 + decimal_digits(number).max(2)
}
