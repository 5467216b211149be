//! `Process`, `ProcessEnd`, and one constant per PID.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::super::markdown as md;
use super::super::names::{constant, ident, variant};
use super::closed::{closed, Closed};
use super::source::{close_first_line, push_int, push_lit_body, source, IdConsts, List};
use super::tables::{end_table, key_table, parse_hashed, ref_table, table_list};
use super::{append, Sound};
use crate::lookup;

pub(super) fn processes(s: &Sound<'_>) -> TokenStream {
    let procs: Vec<_> = s.processes().collect();
    // Each PID's text and variant, formatted once for the several items that name them.
    let ids: Vec<String> = procs.iter().map(|p| p.2.pid.to_string()).collect();
    let vnames: Vec<String> = ids.iter().map(|t| variant(t)).collect();
    let variants = procs
        .iter()
        .zip(&ids)
        .zip(&vnames)
        .map(|(((li, _, _), id), v)| {
            (
                v.clone(),
                format!("`{id}`: step of leg `{}`.", s.legs[*li].0.name),
            )
        })
        .collect();
    let parse = parse_hashed(s, quote!(__orbit::Pid), &ids);
    let mut t = closed(
        s,
        Closed {
            name: "Process",
            what: "PID",
            doc: "The process steps (PIDs) of the manifest, leg by leg in execution order.".into(),
            variants,
            ids: ids.clone(),
            parse,
        },
    );
    let empty = procs.is_empty();
    let keys = procs.iter().map(|p| lookup::pid_key(p.2.pid)).collect();
    let leg_ix: Option<Vec<u32>> = procs.iter().map(|p| u32::try_from(p.0).ok()).collect();
    let steps = List::of(&procs, |l, p| l.int(u64::from((p.1 + 1) as u16), "u16"));
    let docs = List::of(&procs, |l, p| l.opt_str(p.2.doc.as_deref()));
    let actions = List::of(&procs, |l, p| {
        l.strs(p.2.actions.iter().map(String::as_str))
    });
    let id = key_table(
        s,
        "The parsed PID: start, end and execution order.",
        quote!(__orbit::Pid),
        quote!(pid_of_key),
        keys,
        empty,
    );
    let starts = end_table(
        s,
        "start",
        "Where the step starts: a microservice or a resource.",
        procs.iter().map(|p| p.2.pid.start),
        empty,
    );
    let ends = end_table(
        s,
        "end",
        "Where the step ends: a microservice or a resource.",
        procs.iter().map(|p| p.2.pid.end),
        empty,
    );
    let legs = ref_table(
        s,
        "leg",
        "The leg the step belongs to.",
        quote!(Leg),
        leg_ix,
        || {
            procs
                .iter()
                .map(|p| {
                    let v = ident(&variant(&s.legs[p.0].0.name), Span::call_site());
                    quote!(Leg::#v)
                })
                .collect()
        },
        empty,
    );
    let steps = table_list(
        s,
        "step",
        "The 1-based position of the step in its leg.",
        quote!(u16),
        steps,
        empty,
    );
    let docs = table_list(
        s,
        "doc",
        "The manifest's `doc` of the step.",
        quote!(Option<&'static str>),
        docs,
        empty,
    );
    let actions = table_list(
        s,
        "actions",
        "The step's actions, in order.",
        quote!(&'static [&'static str]),
        actions,
        empty,
    );
    append(
        &mut t,
        quote! {
            impl Process {
                #id
                /// The execution order (15 for `e15`).
                pub const fn order(self) -> u16 { self.id().order }
                #starts
                #ends
                #legs
                #steps
                #docs
                #actions
            }

            /// One end of a process step: a declared microservice or resource.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum ProcessEnd {
                /// A microservice (MID).
                Microservice(Microservice),
                /// A backend resource (RID).
                Resource(Resource),
            }

            impl ProcessEnd {
                /// The canonical id text.
                pub const fn as_str(self) -> &'static str {
                    match self {
                        ProcessEnd::Microservice(m) => m.as_str(),
                        ProcessEnd::Resource(r) => r.as_str(),
                    }
                }
                /// The component of either kind.
                pub const fn component(self) -> Component {
                    match self {
                        ProcessEnd::Microservice(m) => m.component(),
                        ProcessEnd::Resource(r) => r.component(),
                    }
                }
            }

            impl ::core::fmt::Display for ProcessEnd {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        },
    );
    // One flat repetition for every constant (see `table_method`).
    let mut items = IdConsts::new("Process");
    // Each leg's constant and its flow's, once per leg rather than once per step.
    let leg_names: Vec<(String, String, String)> = s
        .legs
        .iter()
        .map(|(l, _)| {
            let flow = (constant(&l.flow.to_string()), s.flow_name(l.flow));
            (constant(&l.name), flow.0, flow.1)
        })
        .collect();
    for (((li, pi, p), id), v) in procs.iter().zip(&ids).zip(&vnames) {
        let c = constant(id);
        let (leg, flow, flow_name) = &leg_names[*li];
        // A PID's text is `START-END-eNN`, so its constant begins `START_END_`.
        let mut ends = c.split('_');
        let (from, to) = (ends.next().unwrap_or(""), ends.next().unwrap_or(""));
        // The doc is written straight into the literal: ids, constants and numbers need no
        // escaping, the manifest's texts go through `push_lit_body`, and `\n` is written as
        // the escape the literal holds.
        items.push_with(
            |d| {
                d.push('`');
                d.push_str(id);
                d.push_str("`: step ");
                push_int(d, (pi + 1) as u64);
                d.push_str(" of leg [`");
                d.push_str(leg);
                d.push_str("`] (execution order ");
                push_int(d, u64::from(p.pid.order));
                close_first_line(d, p.inserted, p.doc.as_deref());
                d.push_str("- From [`");
                d.push_str(from);
                d.push_str("`] to [`");
                d.push_str(to);
                d.push_str("`]\\n");
                if let Some((first, rest)) = p.actions.split_first() {
                    d.push_str("- Actions: ");
                    push_lit_body(d, &md::inline(first));
                    for a in rest {
                        d.push_str("; ");
                        push_lit_body(d, &md::inline(a));
                    }
                    d.push_str("\\n");
                }
                d.push_str("- Flow: [`");
                d.push_str(flow);
                d.push_str("`] (");
                push_lit_body(d, flow_name);
                d.push_str(")\\n");
            },
            &c,
            v.as_str(),
        );
    }
    append(&mut t, source(s, &items.src));
    t
}
