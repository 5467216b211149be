//! The validated model of a manifest.
//!
//! Produced by [`crate::check`]. Every list is in canonical order (flows and components by
//! number, microservices and resources by component then identifier, environments and legs
//! and events as declared), so everything generated from it is deterministic.

use crate::fxhash::HashMap;
use std::ops::{Range, RangeInclusive};

use crate::id::{self, ComponentId, Endpoint, FlowId, Mid, Pid, RepoKind, ResourceKind, Rid};

/// Byte range of an entry's key (or value) in the manifest text.
pub type Span = Range<usize>;

/// The `[orbit]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Orbit {
    /// The application's name: "k8or Orbit".
    pub name: String,
    /// The cloud code used in every physical name: `aws`.
    pub cloud: String,
    /// Owner of the flow repositories: `k8or-orbit-aws`.
    pub repository_owner: Option<String>,
    /// Branch the repository URLs point at: `k8or-dev`.
    pub repository_branch: Option<String>,
    /// MIDs and RIDs never to be declared again.
    pub retired: Vec<Endpoint>,
    /// Where each entry of `retired` is, in the same order.
    pub retired_spans: Vec<Span>,
    /// Free text.
    pub doc: Option<String>,
}

/// An `[environment.CODE]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Environment {
    /// The code used in physical names: `k8d`.
    pub code: String,
    /// "development".
    pub name: Option<String>,
    /// Free text.
    pub doc: Option<String>,
    /// Where the entry's key is.
    pub span: Span,
}

/// A `[region.KEY]` table: a range of component numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The key: `n-virginia`.
    pub key: String,
    /// "N. Virginia".
    pub name: String,
    /// Inclusive range of component numbers.
    pub components: RangeInclusive<u16>,
    /// Free text.
    pub doc: Option<String>,
    /// Where the entry's key is.
    pub span: Span,
}

/// A `[flow.flow-N]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// `flow-16`.
    pub id: FlowId,
    /// "ChartStore".
    pub name: String,
    /// Free text.
    pub doc: Option<String>,
    /// Components in order; the order fixes their blocks.
    pub components: Vec<ComponentId>,
    /// Uses a reserved slot.
    pub inserted: bool,
    /// Where the entry's key is.
    pub span: Span,
}

impl Flow {
    /// The blocks `component` reserves in this flow, by its position.
    pub fn blocks(&self, component: ComponentId) -> Option<[u8; 4]> {
        let k = self.components.iter().position(|&c| c == component)?;
        Some(id::blocks(k as u8 + 1))
    }
}

/// A `[component.cN]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// `c20`.
    pub id: ComponentId,
    /// "ChartStore data".
    pub name: String,
    /// Free text.
    pub doc: Option<String>,
    /// Uses a reserved slot.
    pub inserted: bool,
    /// Where the entry's key is.
    pub span: Span,
}

/// A `[microservice.MID]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Microservice {
    /// `c8bms18`.
    pub id: Mid,
    /// "Portal Search Logic".
    pub name: String,
    /// Functions it serves: `["search", "transfer"]`.
    pub roles: Vec<String>,
    /// Free text.
    pub doc: Option<String>,
    /// Uses a reserved slot.
    pub inserted: bool,
    /// Where the entry's key is.
    pub span: Span,
}

/// A `[resource.RID]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `c20bre06`.
    pub id: Rid,
    /// DynamoDB, S3 or MySQL.
    pub kind: ResourceKind,
    /// The descriptive name: `user-input-manifest-data`.
    pub name: String,
    /// Free text.
    pub doc: Option<String>,
    /// The flow whose number starts the serial: declared, or the one flow listing the
    /// component. `None` only in a manifest with errors.
    pub flow: Option<FlowId>,
    /// Uses a reserved slot.
    pub inserted: bool,
    /// Where the entry's key is.
    pub span: Span,
}

impl Resource {
    /// The serial: flow number then identifier as written (`1606`).
    pub fn serial(&self) -> Option<String> {
        self.flow.map(|f| id::serial(f, self.id))
    }

    /// The physical name in one environment under one cloud.
    pub fn physical_name(&self, env: &str, cloud: &str) -> Option<String> {
        let serial = self.serial()?;
        Some(id::physical_name(
            self.kind, &self.name, &serial, env, cloud,
        ))
    }
}

/// One part (process step) of a leg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// `c8fms03-c20bre06-e15`.
    pub pid: Pid,
    /// Free text.
    pub doc: Option<String>,
    /// The part's actions, in order.
    pub actions: Vec<String>,
    /// Uses a reserved execution-order slot.
    pub inserted: bool,
    /// Where the pid value is.
    pub span: Span,
}

/// A `[leg.NAME]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg {
    /// `transfer-image`.
    pub name: String,
    /// The flow it belongs to.
    pub flow: FlowId,
    /// Free text.
    pub doc: Option<String>,
    /// Parts in execution order.
    pub parts: Vec<Part>,
    /// Where the entry's key is.
    pub span: Span,
}

/// An `[event.NAME]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// `transfer-initiated`.
    pub name: String,
    /// Free text.
    pub doc: Option<String>,
    /// The producing microservice.
    pub mid: Mid,
    /// The resource it is logged to.
    pub rid: Rid,
    /// Named string fields, in declared order, after `event` and `timestamp`.
    pub fields: Vec<String>,
    /// Where the entry's key is.
    pub span: Span,
}

/// A `[[waiver]]` entry: a change `orbit diff` reports that a reviewer has accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// The ORB8xx code it waives.
    pub code: crate::Code,
    /// The id the change concerns: a MID, RID, environment code, component, flow, event or PID.
    pub id: String,
    /// Why the change is safe (a ticket, a migration).
    pub reason: String,
    /// Where the waiver's `code` value is.
    pub span: Span,
}

/// A flow repository in one environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// The flow.
    pub flow: FlowId,
    /// Which of the six.
    pub kind: RepoKind,
    /// Environment code.
    pub env: String,
    /// `flow-4-infrastructure-rep-k8d-aws`.
    pub name: String,
    /// `https://github.com/<owner>/<name>/tree/<branch>`, when the owner is declared.
    pub url: Option<String>,
}

/// Counts of what a manifest declares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Flows.
    pub flows: usize,
    /// Components.
    pub components: usize,
    /// Microservices (MIDs).
    pub mids: usize,
    /// Resources (RIDs).
    pub rids: usize,
    /// Process steps (PIDs).
    pub pids: usize,
    /// Legs.
    pub legs: usize,
    /// Events.
    pub events: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts = [
            (self.flows, "flow"),
            (self.components, "component"),
            (self.mids, "MID"),
            (self.rids, "RID"),
            (self.pids, "PID"),
            (self.legs, "leg"),
            (self.events, "event"),
        ];
        for (i, (n, what)) in counts.into_iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{n} {what}{}", if n == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

/// The validated model of a manifest.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// The `[orbit]` table.
    pub orbit: Orbit,
    /// Environments, as declared.
    pub environments: Vec<Environment>,
    /// Regions, by range.
    pub regions: Vec<Region>,
    /// Flows, by number.
    pub flows: Vec<Flow>,
    /// Components, by number.
    pub components: Vec<Component>,
    /// Microservices, by component then identifier.
    pub microservices: Vec<Microservice>,
    /// Resources, by component then identifier.
    pub resources: Vec<Resource>,
    /// Legs, as declared.
    pub legs: Vec<Leg>,
    /// Events, as declared.
    pub events: Vec<Event>,
    /// `[[waiver]]` entries, as declared.
    pub waivers: Vec<Waiver>,
    /// In a manifest with errors, the key of every table (`microservice.c8bms27`), sound or
    /// not: an entry can be declared without being in the lists above. Empty when valid.
    pub(crate) declared: crate::fxhash::HashSet<String>,
    pub(crate) index: Index,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    flows: HashMap<FlowId, usize>,
    components: HashMap<ComponentId, usize>,
    mids: HashMap<Mid, usize>,
    rids: HashMap<Rid, usize>,
    pids: HashMap<Pid, (usize, usize)>,
    legs: HashMap<String, usize>,
    events: HashMap<String, usize>,
}

impl Manifest {
    /// Builds the lookup tables; called once the lists are final.
    pub(crate) fn reindex(&mut self) {
        let mut pids = HashMap::default();
        for (li, leg) in self.legs.iter().enumerate() {
            for (pi, p) in leg.parts.iter().enumerate() {
                pids.entry(p.pid).or_insert((li, pi));
            }
        }
        let ix = Index {
            flows: self
                .flows
                .iter()
                .enumerate()
                .map(|(i, f)| (f.id, i))
                .collect(),
            components: self
                .components
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id, i))
                .collect(),
            mids: self
                .microservices
                .iter()
                .enumerate()
                .map(|(i, m)| (m.id, i))
                .collect(),
            rids: self
                .resources
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id, i))
                .collect(),
            pids,
            legs: self
                .legs
                .iter()
                .enumerate()
                .map(|(i, l)| (l.name.clone(), i))
                .collect(),
            events: self
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| (e.name.clone(), i))
                .collect(),
        };
        self.index = ix;
    }

    /// The flow with this id.
    pub fn flow(&self, id: FlowId) -> Option<&Flow> {
        self.index.flows.get(&id).map(|&i| &self.flows[i])
    }

    /// The component with this id.
    pub fn component(&self, id: ComponentId) -> Option<&Component> {
        self.index.components.get(&id).map(|&i| &self.components[i])
    }

    /// The microservice with this MID.
    pub fn microservice(&self, id: Mid) -> Option<&Microservice> {
        self.index.mids.get(&id).map(|&i| &self.microservices[i])
    }

    /// The resource with this RID.
    pub fn resource(&self, id: Rid) -> Option<&Resource> {
        self.index.rids.get(&id).map(|&i| &self.resources[i])
    }

    /// The leg of this name.
    pub fn leg(&self, name: &str) -> Option<&Leg> {
        self.index.legs.get(name).map(|&i| &self.legs[i])
    }

    /// The event of this name.
    pub fn event(&self, name: &str) -> Option<&Event> {
        self.index.events.get(name).map(|&i| &self.events[i])
    }

    /// The leg and part a PID is declared in, with the part's 1-based step number.
    pub fn process(&self, pid: Pid) -> Option<(&Leg, &Part, usize)> {
        let &(li, pi) = self.index.pids.get(&pid)?;
        let leg = &self.legs[li];
        Some((leg, &leg.parts[pi], pi + 1))
    }

    /// Whether the manifest has a table `[family.key]` (`"event"`, `"transfer-initiated"`), even
    /// one too broken to be in the model.
    pub fn declares(&self, family: &str, key: &str) -> bool {
        if self.declared.is_empty() {
            return false;
        }
        let mut k = String::with_capacity(family.len() + 1 + key.len());
        k.push_str(family);
        k.push('.');
        k.push_str(key);
        self.declared.contains(&k)
    }

    /// Whether a MID or RID is declared.
    pub fn has_endpoint(&self, e: Endpoint) -> bool {
        match e {
            Endpoint::Mid(m) => self.index.mids.contains_key(&m),
            Endpoint::Rid(r) => self.index.rids.contains_key(&r),
        }
    }

    /// The region whose range holds a component's number.
    pub fn region_of(&self, c: ComponentId) -> Option<&Region> {
        self.regions.iter().find(|r| r.components.contains(&c.0))
    }

    /// The flows that list a component, by number.
    pub fn flows_of(&self, c: ComponentId) -> impl Iterator<Item = &Flow> {
        self.flows.iter().filter(move |f| f.components.contains(&c))
    }

    /// Microservices of one component.
    pub fn microservices_of(&self, c: ComponentId) -> impl Iterator<Item = &Microservice> {
        self.microservices
            .iter()
            .filter(move |m| m.id.component == c.0)
    }

    /// Resources of one component.
    pub fn resources_of(&self, c: ComponentId) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(move |r| r.id.component == c.0)
    }

    /// Every part of every leg, with its leg.
    pub fn processes(&self) -> impl Iterator<Item = (&Leg, &Part)> {
        self.legs
            .iter()
            .flat_map(|l| l.parts.iter().map(move |p| (l, p)))
    }

    /// The physical name of a resource in an environment, under the manifest's cloud.
    pub fn physical_name(&self, r: &Resource, env: &str) -> Option<String> {
        r.physical_name(env, &self.orbit.cloud)
    }

    /// Every physical name of a resource, one per environment, in declared order.
    pub fn physical_names(&self, r: &Resource) -> Vec<(&Environment, String)> {
        self.environments
            .iter()
            .filter_map(|e| Some((e, self.physical_name(r, &e.code)?)))
            .collect()
    }

    /// The six repositories of a flow in every environment.
    pub fn repositories(&self, flow: FlowId) -> Vec<Repository> {
        let mut out = Vec::new();
        for kind in RepoKind::ALL {
            for env in &self.environments {
                let name = id::repository_name(flow, kind, &env.code, &self.orbit.cloud);
                let url = self.orbit.repository_owner.as_ref().map(|owner| {
                    let mut u = format!("https://github.com/{owner}/{name}");
                    if let Some(b) = &self.orbit.repository_branch {
                        u.push_str("/tree/");
                        u.push_str(b);
                    }
                    u
                });
                out.push(Repository {
                    flow,
                    kind,
                    env: env.code.clone(),
                    name,
                    url,
                });
            }
        }
        out
    }

    /// Finds the resource and environment a physical name belongs to.
    pub fn resource_by_physical_name(&self, name: &str) -> Option<(&Resource, &Environment)> {
        let parsed = id::PhysicalName::parse(name).ok()?;
        let env = self.environments.iter().find(|e| e.code == parsed.env)?;
        self.resources
            .iter()
            .filter(|r| r.kind == parsed.kind && r.name == parsed.name)
            .find(|r| r.physical_name(&env.code, &self.orbit.cloud).as_deref() == Some(name))
            .map(|r| (r, env))
    }

    /// Counts of what the manifest declares.
    pub fn summary(&self) -> Summary {
        Summary {
            flows: self.flows.len(),
            components: self.components.len(),
            mids: self.microservices.len(),
            rids: self.resources.len(),
            pids: self.legs.iter().map(|l| l.parts.len()).sum(),
            legs: self.legs.len(),
            events: self.events.len(),
        }
    }
}
