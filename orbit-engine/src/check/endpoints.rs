//! MIDs and RIDs, one pass for both: the id's form (ORB301/ORB401), its component declared
//! (ORB302/ORB402), its step of 3 (ORB303/ORB403), one number per component (ORB304) and never
//! a retired id (ORB305/ORB409). [`EndpointId`] holds what differs between the two: the table,
//! the words and the codes.

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB301: malformed MID (wrong type code, padding, case, characters).
pub(crate) const ORB301: Rule = Rule {
    code: Code::Orb301,
    home: module_path!(),
    checks: "Reports a malformed MID, as the key of `[microservice.*]` or as an event's \
             `mid`. A MID is `c`, the component number (1 to 9999, no leading zero), the type \
             code `fms` (frontend) or `bms` (backend), and the identifier: two digits below \
             100 (`03`, never `3` or `003`), three from 100 to 999, never `00`. Capitals, \
             another type code (a RID's `bre` included) and any other character are reported \
             too, with the canonical spelling when it is clear.",
    origin: Origin::Conventions(
        "A Microservice ID follows a specific structure: `c[Component Number][Microservice \
         Type][Functional Identifier]`. For example, `c8fms03` is a typical Microservice ID. … \
         The final part of the Microservice ID is a two-digit or three-digit number serving as \
         a functional identifier.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms3]
name = "Portal Upload Board"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Portal Upload Board"
"#,
    ),
};

/// ORB302: MID's component not declared.
pub(crate) const ORB302: Rule = Rule {
    code: Code::Orb302,
    home: module_path!(),
    checks: "Reports a microservice whose MID names a component that no `[component.*]` \
             declares (`c12bms03` without `[component.c12]`); the help names the nearest \
             declared components. Declare the component (and list it in a flow), or correct \
             the MID's component number.",
    origin: Origin::Conventions(
        "The `c` prefix indicates that this is a Microservice ID. It is followed by the \
         Component Number. For instance, in `c8fms03`, `c8` signifies that this microservice \
         belongs to Component C8.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c12bms03]
name = "Portal Upload Logic"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8bms03]
name = "Portal Upload Logic"
"#,
    ),
};

/// ORB303: MID identifier not a multiple of 3 and not `inserted`.
pub(crate) const ORB303: Rule = Rule {
    code: Code::Orb303,
    home: module_path!(),
    checks: "Reports a microservice whose identifier is not a multiple of 3 (`c8fms04`) \
             unless it says `inserted = true`: identifiers step by 3 (`03`, `06`, `09` …) and \
             the numbers between are reserved, which catches typos such as `c8fms04` for \
             `c8fms03`. The help names the next free identifier of the component; use it, or \
             add `inserted = true` to take the reserved slot on purpose.",
    origin: Origin::Conventions(
        "For example, `c8fms03` and `c8fms09` are both Frontend Microservices within \
         Component C8, but the functional identifiers `03` and `09` distinguish them. The \
         numbers are assigned sequentially as microservices are added to a component.",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms04]
name = "Portal Upload Board"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Portal Upload Board"
"#,
    ),
};

/// ORB304: MID identifier already used by another microservice of that component.
pub(crate) const ORB304: Rule = Rule {
    code: Code::Orb304,
    home: module_path!(),
    checks: "Reports a microservice whose identifier another microservice of the same \
             component already has, at the later declaration: the frontend and backend \
             microservices of one component share one sequence (`c8fms03`, `c8bms06`, \
             `c8fms09` …), so `c8bms03` beside `c8fms03` is reported. Give it the next free \
             identifier, which the help names.",
    origin: Origin::Conventions(
        "The following microservices are currently hosted on the `k8or Portal node`: … \
         `c8fms03` - Portal Upload Board Frontend Microservice … `c8bms06` - Portal Upload \
         Logic Backend Microservice … `c8fms09` - Portal Search Board Frontend Microservice",
    ),
    broken: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Portal Upload Board"

[microservice.c8bms03]
name = "Portal Upload Logic"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[microservice.c8fms03]
name = "Portal Upload Board"

[microservice.c8bms06]
name = "Portal Upload Logic"
"#,
    ),
};

/// ORB305: MID is retired.
pub(crate) const ORB305: Rule = Rule {
    code: Code::Orb305,
    home: module_path!(),
    checks: "Reports a microservice whose MID is listed in `[orbit]` `retired`. A retired \
             MID is never declared again, not even for a new microservice: keep it in \
             `retired` and give the microservice a new MID (`orbit next mid` names the next \
             free one).",
    origin: Origin::Reason(
        "Persistent names, log entries and tracking data derive from ids: a retired MID \
         declared again would point new code at the data of the microservice it once named.",
    ),
    broken: Excerpt::manifest(
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

[microservice.c8fms03]
name = "Portal Upload Board"
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

[microservice.c8fms06]
name = "Portal Upload Board"
"#,
    ),
};

/// ORB401: malformed RID.
pub(crate) const ORB401: Rule = Rule {
    code: Code::Orb401,
    home: module_path!(),
    checks: "Reports a malformed RID, as the key of `[resource.*]` or as an event's `rid`. \
             A RID is `c`, the component number (1 to 9999, no leading zero), the type code \
             `bre` and the identifier: two digits below 100 (`03`, never `3` or `003`), three \
             from 100 to 999, never `00`. Capitals, another type code (a MID's `fms` or `bms` \
             included) and any other character are reported too, with the canonical spelling \
             when it is clear.",
    origin: Origin::Conventions(
        "A Resource ID follows a specific structure: `c[Component Number][Resource \
         Type][Resource Identifier]`. For example, `c20bre03` is a typical Resource ID. … \
         Following the resource type is a two-digit or three-digit numerical identifier.",
    ),
    broken: Excerpt::manifest(
        r#"[resource.c8bre3]
kind = "dynamodb"
name = "user-data"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-data"
"#,
    ),
};

/// ORB402: RID's component not declared.
pub(crate) const ORB402: Rule = Rule {
    code: Code::Orb402,
    home: module_path!(),
    checks: "Reports a resource whose RID names a component that no `[component.*]` \
             declares (`c20bre06` without `[component.c20]`); the help names the nearest \
             declared components. Declare the component (and list it in a flow), or correct \
             the RID's component number.",
    origin: Origin::Conventions(
        "The `c` prefix indicates that this is a Resource ID. It is followed by the Component \
         Number. For instance, in `c20bre03`, `c20` signifies that this resource belongs to \
         Component C20.",
    ),
    broken: Excerpt::manifest(
        r#"[resource.c20bre06]
kind = "dynamodb"
name = "user-input-manifest-data"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[resource.c8bre06]
kind = "dynamodb"
name = "user-input-manifest-data"
"#,
    ),
};

/// ORB403: RID identifier not a multiple of 3 and not `inserted`.
pub(crate) const ORB403: Rule = Rule {
    code: Code::Orb403,
    home: module_path!(),
    checks: "Reports a resource whose identifier is not a multiple of 3 (`c8bre04`) unless \
             it says `inserted = true`: identifiers step by 3 (`03`, `06`, `09` …) and the \
             numbers between are reserved, which catches typos such as `c8bre04` for \
             `c8bre03`. The help names the next free identifier of the component; use it, or \
             add `inserted = true` to take the reserved slot on purpose.",
    origin: Origin::Conventions(
        "For example, `c20bre03` and `c20bre06` are both Backend Resources belonging to \
         Component C20, but the numerical identifiers `03` and `06` distinguish them. The \
         numbers are assigned sequentially as resources are added to a component.",
    ),
    broken: Excerpt::manifest(
        r#"[resource.c8bre04]
kind = "dynamodb"
name = "user-data"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[resource.c8bre03]
kind = "dynamodb"
name = "user-data"
"#,
    ),
};

/// ORB409: RID is retired.
pub(crate) const ORB409: Rule = Rule {
    code: Code::Orb409,
    home: module_path!(),
    checks: "Reports a resource whose RID is listed in `[orbit]` `retired`. A retired RID is \
             never declared again, not even for a new resource: keep it in `retired` and give \
             the resource a new RID (`orbit next rid` names the next free one).",
    origin: Origin::Reason(
        "A resource's physical names derive from its RID: a retired RID declared again would \
         point new code at the table, bucket or database the old resource left behind.",
    ),
    broken: Excerpt::manifest(
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bre03"]

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

[resource.c8bre03]
kind = "dynamodb"
name = "user-data"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bre03"]

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

[resource.c8bre06]
kind = "dynamodb"
name = "user-data"
"#,
    ),
};

/// What tells the MID pass from the RID pass.
pub(super) struct EndpointRules {
    /// The manifest's table, `microservice` or `resource`.
    table: &'static str,
    /// The known keys of one entry.
    keys: &'static [&'static str],
    /// One entry, in messages: "a microservice".
    what: &'static str,
    /// The id's name in messages: "MID".
    noun: &'static str,
    /// The `orbit next` kind that allocates a new one: `mid`.
    next: &'static str,
    /// Malformed id.
    malformed: Code,
    /// The id's component is not declared.
    undeclared_component: Code,
    /// Identifier not a multiple of 3 and not `inserted`.
    reserved_slot: Code,
    /// One identifier used twice in a component. Only MIDs can: `fms` and `bms` share one
    /// sequence, while a RID has one spelling per number.
    taken: Option<Code>,
    /// The id is retired.
    retired: Code,
}

/// A MID or a RID, as the endpoint pass sees it.
pub(super) trait EndpointId:
    Copy + Eq + std::hash::Hash + fmt::Display + std::str::FromStr<Err = IdError>
{
    /// The table, words and codes of this kind.
    const RULES: EndpointRules;
    /// The id as an [`Endpoint`].
    fn endpoint(self) -> Endpoint;
    /// `e`, if it is of this kind.
    fn of(e: Endpoint) -> Option<Self>;
    /// The component number.
    fn component(self) -> u16;
    /// The identifier within the component.
    fn number(self) -> u16;
    /// The id's text before its identifier, `c8fms` or `c20bre`: that of the next free id.
    fn prefix(self) -> String;
}

impl EndpointId for Mid {
    const RULES: EndpointRules = EndpointRules {
        table: "microservice",
        keys: keys::MICROSERVICE,
        what: "a microservice",
        noun: "MID",
        next: "mid",
        malformed: Code::Orb301,
        undeclared_component: Code::Orb302,
        reserved_slot: Code::Orb303,
        taken: Some(Code::Orb304),
        retired: Code::Orb305,
    };
    fn endpoint(self) -> Endpoint {
        Endpoint::Mid(self)
    }
    fn of(e: Endpoint) -> Option<Self> {
        match e {
            Endpoint::Mid(m) => Some(m),
            Endpoint::Rid(_) => None,
        }
    }
    fn component(self) -> u16 {
        self.component
    }
    fn number(self) -> u16 {
        self.number
    }
    fn prefix(self) -> String {
        format!("c{}{}", self.component, self.kind.code())
    }
}

impl EndpointId for Rid {
    const RULES: EndpointRules = EndpointRules {
        table: "resource",
        keys: keys::RESOURCE,
        what: "a resource",
        noun: "RID",
        next: "rid",
        malformed: Code::Orb401,
        undeclared_component: Code::Orb402,
        reserved_slot: Code::Orb403,
        taken: None,
        retired: Code::Orb409,
    };
    fn endpoint(self) -> Endpoint {
        Endpoint::Rid(self)
    }
    fn of(e: Endpoint) -> Option<Self> {
        match e {
            Endpoint::Rid(r) => Some(r),
            Endpoint::Mid(_) => None,
        }
    }
    fn component(self) -> u16 {
        self.component
    }
    fn number(self) -> u16 {
        self.number
    }
    fn prefix(self) -> String {
        format!("c{}bre", self.component)
    }
}

/// An entry of `[microservice]` or `[resource]` whose key is a well-formed id and whose value
/// is a table.
pub(super) struct Declared<T, B> {
    /// The id.
    pub(super) id: T,
    /// The key's span.
    pub(super) span: Range<usize>,
    /// What the kind's own reader made of the entry's keys.
    pub(super) body: B,
    /// `inserted = true`.
    pub(super) inserted: bool,
    /// Whether the endpoint rules leave it sound enough for the model (its component is
    /// declared and its identifier not taken).
    pub(super) sound: bool,
}

impl Cx<'_> {
    /// The endpoint rules over the table `v` of ids of kind `T`. `body` reads each entry's own
    /// keys (after the unknown ones are reported, before `inserted`); the entries come back in
    /// document order.
    pub(super) fn endpoints<T: EndpointId, B>(
        &mut self,
        v: Value<'_, '_>,
        retired: &HashMap<Endpoint, Range<usize>>,
        mut body: impl FnMut(&mut Self, &str, &Entries<'_, '_>) -> B,
    ) -> Vec<Declared<T, B>> {
        let rules = &T::RULES;
        let Some(all) = self.table(v, format_args!("`[{}]`", rules.table)) else {
            return Vec::new();
        };
        let declared = self.declared_components();
        let comp_names: Vec<String> = self
            .manifest
            .components
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        // Identifiers in use per component (for MIDs across fms and bms), retired ones
        // included, for the "next free" hints.
        let mut used: HashMap<u16, Vec<u16>> = HashMap::default();
        for (k, _, _) in all.iter() {
            if let Ok(id) = k.parse::<T>() {
                used.entry(id.component()).or_default().push(id.number());
            }
        }
        for id in retired.keys().filter_map(|e| T::of(*e)) {
            used.entry(id.component()).or_default().push(id.number());
        }
        let next_free = |id: T| {
            let used = used.get(&id.component()).map_or(&[][..], |v| v);
            let mut free = id.prefix();
            let _ = id::write_number(&mut free, next_multiple(used, 3, 0));
            free
        };
        let mut by_number: HashMap<(u16, u16), (T, Range<usize>)> = HashMap::default();
        let mut out = Vec::with_capacity(all.len());
        for (key, kspan, ev) in all.in_order() {
            let id = match key.parse::<T>() {
                Ok(id) => id,
                Err(err) => {
                    self.id_error(rules.malformed, kspan.clone(), key, &err);
                    continue;
                }
            };
            self.declared.insert(id.endpoint());
            let Some(e) = self.table(ev, format_args!("`[{}.{key}]`", rules.table)) else {
                continue;
            };
            self.known_keys(&e, rules.keys, rules.what);
            let body = body(self, key, &e);
            let inserted = self.opt_bool(&e, "inserted");
            let mut sound = true;
            let component = ComponentId(id.component());
            if !declared.contains(&component) {
                sound = false;
                let c = component.to_string();
                let near = suggest::nearest(&c, comp_names.iter().map(String::as_str), 3);
                self.push(
                    Diagnostic::new(
                        rules.undeclared_component,
                        kspan.start..kspan.start + c.len(),
                        format!("`{id}` belongs to component `{c}`, which is not declared"),
                    )
                    .with_help(suggest::declare_or(&format!("[component.{c}]"), &near)),
                );
            }
            if id.number() % 3 != 0 && !inserted {
                self.push(
                    Diagnostic::new(
                        rules.reserved_slot,
                        kspan.clone(),
                        format!(
                            "{} identifier {:02} is not a multiple of 3, and `{id}` is not `inserted`",
                            rules.noun,
                            id.number()
                        ),
                    )
                    .with_label("reserved slot")
                    .with_help(format!(
                        "identifiers step by 3; the next free in c{} is `{}`; to use the reserved slot deliberately, add `inserted = true`",
                        id.component(),
                        next_free(id)
                    )),
                );
            }
            if let Some(code) = rules.taken {
                if let Some((other, first)) = by_number.get(&(id.component(), id.number())) {
                    self.push(
                        Diagnostic::new(
                            code,
                            kspan.clone(),
                            format!(
                                "identifier {:02} of component c{} is already used by `{other}`",
                                id.number(),
                                id.component()
                            ),
                        )
                        .with_related(first.clone(), format!("`{other}` declared here"))
                        .with_help(format!("frontend and backend microservices of one component share one sequence; the next free is `{}`", next_free(id))),
                    );
                    sound = false;
                } else {
                    by_number.insert((id.component(), id.number()), (id, kspan.clone()));
                }
            }
            if let Some(rspan) = retired.get(&id.endpoint()) {
                self.push(
                    Diagnostic::new(rules.retired, kspan.clone(), format!("`{id}` is retired and must not be declared again"))
                        .with_related(rspan.clone(), "retired here")
                        .with_help(format!("persistent names derive from retired ids; allocate a new one (`orbit next {}`)", rules.next)),
                );
            }
            out.push(Declared {
                id,
                span: kspan,
                body,
                inserted,
                sound,
            });
        }
        out
    }

    /// The `[microservice]` table: the endpoint rules, and the model's microservices.
    pub(super) fn microservices(
        &mut self,
        v: Value<'_, '_>,
        retired: &HashMap<Endpoint, Range<usize>>,
    ) {
        let entries = self.endpoints::<Mid, _>(v, retired, |cx, key, e| {
            let name = cx.req_str(
                e,
                "name",
                format_args!("microservice `{key}`"),
                "\"Portal Search Logic\"",
            );
            let roles = cx.strings(e, "roles");
            let doc = cx.opt_str(e, "doc").map(|s| s.0);
            (name, roles, doc)
        });
        let mut out: Vec<Microservice> = entries
            .into_iter()
            .filter(|d| d.sound)
            .map(|d| {
                let (name, roles, doc) = d.body;
                Microservice {
                    id: d.id,
                    name: name.map(|s| s.0).unwrap_or_default(),
                    roles,
                    doc,
                    inserted: d.inserted,
                    span: d.span,
                }
            })
            .collect();
        out.sort_by_key(|m| (m.id.component, m.id.number, m.id.kind));
        self.manifest.microservices = out;
    }

    pub(super) fn endpoint_names(&self) -> (Vec<String>, Vec<String>) {
        let mut mids = Vec::new();
        let mut rids = Vec::new();
        for e in &self.declared {
            match e {
                Endpoint::Mid(_) => mids.push(e.to_string()),
                Endpoint::Rid(_) => rids.push(e.to_string()),
            }
        }
        mids.sort();
        rids.sort();
        (mids, rids)
    }
}
