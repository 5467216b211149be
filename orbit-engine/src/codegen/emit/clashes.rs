//! Names the generated module cannot hold: constants that clash, and the reserved
//! environment codes.

use std::collections::BTreeSet;

use super::super::names::constant;
use crate::model::Manifest;

/// Names the generated module cannot hold. The engine reports legs and events whose
/// constants clash with ids' (ORB005); they are left out here so the rest compiles. An
/// environment code that names one of the module's own submodules is reported here (ORB010).
/// Returns the diagnostics to add and the spans of the entries to leave out.
pub(crate) fn name_clashes(m: &Manifest) -> (Vec<crate::Diagnostic>, BTreeSet<usize>) {
    // The constants of legs and events already taken, by each other or by an id. An id's
    // constant is its text uppercased with `-` read as `_` (ids have neither `_` nor capitals),
    // so a name's constant is an id's only if, read back that way, it is that id's text: the
    // few names are looked up, the ids are not formatted one by one.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut drop = BTreeSet::new();
    for (name, span) in m
        .legs
        .iter()
        .map(|l| (&l.name, &l.span))
        .chain(m.events.iter().map(|e| (&e.name, &e.span)))
    {
        let c = constant(name);
        let id_text = c.to_ascii_lowercase().replace('_', "-");
        if m.id_with_text(&id_text).is_some() || !taken.insert(c) {
            drop.insert(span.start);
        }
    }
    let mut diags = Vec::new();
    for e in &m.environments {
        if matches!(e.code.as_str(), "orbit" | "events") {
            drop.insert(e.span.start);
            diags.push(
                crate::Diagnostic::new(
                    crate::Code::Orb010,
                    e.span.clone(),
                    format!(
                        "environment code `{}` would generate the module `ids::{}`, which the generated module already has",
                        e.code, e.code
                    ),
                )
                .with_help("use another environment code"),
            );
        }
    }
    (diags, drop)
}
