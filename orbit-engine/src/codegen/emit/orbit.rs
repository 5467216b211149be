//! The `orbit` module: the manifest's `[orbit]` table.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::markdown as md;
use super::tokens::{doc, lit, opt_str};
use super::Sound;

pub(super) fn orbit_items(s: &Sound<'_>) -> TokenStream {
    let o = &s.m.orbit;
    let name = lit(&o.name);
    let cloud = lit(&o.cloud);
    let owner = opt_str(o.repository_owner.as_deref());
    let branch = opt_str(o.repository_branch.as_deref());
    let d = doc(&format!(
        "The `[orbit]` table of the manifest: {} on `{}`.",
        md::inline(&o.name),
        md::inline(&o.cloud)
    ));
    quote! {
        #d
        pub mod orbit {
            /// The application's name.
            pub const NAME: &str = #name;
            /// The cloud code at the end of every physical and repository name.
            pub const CLOUD: &str = #cloud;
            /// The owner of the flow repositories.
            pub const REPOSITORY_OWNER: Option<&str> = #owner;
            /// The branch repository URLs point at.
            pub const REPOSITORY_BRANCH: Option<&str> = #branch;
        }
    }
}
