//! The `ids` generator (feature `codegen`): a checked manifest → the Rust items of the README's "Typed ids in service code".
//!
//! A plain library, so the proc macros of `orbit-macros` stay thin and tools (benchmarks, golden
//! tests) can write an expansion out as source with [`expand_source`]:
//!
//! - [`expand`]: reads and checks a manifest, and returns the module's items; when the
//!   manifest breaks rules, one `compile_error!` per violation (code, message,
//!   `orbit.toml:LINE:COL`, the source line with a caret, help) followed by every item that is
//!   still sound, so a user sees the real errors rather than a cascade of "cannot find";
//! - [`resolve`]: what `mid!`, `rid!` and `pid!` expand to, from a manifest cached by canonical
//!   path, modification time and size, so a thousand calls parse the manifest once;
//! - [`overview`]: the markdown tables of flows and components for the module's page.
//!
//! The output is deterministic: the same manifest gives the same tokens, byte for byte.

mod emit;
mod markdown;
mod names;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::diag::{Code, Diagnostic};
use crate::id::{AnyId, IdKind, Mid, Pid, Rid};
use crate::render;
use crate::{check_file, suggest, Manifest};

pub use names::{constant, variant};

/// How the generated code names the `orbit-core` crate.
#[derive(Debug, Clone)]
pub enum CorePath {
    /// Through a path that every user of the module can name: `::orbit_core`.
    Extern(TokenStream),
    /// The module is generated inside `orbit-core` itself: `crate` (and `$crate` in macros).
    ThisCrate,
}

/// What [`expand`] generates, and for whom.
#[derive(Debug, Clone)]
pub struct Options {
    /// How generated code reaches `orbit-core`.
    pub core: CorePath,
    /// The path of the generated module from its crate's root, `crate::ids` by default; its
    /// leading `crate` becomes `$crate` inside the generated `mid!`, `rid!` and `pid!`.
    pub module: TokenStream,
    /// Whether to define `mid!`, `rid!` and `pid!` (exported at the crate root, re-exported
    /// in the module). Off for a second manifest in one crate.
    pub macros: bool,
    /// Where compile errors point: the macro's manifest-path literal.
    pub span: Span,
    /// Whether to emit a `compile_error!` per violation (on by default). Off only to test
    /// that the items generated for a broken manifest compile on their own.
    pub errors: bool,
    /// Turns the Rust source the generator writes for its largest items (one constant per
    /// id, the variants and name tables of the id enums, physical names, the tables with an
    /// entry per id) into tokens. Those items are written as text because building them
    /// token by token costs a proc macro a call into the compiler per token and an escaping
    /// pass per string literal. `None` lexes
    /// with `proc_macro2`, which inside a proc macro first re-lexes the text with its own
    /// lexer to validate it; `manifest!` passes a function that calls
    /// `proc_macro::TokenStream::from_str` directly.
    pub lexer: Option<Lexer>,
}

/// Lexes Rust source written by the generator; `None` if it does not lex (see
/// [`Options::lexer`]).
pub type Lexer = fn(&str) -> Option<TokenStream>;

impl Default for Options {
    fn default() -> Self {
        Options {
            core: CorePath::Extern(quote!(::orbit_core)),
            module: quote!(crate::ids),
            macros: true,
            span: Span::call_site(),
            errors: true,
            lexer: None,
        }
    }
}

impl Options {
    fn core_path(&self) -> TokenStream {
        match &self.core {
            CorePath::Extern(t) => t.clone(),
            CorePath::ThisCrate => quote!(crate),
        }
    }

    fn core_in_macro(&self) -> TokenStream {
        match &self.core {
            CorePath::Extern(t) => t.clone(),
            CorePath::ThisCrate => quote!($crate),
        }
    }

    /// The module path with a leading `crate` replaced by `$crate`.
    fn module_in_macro(&self) -> TokenStream {
        let mut out = TokenStream::new();
        let mut first = true;
        for tt in self.module.clone() {
            if first {
                first = false;
                if let proc_macro2::TokenTree::Ident(i) = &tt {
                    if i == "crate" {
                        out.extend(quote!($crate));
                        continue;
                    }
                }
            }
            out.extend(std::iter::once(tt));
        }
        out
    }
}

/// A diagnostic as the text of one compile error: `ORB303: message`, then `--> path:L:C`,
/// the source line with a caret, and `help:`.
pub fn error_text(d: &Diagnostic, source: &str, display_path: &str) -> String {
    let rendered = render::one_for_build(d, source, display_path);
    let rendered = rendered.trim_end();
    let prefix = format!("error[{}]: ", d.code.as_str());
    match rendered.strip_prefix(&prefix) {
        Some(rest) => format!("{}: {rest}", d.code.as_str()),
        None => rendered.to_string(),
    }
}

fn compile_error(msg: &str, span: Span) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error!{ #msg })
}

/// Reads and checks the manifest at `manifest_path` (shown as `display_path` in messages)
/// and returns the items of the `ids` module of the README's "Typed ids in service code", preceded by one `compile_error!` per
/// violation. Never panics.
pub fn expand(manifest_path: &Path, display_path: &str, opts: &Options) -> TokenStream {
    // Stat before reading: if the file changes in between, the cache entry is stale-keyed and
    // the next look-up reads it again.
    let meta = std::fs::metadata(manifest_path).ok();
    let (text, checked) = match check_file(manifest_path) {
        Ok(x) => x,
        Err(d) => {
            let msg = format!(
                "{}: {}\n  = note: the path is relative to the crate's directory \
                 (CARGO_MANIFEST_DIR); `$CARGO_MANIFEST_DIR/…`, `$OUT_DIR/…` and absolute \
                 paths are accepted too{}",
                d.code.as_str(),
                d.message,
                match &d.help {
                    // Not found: the macro's own way to name another path.
                    _ if std::fs::symlink_metadata(manifest_path).is_err() => "\n  = help: create the manifest, or pass its path: `manifest!(\"path/to/orbit.toml\")`".to_string(),
                    // What is wrong with the file says what to do about it (a FIFO, a
                    // directory, too large, not UTF-8, permissions …).
                    Some(h) => format!("\n  = help: {h}"),
                    None => String::new(),
                }
            );
            return compile_error(&msg, opts.span);
        }
    };
    let mut out = TokenStream::new();
    let abs = std::fs::canonicalize(manifest_path).unwrap_or_else(|_| manifest_path.to_path_buf());
    let abs = abs.to_string_lossy().into_owned();
    emit::append(
        &mut out,
        quote! {
            // Rebuild when the manifest changes: stable proc macros track files only this way.
            const _: &[u8] = ::core::include_bytes!(#abs);
        },
    );
    // The checker leaves out what the generated module could not hold (clashing names,
    // reserved environment codes): the model is emitted as it is.
    let manifest = checked.manifest;
    let mut diags = checked.diagnostics;
    if !diags.is_empty() {
        let index = crate::LineIndex::new(&text);
        for d in &mut diags {
            if d.line == 0 {
                index.locate(d);
            }
            if opts.errors {
                emit::append(
                    &mut out,
                    compile_error(&error_text(d, &text, display_path), opts.span),
                );
            }
        }
    }
    let mut sound = emit::Sound::new(&manifest);
    sound.lexer = opts.lexer;
    emit::append(&mut out, emit::module(&sound, opts));
    if opts.macros {
        let [mids, rids, pids] = sound.declared_ids(MACRO_ARMS_MAX);
        emit::append(
            &mut out,
            id_macros(&abs, display_path, opts, [&mids, &rids, &pids]),
        );
    }
    drop(sound);
    if let (Some(meta), Ok(canonical)) = (meta, std::fs::canonicalize(manifest_path)) {
        // The id macros of the same compilation find the manifest already parsed.
        let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        cache.insert(
            canonical,
            Cached {
                modified: meta.modified().ok(),
                len: meta.len(),
                ids: Arc::new(Ids::new(manifest, diags)),
            },
        );
    }
    out
}

/// The expansion of [`expand`] as formatted Rust source (by `rustfmt` when it is installed),
/// with a header; it compiles when pasted into a crate that depends on `orbit-core`.
pub fn expand_source(manifest_path: &Path, display_path: &str, opts: &Options) -> String {
    let tokens = expand(manifest_path, display_path, opts).to_string();
    let header = format!("// @generated by orbit-engine codegen from `{display_path}`.\n");
    format!("{header}{}", rustfmt(&tokens).unwrap_or(tokens))
}

fn rustfmt(source: &str) -> Option<String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = source.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    if output.status.success() {
        String::from_utf8(output.stdout).ok()
    } else {
        None
    }
}

/// The markdown page of the `ids` module: what it was generated from, tables of flows and
/// components. On an unreadable manifest, the error text.
pub fn overview(manifest_path: &Path, display_path: &str) -> Result<String, String> {
    let (_, checked) =
        check_file(manifest_path).map_err(|d| format!("{}: {}", d.code.as_str(), d.message))?;
    Ok(emit::overview(
        &emit::Sound::new(&checked.manifest),
        display_path,
    ))
}

/// Up to this many ids of a kind, `mid!`/`rid!`/`pid!` match each declared id with an arm of
/// their own and call the proc macro only for anything else (to explain the error). A call
/// that a `macro_rules!` arm resolves costs rustc a few microseconds where a proc-macro call
/// costs tens; arms are tried in order, so past a few hundred ids the proc macro's hashed
/// look-up is the cheaper (BENCHMARKS.md §3).
pub const MACRO_ARMS_MAX: usize = 256;

/// The `macro_rules!` arms resolving each declared id of one kind to its constant, written as
/// tokens (`c8fms03-c20bre06-e15`) and as a string literal; none above [`MACRO_ARMS_MAX`].
fn declared_arms(ids: &[String], module: &TokenStream) -> TokenStream {
    if ids.len() > MACRO_ARMS_MAX {
        return TokenStream::new();
    }
    let mut arms = TokenStream::new();
    for id in ids {
        let Ok(tokens) = id.parse::<TokenStream>() else {
            continue;
        };
        let c = names::ident(&constant(id), Span::call_site());
        let lit = proc_macro2::Literal::string(id);
        emit::append(
            &mut arms,
            quote! {
                (#tokens) => { #module::#c };
                (#lit) => { #module::#c };
            },
        );
    }
    arms
}

fn id_macros(abs: &str, display: &str, opts: &Options, declared: [&[String]; 3]) -> TokenStream {
    let core = opts.core_in_macro();
    let module = opts.module_in_macro();
    let mut out = misuse_hints(opts);
    for ((name, what, example), ids) in [
        ("mid", "MID", "c8fms03"),
        ("rid", "RID", "c20bre06"),
        ("pid", "PID", "c8fms03-c20bre06-e15"),
    ]
    .into_iter()
    .zip(declared)
    {
        let arms = declared_arms(ids, &module);
        let m = proc_macro2::Ident::new(name, Span::call_site());
        let doc1 = format!(
            "The constant of a {what} declared in `{display}`: `{name}!({example})` or `{name}!(\"{example}\")`."
        );
        let doc2 = format!(
            "An undeclared or malformed {what}, or another kind of id, fails compilation at the argument, naming the nearest declared ids."
        );
        emit::append(
            &mut out,
            quote! {
                #[doc = #doc1]
                ///
                #[doc = #doc2]
                #[macro_export]
                macro_rules! #m {
                    #arms
                    ($($id:tt)*) => {
                        #core::__private::resolve!{ #abs #display #m (#module) $($id)* }
                    };
                }
                #[doc(inline)]
                pub use #m;
            },
        );
    }
    out
}

/// Items that turn the two ways to misplace a `manifest!` with id macros into errors that
/// say what to do:
///
/// - A second `manifest!` with macros in one crate defines `mid!`, `rid!` and `pid!` at the
///   crate root again (E0428, "defined multiple times"); the marker macro defined beside
///   them is then defined twice as well, and its name says the fix.
/// - A `manifest!` outside the module its `module` option names (`crate::ids` by default)
///   gives id macros that cannot find their constants; a constant compares the module the
///   call is in (`module_path!()`) with the option and fails the build with the fix.
fn misuse_hints(opts: &Options) -> TokenStream {
    let mut out = quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! orbit_manifest_defines_mid_rid_pid_once_per_crate__add_macros_false_to_the_other_manifest_call {
            () => {};
        }
    };
    let written: String = opts
        .module
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // Only a path from the crate root can be compared with `module_path!()`.
    if let Some(want) = written.strip_prefix("crate") {
        if want.is_empty() || want.starts_with("::") {
            let msg = format!(
                "orbit: this `manifest!` is not in the module `{written}`, where its `mid!`, `rid!` and `pid!` look for the constants: name the module it is in with `manifest!(\"…\", module = crate::path::to::it)`, or add `macros = false` if the crate does not use the id macros of this manifest"
            );
            out.extend(quote! {
                const _: () = {
                    // `module_path!()` is `<crate>::<path>`: its path after the crate's name
                    // must be the option's after `crate`.
                    const fn __orbit_in_module(here: &str, want: &str) -> bool {
                        let (h, w) = (here.as_bytes(), want.as_bytes());
                        let mut start = 0;
                        while start < h.len() && h[start] != b':' {
                            start += 1;
                        }
                        if h.len() - start != w.len() {
                            return false;
                        }
                        let mut i = 0;
                        while i < w.len() {
                            if h[start + i] != w[i] {
                                return false;
                            }
                            i += 1;
                        }
                        true
                    }
                    if !__orbit_in_module(::core::module_path!(), #want) {
                        ::core::panic!(#msg);
                    }
                };
            });
        }
    }
    out
}

/// Which id macro is resolving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdMacro {
    /// `mid!`
    Mid,
    /// `rid!`
    Rid,
    /// `pid!`
    Pid,
}

impl IdMacro {
    /// From the macro's name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "mid" => Some(IdMacro::Mid),
            "rid" => Some(IdMacro::Rid),
            "pid" => Some(IdMacro::Pid),
            _ => None,
        }
    }

    fn kind(self) -> IdKind {
        match self {
            IdMacro::Mid => IdKind::Mid,
            IdMacro::Rid => IdKind::Rid,
            IdMacro::Pid => IdKind::Pid,
        }
    }

    fn name(self) -> &'static str {
        match self {
            IdMacro::Mid => "mid",
            IdMacro::Rid => "rid",
            IdMacro::Pid => "pid",
        }
    }

    fn table(self) -> &'static str {
        match self {
            IdMacro::Mid => "microservice",
            IdMacro::Rid => "resource",
            IdMacro::Pid => "leg",
        }
    }
}

/// The ids a manifest declares, as the id macros need them.
#[derive(Debug, Default)]
struct Declared {
    mids: BTreeSet<Mid>,
    rids: BTreeSet<Rid>,
    pids: BTreeSet<Pid>,
    mid_names: Vec<String>,
    rid_names: Vec<String>,
    pid_names: Vec<String>,
}

impl Declared {
    fn new(sound: &emit::Sound<'_>) -> Self {
        let [mid_names, rid_names, pid_names] = sound.declared_ids(usize::MAX);
        Declared {
            mids: sound.mids.iter().map(|x| x.id).collect(),
            rids: sound.rids.iter().map(|(x, _)| x.id).collect(),
            pids: sound
                .legs
                .iter()
                .flat_map(|(_, parts)| parts.iter().map(|p| p.pid))
                .collect(),
            mid_names,
            rid_names,
            pid_names,
        }
    }
}

/// A manifest's model, and the ids the id macros look up in it, worked out on first use: a
/// crate whose id macros the `macro_rules!` arms answer never needs them.
struct Ids {
    manifest: Manifest,
    /// The checker's diagnostics: why a declared id may have no constant.
    diagnostics: Vec<Diagnostic>,
    declared: OnceLock<Declared>,
}

impl Ids {
    fn new(manifest: Manifest, diagnostics: Vec<Diagnostic>) -> Self {
        Ids {
            manifest,
            diagnostics,
            declared: OnceLock::new(),
        }
    }

    /// The first diagnostic about the entry `text` itself (not about a reference to it that
    /// is undeclared), for an id the manifest declares with an error.
    fn problem_of(&self, text: &str) -> Option<&Diagnostic> {
        let named = format!("`{text}`");
        let reference = format!("`{text}` in ");
        self.diagnostics.iter().find(|d| {
            d.message.contains(&named)
                && !d.message.starts_with(&reference)
                && !matches!(d.code, Code::Orb104 | Code::Orb602 | Code::Orb701)
        })
    }

    /// Whether the checked model holds `text` as a MID, RID or PID (sound, but perhaps
    /// without a constant, as a resource whose flow is not known).
    fn in_model(&self, which: IdMacro, text: &str) -> bool {
        let m = &self.manifest;
        match which {
            IdMacro::Mid => text
                .parse::<Mid>()
                .is_ok_and(|id| m.microservices.iter().any(|x| x.id == id)),
            IdMacro::Rid => text
                .parse::<Rid>()
                .is_ok_and(|id| m.resources.iter().any(|x| x.id == id)),
            IdMacro::Pid => text
                .parse::<Pid>()
                .is_ok_and(|id| m.legs.iter().any(|l| l.parts.iter().any(|p| p.pid == id))),
        }
    }

    fn declared(&self) -> &Declared {
        self.declared
            .get_or_init(|| Declared::new(&emit::Sound::new(&self.manifest)))
    }
}

struct Cached {
    modified: Option<SystemTime>,
    len: u64,
    ids: Arc<Ids>,
}

static CACHE: Mutex<BTreeMap<PathBuf, Cached>> = Mutex::new(BTreeMap::new());

/// A manifest's model and declared ids for the id macros, parsed once per (canonical path,
/// modification time, size).
fn declared(path: &Path) -> Result<Arc<Ids>, String> {
    let canonical = std::fs::canonicalize(path)
        .map_err(|e| format!("ORB004: cannot read manifest `{}`: {e}", path.display()))?;
    let meta = std::fs::metadata(&canonical).map_err(|e| {
        format!(
            "ORB004: cannot read manifest `{}`: {e}",
            canonical.display()
        )
    })?;
    let modified = meta.modified().ok();
    let len = meta.len();
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = cache.get(&canonical) {
        if c.modified == modified && c.len == len && modified.is_some() {
            return Ok(Arc::clone(&c.ids));
        }
    }
    let (_, checked) =
        check_file(&canonical).map_err(|d| format!("{}: {}", d.code.as_str(), d.message))?;
    let ids = Arc::new(Ids::new(checked.manifest, checked.diagnostics));
    cache.insert(
        canonical,
        Cached {
            modified,
            len,
            ids: Arc::clone(&ids),
        },
    );
    Ok(ids)
}

/// What `mid!`, `rid!` or `pid!` with the argument `text` evaluates to: the name of the
/// constant in the generated module (`C8FMS03`), or the message of the compile error (malformed
/// id with its form, another kind of id, or an undeclared id with the nearest declared ones).
pub fn resolve(
    manifest_path: &Path,
    display_path: &str,
    which: IdMacro,
    text: &str,
) -> Result<String, String> {
    let name = which.name();
    let kind = which.kind();
    if text.is_empty() {
        return Err(format!(
            "`{name}!` takes a {k}, e.g. `{name}!({e})` or `{name}!(\"{e}\")`",
            k = kind.describe(),
            e = example(which)
        ));
    }
    // Another kind of id, well formed: say which macro takes it.
    if let Ok(any) = AnyId::parse(text) {
        let other = match any.kind() {
            IdKind::Mid => Some("mid"),
            IdKind::Rid => Some("rid"),
            IdKind::Pid => Some("pid"),
            _ => None,
        };
        if any.kind() != kind {
            let fix = match (other, any.kind()) {
                (Some(o), _) => format!("write `{o}!({text})`"),
                (None, IdKind::Flow | IdKind::Component) => {
                    format!("its constant is `{}`", constant(&text.to_ascii_lowercase()))
                }
                (None, _) => format!("`{name}!` takes only {}s", kind.describe()),
            };
            return Err(format!(
                "`{name}!` takes a {}, but `{text}` is a {}: {fix}",
                kind.describe(),
                any.kind().describe()
            ));
        }
    }
    let ids = declared(manifest_path)?;
    let declared = ids.declared();
    let (found, names) = match which {
        IdMacro::Mid => {
            let id: Mid = text.parse().map_err(|e| malformed(e, kind))?;
            (
                declared.mids.contains(&id).then(|| id.to_string()),
                &declared.mid_names,
            )
        }
        IdMacro::Rid => {
            let id: Rid = text.parse().map_err(|e| malformed(e, kind))?;
            (
                declared.rids.contains(&id).then(|| id.to_string()),
                &declared.rid_names,
            )
        }
        IdMacro::Pid => {
            let id: Pid = text.parse().map_err(|e| malformed(e, kind))?;
            (
                declared.pids.contains(&id).then(|| id.to_string()),
                &declared.pid_names,
            )
        }
    };
    match found {
        Some(canonical) => Ok(constant(&canonical)),
        None => {
            // Declared, but with an error that leaves it without a constant: say which.
            let canonical = match which {
                IdMacro::Mid => text.parse::<Mid>().map(|x| x.to_string()),
                IdMacro::Rid => text.parse::<Rid>().map(|x| x.to_string()),
                IdMacro::Pid => text.parse::<Pid>().map(|x| x.to_string()),
            }
            .unwrap_or_else(|_| text.to_string());
            let problem = ids.problem_of(&canonical);
            if problem.is_some() || ids.in_model(which, &canonical) {
                let mut msg = format!(
                    "{} `{canonical}` is declared in `{display_path}`, but its declaration breaks a rule, so it has no constant",
                    kind.describe()
                );
                if let Some(d) = problem {
                    msg.push_str(&format!(
                        "\n  = note: {}: {} (at {display_path}:{}:{})",
                        d.code, d.message, d.line, d.column
                    ));
                }
                msg.push_str(&format!(
                    "\n  = help: fix `{display_path}`: every error is reported at the `manifest!` call, and by `orbit check`"
                ));
                return Err(msg);
            }
            let near = suggest::nearest(text, names.iter().map(String::as_str), 3);
            let mut msg = format!(
                "{} `{text}` is not declared in `{display_path}`",
                kind.describe()
            );
            if near.is_empty() {
                msg.push_str(&format!("; it declares no {}s", kind.describe()));
            } else {
                let list: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
                msg.push_str(&format!(
                    "\n  = help: the nearest declared: {}",
                    list.join(", ")
                ));
            }
            msg.push_str(&format!(
                "\n  = help: or declare it in a `[{}.…]` table of `{display_path}`",
                which.table()
            ));
            Err(msg)
        }
    }
}

fn example(which: IdMacro) -> &'static str {
    match which {
        IdMacro::Mid => "c8fms03",
        IdMacro::Rid => "c20bre06",
        IdMacro::Pid => "c8fms03-c20bre06-e15",
    }
}

fn malformed(e: crate::id::IdError, kind: IdKind) -> String {
    format!(
        "{e}\n  = note: a {} has the form {}",
        kind.describe(),
        kind.form()
    )
}

#[cfg(test)]
mod tests;
