//! Open documents and what the server knows about each: the text, its check or lint, and the
//! manifest it is read against.
//!
//! An `orbit.toml` is checked from the editor's buffer, as typed. Any other file is linted
//! against the manifest found as the CLI finds it (the file's directory or the nearest one
//! above it, else a workspace root), read from disk as `orbit lint` reads it; that reading is
//! kept until the manifest changes on disk or is saved.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use lsp_types::Uri;
use orbit_engine::diff::{self, Change, Side};
use orbit_engine::lint::{self, Finding, Linter};
use orbit_engine::{Checked, Code, Manifest};

use super::index::Index;
use super::text::Lines;

/// The file name of a manifest.
pub const MANIFEST: &str = "orbit.toml";

/// What ORB801 ("a removed MID or RID is not retired") compares the buffer with.
#[derive(Debug)]
pub struct Base {
    /// The manifest's text there.
    pub source: String,
    /// Its check.
    pub checked: Checked,
    /// Where it comes from: `HEAD:orbit.toml`, or `the text as opened`.
    pub label: String,
    /// Whether it is git's `HEAD`.
    pub committed: bool,
}

impl Base {
    /// The manifest as committed at git's `HEAD` (as `orbit diff --against HEAD` reads it), else
    /// `opened`, the text the editor opened.
    pub fn read(path: Option<&Path>, opened: &str) -> Base {
        if let Some((source, checked)) = path.and_then(|p| crate::diff::committed("HEAD", p)) {
            return Base {
                source,
                checked,
                label: format!("HEAD:{MANIFEST}"),
                committed: true,
            };
        }
        Base {
            source: opened.to_string(),
            checked: orbit_engine::check(opened),
            label: "the text as opened".into(),
            committed: false,
        }
    }
}

/// A manifest buffer, checked.
#[derive(Debug)]
pub struct ManifestView {
    /// Every rule's diagnostics and the (partial) model.
    pub checked: Checked,
    /// Where the ids stand: built on the first request that needs it.
    index: OnceCell<Index>,
    /// ORB801 changes against the [`Base`]: removed MIDs and RIDs that are not retired.
    pub removed: Vec<Change>,
    /// The base's [`Base::label`].
    pub base: Option<String>,
    /// Whether the base is the manifest as committed (else as opened).
    pub committed: bool,
}

impl ManifestView {
    /// Where the ids of `text`, the text this view was made of, stand; indexed once.
    pub fn index(&self, text: &str) -> &Index {
        self.index.get_or_init(|| Index::new(text))
    }

    /// Whether the text was TOML (no ORB001): its model holds what it declares.
    pub fn parsed(&self) -> bool {
        !self
            .checked
            .diagnostics
            .iter()
            .any(|d| d.code == Code::Orb001)
    }

    /// Checks `text`, comparing it with `base` for removed ids; `previous`, the view of the
    /// text before the change against the same base, saves the comparison when the change
    /// declared, renamed, retired and waived nothing (most keystrokes).
    pub fn new(text: &str, base: Option<&Base>, previous: Option<&ManifestView>) -> Self {
        let checked = orbit_engine::check(text);
        let toml = !checked.diagnostics.iter().any(|d| d.code == Code::Orb001);
        let removed = match (base, previous) {
            (Some(_), Some(p)) if toml && same_ids(&p.checked.manifest, &checked.manifest) => {
                p.removed.clone()
            }
            // Text that is not TOML declares nothing yet: nothing is removed.
            (Some(b), _) if toml => {
                // An id whose declaration broke a rule in the base never built: it may go.
                let broken: std::collections::HashSet<usize> =
                    b.checked.diagnostics.iter().map(|d| d.span.start).collect();
                diff::diff(
                    Side::new(&b.source, &b.checked.manifest),
                    Side::new(text, &checked.manifest),
                )
                .changes
                .into_iter()
                .filter(|c| c.code == Code::Orb801 && c.waived.is_none())
                .filter(|c| {
                    !c.base
                        .as_ref()
                        .is_some_and(|p| broken.contains(&p.span.start))
                })
                .collect()
            }
            _ => Vec::new(),
        };
        ManifestView {
            index: OnceCell::new(),
            checked,
            removed,
            base: base.map(|b| b.label.clone()),
            committed: base.is_some_and(|b| b.committed),
        }
    }
}

/// Whether two models declare the same MIDs and RIDs under the same names, retire the same
/// ids and waive the same changes: all that ORB801 reads of HEAD.
fn same_ids(a: &Manifest, b: &Manifest) -> bool {
    a.microservices.len() == b.microservices.len()
        && a.resources.len() == b.resources.len()
        && a.orbit.retired == b.orbit.retired
        && a.microservices
            .iter()
            .zip(&b.microservices)
            .all(|(x, y)| x.id == y.id && x.name == y.name)
        && a.resources
            .iter()
            .zip(&b.resources)
            .all(|(x, y)| x.id == y.id && x.name == y.name)
        && a.waivers.len() == b.waivers.len()
        && a.waivers
            .iter()
            .zip(&b.waivers)
            .all(|(x, y)| x.code == y.code && x.id == y.id)
}

/// A manifest read from disk, for linting and hovering other files.
#[derive(Debug)]
pub struct DiskManifest {
    /// Where it is.
    pub path: PathBuf,
    /// Its check; `None` when it cannot be read.
    pub checked: Option<Checked>,
    /// Why it cannot be read.
    pub unreadable: Option<String>,
    /// The scanner for its ids.
    pub linter: Option<Linter>,
}

impl DiskManifest {
    /// Reads and checks the manifest at `path` (an unreadable one is kept as such).
    pub fn read(path: &Path) -> DiskManifest {
        match orbit_engine::check_file(path) {
            Ok((_, checked)) => DiskManifest {
                path: path.to_path_buf(),
                linter: Some(Linter::new(&checked.manifest)),
                checked: Some(checked),
                unreadable: None,
            },
            Err(d) => DiskManifest {
                path: path.to_path_buf(),
                checked: None,
                unreadable: Some(d.message),
                linter: None,
            },
        }
    }
}

/// Another file, linted.
#[derive(Debug)]
pub struct LintView {
    /// The manifest it was linted against, if one was found.
    pub manifest: Option<Rc<DiskManifest>>,
    /// What `orbit lint` finds in it.
    pub findings: Vec<Finding>,
}

impl LintView {
    /// Lints `text` against `manifest`.
    pub fn new(text: &str, manifest: Option<Rc<DiskManifest>>) -> Self {
        let findings = manifest
            .as_ref()
            .and_then(|m| m.linter.as_ref())
            .map(|l| {
                let mut f = l.scan(text.as_bytes());
                lint::locate(text.as_bytes(), &mut f);
                f
            })
            .unwrap_or_default();
        LintView { manifest, findings }
    }
}

/// What the server made of a document's current text.
#[derive(Debug)]
pub enum View {
    /// An `orbit.toml`.
    Manifest(Box<ManifestView>),
    /// Any other file.
    Lint(LintView),
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    /// Its URI, as the client sent it.
    pub uri: Uri,
    /// Its local path, for `file:` URIs.
    pub path: Option<PathBuf>,
    /// The client's version of the text.
    pub version: i32,
    /// The text, with every change applied.
    pub text: String,
    /// The text's line starts.
    pub lines: Lines,
    /// Whether it is a manifest (named `orbit.toml`).
    pub is_manifest: bool,
    /// For a manifest: what ORB801 compares it with.
    pub base: Option<Base>,
    /// The view of the text; of an earlier text when `fresh` is false.
    pub view: Option<Rc<View>>,
    /// Whether `view` is of the current text.
    pub fresh: bool,
    /// For a manifest: the last view whose TOML parsed, for the ids that completion and
    /// hover name while the text is half typed (`[microservice.c8` is not TOML yet).
    pub parsed: Option<Rc<View>>,
    /// Whether the current view's diagnostics were published.
    pub published: bool,
}

impl Document {
    /// A document just opened.
    pub fn new(uri: Uri, version: i32, text: String) -> Self {
        let path = super::text::uri_to_path(uri.as_str());
        let is_manifest = path
            .as_deref()
            .and_then(Path::file_name)
            .map_or(uri.as_str().ends_with(MANIFEST), |n| n == MANIFEST);
        let base = is_manifest.then(|| Base::read(path.as_deref(), &text));
        Document {
            uri,
            path,
            version,
            lines: Lines::new(&text),
            text,
            is_manifest,
            base,
            view: None,
            fresh: false,
            parsed: None,
            published: false,
        }
    }

    /// Applies a `didChange`'s events in order.
    pub fn change(
        &mut self,
        version: i32,
        changes: Vec<lsp_types::TextDocumentContentChangeEvent>,
        enc: super::text::Encoding,
    ) {
        for c in changes {
            super::text::apply_change(&mut self.text, &mut self.lines, c, enc);
        }
        self.version = version;
        self.fresh = false;
        self.published = false;
    }
}

/// Finds the manifest for a file as the CLI does, and keeps each manifest read from disk.
#[derive(Debug, Default)]
pub struct Manifests {
    /// `--manifest`, or the client's `initializationOptions.manifest`: used for every file.
    pub given: Option<PathBuf>,
    /// Workspace roots, searched when a file has no manifest above it.
    pub roots: Vec<PathBuf>,
    read: HashMap<PathBuf, Rc<DiskManifest>>,
}

impl Manifests {
    /// Finds manifests for the files of `roots`, or uses `given` for all.
    pub fn new(given: Option<PathBuf>, roots: Vec<PathBuf>) -> Self {
        Manifests {
            given,
            roots,
            read: HashMap::new(),
        }
    }

    /// The manifest path for a file at `path` (or for an unsaved buffer, the roots').
    pub fn locate(&self, path: Option<&Path>) -> Option<PathBuf> {
        if let Some(g) = &self.given {
            return Some(if g.is_dir() {
                g.join(MANIFEST)
            } else {
                g.clone()
            });
        }
        path.and_then(Path::parent)
            .and_then(orbit_engine::find_manifest)
            .or_else(|| {
                self.roots
                    .iter()
                    .find_map(|r| orbit_engine::find_manifest(r))
            })
    }

    /// The manifest at `path`, read once and kept until [`Manifests::forget`].
    pub fn get(&mut self, path: &Path) -> Rc<DiskManifest> {
        if let Some(m) = self.read.get(path) {
            return m.clone();
        }
        let m = Rc::new(DiskManifest::read(path));
        self.read.insert(path.to_path_buf(), m.clone());
        m
    }

    /// Drops what was read of `path` (it changed on disk); `None` drops everything.
    pub fn forget(&mut self, path: Option<&Path>) {
        match path {
            Some(p) => {
                self.read.remove(p);
                if let Ok(c) = std::fs::canonicalize(p) {
                    self.read.remove(&c);
                }
                let name = p.file_name();
                // The same file under another spelling of its path.
                self.read.retain(|k, _| {
                    k.file_name() != name
                        || std::fs::canonicalize(k).ok() != std::fs::canonicalize(p).ok()
                });
            }
            None => self.read.clear(),
        }
    }
}
