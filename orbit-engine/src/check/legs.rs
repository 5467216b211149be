//! Legs and their steps: the PID's form (ORB501), declared ends (ORB502), the step of 5
//! (ORB503), increasing orders (ORB504), each PID once (ORB505), the leg's flow (ORB506) and at
//! least one part (ORB507).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB501: malformed PID.
pub(crate) const ORB501: Rule = Rule {
    code: Code::Orb501,
    home: module_path!(),
    checks: "Every `pid` of a leg's parts has the form `<start>-<end>-e<NN>`: lowercase, \
             three parts joined by `-`, start and end each a well-formed MID (`c8fms03`) or RID \
             (`c20bre06`), and an execution order of `e` followed by a positive number of at most \
             999, written with two digits below 100 (`e05`, never `e5` or `e005`) and three from \
             100. A PID that breaks any of these is reported with what is wrong and, when there \
             is one, the corrected PID.",
    origin: Origin::Conventions(
        "A Process ID follows the format: `<start-resource>-<end-resource>-e<execution_order>`. … \
         The numbers increment by 5 (e.g., `e05`, `e10`, `e15`, `e20`, etc.).",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms06-e5" }]
"#,
    ),
    fixed: Excerpt::manifest(
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

/// ORB502: PID start or end is not a declared MID or RID.
pub(crate) const ORB502: Rule = Rule {
    code: Code::Orb502,
    home: module_path!(),
    checks: "The start and the end of every PID are declared: a MID as a `[microservice.…]`, \
             a RID as a `[resource.…]`. Each end that is not declared is reported on its own, with \
             the nearest declared ids as suggestions; declare it, or correct the PID. An end \
             whose declaration exists but has errors of its own is not reported again here \
             (those errors are), and the part is left out of the leg until they are fixed.",
    origin: Origin::Conventions(
        "The `<start-resource>` and `<end-resource>` portions of the PID represent the starting \
         and ending resources for a given process step. Critically, these resource identifiers \
         utilize the Microservice Identification (MID) convention for microservices and the \
         Resource Identification (RID) convention for backend resources.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms09-e05" }]
"#,
    ),
    fixed: Excerpt::manifest(
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

/// ORB503: execution order not a multiple of 5 and not `inserted`.
pub(crate) const ORB503: Rule = Rule {
    code: Code::Orb503,
    home: module_path!(),
    checks: "A PID's execution order is a multiple of 5 (`e05`, `e10`, `e15` …). The numbers in \
             between are reserved slots for steps added later: a part may use one only when it \
             says `inserted = true`. Otherwise the order is reported, with the multiples of 5 on \
             either side as suggestions.",
    origin: Origin::Conventions(
        "The numbers increment by 5 (e.g., `e05`, `e10`, `e15`, `e20`, etc.). This consistent \
         increment allows for future insertions of new steps without requiring renumbering of \
         existing PIDs.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [
  { pid = "c8fms03-c8bms06-e05" },
  { pid = "c8bms06-c8fms03-e07" },
]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [
  { pid = "c8fms03-c8bms06-e05" },
  { pid = "c8bms06-c8fms03-e10" },
]
"#,
    ),
};

/// ORB504: execution orders in a leg not strictly increasing in listed order.
pub(crate) const ORB504: Rule = Rule {
    code: Code::Orb504,
    home: module_path!(),
    checks: "The parts of a leg are listed in execution order: each part's order is greater than \
             that of the part listed before it. A part whose order is lower than or equal to the \
             previous one's (even with other start and end ids) is reported; list the parts in \
             execution order, or renumber it.",
    origin: Origin::Conventions(
        "The `-e<execution_order>` portion of the PID indicates the sequence of execution for \
         the process step. … The first step in the Leg would be `e05`, the second `e10`, and so on.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [
  { pid = "c8fms03-c8bms06-e10" },
  { pid = "c8bms06-c8fms03-e05" },
]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [
  { pid = "c8fms03-c8bms06-e05" },
  { pid = "c8bms06-c8fms03-e10" },
]
"#,
    ),
};

/// ORB505: PID declared more than once.
pub(crate) const ORB505: Rule = Rule {
    code: Code::Orb505,
    home: module_path!(),
    checks: "A PID is unique in the whole manifest: the same start, end and execution order may \
             be a part of one leg only, once. Every repetition after the first, in the same leg \
             or in another, is reported with where the first is; renumber one of them.",
    origin: Origin::Conventions(
        "A \"Process ID\" is a unique identifier assigned to each step or operation (Part) \
         within a flow.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms06-e05" }]

[leg.search]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms06-e05" }]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = [{ pid = "c8fms03-c8bms06-e05" }]

[leg.search]
flow = "flow-4"
parts = [{ pid = "c8bms06-c8fms03-e05" }]
"#,
    ),
};

/// ORB506: leg's flow not declared.
pub(crate) const ORB506: Rule = Rule {
    code: Code::Orb506,
    home: module_path!(),
    checks: "A leg's `flow` names a flow the manifest declares as `[flow.…]`. A well-formed flow \
             id that no flow has is reported, with the nearest declared flows as suggestions \
             (a malformed one, such as `flow4`, is ORB101). Declare the flow, or correct the name.",
    origin: Origin::Conventions(
        "A \"Flow\" represents a complete sequence of actions or operations, spanning multiple \
         Legs.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-8"
parts = [{ pid = "c8fms03-c8bms06-e05" }]
"#,
    ),
    fixed: Excerpt::manifest(
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

/// ORB507: leg without parts.
pub(crate) const ORB507: Rule = Rule {
    code: Code::Orb507,
    home: module_path!(),
    checks: "A leg lists at least one part: `parts = []` is reported. List the leg's process \
             steps as `{ pid = \"<start>-<end>-e05\" }`, or remove the leg. (A leg with no \
             `parts` key at all is ORB003, a missing required key.)",
    origin: Origin::Reason(
        "A leg is a stage of a flow broken down into parts, each a process step with its PID; \
         a leg without parts declares no step to track.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Upload Board"

[microservice.c8bms06]
name = "Upload Logic"

[leg.upload]
flow = "flow-4"
parts = []
"#,
    ),
    fixed: Excerpt::manifest(
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

impl Cx<'_> {
    pub(super) fn legs(&mut self, v: Value<'_, '_>) {
        let Some(all) = self.table(v, "`[leg]`") else {
            return;
        };
        let mids: HashSet<Mid> = self.manifest.microservices.iter().map(|m| m.id).collect();
        let rids: HashSet<Rid> = self.manifest.resources.iter().map(|r| r.id).collect();
        let flows: HashSet<FlowId> = self.manifest.flows.iter().map(|f| f.id).collect();
        let flow_names: Vec<String> = self
            .manifest
            .flows
            .iter()
            .map(|f| f.id.to_string())
            .collect();
        let mut names: Option<(Vec<String>, Vec<String>)> = None;
        let mut seen: HashMap<Pid, Range<usize>> = HashMap::default();
        let mut out = Vec::new();
        for (key, kspan, lv) in all.in_order() {
            if !is_kebab(key) {
                let fixed = kebab_of(key);
                self.push(
                    Diagnostic::new(
                        Code::Orb003,
                        kspan.clone(),
                        format!("leg name `{key}` is not kebab-case"),
                    )
                    .with_help_opt(is_kebab(&fixed).then(|| format!("write `[leg.{fixed}]`"))),
                );
                continue;
            }
            let Some(e) = self.table(lv, format_args!("`[leg.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::LEG, "a leg");
            let what = format!("leg `{key}`");
            let flow = self.req_str(&e, "flow", &what, "\"flow-4\"");
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let flow = match flow {
                Some((text, span)) => match text.parse::<FlowId>() {
                    Ok(f) if flows.contains(&f) => Some(f),
                    Ok(f) => {
                        let near =
                            suggest::nearest(&text, flow_names.iter().map(String::as_str), 3);
                        self.push(
                            Diagnostic::new(
                                Code::Orb506,
                                span,
                                format!("leg `{key}` belongs to `{f}`, which is not declared"),
                            )
                            .with_help(suggest::declare_or(&format!("[flow.{f}]"), &near)),
                        );
                        None
                    }
                    Err(err) => {
                        self.id_error(Code::Orb101, span, &text, &err);
                        None
                    }
                },
                None => None,
            };
            let mut parts = Vec::new();
            match e.get("parts") {
                None => self.missing(
                    e.span.clone(),
                    "parts",
                    &what,
                    "[{ pid = \"c8fms03-c20bre06-e05\" }]",
                ),
                Some((_, _, pv)) => match pv.get() {
                    Ref::Array(items) if items.is_empty() => self.push(
                        Diagnostic::new(
                            Code::Orb507,
                            pv.span(),
                            format!("leg `{key}` has no parts"),
                        )
                        .with_help(
                            "list its process steps: `parts = [{ pid = \"<start>-<end>-e05\" }]`",
                        ),
                    ),
                    Ref::Array(items) => {
                        let mut last: Option<(u16, Range<usize>)> = None;
                        for item in items.iter() {
                            let Some(pe) = self.table(item, format_args!("a part of leg `{key}`"))
                            else {
                                continue;
                            };
                            self.known_keys(&pe, keys::PART, "a part");
                            let Some((text, pspan)) = self.req_str(
                                &pe,
                                "pid",
                                format_args!("a part of leg `{key}`"),
                                "\"c8fms03-c20bre06-e05\"",
                            ) else {
                                continue;
                            };
                            let pdoc = self.opt_str(&pe, "doc").map(|s| s.0);
                            let actions = self.strings(&pe, "actions");
                            let inserted = self.opt_bool(&pe, "inserted");
                            // The value span includes its quotes.
                            let inner =
                                pspan.start + 1..pspan.end.saturating_sub(1).max(pspan.start + 1);
                            let pid = match text.parse::<Pid>() {
                                Ok(p) => p,
                                Err(err) => {
                                    self.id_error(Code::Orb501, inner, &text, &err);
                                    continue;
                                }
                            };
                            let mut sound = true;
                            let mut offset = inner.start;
                            for ep in [pid.start, pid.end] {
                                let len = endpoint_len(ep);
                                let span = offset..offset + len;
                                offset += len + 1;
                                let ok = match ep {
                                    Endpoint::Mid(m) => mids.contains(&m),
                                    Endpoint::Rid(r) => rids.contains(&r),
                                };
                                if !ok {
                                    sound = false;
                                }
                                if !ok && !self.declared.contains(&ep) {
                                    let txt = ep.to_string();
                                    let (mn, rn) =
                                        names.get_or_insert_with(|| self.endpoint_names());
                                    let (pool, kind, table) = match ep {
                                        Endpoint::Mid(_) => (&*mn, "MID", "microservice"),
                                        Endpoint::Rid(_) => (&*rn, "RID", "resource"),
                                    };
                                    let near =
                                        suggest::nearest(&txt, pool.iter().map(String::as_str), 3);
                                    self.push(
                                        Diagnostic::new(
                                            Code::Orb502,
                                            span,
                                            format!("`{txt}` in `{pid}` is not a declared {kind}"),
                                        )
                                        .with_help(
                                            suggest::declare_or(&format!("[{table}.{txt}]"), &near),
                                        ),
                                    );
                                }
                            }
                            let order_span = inner
                                .end
                                .saturating_sub(decimal_digits(pid.order).max(2) + 1)
                                ..inner.end;
                            if pid.order % 5 != 0 && !inserted {
                                let lo = (pid.order / 5 * 5).max(5);
                                let hi = lo + 5;
                                let lo = if lo > pid.order { 5 } else { lo };
                                self.push(
                                    Diagnostic::new(
                                        Code::Orb503,
                                        order_span.clone(),
                                        format!("execution order {:02} is not a multiple of 5, and the part is not `inserted`", pid.order),
                                    )
                                    .with_label("reserved slot")
                                    .with_help(format!(
                                        "orders step by 5 (e05, e10, …): use e{lo:02} or e{hi:02}; to insert a step deliberately, add `inserted = true`"
                                    )),
                                );
                            }
                            if let Some((prev, prev_span)) = &last {
                                if pid.order <= *prev {
                                    self.push(
                                        Diagnostic::new(
                                            Code::Orb504,
                                            order_span.clone(),
                                            format!(
                                                "execution order e{:02} does not follow e{:02}: orders in leg `{key}` strictly increase",
                                                pid.order, prev
                                            ),
                                        )
                                        .with_related(prev_span.clone(), "previous part")
                                        .with_help("list parts in execution order, or renumber this one"),
                                    );
                                }
                            }
                            last = Some((pid.order, order_span));
                            if let Some(first) = seen.get(&pid) {
                                self.push(
                                    Diagnostic::new(Code::Orb505, inner.clone(), format!("PID `{pid}` is declared more than once"))
                                        .with_related(first.clone(), "first declared here")
                                        .with_help("a PID is unique in the whole manifest; renumber one of them"),
                                );
                                sound = false;
                            } else {
                                seen.insert(pid, inner.clone());
                            }
                            if sound {
                                parts.push(Part {
                                    pid,
                                    doc: pdoc,
                                    actions,
                                    inserted,
                                    span: inner,
                                });
                            }
                        }
                    }
                    _ => self.wrong_type(pv, "parts", "an array of tables `{ pid = … }`"),
                },
            }
            if let Some(flow) = flow {
                out.push(Leg {
                    name: key.to_string(),
                    flow,
                    doc,
                    parts,
                    span: kspan.clone(),
                });
            }
        }
        out.sort_by_key(|l| l.span.start);
        self.manifest.legs = out;
    }
}
