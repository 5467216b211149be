//! Go to definition and find references in a manifest buffer.
//!
//! An id's definition is its table header (`[microservice.c8fms03]`); its references are every
//! place that names it: a MID or RID in PIDs, events, `retired` and waivers; a component in
//! flows' `components`; a flow in resources' and legs' `flow`; a PID where it is listed.

use std::ops::Range;

use orbit_engine::id::{guess_kind, IdKind};

use super::documents::ManifestView;
use super::index::{Family, Slot, Token};

/// What a token names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// An entry declared by a table of this family.
    Table(Family),
    /// A PID (declared where a part lists it).
    Pid,
    /// A waiver's `id`: whatever table has that key.
    Any,
}

fn target(t: &Token, text: &str) -> Target {
    match t.slot {
        Slot::Header(f) => Target::Table(f),
        Slot::Component => Target::Table(Family::Component),
        Slot::Flow => Target::Table(Family::Flow),
        Slot::Mid => Target::Table(Family::Microservice),
        Slot::Rid => Target::Table(Family::Resource),
        Slot::Pid | Slot::PidOrder => Target::Pid,
        Slot::Retired | Slot::PidStart | Slot::PidEnd | Slot::WaiverId => match guess_kind(text) {
            IdKind::Rid => Target::Table(Family::Resource),
            IdKind::Mid if t.slot != Slot::WaiverId => Target::Table(Family::Microservice),
            IdKind::Pid if t.slot == Slot::WaiverId => Target::Pid,
            _ => Target::Any,
        },
        Slot::WaiverCode | Slot::Kind => Target::Any,
    }
}

/// Whether a token of `slot` can name an entry of `target`.
fn names(slot: Slot, target: Target) -> bool {
    match target {
        Target::Table(Family::Microservice) => matches!(
            slot,
            Slot::Header(Family::Microservice)
                | Slot::Mid
                | Slot::Retired
                | Slot::PidStart
                | Slot::PidEnd
                | Slot::WaiverId
        ),
        Target::Table(Family::Resource) => matches!(
            slot,
            Slot::Header(Family::Resource)
                | Slot::Rid
                | Slot::Retired
                | Slot::PidStart
                | Slot::PidEnd
                | Slot::WaiverId
        ),
        Target::Table(Family::Component) => matches!(
            slot,
            Slot::Header(Family::Component) | Slot::Component | Slot::WaiverId
        ),
        Target::Table(Family::Flow) => {
            matches!(
                slot,
                Slot::Header(Family::Flow) | Slot::Flow | Slot::WaiverId
            )
        }
        Target::Table(f) => slot == Slot::Header(f) || slot == Slot::WaiverId,
        Target::Pid => matches!(slot, Slot::Pid | Slot::WaiverId),
        Target::Any => matches!(slot, Slot::Header(_) | Slot::WaiverId),
    }
}

/// The token under the cursor and the id it names (a PID's order names the PID).
fn subject<'v>(text: &str, view: &'v ManifestView, offset: usize) -> Option<(&'v Token, String)> {
    let t = view.index(text).token_at(offset)?;
    let t = if t.slot == Slot::PidOrder {
        view.index(text).enclosing(t.span.start, Slot::Pid)?
    } else {
        t
    };
    let word = text.get(t.span.clone())?.to_string();
    (!word.is_empty()).then_some((t, word))
}

/// Where the id under the cursor is declared: its table header's key, or for a PID the part
/// that lists it first.
pub fn definition(text: &str, view: &ManifestView, offset: usize) -> Option<Range<usize>> {
    let (t, word) = subject(text, view, offset)?;
    match target(t, &word) {
        Target::Table(f) => view
            .index(text)
            .declaration(f, &word)
            .map(|d| d.key_span.clone()),
        Target::Pid => view
            .index(text)
            .tokens
            .iter()
            .find(|x| x.slot == Slot::Pid && text.get(x.span.clone()) == Some(word.as_str()))
            .map(|x| x.span.clone()),
        Target::Any => view
            .index(text)
            .tables
            .iter()
            .find(|d| d.key == word && d.family != Family::Unknown)
            .map(|d| d.key_span.clone()),
    }
}

/// Every place that names the id under the cursor, in text order; the declaration too when
/// `declaration` is set.
pub fn references(
    text: &str,
    view: &ManifestView,
    offset: usize,
    declaration: bool,
) -> Vec<Range<usize>> {
    let Some((t, word)) = subject(text, view, offset) else {
        return Vec::new();
    };
    let mut target = target(t, &word);
    if target == Target::Any {
        // A waiver's id: what the declaration says it is.
        if let Some(d) = view.index(text).tables.iter().find(|d| d.key == word) {
            target = Target::Table(d.family);
        }
    }
    let w = word.as_bytes();
    view.index(text)
        .tokens
        .iter()
        .filter(|x| x.span.len() == w.len() && text.as_bytes().get(x.span.clone()) == Some(w))
        .filter(|x| names(x.slot, target))
        .filter(|x| declaration || !matches!(x.slot, Slot::Header(_)) || target == Target::Pid)
        .map(|x| x.span.clone())
        .collect()
}
