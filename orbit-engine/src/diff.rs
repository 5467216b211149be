//! What a change to the manifest does to what already exists (`orbit diff`, codes ORB801–ORB890).
//!
//! Physical names, repositories, log entries and tracking data derive from the manifest. A change
//! that passes [`check`](crate::check()) can still orphan a production table (a resource's `name`
//! edited), point new code at old data (an id removed and later declared again), or break every
//! log consumer (an event field renamed). [`diff`] compares two checked manifests, BASE (before)
//! and HEAD (after), and returns every such change with both sides' positions, applying HEAD's
//! `[[waiver]]` entries. One implementation serves the CLI, the language server and users' tools.
//!
//! ```
//! let base = r#"
//! [orbit]
//! name = "demo"
//! cloud = "aws"
//! [environment.k8d]
//! [region.n-virginia]
//! name = "N. Virginia"
//! components = [1, 100]
//! [flow.flow-4]
//! name = "Portal"
//! components = ["c8"]
//! [component.c8]
//! name = "Portal node"
//! [resource.c8bre03]
//! kind = "dynamodb"
//! name = "user-error-log"
//! "#;
//! let head = base.replace("user-error-log", "user-errors-log");
//! let (b, h) = (orbit_engine::check(base), orbit_engine::check(&head));
//! let diff = orbit_engine::diff::diff(
//!     orbit_engine::diff::Side::new(base, &b.manifest),
//!     orbit_engine::diff::Side::new(&head, &h.manifest),
//! );
//! let c = &diff.changes[0];
//! assert_eq!((c.code.as_str(), c.id.as_str()), ("ORB802", "c8bre03"));
//! assert_eq!(c.head.as_ref().map(|p| (p.line, p.column)), Some((14, 11)));
//! assert!(!diff.ok());
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::ops::Range;

use crate::diag::{Code, LineIndex, Severity};
use crate::id::{Endpoint, Pid};
use crate::model::{Manifest, Span};
use crate::rules::{Excerpt, Origin, Rule};

/// ORB801: a MID or RID declared in BASE is not declared in HEAD and not in HEAD's `retired`.
pub(crate) const ORB801: Rule = Rule {
    code: Code::Orb801,
    home: module_path!(),
    checks: "`orbit diff` reports each MID and RID that BASE declares and HEAD neither declares \
             nor lists in `retired` in `[orbit]` (an id still declared in HEAD in a table with \
             errors of its own is not reported: those errors are). When an id new in HEAD has \
             the same `name`, the help says it looks like a rename to it. Add the id to \
             `retired`, so that it is never declared again, or keep its declaration.",
    origin: Origin::Reason(
        "Logs, tracking data, tables, buckets and databases keep the id's name after it is \
         deleted; an id deleted without being retired can be declared again later and point \
         new code at that old data.",
    ),
    broken: Excerpt::diff(
        r#"[microservice.c8bms27]
name = "Portal Delete Logic"
"#,
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = []

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
    ),
    fixed: Excerpt::diff(
        r#"[microservice.c8bms27]
name = "Portal Delete Logic"
"#,
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bms27"]

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
    ),
};

/// ORB802: a resource declared in both derives another physical name in an environment declared
/// in both.
pub(crate) const ORB802: Rule = Rule {
    code: Code::Orb802,
    home: module_path!(),
    checks: "`orbit diff` reports each resource that BASE and HEAD both declare whose physical \
             name changes in an environment both declare: its `name` or `kind` changed, its flow \
             changed (its `flow` key, or the flows listing its component), or `[orbit]`'s `cloud` \
             changed. One finding per RID names every environment with its old and new name. \
             Keep what the name derives from; for a resource that really is new, declare it under \
             a new RID and retire the old one.",
    origin: Origin::Reason(
        "The table, bucket or database under the old name keeps existing: after the change, \
         code looks for another one and the existing data is orphaned.",
    ),
    broken: Excerpt::diff(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-error-log"
"#,
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-errors-log"
"#,
    ),
    fixed: Excerpt::diff(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-error-log"
"#,
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-error-log"
"#,
    ),
};

/// ORB803: an environment declared in BASE is not declared in HEAD.
pub(crate) const ORB803: Rule = Rule {
    code: Code::Orb803,
    home: module_path!(),
    checks: "`orbit diff` reports each `[environment.…]` that BASE declares and HEAD does not \
             (an environment still declared in HEAD in a table with errors of its own is not \
             reported: those errors are). Keep the environment while anything of it exists.",
    origin: Origin::Reason(
        "Every table, bucket, database and repository of an environment derives its name from \
         the environment's code; without it those names no longer derive, and what exists under \
         them is no longer known to the manifest.",
    ),
    broken: Excerpt::diff(
        r#"[environment.k8t]
name = "testing"

[environment.k8p]
name = "production"
"#,
        r#"[environment.k8t]
name = "testing"
"#,
    ),
    fixed: Excerpt::diff(
        r#"[environment.k8t]
name = "testing"

[environment.k8p]
name = "production"
"#,
        r#"[environment.k8t]
name = "testing"

[environment.k8p]
name = "production"
"#,
    ),
};

/// ORB804: a component's blocks changed: it moved within a flow's `components`, or left a flow
/// that HEAD still declares.
pub(crate) const ORB804: Rule = Rule {
    code: Code::Orb804,
    home: module_path!(),
    checks: "`orbit diff` reports each component whose blocks change in a flow that BASE and HEAD \
             both declare: its position in the flow's `components` changed (a component inserted \
             or removed before it moves it too), or it is no longer listed there. One finding per \
             component names each flow where its blocks changed, with the old and new blocks. \
             Keep the order of `components`, and append new components at the end.",
    origin: Origin::Conventions(
        "Each component within a flow reserves four consecutive block numbers. These reserved \
         blocks are specifically allocated to that component and are not available for other \
         components within the same flow.",
    ),
    broken: Excerpt::diff(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12"]

[component.c12]
name = "Manifestor"
"#,
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c16", "c12"]

[component.c12]
name = "Manifestor"

[component.c16]
name = "Image Harbor"
"#,
    ),
    fixed: Excerpt::diff(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12"]

[component.c12]
name = "Manifestor"
"#,
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12", "c16"]

[component.c12]
name = "Manifestor"

[component.c16]
name = "Image Harbor"
"#,
    ),
};

/// ORB805: an id in BASE's `retired` is not in HEAD's `retired`.
pub(crate) const ORB805: Rule = Rule {
    code: Code::Orb805,
    home: module_path!(),
    checks: "`orbit diff` reports each MID or RID in BASE's `retired` that HEAD's `retired` no \
             longer lists, whether or not HEAD declares it again (the message says which). Keep \
             it in `retired`, and declare anything new under the next free id (`orbit next`).",
    origin: Origin::Reason(
        "Persistent names derive from a retired id; once it leaves `retired` it can be declared \
         again, and new code would point at the data its old use left.",
    ),
    broken: Excerpt::diff(
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bms27"]

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = []

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
    ),
    fixed: Excerpt::diff(
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bms27"]

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bms27"]

[environment.k8d]
name = "development"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
    ),
};

/// ORB806: a flow declared in BASE is not declared in HEAD.
pub(crate) const ORB806: Rule = Rule {
    code: Code::Orb806,
    home: module_path!(),
    checks: "`orbit diff` reports each `[flow.…]` that BASE declares and HEAD does not, a \
             renumbered flow included (whose resources' serials change too: ORB802). A flow \
             still declared in HEAD in a table with errors of its own is not reported: those \
             errors are. Keep the flow while its repositories exist.",
    origin: Origin::Reason(
        "The six repositories of a flow in each environment (`flow-8-infrastructure-rep-k8d-aws` \
         …) derive their names from it; without the flow they no longer derive.",
    ),
    broken: Excerpt::diff(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12"]

[component.c12]
name = "Manifestor"
"#,
        r#"[flow.flow-12]
name = "Manifestor"
components = ["c12"]

[component.c12]
name = "Manifestor"
"#,
    ),
    fixed: Excerpt::diff(
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12"]

[component.c12]
name = "Manifestor"
"#,
        r#"[flow.flow-8]
name = "Manifestor"
components = ["c12"]

[component.c12]
name = "Manifestor"
"#,
    ),
};

/// ORB807: an event declared in BASE is not declared in HEAD, or one of its fields is gone.
pub(crate) const ORB807: Rule = Rule {
    code: Code::Orb807,
    home: module_path!(),
    checks: "`orbit diff` reports each `[event.…]` that BASE declares and HEAD does not (renamed \
             events included), and each event in both that lost fields: a field renamed counts \
             as gone, and the help names the new fields that look like the rename. Keep the \
             event and its fields; add new fields after them.",
    origin: Origin::Reason(
        "Consumers of an event's log entries look them up by the event's name and read their \
         fields by name; an event or a field that disappears breaks every one of them.",
    ),
    broken: Excerpt::diff(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
fields = ["user", "image"]
"#,
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
fields = ["user", "image_name"]
"#,
    ),
    fixed: Excerpt::diff(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
fields = ["user", "image"]
"#,
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
fields = ["user", "image", "image_name"]
"#,
    ),
};

/// ORB808: an event's producer `mid` or sink `rid` changed.
pub(crate) const ORB808: Rule = Rule {
    code: Code::Orb808,
    home: module_path!(),
    checks: "`orbit diff` warns, once per event, when an event that BASE and HEAD both declare \
             has another producer `mid` or another sink `rid` in HEAD. The change is allowed (it \
             is a warning), but the entries' consumers must read them from the new sink, or \
             expect the new producer; a `[[waiver]]` records that they do.",
    origin: Origin::Reason(
        "An event's entries are found in its sink resource and attributed to its producer \
         microservice; after a change, consumers reading the old ones see no new entries.",
    ),
    broken: Excerpt::diff(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[microservice.c8bms21]
name = "Portal Scan Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
"#,
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[microservice.c8bms21]
name = "Portal Scan Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms21"
rid = "c8bre03"
"#,
    ),
    fixed: Excerpt::diff(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[microservice.c8bms21]
name = "Portal Scan Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
"#,
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[microservice.c8bms21]
name = "Portal Scan Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
"#,
    ),
};

/// ORB809: a PID of BASE is not a part of any leg in HEAD.
pub(crate) const ORB809: Rule = Rule {
    code: Code::Orb809,
    home: module_path!(),
    checks: "`orbit diff` warns about each PID that is a part of a leg in BASE and of no leg in \
             HEAD: a step removed, or renumbered (its execution order, start or end changed). \
             When HEAD has a new PID with the same start and end, the help says it looks like a \
             renumbering. Keep the step's PID; to add a step between two others, use a reserved \
             slot with `inserted = true` instead of renumbering.",
    origin: Origin::Conventions(
        "PIDs are critical for tracking and analyzing individual steps or operations (referred \
         to as \"Parts\") within a process flow. … This consistent increment allows for future \
         insertions of new steps without requiring renumbering of existing PIDs.",
    ),
    broken: Excerpt::diff(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms06-e05" }]
"#,
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms06-e10" }]
"#,
    ),
    fixed: Excerpt::diff(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms06-e05" }]
"#,
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms06-e05" }]
"#,
    ),
};

/// ORB890: a waiver matches no change.
pub(crate) const ORB890: Rule = Rule {
    code: Code::Orb890,
    home: module_path!(),
    checks: "`orbit diff` warns about each `[[waiver]]` of HEAD whose `code` and `id` together \
             match none of the changes from BASE to HEAD: the change it was written for is gone \
             from the diff, or the waiver names it wrongly (then that change is reported \
             unwaived). Remove the waiver, or correct its `code` and `id`.",
    origin: Origin::Reason(
        "A waiver is reviewed with the change it accepts; one that accepts nothing only hides \
         a mistake, or would silently accept a later change of the same code and id.",
    ),
    broken: Excerpt::diff(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-error-log"
"#,
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-error-log"

[[waiver]]
code = "ORB802"
id = "c8bre03"
reason = "Table renamed with a data migration (OPS-1234)."
"#,
    ),
    fixed: Excerpt::diff(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-error-log"
"#,
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-error-log"
"#,
    ),
};

/// One side of a comparison: a manifest's text and its checked model.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The manifest's text, for line and column numbers.
    pub source: &'a str,
    /// Its model, as [`check`](crate::check()) returned it (partial when it has errors).
    pub manifest: &'a Manifest,
}

impl<'a> Side<'a> {
    /// A side from a text and its model.
    pub fn new(source: &'a str, manifest: &'a Manifest) -> Self {
        Side { source, manifest }
    }
}

/// A place in one of the two manifests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// Byte range in that manifest's text.
    pub span: Range<usize>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One change between BASE and HEAD under one ORB8xx code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// ORB801 … ORB890.
    pub code: Code,
    /// The MID or RID, environment code, component, flow, event name or PID concerned.
    pub id: String,
    /// What changed, in one sentence.
    pub message: String,
    /// What to do: retire the id, keep the old name, add a waiver.
    pub help: Option<String>,
    /// Where the change is in HEAD; `None` when the thing is gone.
    pub head: Option<Position>,
    /// Where the thing was in BASE; `None` when it is new.
    pub base: Option<Position>,
    /// The reason of the HEAD `[[waiver]]` that accepts this change, if one does.
    pub waived: Option<String>,
}

impl Change {
    /// The code's severity: error or warning.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Whether this change fails the diff: an error that no waiver accepts.
    pub fn fails(&self) -> bool {
        self.severity() == Severity::Error && self.waived.is_none()
    }
}

/// What HEAD adds: not findings, but worth a line after them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    /// New MIDs.
    pub mids: Vec<String>,
    /// New RIDs.
    pub rids: Vec<String>,
    /// New process steps (PIDs).
    pub pids: Vec<String>,
    /// New environments.
    pub environments: Vec<String>,
    /// New flows.
    pub flows: Vec<String>,
    /// New components.
    pub components: Vec<String>,
    /// New events.
    pub events: Vec<String>,
    /// New fields of events in both, as `event.field`.
    pub fields: Vec<String>,
}

impl Added {
    /// Whether HEAD adds nothing.
    pub fn is_empty(&self) -> bool {
        self.groups().all(|(_, _, v)| v.is_empty())
    }

    fn groups(&self) -> impl Iterator<Item = (&'static str, &'static str, &Vec<String>)> {
        [
            ("MID", "MIDs", &self.mids),
            ("RID", "RIDs", &self.rids),
            ("step", "steps", &self.pids),
            ("environment", "environments", &self.environments),
            ("flow", "flows", &self.flows),
            ("component", "components", &self.components),
            ("event", "events", &self.events),
            ("event field", "event fields", &self.fields),
        ]
        .into_iter()
    }
}

impl fmt::Display for Added {
    /// `2 MIDs (c8bms30, c8bms33), 1 environment (k8x)`; `nothing` when empty. At most five
    /// ids are named per group.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("nothing");
        }
        let mut first = true;
        for (one, many, ids) in self.groups().filter(|g| !g.2.is_empty()) {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            let n = ids.len();
            write!(f, "{n} {} (", if n == 1 { one } else { many })?;
            for (i, id) in ids.iter().take(5).enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(id)?;
            }
            if n > 5 {
                write!(f, ", … {} more", n - 5)?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// The result of [`diff`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// Every change, ordered: those with a HEAD position by it, then those gone from HEAD by
    /// their BASE position; ties by code and id.
    pub changes: Vec<Change>,
    /// What HEAD adds.
    pub added: Added,
}

impl Diff {
    /// Whether no change fails the diff (HEAD's own rule violations are the caller's to add).
    pub fn ok(&self) -> bool {
        !self.changes.iter().any(Change::fails)
    }
}

/// Checks BASE and HEAD, the two at once on two threads (where a second thread can be had, else
/// one after the other): what `orbit diff` does before [`diff`].
pub fn check_both(base: &str, head: &str) -> (crate::Checked, crate::Checked) {
    std::thread::scope(|s| {
        match std::thread::Builder::new().spawn_scoped(s, || crate::check(base)) {
            Ok(other) => {
                let h = crate::check(head);
                match other.join() {
                    Ok(b) => (b, h),
                    // The engine does not panic (property tests and fuzzing); should it, the
                    // panic belongs to the caller, as a check on this thread would.
                    Err(p) => std::panic::resume_unwind(p),
                }
            }
            Err(_) => (crate::check(base), crate::check(head)),
        }
    })
}

/// Compares BASE with HEAD. Both may hold rule violations: the partial models are compared as
/// far as they are sound. Runs in time linear in the two manifests (hash look-ups throughout).
pub fn diff(base: Side<'_>, head: Side<'_>) -> Diff {
    let mut cx = Cx {
        base,
        head,
        base_index: None,
        head_index: None,
        changes: Vec::new(),
    };
    cx.endpoints();
    cx.resources();
    cx.environments();
    cx.blocks();
    cx.retired();
    cx.flows();
    cx.events();
    cx.steps();
    cx.waivers();
    let mut changes = cx.changes;
    changes.sort_by(|a, b| {
        let key = |c: &Change| {
            (
                c.head.as_ref().map_or(usize::MAX, |p| p.span.start),
                c.base.as_ref().map_or(usize::MAX, |p| p.span.start),
                c.code,
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    Diff {
        changes,
        added: added(base.manifest, head.manifest),
    }
}

struct Cx<'a> {
    base: Side<'a>,
    head: Side<'a>,
    base_index: Option<LineIndex<'a>>,
    head_index: Option<LineIndex<'a>>,
    changes: Vec<Change>,
}

/// "`a`, `b` and `c`".
fn and_list(items: &[String]) -> String {
    let mut out = String::new();
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " and " } else { ", " });
        }
        let _ = write!(out, "`{s}`");
    }
    out
}

fn waiver_hint(code: Code, id: &str) -> String {
    format!("or, if the change is deliberate, add a `[[waiver]]` with `code = \"{code}\"`, `id = \"{id}\"` and the `reason`")
}

impl<'a> Cx<'a> {
    fn position(&mut self, head: bool, span: &Span) -> Position {
        let (side, slot) = if head {
            (self.head, &mut self.head_index)
        } else {
            (self.base, &mut self.base_index)
        };
        let index = slot.get_or_insert_with(|| LineIndex::new(side.source));
        let (line, column) = index.line_col(span.start);
        Position {
            span: span.clone(),
            line,
            column,
        }
    }

    fn push(
        &mut self,
        code: Code,
        id: String,
        message: String,
        help: Option<String>,
        head: Option<&Span>,
        base: Option<&Span>,
    ) {
        let head = head.map(|s| self.position(true, s));
        let base = base.map(|s| self.position(false, s));
        self.changes.push(Change {
            code,
            id,
            message,
            help,
            head,
            base,
            waived: None,
        });
    }

    /// ORB801: a MID or RID gone from HEAD and not retired there.
    fn endpoints(&mut self) {
        let (b, h) = (self.base.manifest, self.head.manifest);
        let retired: BTreeSet<Endpoint> = h.orbit.retired.iter().copied().collect();
        // New ids by their descriptive name, to spot renames.
        let mut new_mids: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for m in &h.microservices {
            if b.microservice(m.id).is_none() {
                new_mids.entry(&m.name).or_default().push(m.id.to_string());
            }
        }
        let mut new_rids: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for r in &h.resources {
            if b.resource(r.id).is_none() {
                new_rids.entry(&r.name).or_default().push(r.id.to_string());
            }
        }
        let gone_mids = b
            .microservices
            .iter()
            .filter(|m| h.microservice(m.id).is_none())
            .map(|m| {
                (
                    Endpoint::Mid(m.id),
                    "MID",
                    "microservice",
                    &m.name,
                    &m.span,
                    &new_mids,
                )
            });
        let gone_rids = b
            .resources
            .iter()
            .filter(|r| h.resource(r.id).is_none())
            .map(|r| {
                (
                    Endpoint::Rid(r.id),
                    "RID",
                    "resource",
                    &r.name,
                    &r.span,
                    &new_rids,
                )
            });
        let gone: Vec<_> = gone_mids.chain(gone_rids).collect();
        for (ep, kind, table, name, span, renamed) in gone {
            // Retired, or still declared in a table too broken for the model (its own errors
            // say what is wrong there).
            if retired.contains(&ep) || h.declares(table, &ep.to_string()) {
                continue;
            }
            let id = ep.to_string();
            let what = match ep {
                Endpoint::Mid(_) => "its microservice's logs and tracking data",
                Endpoint::Rid(_) => "its tables, buckets and databases",
            };
            let mut help = format!(
                "add `\"{id}\"` to `retired` in `[orbit]` so that it is never declared again ({what} keep its name), or keep `[{table}.{id}]`"
            );
            if let Some(to) = renamed.get(name.as_str()) {
                help = format!(
                    "this looks like a rename to {}, which has the same name `{name}`: {help}",
                    and_list(to)
                );
            }
            self.push(
                Code::Orb801,
                id.clone(),
                format!("{kind} `{id}` is no longer declared, and it is not retired"),
                Some(help),
                None,
                Some(span),
            );
        }
    }

    /// ORB802: a resource in both derives another physical name in an environment in both.
    fn resources(&mut self) {
        let (b, h) = (self.base.manifest, self.head.manifest);
        let head_envs: BTreeSet<&str> = h.environments.iter().map(|e| e.code.as_str()).collect();
        for hr in &h.resources {
            let Some(br) = b.resource(hr.id) else {
                continue;
            };
            // A physical name derives from the kind, the name, the serial (flow and id) and the
            // cloud: the names are compared only where one of those changed.
            if br.kind == hr.kind
                && br.name == hr.name
                && br.flow == hr.flow
                && b.orbit.cloud == h.orbit.cloud
            {
                continue;
            }
            let mut renamed = Vec::new();
            for env in &b.environments {
                if !head_envs.contains(env.code.as_str()) {
                    continue;
                }
                let (Some(old), Some(new)) = (
                    b.physical_name(br, &env.code),
                    h.physical_name(hr, &env.code),
                ) else {
                    continue; // a side too broken to derive a name: its own errors say why
                };
                if old != new {
                    renamed.push(format!("{} `{old}` → `{new}`", env.code));
                }
            }
            if renamed.is_empty() {
                continue;
            }
            let mut why = Vec::new();
            if br.name != hr.name {
                why.push(format!(
                    "its `name` changed from `{}` to `{}`",
                    br.name, hr.name
                ));
            }
            if br.kind != hr.kind {
                why.push(format!(
                    "its `kind` changed from `{}` to `{}`",
                    br.kind.as_str(),
                    hr.kind.as_str()
                ));
            }
            if br.flow != hr.flow {
                let show =
                    |f: Option<crate::id::FlowId>| f.map_or("none".into(), |f| f.to_string());
                why.push(format!(
                    "its flow changed from `{}` to `{}`",
                    show(br.flow),
                    show(hr.flow)
                ));
            }
            if b.orbit.cloud != h.orbit.cloud {
                why.push(format!(
                    "the cloud changed from `{}` to `{}`",
                    b.orbit.cloud, h.orbit.cloud
                ));
            }
            let id = hr.id.to_string();
            let mut help = String::new();
            if br.name != hr.name {
                let _ = write!(help, "keep `name = \"{}\"`, ", br.name);
            } else if br.kind != hr.kind {
                let _ = write!(help, "keep `kind = \"{}\"`, ", br.kind.as_str());
            } else {
                help.push_str("restore what the name derives from, ");
            }
            let _ = write!(
                help,
                "declare the new resource under a new RID (`orbit next rid`) and retire `{id}`, {}",
                waiver_hint(Code::Orb802, &id)
            );
            let message = format!(
                "resource `{id}` derives other physical names{}: {}; the existing ones are orphaned",
                if why.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", why.join(", "))
                },
                renamed.join(", ")
            );
            self.push(
                Code::Orb802,
                id,
                message,
                Some(help),
                Some(&hr.span),
                Some(&br.span),
            );
        }
    }

    /// ORB803: an environment gone from HEAD.
    fn environments(&mut self) {
        let (b, h) = (self.base.manifest, self.head.manifest);
        let head_envs: BTreeSet<&str> = h.environments.iter().map(|e| e.code.as_str()).collect();
        for env in &b.environments {
            if head_envs.contains(env.code.as_str()) || h.declares("environment", &env.code) {
                continue;
            }
            let code = env.code.clone();
            self.push(
                Code::Orb803,
                code.clone(),
                format!(
                    "environment `{code}` is no longer declared: the names of its tables, buckets, databases and repositories no longer derive"
                ),
                Some(format!(
                    "keep `[environment.{code}]` while anything of `{code}` exists, {}",
                    waiver_hint(Code::Orb803, &code)
                )),
                None,
                Some(&env.span),
            );
        }
    }

    /// ORB804: a component's blocks in a flow that both declare changed.
    fn blocks(&mut self) {
        let (b, h) = (self.base.manifest, self.head.manifest);
        // One finding per component, however many flows it moved in.
        let mut moved: BTreeMap<crate::id::ComponentId, (Vec<String>, Span, Span)> =
            BTreeMap::new();
        for bf in &b.flows {
            let Some(hf) = h.flow(bf.id) else {
                continue; // ORB806
            };
            for (k, &c) in bf.components.iter().enumerate() {
                let old = crate::id::blocks(k as u8 + 1);
                let what = match hf.components.iter().position(|&x| x == c) {
                    Some(j) if j == k => continue,
                    Some(j) => {
                        let new = crate::id::blocks(j as u8 + 1);
                        format!(
                            "in `{}` it moved from position {} (blocks {}) to position {} (blocks {})",
                            bf.id,
                            k + 1,
                            blocks_text(old),
                            j + 1,
                            blocks_text(new)
                        )
                    }
                    None => format!(
                        "it left `{}`, which held its blocks {}",
                        bf.id,
                        blocks_text(old)
                    ),
                };
                moved
                    .entry(c)
                    .or_insert_with(|| (Vec::new(), hf.span.clone(), bf.span.clone()))
                    .0
                    .push(what);
            }
        }
        for (c, (what, hspan, bspan)) in moved {
            let id = c.to_string();
            self.push(
                Code::Orb804,
                id.clone(),
                format!(
                    "the blocks of component `{id}` changed: {}",
                    what.join("; ")
                ),
                Some(format!(
                    "keep the order of `components` and append new components at the end, {}",
                    waiver_hint(Code::Orb804, &id)
                )),
                Some(&hspan),
                Some(&bspan),
            );
        }
    }

    /// ORB805: an id no longer retired.
    fn retired(&mut self) {
        let (b, h) = (self.base.manifest, self.head.manifest);
        let now: BTreeSet<Endpoint> = h.orbit.retired.iter().copied().collect();
        let gone: Vec<(Endpoint, Span)> = b
            .orbit
            .retired
            .iter()
            .zip(&b.orbit.retired_spans)
            .filter(|(e, _)| !now.contains(e))
            .map(|(e, s)| (*e, s.clone()))
            .collect();
        for (ep, span) in gone {
            let id = ep.to_string();
            let declared = h.has_endpoint(ep);
            self.push(
                Code::Orb805,
                id.clone(),
                if declared {
                    format!("`{id}` is no longer retired, and HEAD declares it again: new code would point at the data its old use left")
                } else {
                    format!("`{id}` is no longer retired: it could be declared again and point new code at old data")
                },
                Some(format!(
                    "keep `\"{id}\"` in `retired`{}",
                    if declared {
                        " and declare the new entry under the next free id (`orbit next`)"
                    } else {
                        ""
                    }
                )),
                None,
                Some(&span),
            );
        }
    }

    /// ORB806: a flow gone from HEAD.
    fn flows(&mut self) {
        let (b, h) = (self.base.manifest, self.head.manifest);
        for bf in &b.flows {
            if h.flow(bf.id).is_some() || h.declares("flow", &bf.id.to_string()) {
                continue;
            }
            let id = bf.id.to_string();
            self.push(
                Code::Orb806,
                id.clone(),
                format!(
                    "flow `{id}` is no longer declared: the names of its repositories (`{id}-infrastructure-rep-…` and five more per environment) no longer derive"
                ),
                Some(format!(
                    "keep `[flow.{id}]` while its repositories exist, {}",
                    waiver_hint(Code::Orb806, &id)
                )),
                None,
                Some(&bf.span),
            );
        }
    }

    /// ORB807 (an event or a field gone) and ORB808 (its producer or sink changed).
    fn events(&mut self) {
        let (b, h) = (self.base.manifest, self.head.manifest);
        for be in &b.events {
            let name = be.name.clone();
            let Some(he) = h.event(&be.name) else {
                if h.declares("event", &be.name) {
                    continue; // in HEAD, but broken: its own errors say why
                }
                self.push(
                    Code::Orb807,
                    name.clone(),
                    format!("event `{name}` is no longer declared: consumers of its log entries lose it"),
                    Some(format!(
                        "keep `[event.{name}]`, {}",
                        waiver_hint(Code::Orb807, &name)
                    )),
                    None,
                    Some(&be.span),
                );
                continue;
            };
            let gone: Vec<String> = be
                .fields
                .iter()
                .filter(|f| !he.fields.contains(f))
                .cloned()
                .collect();
            if !gone.is_empty() {
                let added: Vec<String> = he
                    .fields
                    .iter()
                    .filter(|f| !be.fields.contains(f))
                    .cloned()
                    .collect();
                let mut help = format!(
                    "keep the field{} and add new ones after them",
                    if gone.len() == 1 { "" } else { "s" }
                );
                if !added.is_empty() {
                    let _ = write!(
                        help,
                        " ({} look{} like a rename)",
                        and_list(&added),
                        if added.len() == 1 { "s" } else { "" }
                    );
                }
                let _ = write!(help, ", {}", waiver_hint(Code::Orb807, &name));
                self.push(
                    Code::Orb807,
                    name.clone(),
                    format!(
                        "event `{name}` lost the field{} {}: consumers of its log entries read {} no more",
                        if gone.len() == 1 { "" } else { "s" },
                        and_list(&gone),
                        if gone.len() == 1 { "it" } else { "them" }
                    ),
                    Some(help),
                    Some(&he.span),
                    Some(&be.span),
                );
            }
            let mut what = Vec::new();
            if be.mid != he.mid {
                what.push(format!(
                    "its producer `mid` from `{}` to `{}`",
                    be.mid, he.mid
                ));
            }
            if be.rid != he.rid {
                what.push(format!("its sink `rid` from `{}` to `{}`", be.rid, he.rid));
            }
            if !what.is_empty() {
                self.push(
                    Code::Orb808,
                    name.clone(),
                    format!("event `{name}` changed {}", what.join(" and ")),
                    Some(format!(
                        "make sure the entries' consumers read the new {}; {}",
                        if be.rid != he.rid { "sink" } else { "producer" },
                        waiver_hint(Code::Orb808, &name).trim_start_matches("or, ")
                    )),
                    Some(&he.span),
                    Some(&be.span),
                );
            }
        }
    }

    /// ORB809: a PID of BASE that is a part of no leg in HEAD.
    fn steps(&mut self) {
        let (b, h) = (self.base.manifest, self.head.manifest);
        // HEAD's new PIDs by their start and end, to spot a renumbered step.
        let mut by_ends: BTreeMap<(Endpoint, Endpoint), Vec<String>> = BTreeMap::new();
        for (_, p) in h.processes() {
            if b.process(p.pid).is_none() {
                by_ends
                    .entry((p.pid.start, p.pid.end))
                    .or_default()
                    .push(p.pid.to_string());
            }
        }
        let gone: Vec<(Pid, String, Span)> = b
            .processes()
            .filter(|(_, p)| h.process(p.pid).is_none() && !h.declares("part", &p.pid.to_string()))
            .map(|(l, p)| (p.pid, l.name.clone(), p.span.clone()))
            .collect();
        for (pid, leg, span) in gone {
            let id = pid.to_string();
            let help = match by_ends.get(&(pid.start, pid.end)) {
                Some(to) => format!(
                    "this looks like a renumbering to {}: tracking data recorded under `{id}` is no longer matched; keep the old execution order, or add a waiver",
                    and_list(to)
                ),
                None => format!(
                    "tracking data recorded under `{id}` is no longer matched; keep the part, or add a `[[waiver]]` with `code = \"ORB809\"`, `id = \"{id}\"` and the `reason`"
                ),
            };
            self.push(
                Code::Orb809,
                id.clone(),
                format!("step `{id}` of leg `{leg}` is no longer a part of any leg"),
                Some(help),
                None,
                Some(&span),
            );
        }
    }

    /// Marks the waived changes; ORB890 for each waiver that matches none.
    fn waivers(&mut self) {
        let h = self.head.manifest;
        let mut used = vec![false; h.waivers.len()];
        for c in &mut self.changes {
            if let Some(i) = h
                .waivers
                .iter()
                .position(|w| w.code == c.code && w.id == c.id)
            {
                used[i] = true;
                c.waived = Some(h.waivers[i].reason.clone());
            }
        }
        for (w, used) in h.waivers.iter().zip(used) {
            if used {
                continue;
            }
            self.push(
                Code::Orb890,
                w.id.clone(),
                format!(
                    "the waiver of {} for `{}` matches no change",
                    w.code, w.id
                ),
                Some("remove the waiver: the change it was written for is no longer in this diff (or check its `code` and `id`)".into()),
                Some(&w.span),
                None,
            );
        }
    }
}

fn blocks_text(b: [u8; 4]) -> String {
    format!("{}, {}, {}, {}", b[0], b[1], b[2], b[3])
}

/// What HEAD declares that BASE does not.
fn added(b: &Manifest, h: &Manifest) -> Added {
    let mut a = Added {
        mids: h
            .microservices
            .iter()
            .filter(|m| b.microservice(m.id).is_none())
            .map(|m| m.id.to_string())
            .collect(),
        rids: h
            .resources
            .iter()
            .filter(|r| b.resource(r.id).is_none())
            .map(|r| r.id.to_string())
            .collect(),
        pids: h
            .processes()
            .filter(|(_, p)| b.process(p.pid).is_none())
            .map(|(_, p)| p.pid.to_string())
            .collect(),
        environments: h
            .environments
            .iter()
            .filter(|e| !b.environments.iter().any(|x| x.code == e.code))
            .map(|e| e.code.clone())
            .collect(),
        flows: h
            .flows
            .iter()
            .filter(|f| b.flow(f.id).is_none())
            .map(|f| f.id.to_string())
            .collect(),
        components: h
            .components
            .iter()
            .filter(|c| b.component(c.id).is_none())
            .map(|c| c.id.to_string())
            .collect(),
        events: h
            .events
            .iter()
            .filter(|e| b.event(&e.name).is_none())
            .map(|e| e.name.clone())
            .collect(),
        fields: Vec::new(),
    };
    for he in &h.events {
        if let Some(be) = b.event(&he.name) {
            for f in &he.fields {
                if !be.fields.contains(f) {
                    a.fields.push(format!("{}.{f}", he.name));
                }
            }
        }
    }
    a
}
