//! What must outlive a change: the `retired` list (ORB701) and the `[[waiver]]`s of `orbit
//! diff` (ORB702).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB701: malformed entry in `retired`.
pub(crate) const ORB701: Rule = Rule {
    code: Code::Orb701,
    home: module_path!(),
    checks: "Every entry of `retired` in `[orbit]` is a MID or a RID written canonically \
             (`c8bms12`, `c20bre18`). A malformed MID or RID (such as `c8fms3`) is reported with \
             its corrected form when there is one; any other id (a component, a flow, a PID) is \
             reported too, since only MIDs and RIDs are retired.",
    origin: Origin::Reason(
        "`retired` lists the ids whose persistent names must never derive again; an entry that \
         is not exactly a MID or a RID protects nothing.",
    ),
    broken: Excerpt::manifest(
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8fms3"]

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
    fixed: Excerpt::manifest(
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8fms03"]

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

/// ORB702: malformed `[[waiver]]`: code not an ORB8xx code, empty `id` or `reason`.
pub(crate) const ORB702: Rule = Rule {
    code: Code::Orb702,
    home: module_path!(),
    checks: "Each `[[waiver]]` names an `orbit diff` code, written exactly as `ORB801` … \
             `ORB890` (a check code such as `ORB303`, an audit code, or a lowercase `orb802` is \
             reported, with the nearest diff codes as suggestions; `ORB890`, the code of a stale \
             waiver, waives nothing and is reported too), and has an `id` and a `reason` that \
             are not empty or only spaces. A waiver with any of these problems \
             waives nothing. (A missing `code`, `id` or `reason` is ORB003.)",
    origin: Origin::Reason(
        "A waiver accepts one deliberate change that `orbit diff` reports, and is reviewed with \
         that change: it must name the change, by its code and id, and say why it is safe.",
    ),
    broken: Excerpt::manifest(
        r#"[[waiver]]
code = "ORB802"
id = "c8bre03"
reason = ""
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[[waiver]]
code = "ORB802"
id = "c8bre03"
reason = "Table renamed with a data migration (OPS-1234)."
"#,
    ),
};

impl Cx<'_> {
    /// ORB701: the `retired` list of `[orbit]`, canonical MIDs and RIDs only. Returns the list
    /// and each entry's span, and records each id's span in `retired`.
    pub(super) fn retired(
        &mut self,
        e: &Entries<'_, '_>,
        retired: &mut HashMap<Endpoint, Range<usize>>,
    ) -> (Vec<Endpoint>, Vec<Range<usize>>) {
        let mut list = Vec::new();
        let mut spans = Vec::new();
        for (text, span) in self.str_array(e, "retired").unwrap_or_default() {
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
        (list, spans)
    }

    /// `[[waiver]]` entries (ORB702): each names an ORB8xx code, an id and a reason.
    pub(super) fn waivers(&mut self, v: Value<'_, '_>) {
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
                    // A waiver of ORB890 (a waiver that matches no change) could only ever
                    // waive itself: the stale waiver is to be removed, not waived.
                    Ok(Code::Orb890) if text == "ORB890" => {
                        self.push(
                            Diagnostic::new(
                                Code::Orb702,
                                span,
                                "waiver code `ORB890` waives nothing: it is the code of a waiver that matches no change",
                            )
                            .with_help("remove the waiver that ORB890 reports instead of waiving it"),
                        );
                        return None;
                    }
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
}

#[cfg(test)]
mod tests {
    use crate::rules::PRELUDE;

    /// A waiver of ORB890 could never match (ORB890 is found after waivers are matched): it
    /// is refused as ORB702 rather than reported as stale on every diff.
    #[test]
    fn a_waiver_of_orb890_is_refused() {
        let text =
            format!("{PRELUDE}\n[[waiver]]\ncode = \"ORB890\"\nid = \"c8bre03\"\nreason = \"x\"\n");
        let checked = crate::check(&text);
        let codes: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["ORB702"], "{:?}", checked.diagnostics);
        assert!(checked.manifest.waivers.is_empty());
        let fine = text.replace("ORB890", "ORB802");
        assert!(crate::check(&fine).is_ok());
    }
}
