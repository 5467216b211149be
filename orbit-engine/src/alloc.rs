//! Next-free-id allocation: the one implementation of "what number comes next".
//! Here "allocation" means choosing the next free id, never memory allocation.
//!
//! Every allocator follows the same rules (the README's "The conventions, in short"):
//!
//! - numbers follow their step (flows and components 4, MIDs and RIDs 3, execution orders 5);
//! - the next number is the next multiple of the step *above the highest number in use*, never a
//!   gap below it (a gap may be a deleted id whose tables still exist), and retired ids count
//!   as in use;
//! - MIDs of one component share one sequence across `fms` and `bms`;
//! - components stay inside their region's range, flows hold at most 8 components, and
//!   identifiers and execution orders stop at the 3-digit ceiling (999).
//!
//! When nothing is free, the error says why and what to do instead.
//!
//! ```
//! # #[cfg(feature = "manifest")] {
//! use orbit_engine::{alloc, id::{ComponentId, ServiceKind}};
//! let m = orbit_engine::check(r#"
//! [orbit]
//! name = "demo"
//! cloud = "aws"
//! retired = ["c8bms27"]
//! [environment.k8d]
//! name = "development"
//! [region.n-virginia]
//! name = "N. Virginia"
//! components = [1, 100]
//! [flow.flow-4]
//! name = "Portal"
//! components = ["c8"]
//! [component.c8]
//! name = "Portal node"
//! [microservice.c8fms03]
//! name = "Upload Board"
//! "#).into_result().unwrap();
//! // c8bms27 is retired, so it still counts: after it comes c8bms30.
//! let next = alloc::next_mid(&m, ComponentId(8), ServiceKind::Backend).unwrap();
//! assert_eq!(next.to_string(), "c8bms30");
//! # }
//! ```

use std::fmt;

use crate::id::{
    ComponentId, Endpoint, FlowId, Mid, Pid, Rid, ServiceKind, MAX_COMPONENTS_PER_FLOW, MAX_GROUP,
    MAX_NUMBER,
};
use crate::model::Manifest;
use crate::suggest;

/// The next free multiple of `step` above every number in use (never filling a gap below the
/// highest) and above `floor`: the rule behind every allocator here and the checker's "next
/// free" hints.
pub fn next_multiple(used: &[u16], step: u16, floor: u16) -> u16 {
    let top = used.iter().copied().max().unwrap_or(0).max(floor);
    (top / step + 1) * step
}

/// Why no id could be allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocError {
    /// What the new id would belong to (a component, region, flow, leg, MID or RID) is not
    /// declared.
    Unknown {
        /// "component", "region", "flow", "leg", "MID or RID".
        what: &'static str,
        /// The text given.
        text: String,
        /// The nearest declared names, best first.
        nearest: Vec<String>,
    },
    /// Every number is taken (or the container is full).
    Exhausted {
        /// Why nothing is free.
        reason: String,
        /// What to do instead.
        help: String,
    },
}

impl AllocError {
    /// One sentence saying what is wrong.
    pub fn message(&self) -> String {
        match self {
            AllocError::Unknown { what, text, .. } => {
                format!("{what} `{text}` is not declared in the manifest")
            }
            AllocError::Exhausted { reason, .. } => reason.clone(),
        }
    }

    /// What to do.
    pub fn help(&self) -> String {
        match self {
            AllocError::Unknown { nearest, .. } if !nearest.is_empty() => format!(
                "did you mean {}?",
                nearest
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            AllocError::Unknown { what, .. } => format!("declare the {what} first"),
            AllocError::Exhausted { help, .. } => help.clone(),
        }
    }
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (help: {})", self.message(), self.help())
    }
}

impl std::error::Error for AllocError {}

fn unknown<'a>(
    what: &'static str,
    text: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> AllocError {
    AllocError::Unknown {
        what,
        text: text.to_string(),
        nearest: suggest::nearest(text, candidates, 3),
    }
}

/// Retired MIDs and RIDs.
fn retired(m: &Manifest) -> impl Iterator<Item = Endpoint> + '_ {
    m.orbit.retired.iter().copied()
}

/// The next free flow: the next multiple of 4 above the highest flow number in use.
pub fn next_flow(m: &Manifest) -> Result<FlowId, AllocError> {
    let used: Vec<u16> = m.flows.iter().map(|f| f.id.0).collect();
    let next = next_multiple(&used, 4, 0);
    if next > MAX_GROUP {
        return Err(AllocError::Exhausted {
            reason: format!(
                "no flow number is free: the next multiple of 4 after flow-{} is above {MAX_GROUP}",
                used.iter().max().copied().unwrap_or(0)
            ),
            help: "use a reserved slot deliberately with `inserted = true`".into(),
        });
    }
    Ok(FlowId(next))
}

/// Checks that `flow` is declared and can take one more component (at most 8 per flow).
pub fn flow_with_room(m: &Manifest, flow: FlowId) -> Result<(), AllocError> {
    let Some(f) = m.flow(flow) else {
        let names: Vec<String> = m.flows.iter().map(|f| f.id.to_string()).collect();
        return Err(unknown(
            "flow",
            &flow.to_string(),
            names.iter().map(String::as_str),
        ));
    };
    if f.components.len() >= MAX_COMPONENTS_PER_FLOW {
        return Err(AllocError::Exhausted {
            reason: format!(
                "`{flow}` already lists {} components, the most a flow may hold (blocks 3 to 96)",
                f.components.len()
            ),
            help: "add the component to another flow, or allocate a new flow (`orbit next flow`)"
                .into(),
        });
    }
    Ok(())
}

/// The next free component in a region: the next multiple of 4 above the highest component
/// number in use in the region's range (retired MIDs and RIDs keep their component's number
/// in use).
pub fn next_component(m: &Manifest, region: &str) -> Result<ComponentId, AllocError> {
    let Some(r) = m.regions.iter().find(|r| r.key == region) else {
        return Err(unknown(
            "region",
            region,
            m.regions.iter().map(|r| r.key.as_str()),
        ));
    };
    let used: Vec<u16> = m
        .components
        .iter()
        .map(|c| c.id.0)
        .chain(retired(m).map(Endpoint::component))
        .filter(|n| r.components.contains(n))
        .collect();
    let (start, end) = (*r.components.start(), *r.components.end());
    let next = next_multiple(&used, 4, start.saturating_sub(1));
    if next > end {
        let top = used.iter().max().copied();
        return Err(AllocError::Exhausted {
            reason: match top {
                Some(top) => format!(
                    "region `{region}` ({start}–{end}) has no free component number: the highest in use is c{top}, and the next multiple of 4, {next}, is outside the range"
                ),
                None => format!(
                    "region `{region}` ({start}–{end}) holds no multiple of 4"
                ),
            },
            help: "use a reserved slot below the highest with `inserted = true`, or declare the component in another region".into(),
        });
    }
    Ok(ComponentId(next))
}

fn component_declared(m: &Manifest, c: ComponentId) -> Result<(), AllocError> {
    if m.component(c).is_some() {
        return Ok(());
    }
    let names: Vec<String> = m.components.iter().map(|c| c.id.to_string()).collect();
    Err(unknown(
        "component",
        &c.to_string(),
        names.iter().map(String::as_str),
    ))
}

fn next_identifier(used: &[u16], what: &str, owner: ComponentId) -> Result<u16, AllocError> {
    let next = next_multiple(used, 3, 0);
    if next > MAX_NUMBER {
        let top = used.iter().max().copied().unwrap_or(0);
        return Err(AllocError::Exhausted {
            reason: format!(
                "no {what} identifier is free in `{owner}`: the highest in use is {top}, and the next multiple of 3 is above the 3-digit ceiling {MAX_NUMBER}"
            ),
            help: format!(
                "use a reserved slot below {top} deliberately with `inserted = true`, or allocate a new component (`orbit next component --region …`)"
            ),
        });
    }
    Ok(next)
}

/// The next free MID of a component: MIDs share one sequence across `fms` and `bms`, so the
/// number is the next multiple of 3 above every MID of the component, declared or retired.
pub fn next_mid(
    m: &Manifest,
    component: ComponentId,
    kind: ServiceKind,
) -> Result<Mid, AllocError> {
    component_declared(m, component)?;
    let used: Vec<u16> = m
        .microservices_of(component)
        .map(|s| s.id.number)
        .chain(retired(m).filter_map(|e| match e {
            Endpoint::Mid(x) if x.component == component.0 => Some(x.number),
            _ => None,
        }))
        .collect();
    let number = next_identifier(&used, "MID", component)?;
    Ok(Mid {
        component: component.0,
        kind,
        number,
    })
}

/// The next free RID of a component: the next multiple of 3 above every RID of the component,
/// declared or retired.
pub fn next_rid(m: &Manifest, component: ComponentId) -> Result<Rid, AllocError> {
    component_declared(m, component)?;
    let used: Vec<u16> = m
        .resources_of(component)
        .map(|r| r.id.number)
        .chain(retired(m).filter_map(|e| match e {
            Endpoint::Rid(x) if x.component == component.0 => Some(x.number),
            _ => None,
        }))
        .collect();
    let number = next_identifier(&used, "RID", component)?;
    Ok(Rid {
        component: component.0,
        number,
    })
}

/// The next execution order of a leg: the next multiple of 5 above its highest.
pub fn next_order(m: &Manifest, leg: &str) -> Result<u16, AllocError> {
    let Some(l) = m.leg(leg) else {
        return Err(unknown("leg", leg, m.legs.iter().map(|l| l.name.as_str())));
    };
    let used: Vec<u16> = l.parts.iter().map(|p| p.pid.order).collect();
    let next = next_multiple(&used, 5, 0);
    if next > MAX_NUMBER {
        return Err(AllocError::Exhausted {
            reason: format!(
                "leg `{leg}` has no free execution order: its last step is e{}, and the next multiple of 5 is above the 3-digit ceiling {MAX_NUMBER}",
                used.iter().max().copied().unwrap_or(0)
            ),
            help: "insert the step between two others with `inserted = true`, or split the leg".into(),
        });
    }
    Ok(next)
}

/// The next step of a leg from `start` to `end`: a PID whose order is the leg's next free
/// execution order, moved further up (by 5) while that PID is already declared in another leg
/// (a PID is unique in the whole manifest). `start` and `end` must be declared.
pub fn next_step(
    m: &Manifest,
    leg: &str,
    start: Endpoint,
    end: Endpoint,
) -> Result<Pid, AllocError> {
    let mut order = next_order(m, leg)?;
    for e in [start, end] {
        if !m.has_endpoint(e) {
            let names: Vec<String> = m
                .microservices
                .iter()
                .map(|s| s.id.to_string())
                .chain(m.resources.iter().map(|r| r.id.to_string()))
                .collect();
            return Err(unknown(
                "MID or RID",
                &e.to_string(),
                names.iter().map(String::as_str),
            ));
        }
    }
    loop {
        let pid = Pid { start, end, order };
        if m.process(pid).is_none() {
            return Ok(pid);
        }
        order += 5;
        if order > MAX_NUMBER {
            return Err(AllocError::Exhausted {
                reason: format!(
                    "every execution order above the last step of `{leg}` is taken by `{start}-{end}` in other legs, up to the ceiling {MAX_NUMBER}"
                ),
                help: "insert the step with `inserted = true`, or split the leg".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
[orbit]
name = "demo"
cloud = "aws"
retired = ["c8bms27", "c12bre09"]
[environment.k8d]
name = "development"
[region.n-virginia]
name = "N. Virginia"
components = [1, 100]
[region.ohio-k3s-master]
name = "Ohio"
components = [101, 200]
[flow.flow-4]
name = "Portal"
components = ["c8", "c12"]
[flow.flow-8]
name = "Other"
components = ["c104"]
[component.c8]
name = "Portal node"
[component.c12]
name = "Data"
[component.c104]
name = "Master"
[microservice.c8fms03]
name = "A"
[microservice.c8bms06]
name = "B"
[resource.c12bre03]
kind = "s3"
name = "images"
[leg.upload]
flow = "flow-4"
parts = [
  { pid = "c8fms03-c8bms06-e05" },
  { pid = "c8bms06-c12bre03-e10" },
]
[leg.other]
flow = "flow-4"
parts = [
  { pid = "c8fms03-c12bre03-e15" },
]
"#;

    fn manifest(src: &str) -> Manifest {
        let c = crate::check(src);
        assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
        c.manifest
    }

    #[test]
    fn never_fills_gaps_and_counts_retired() {
        let m = manifest(BASE);
        assert_eq!(
            next_mid(&m, ComponentId(8), ServiceKind::Frontend)
                .unwrap()
                .to_string(),
            "c8fms30"
        );
        assert_eq!(
            next_rid(&m, ComponentId(12)).unwrap().to_string(),
            "c12bre12"
        );
        assert_eq!(next_flow(&m).unwrap(), FlowId(12));
        assert_eq!(next_component(&m, "n-virginia").unwrap(), ComponentId(16));
        assert_eq!(
            next_component(&m, "ohio-k3s-master").unwrap(),
            ComponentId(108)
        );
        assert_eq!(next_order(&m, "upload").unwrap(), 15);
    }

    #[test]
    fn pid_unique_across_legs() {
        let m = manifest(BASE);
        let s: Endpoint = "c8fms03".parse().unwrap();
        let e: Endpoint = "c12bre03".parse().unwrap();
        // e15 is taken by leg `other`: the next step of `upload` moves on to e20.
        assert_eq!(
            next_step(&m, "upload", s, e).unwrap().to_string(),
            "c8fms03-c12bre03-e20"
        );
        let bad: Endpoint = "c8bms09".parse().unwrap();
        let err = next_step(&m, "upload", bad, e).unwrap_err();
        assert!(matches!(err, AllocError::Unknown { .. }), "{err}");
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let m = manifest(BASE);
        let err = next_component(&m, "n-virgina").unwrap_err();
        assert_eq!(err.help(), "did you mean `n-virginia`?");
        let err = next_mid(&m, ComponentId(20), ServiceKind::Backend).unwrap_err();
        assert!(
            err.message().contains("component `c20` is not declared"),
            "{err}"
        );
        assert!(next_order(&m, "uplod")
            .unwrap_err()
            .help()
            .contains("`upload`"));
    }

    #[test]
    fn ceilings_say_why() {
        let src = BASE.replace("[microservice.c8bms06]", "[microservice.c8bms999]");
        let src = src.replace("c8bms06", "c8bms999");
        let m = manifest(&src);
        let err = next_mid(&m, ComponentId(8), ServiceKind::Backend).unwrap_err();
        assert!(err.message().contains("3-digit ceiling 999"), "{err}");
        assert!(err.help().contains("inserted = true"), "{err}");

        let src = BASE.replace("components = [101, 200]", "components = [101, 106]");
        let m = manifest(&src);
        let err = next_component(&m, "ohio-k3s-master").unwrap_err();
        assert!(
            err.message().contains("the highest in use is c104"),
            "{err}"
        );

        let full = BASE.replace(
            "components = [\"c8\", \"c12\"]",
            "components = [\"c8\", \"c12\", \"c16\", \"c20\", \"c24\", \"c28\", \"c32\", \"c36\"]",
        );
        let extra: String = [16, 20, 24, 28, 32, 36]
            .iter()
            .map(|n| format!("[component.c{n}]\nname = \"x\"\n"))
            .collect();
        let m = manifest(&format!("{full}{extra}"));
        let err = flow_with_room(&m, FlowId(4)).unwrap_err();
        assert!(
            err.message().contains("already lists 8 components"),
            "{err}"
        );
        assert!(flow_with_room(&m, FlowId(8)).is_ok());
    }
}
