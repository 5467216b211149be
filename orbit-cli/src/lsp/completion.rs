//! Completion in a manifest buffer: table names and the next free id in a header, the keys a
//! table allows, declared ids where an id is expected, and a part's next execution order.
//!
//! The place is read from the current text (from the enclosing header on); the ids come from
//! the last check, which may be one keystroke old: completion never waits for a check.

use std::ops::Range;

use lsp_types::{CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, TextEdit};
use orbit_engine::alloc;
use orbit_engine::id::{ComponentId, Endpoint, Pid, ServiceKind};
use orbit_engine::{keys, Code, Family as CodeFamily, Manifest};

use super::documents::ManifestView;
use super::index::{self, Family, Slot};
use super::text::{Encoding, Lines};

/// At most this many items; the list is then marked incomplete, so typing more asks again.
const MAX_ITEMS: usize = 100;

/// One candidate: the text to insert, what to show beside it, its kind.
struct Candidate {
    text: String,
    detail: Option<String>,
    kind: CompletionItemKind,
    preselect: bool,
}

fn candidate(
    text: impl Into<String>,
    detail: Option<String>,
    kind: CompletionItemKind,
) -> Candidate {
    Candidate {
        text: text.into(),
        detail,
        kind,
        preselect: false,
    }
}

/// The completions at byte `offset` of `text` (on 0-based `line`).
pub fn manifest(
    text: &str,
    lines: &Lines,
    view: &ManifestView,
    offset: usize,
    enc: Encoding,
) -> CompletionList {
    let m = &view.checked.manifest;
    let line = lines.line_of(offset);
    let line_start = lines.start(line).unwrap_or(0).min(offset);
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let prefix = &text[line_start..offset];
    let trimmed = prefix.trim_start();
    let (range, candidates, wrap): (Range<usize>, Vec<Candidate>, Wrap) =
        if let Some(h) = trimmed.strip_prefix('[') {
            header(text, m, h, offset)
        } else {
            let cx = index::context_at(text, offset);
            body(text, view, &cx, offset)
        };
    let typed = text.get(range.clone()).unwrap_or("");
    let filter = match wrap {
        Wrap::Quoted => typed.trim_start_matches('"'),
        _ => typed,
    };
    let matching: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| c.text.starts_with(filter) || wrap == Wrap::Pid)
        .collect();
    let incomplete = matching.len() > MAX_ITEMS;
    let lsp_range = lines.range(text, &range, enc);
    let items = matching
        .into_iter()
        .take(MAX_ITEMS)
        .enumerate()
        .map(|(i, c)| {
            let new_text = match wrap {
                Wrap::Quoted => format!("\"{}\"", c.text),
                Wrap::Close => format!("{}]", c.text),
                Wrap::None | Wrap::Pid => c.text.clone(),
            };
            CompletionItem {
                label: c.text.clone(),
                kind: Some(c.kind),
                detail: c.detail,
                preselect: c.preselect.then_some(true),
                sort_text: Some(format!("{i:04}")),
                filter_text: Some(new_text.clone()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(lsp_range, new_text))),
                ..CompletionItem::default()
            }
        })
        .collect();
    CompletionList {
        is_incomplete: incomplete,
        items,
    }
}

/// How a candidate is written into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrap {
    /// As it is.
    None,
    /// In quotes (a value begun without them).
    Quoted,
    /// Followed by `]` (a header not yet closed).
    Close,
    /// A whole PID replacing what is typed: not filtered by the typed text.
    Pid,
}

/// `[` typed, and `h` after it: table names, then after `name.` the next free ids.
fn header(
    text: &str,
    m: &Manifest,
    h: &str,
    offset: usize,
) -> (Range<usize>, Vec<Candidate>, Wrap) {
    let line_rest = text[offset..].split('\n').next().unwrap_or("");
    let closed = line_rest.contains(']');
    let h = h.strip_prefix('[').unwrap_or(h);
    let h_start = offset - h.len();
    let Some((family, partial)) = h.split_once('.') else {
        let names = keys::ROOT
            .iter()
            .map(|n| candidate(*n, None, CompletionItemKind::MODULE))
            .collect();
        return (h_start..offset, names, Wrap::None);
    };
    let wrap = if closed { Wrap::None } else { Wrap::Close };
    let range = offset - partial.len()..offset;
    let mut out = Vec::new();
    let value = CompletionItemKind::CONSTANT;
    match Family::of(family.trim()) {
        Family::Microservice | Family::Resource => {
            let resource = Family::of(family.trim()) == Family::Resource;
            for c in components_for(m, partial) {
                let comp = m.component(c).map_or("", |x| x.name.as_str());
                if resource {
                    if let Ok(r) = alloc::next_rid(m, c) {
                        out.push(candidate(
                            r.to_string(),
                            Some(format!("the next free RID of {c} ({comp})")),
                            value,
                        ));
                    }
                } else {
                    for kind in [ServiceKind::Frontend, ServiceKind::Backend] {
                        if let Ok(id) = alloc::next_mid(m, c, kind) {
                            out.push(candidate(
                                id.to_string(),
                                Some(format!(
                                    "the next free {} MID of {c} ({comp})",
                                    kind.describe()
                                )),
                                value,
                            ));
                        }
                    }
                }
            }
        }
        Family::Flow => {
            if let Ok(f) = alloc::next_flow(m) {
                out.push(candidate(
                    f.to_string(),
                    Some("the next free flow".into()),
                    value,
                ));
            }
        }
        Family::Component => {
            for r in &m.regions {
                if let Ok(c) = alloc::next_component(m, &r.key) {
                    out.push(candidate(
                        c.to_string(),
                        Some(format!("the next free component of {} ({})", r.key, r.name)),
                        value,
                    ));
                }
            }
        }
        _ => {}
    }
    if let Some(first) = out.first_mut() {
        first.preselect = true;
    }
    (range, out, wrap)
}

/// The components a partial id names: `c8…` → c8 (when declared), else every declared one.
fn components_for(m: &Manifest, partial: &str) -> Vec<ComponentId> {
    let digits: String = partial
        .strip_prefix('c')
        .unwrap_or("")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if let Ok(n) = digits.parse::<u16>() {
        if m.component(ComponentId(n)).is_some() {
            return vec![ComponentId(n)];
        }
    }
    m.components.iter().map(|c| c.id).collect()
}

/// Inside a table: keys at a key's place, ids in an id's place.
fn body(
    text: &str,
    view: &ManifestView,
    cx: &index::Context,
    offset: usize,
) -> (Range<usize>, Vec<Candidate>, Wrap) {
    let m = &view.checked.manifest;
    let Some((family, table_key)) = &cx.table else {
        return (offset..offset, Vec::new(), Wrap::None);
    };
    if let Some(k) = cx.key_start {
        let allowed = if cx.inline && *family == Family::Leg {
            keys::PART
        } else {
            family.keys()
        };
        let items = allowed
            .iter()
            .map(|k| candidate(*k, None, CompletionItemKind::PROPERTY))
            .collect();
        return (k..offset, items, Wrap::None);
    }
    let Some(key) = &cx.key else {
        return (offset..offset, Vec::new(), Wrap::None);
    };
    let Some(slot) = Slot::of(*family, key) else {
        return (offset..offset, Vec::new(), Wrap::None);
    };
    let (range, wrap) = match cx.string_start {
        Some(s) => (s..offset, Wrap::None),
        None if cx.after_equals
            || cx.word_start.is_some()
            || key == "components"
            || key == "retired" =>
        {
            (cx.word_start.unwrap_or(offset)..offset, Wrap::Quoted)
        }
        None => return (offset..offset, Vec::new(), Wrap::None),
    };
    let typed = text.get(range.clone()).unwrap_or("");
    let prefix = typed.trim_start_matches('"');
    let value = CompletionItemKind::VALUE;
    let items: Vec<Candidate> = match slot {
        Slot::Component => declared(
            m.components.iter().map(|c| (c.id, c.name.as_str(), None)),
            prefix,
        ),
        Slot::Flow => declared(
            m.flows.iter().map(|f| (f.id, f.name.as_str(), None)),
            prefix,
        ),
        Slot::Mid => mids(m, prefix),
        Slot::Rid => rids(m, prefix),
        Slot::Retired => view
            .removed
            .iter()
            .map(|c| {
                candidate(
                    c.id.clone(),
                    Some("removed, not retired (ORB801)".into()),
                    value,
                )
            })
            .collect(),
        Slot::Kind => ["dynamodb", "s3", "mysql"]
            .iter()
            .map(|k| candidate(*k, None, value))
            .collect(),
        Slot::WaiverCode => Code::ALL
            .iter()
            .filter(|c| c.family() == CodeFamily::Diff)
            .map(|c| candidate(c.as_str(), Some(c.title().to_string()), value))
            .collect(),
        Slot::Pid => {
            let (items, pid_wrap) = pid(m, table_key, typed, &cx.orders);
            if pid_wrap {
                return (
                    range,
                    items,
                    if wrap == Wrap::Quoted {
                        Wrap::Quoted
                    } else {
                        Wrap::Pid
                    },
                );
            }
            items
        }
        _ => Vec::new(),
    };
    (range, items, wrap)
}

/// The ids `ids` yields that start with `prefix`, with what to show beside each (made only
/// for those), one more than fits in a list: a manifest of 10,000 MIDs is not all listed.
fn declared<'m, T: std::fmt::Display + 'm>(
    ids: impl Iterator<Item = (T, &'m str, Option<&'static str>)>,
    prefix: &str,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut text = String::new();
    for (id, name, kind) in ids {
        text.clear();
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!("{id}"));
        if !text.starts_with(prefix) {
            continue;
        }
        let detail = match kind {
            Some(k) => format!("{name} ({k})"),
            None => name.to_string(),
        };
        out.push(candidate(
            text.clone(),
            Some(detail),
            CompletionItemKind::VALUE,
        ));
        if out.len() > MAX_ITEMS {
            break;
        }
    }
    out
}

fn mids(m: &Manifest, prefix: &str) -> Vec<Candidate> {
    declared(
        m.microservices
            .iter()
            .map(|s| (s.id, s.name.as_str(), None)),
        prefix,
    )
}

fn rids(m: &Manifest, prefix: &str) -> Vec<Candidate> {
    declared(
        m.resources
            .iter()
            .map(|r| (r.id, r.name.as_str(), Some(r.kind.as_str()))),
        prefix,
    )
}

/// A part's `pid` as typed: its start id, then `start-` and its end id, then `start-end-` and
/// the leg's next free execution order: above the orders of the parts written before it and of
/// the leg's parts in the last check, and not a PID declared elsewhere. Returns whether the
/// items are whole PIDs that must not be filtered by the typed text (the order typed so far is
/// replaced).
fn pid(m: &Manifest, leg: &str, typed: &str, orders: &[u16]) -> (Vec<Candidate>, bool) {
    let typed = typed.trim_start_matches('"');
    let parts: Vec<&str> = typed.splitn(3, '-').collect();
    let endpoints = |p: &str| mids(m, p).into_iter().chain(rids(m, p));
    match parts.as_slice() {
        [first] => (endpoints(first).collect(), false),
        [start, end] => (
            endpoints(end)
                .map(|mut c| {
                    c.text = format!("{start}-{}", c.text);
                    c
                })
                .collect(),
            false,
        ),
        [start, end, _] => {
            let (Ok(s), Ok(e)) = (start.parse::<Endpoint>(), end.parse::<Endpoint>()) else {
                return (Vec::new(), false);
            };
            let from_text = orbit_engine::next_multiple(orders, 5, 0);
            let mut order = alloc::next_order(m, leg).map_or(from_text, |o| o.max(from_text));
            let mut pid = Pid {
                start: s,
                end: e,
                order,
            };
            while m.process(pid).is_some() && order + 5 <= orbit_engine::MAX_IDENTIFIER {
                order += 5;
                pid.order = order;
            }
            if order > orbit_engine::MAX_IDENTIFIER {
                return (Vec::new(), false);
            }
            let mut c = candidate(
                pid.to_string(),
                Some(format!("the next free execution order of leg `{leg}`")),
                CompletionItemKind::VALUE,
            );
            c.preselect = true;
            (vec![c], true)
        }
        _ => (Vec::new(), false),
    }
}
