//! Events: kebab-case names (ORB601), a declared producer and sink (ORB602), valid fields
//! (ORB603).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB601: event name not kebab-case.
pub(crate) const ORB601: Rule = Rule {
    code: Code::Orb601,
    home: module_path!(),
    checks: "The name of an `[event.…]` is kebab-case: lowercase letters and digits in words \
             joined by single hyphens, starting with a letter (`transfer-initiated`). Any other \
             name (`TransferInitiated`, `transfer_initiated`, `transfer--initiated`) is reported, \
             with the kebab-case form as a suggestion when there is one.",
    origin: Origin::Reason(
        "An event's name is written into every log entry (`\"event\":\"transfer-initiated\"`) \
         and becomes a constant in the generated code; one spelling, the kebab-case of the \
         conventions document's event table, keeps entries and code in agreement.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.TransferInitiated]
mid = "c8bms18"
rid = "c8bre03"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
"#,
    ),
};

/// ORB602: event's MID or RID not declared.
pub(crate) const ORB602: Rule = Rule {
    code: Code::Orb602,
    home: module_path!(),
    checks: "An event's producer `mid` is a declared `[microservice.…]` and its sink `rid` a \
             declared `[resource.…]`. A well-formed MID or RID that is not declared is reported, \
             with the nearest declared ids as suggestions (a malformed one, or a RID given as \
             `mid`, is ORB301 or ORB401). An id whose declaration exists but has errors of its \
             own is not reported again here.",
    origin: Origin::Reason(
        "Each log entry of an event is written by one microservice to one resource; an event \
         naming an undeclared one points its producer or its consumers at nothing.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms21"
rid = "c8bre03"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
"#,
    ),
};

/// ORB603: event field name invalid, repeated, or reserved (`event`, `timestamp`).
pub(crate) const ORB603: Rule = Rule {
    code: Code::Orb603,
    home: module_path!(),
    checks: "Each name in an event's `fields` starts with a lowercase letter and holds only \
             lowercase letters, digits and `_` (`user`, `image_id`); it is listed once; and it is \
             neither `event` nor `timestamp`, which every log entry already has. Each name that \
             breaks one of these is reported.",
    origin: Origin::Reason(
        "Each field becomes a key of the event's JSON log entry, after `event` and `timestamp`, \
         and a parameter of its generated constructor: it must be a valid name, and distinct.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8bms18]
name = "Portal Transfer Logic"

[resource.c8bre03]
kind = "dynamodb"
name = "user-event-log"

[event.transfer-initiated]
mid = "c8bms18"
rid = "c8bre03"
fields = ["user", "timestamp"]
"#,
    ),
    fixed: Excerpt::manifest(
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
    ),
};

impl Cx<'_> {
    pub(super) fn events(&mut self, v: Value<'_, '_>) {
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

    pub(super) fn event_ref<T>(
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
}
