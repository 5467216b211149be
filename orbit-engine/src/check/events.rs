//! Events: kebab-case names (ORB601), a declared producer and sink (ORB602), valid fields
//! (ORB603).

use super::*;

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
