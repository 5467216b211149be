//! `orbit lsp`: a language server over stdio for `orbit.toml` and the files `orbit lint` scans.
//!
//! The messages are read and written with `lsp-server`'s framing ([`Message::read`] and
//! [`Message::write`]) and typed with `lsp-types`. The server is one thread (plus one reading
//! stdin): it applies each message in order, and whenever no message is waiting it checks the
//! documents that changed and publishes their diagnostics, so a burst of keystrokes costs one
//! check.
//!
//! It never goes down on its input: a handler that panics is logged to stderr (the panic's own
//! message, then which request it was) and answered with an `InternalError`; a message that is
//! not JSON gets JSON-RPC's `ParseError` (one that is JSON but not a message, `InvalidRequest`),
//! with `id: null`, the one frame written here by hand, since `lsp-server` has no message
//! without an id; an unknown request gets `MethodNotFound`.
//!
//! For the tests only: with `ORBIT_LSP_TEST_PANIC=1` in its environment the server also answers
//! a request `orbit/testPanic` by panicking inside its handler.

mod actions;
mod completion;
mod diagnostics;
mod documents;
mod hover;
mod index;
mod navigation;
#[cfg(test)]
mod no_panic;
mod text;

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, CompletionOptions, CompletionParams,
    CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, FileSystemWatcher, GlobPattern,
    GotoDefinitionParams, GotoDefinitionResponse, HoverParams, HoverProviderCapability,
    InitializeParams, InitializeResult, Location, OneOf, PositionEncodingKind,
    PublishDiagnosticsParams, ReferenceParams, Registration, RegistrationParams, SaveOptions,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::common::{Fail, Outcome};
use documents::{Base, Document, Manifests, View, MANIFEST};
use text::Encoding;

/// The environment variable that enables the test-only request `orbit/testPanic`.
pub const TEST_PANIC_ENV: &str = "ORBIT_LSP_TEST_PANIC";

/// What the stdin thread hands the server.
enum Incoming {
    /// A message.
    Message(Message),
    /// A frame whose body is not a JSON-RPC message: the error code to answer with, and why.
    Malformed(ErrorCode, String),
    /// Stdin is closed (or unreadable: why).
    Closed(Option<String>),
}

/// Reads messages from stdin until it closes or `exit` arrives.
fn read_stdin(tx: mpsc::Sender<Incoming>) {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    loop {
        let next = match Message::read(&mut input) {
            Ok(Some(m)) => {
                let exit = matches!(&m, Message::Notification(n) if n.method == note::Exit::METHOD);
                if tx.send(Incoming::Message(m)).is_err() || exit {
                    return;
                }
                continue;
            }
            Ok(None) => Incoming::Closed(None),
            // `lsp-server` read the whole frame and could not decode its body: the stream is
            // still in step. A bad header is skipped up to the next frame that reads.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                let why = e.to_string();
                let code = if why.contains("did not match any variant") {
                    ErrorCode::InvalidRequest
                } else {
                    ErrorCode::ParseError
                };
                if tx.send(Incoming::Malformed(code, why)).is_err() {
                    return;
                }
                continue;
            }
            Err(e) => Incoming::Closed(Some(e.to_string())),
        };
        let _ = tx.send(next);
        return;
    }
}

/// Writes messages to stdout.
struct Out;

impl Out {
    fn send(&self, m: impl Into<Message>) {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        if let Err(e) = m.into().write(&mut lock) {
            eprintln!("orbit lsp: cannot write to the client: {e}");
        }
    }

    /// A response with `id: null`: JSON-RPC's answer to a message it cannot read.
    fn send_unreadable(&self, code: ErrorCode, why: &str) {
        let message = match code {
            ErrorCode::InvalidRequest => format!("not a JSON-RPC request or notification: {why}"),
            _ => format!("not valid JSON: {why}"),
        };
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": null,
            "error": { "code": code as i32, "message": message },
        })
        .to_string();
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        let _ = write!(lock, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = lock.flush();
    }

    fn error(&self, id: RequestId, code: ErrorCode, message: impl Into<String>) {
        self.send(Response::new_err(id, code as i32, message.into()));
    }
}

/// Runs `orbit lsp` until the client says `exit` (exit 0 after `shutdown`, else 1) or closes
/// stdin.
pub fn run(manifest: Option<&Path>) -> Outcome {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("orbit-lsp-stdin".into())
        .spawn(move || read_stdin(tx))
        .map_err(|e| Fail::usage(format!("cannot start the server: {e}"), "try again"))?;
    let out = Out;
    let Some(mut server) = initialize(&rx, &out, manifest) else {
        return Ok(());
    };
    server.serve(&rx)
}

/// Waits for `initialize` and answers it; `None` when the client goes before.
fn initialize(rx: &Receiver<Incoming>, out: &Out, manifest: Option<&Path>) -> Option<Server> {
    loop {
        match rx.recv().ok()? {
            Incoming::Message(Message::Request(r)) if r.method == req::Initialize::METHOD => {
                let params: InitializeParams = match serde_json::from_value(r.params) {
                    Ok(p) => p,
                    Err(e) => {
                        out.error(r.id, ErrorCode::InvalidParams, format!("initialize: {e}"));
                        continue;
                    }
                };
                let server = Server::new(&params, manifest);
                let result = InitializeResult {
                    capabilities: server.capabilities(),
                    server_info: Some(ServerInfo {
                        name: "orbit".into(),
                        version: Some(env!("CARGO_PKG_VERSION").into()),
                    }),
                };
                out.send(Response::new_ok(r.id, result));
                return Some(server);
            }
            Incoming::Message(Message::Request(r)) => out.error(
                r.id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized: send `initialize` first",
            ),
            Incoming::Message(Message::Notification(n)) if n.method == note::Exit::METHOD => {
                return None
            }
            Incoming::Message(_) => {}
            Incoming::Malformed(code, why) => out.send_unreadable(code, &why),
            Incoming::Closed(why) => {
                if let Some(w) = why {
                    eprintln!("orbit lsp: cannot read from the client: {w}");
                }
                return None;
            }
        }
    }
}

/// The server's state.
struct Server {
    out: Out,
    encoding: Encoding,
    manifests: Manifests,
    docs: BTreeMap<String, Document>,
    watch: bool,
    shutdown: bool,
    test_panic: bool,
    requests: i32,
}

/// A request's failure: the JSON-RPC code and message.
type Failure = (ErrorCode, String);

fn params<P: DeserializeOwned>(r: &Request) -> Result<P, Failure> {
    serde_json::from_value(r.params.clone())
        .map_err(|e| (ErrorCode::InvalidParams, format!("{}: {e}", r.method)))
}

fn to_value<T: serde::Serialize>(v: T) -> Result<Value, Failure> {
    serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

impl Server {
    fn new(p: &InitializeParams, given: Option<&Path>) -> Self {
        let caps = &p.capabilities;
        let utf8 = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
        let watch = caps
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let mut roots: Vec<PathBuf> = p
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| text::uri_to_path(f.uri.as_str()))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(r) = p
                .root_uri
                .as_ref()
                .and_then(|u| text::uri_to_path(u.as_str()))
            {
                roots.push(r);
            } else if let Some(r) = &p.root_path {
                roots.push(PathBuf::from(r));
            }
        }
        let from_options = p
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("manifest"))
            .and_then(Value::as_str)
            .map(PathBuf::from)
            .map(|m| match (m.is_relative(), roots.first()) {
                (true, Some(r)) => r.join(m),
                _ => m,
            });
        Server {
            out: Out,
            encoding: if utf8 {
                Encoding::Utf8
            } else {
                Encoding::Utf16
            },
            manifests: Manifests::new(given.map(Path::to_path_buf).or(from_options), roots),
            docs: BTreeMap::new(),
            watch,
            shutdown: false,
            test_panic: std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| v == "1"),
            requests: 0,
        }
    }

    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            position_encoding: Some(match self.encoding {
                Encoding::Utf8 => PositionEncodingKind::UTF8,
                Encoding::Utf16 => PositionEncodingKind::UTF16,
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(
                    [".", "\"", "-", "["]
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                ),
                ..CompletionOptions::default()
            }),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            ..ServerCapabilities::default()
        }
    }

    /// The main loop, after `initialize`.
    fn serve(&mut self, rx: &Receiver<Incoming>) -> Outcome {
        loop {
            let incoming = match rx.try_recv() {
                Ok(i) => i,
                Err(TryRecvError::Empty) => {
                    self.publish_changed();
                    match rx.recv() {
                        Ok(i) => i,
                        Err(_) => break,
                    }
                }
                Err(TryRecvError::Disconnected) => break,
            };
            match incoming {
                Incoming::Message(Message::Request(r)) => self.request(r),
                Incoming::Message(Message::Notification(n)) => {
                    if n.method == note::Exit::METHOD {
                        return if self.shutdown {
                            Ok(())
                        } else {
                            Err(Fail::reported())
                        };
                    }
                    let method = n.method.clone();
                    if let Err(p) = catch_unwind(AssertUnwindSafe(|| self.notification(n))) {
                        eprintln!(
                            "orbit lsp: the handler of `{method}` panicked ({}); the server goes on",
                            panic_message(p.as_ref())
                        );
                    }
                }
                Incoming::Message(Message::Response(_)) => {}
                Incoming::Malformed(code, why) => {
                    eprintln!("orbit lsp: an unreadable message: {why}");
                    self.out.send_unreadable(code, &why);
                }
                Incoming::Closed(why) => {
                    if let Some(w) = why {
                        eprintln!("orbit lsp: cannot read from the client: {w}");
                    }
                    break;
                }
            }
        }
        if self.shutdown {
            Ok(())
        } else {
            Err(Fail::reported())
        }
    }

    fn request(&mut self, r: Request) {
        let id = r.id.clone();
        if r.method == req::Shutdown::METHOD {
            self.shutdown = true;
            self.out.send(Response::new_ok(id, ()));
            return;
        }
        if self.shutdown {
            self.out
                .error(id, ErrorCode::InvalidRequest, "the server is shutting down");
            return;
        }
        let method = r.method.clone();
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(&r))) {
            Ok(Ok(v)) => self.out.send(Response {
                id,
                result: Some(v),
                error: None,
            }),
            Ok(Err((code, message))) => self.out.error(id, code, message),
            Err(p) => {
                let why = panic_message(p.as_ref());
                eprintln!(
                    "orbit lsp: the handler of `{method}` panicked ({why}); the server goes on"
                );
                self.out.error(
                    id,
                    ErrorCode::InternalError,
                    format!("`{method}` failed inside the server ({why}); it goes on serving"),
                );
            }
        }
    }

    fn dispatch(&mut self, r: &Request) -> Result<Value, Failure> {
        match r.method.as_str() {
            req::HoverRequest::METHOD => {
                let p: HoverParams = params(r)?;
                let d = &p.text_document_position_params;
                to_value(self.hover(&d.text_document.uri, d.position))
            }
            req::GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(r)?;
                let d = &p.text_document_position_params;
                to_value(self.definition(&d.text_document.uri, d.position))
            }
            req::References::METHOD => {
                let p: ReferenceParams = params(r)?;
                let d = &p.text_document_position;
                to_value(self.references(
                    &d.text_document.uri,
                    d.position,
                    p.context.include_declaration,
                ))
            }
            req::Completion::METHOD => {
                let p: CompletionParams = params(r)?;
                let d = &p.text_document_position;
                to_value(self.completion(&d.text_document.uri, d.position))
            }
            req::CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(r)?;
                to_value(self.code_actions(&p.text_document.uri, p.range))
            }
            req::Initialize::METHOD => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".into(),
            )),
            "orbit/testPanic" if self.test_panic => {
                panic!("orbit/testPanic: a panic on purpose, for the tests")
            }
            m => Err((
                ErrorCode::MethodNotFound,
                format!("`{m}` is not a request orbit lsp answers"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        let enc = self.encoding;
        match n.method.as_str() {
            note::Initialized::METHOD => self.register_watcher(),
            note::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let d = p.text_document;
                let key = d.uri.as_str().to_string();
                self.docs
                    .insert(key, Document::new(d.uri, d.version, d.text));
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                if let Some(doc) = self.docs.get_mut(p.text_document.uri.as_str()) {
                    doc.change(p.text_document.version, p.content_changes, enc);
                }
            }
            note::DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) else {
                    return;
                };
                let saved = self.docs.get(p.text_document.uri.as_str());
                if let Some(doc) = saved.filter(|d| d.is_manifest) {
                    let path = doc.path.clone();
                    self.manifest_changed(path.as_deref());
                }
            }
            note::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return;
                };
                if self.docs.remove(p.text_document.uri.as_str()).is_some() {
                    self.publish(p.text_document.uri, None, Vec::new());
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeWatchedFilesParams>(n.params) else {
                    return;
                };
                for c in p.changes {
                    let path = text::uri_to_path(c.uri.as_str());
                    if path
                        .as_deref()
                        .and_then(Path::file_name)
                        .is_some_and(|n| n == MANIFEST)
                    {
                        self.manifest_changed(path.as_deref());
                    }
                }
            }
            _ => {}
        }
    }

    /// A manifest changed on disk or was saved: forget what was read of it, re-read the bases
    /// of its open buffers, and re-check every open document.
    fn manifest_changed(&mut self, path: Option<&Path>) {
        self.manifests.forget(path);
        for doc in self.docs.values_mut() {
            if doc.is_manifest && doc.path.as_deref() == path {
                doc.base = Some(Base::read(doc.path.as_deref(), &doc.text));
                // Its view was compared with the old base.
                doc.view = None;
            }
            doc.fresh = false;
            doc.published = false;
        }
    }

    fn register_watcher(&mut self) {
        if !self.watch {
            return;
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{MANIFEST}")),
                kind: None,
            }],
        };
        let registration = Registration {
            id: "orbit-manifests".into(),
            method: note::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.requests += 1;
        let id = RequestId::from(format!("orbit-{}", self.requests));
        self.out.send(Request::new(
            id,
            req::RegisterCapability::METHOD.into(),
            RegistrationParams {
                registrations: vec![registration],
            },
        ));
    }

    /// Makes the view of a document current; the document, unless it is not open.
    fn refresh(&mut self, key: &str) -> Option<&Document> {
        let (fresh, is_manifest, path) = {
            let d = self.docs.get(key)?;
            (d.fresh, d.is_manifest, d.path.clone())
        };
        if !fresh {
            let view = if is_manifest {
                let d = self.docs.get(key)?;
                let previous = match d.view.as_deref() {
                    Some(View::Manifest(p)) => Some(&**p),
                    _ => None,
                };
                View::Manifest(Box::new(documents::ManifestView::new(
                    &d.text,
                    d.base.as_ref(),
                    previous,
                )))
            } else {
                let m = self
                    .manifests
                    .locate(path.as_deref())
                    .map(|p| self.manifests.get(&p));
                let d = self.docs.get(key)?;
                View::Lint(documents::LintView::new(&d.text, m))
            };
            let d = self.docs.get_mut(key)?;
            let view = Rc::new(view);
            if matches!(&*view, View::Manifest(v) if v.parsed()) {
                d.parsed = Some(view.clone());
            }
            d.view = Some(view);
            d.fresh = true;
        }
        self.docs.get(key)
    }

    /// Publishes the diagnostics of every document whose text or manifest changed.
    fn publish_changed(&mut self) {
        let pending: Vec<String> = self
            .docs
            .iter()
            .filter(|(_, d)| !d.published)
            .map(|(k, _)| k.clone())
            .collect();
        let enc = self.encoding;
        for key in pending {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let d = self.refresh(&key)?;
                let diags = match d.view.as_deref()? {
                    View::Manifest(v) => diagnostics::manifest(&d.uri, &d.text, &d.lines, v, enc),
                    View::Lint(v) => diagnostics::lint(&d.text, &d.lines, v, enc),
                };
                Some((d.uri.clone(), d.version, diags))
            }));
            if let Some(d) = self.docs.get_mut(&key) {
                d.published = true;
            }
            match outcome {
                Ok(Some((uri, version, diags))) => self.publish(uri, Some(version), diags),
                Ok(None) => {}
                Err(p) => eprintln!(
                    "orbit lsp: checking {key} panicked ({}); the server goes on",
                    panic_message(p.as_ref())
                ),
            }
        }
    }

    fn publish(&self, uri: Uri, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        self.out.send(Notification::new(
            note::PublishDiagnostics::METHOD.into(),
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        ));
    }

    fn hover(&mut self, uri: &Uri, pos: lsp_types::Position) -> Option<lsp_types::Hover> {
        let enc = self.encoding;
        let d = self.refresh(uri.as_str())?;
        let offset = d.lines.offset(&d.text, pos, enc);
        match d.view.as_deref()? {
            View::Manifest(v) => {
                let m = match d.parsed.as_deref() {
                    Some(View::Manifest(p)) => &p.checked.manifest,
                    _ => &v.checked.manifest,
                };
                hover::manifest(&d.text, &d.lines, v, m, offset, enc)
            }
            View::Lint(v) => hover::lint(&d.text, &d.lines, v, offset, enc),
        }
    }

    fn definition(
        &mut self,
        uri: &Uri,
        pos: lsp_types::Position,
    ) -> Option<GotoDefinitionResponse> {
        let enc = self.encoding;
        let d = self.refresh(uri.as_str())?;
        let offset = d.lines.offset(&d.text, pos, enc);
        let View::Manifest(v) = d.view.as_deref()? else {
            return None;
        };
        let span = navigation::definition(&d.text, v, offset)?;
        Some(GotoDefinitionResponse::Scalar(Location::new(
            d.uri.clone(),
            d.lines.range(&d.text, &span, enc),
        )))
    }

    fn references(
        &mut self,
        uri: &Uri,
        pos: lsp_types::Position,
        declaration: bool,
    ) -> Option<Vec<Location>> {
        let enc = self.encoding;
        let d = self.refresh(uri.as_str())?;
        let offset = d.lines.offset(&d.text, pos, enc);
        let View::Manifest(v) = d.view.as_deref()? else {
            return None;
        };
        Some(
            navigation::references(&d.text, v, offset, declaration)
                .into_iter()
                .map(|s| Location::new(d.uri.clone(), d.lines.range(&d.text, &s, enc)))
                .collect(),
        )
    }

    fn completion(&mut self, uri: &Uri, pos: lsp_types::Position) -> Option<CompletionResponse> {
        let enc = self.encoding;
        // The last check will do (the ids it declares), however old: never wait for one.
        let has_view = self.docs.get(uri.as_str())?.view.is_some();
        let d = if has_view {
            self.docs.get(uri.as_str())?
        } else {
            self.refresh(uri.as_str())?
        };
        if !d.is_manifest {
            return None;
        }
        let v = match (d.parsed.as_deref(), d.view.as_deref()) {
            (Some(View::Manifest(p)), _) => p,
            (_, Some(View::Manifest(v))) => v,
            _ => return None,
        };
        let offset = d.lines.offset(&d.text, pos, enc);
        Some(CompletionResponse::List(completion::manifest(
            &d.text, &d.lines, v, offset, enc,
        )))
    }

    fn code_actions(
        &mut self,
        uri: &Uri,
        range: lsp_types::Range,
    ) -> Option<Vec<lsp_types::CodeActionOrCommand>> {
        let enc = self.encoding;
        let d = self.refresh(uri.as_str())?;
        let span =
            d.lines.offset(&d.text, range.start, enc)..d.lines.offset(&d.text, range.end, enc);
        Some(match d.view.as_deref()? {
            View::Manifest(v) => actions::manifest(&d.uri, &d.text, &d.lines, v, span, enc),
            View::Lint(v) => actions::lint(&d.uri, &d.text, &d.lines, v, span, enc),
        })
    }
}
