//! The k8or Orbit convention engine.
//!
//! One implementation of the naming and numbering rules, shared by the `orbit` command line
//! tool, the compile-time `ids` generator and runtime parsing:
//!
//! - [`id`]: the grammar of every kind of id (flow, component, MID, RID, PID, physical name,
//!   flow repository), usable without a manifest and without heap allocation;
//! - [`check()`] (feature `manifest`, on by default): reads an `orbit.toml` (format v1) keeping
//!   every position, checks every rule under its code, and returns the validated [`model`];
//! - [`render`]: rustc-style rendering of [`Diagnostic`]s with the source line and a caret.
//!
//! ```
//! # #[cfg(feature = "manifest")] {
//! let checked = orbit_engine::check(r#"
//! [orbit]
//! name = "demo"
//! cloud = "aws"
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
//! [microservice.c8fms04]
//! name = "Upload Board"
//! "#);
//! let d = &checked.diagnostics[0];
//! assert_eq!((d.code.as_str(), d.line, d.column), ("ORB303", 15, 15));
//! assert_eq!(d.help.as_deref(), Some(
//!     "identifiers step by 3; the next free in c8 is `c8fms06`; \
//!      to use the reserved slot deliberately, add `inserted = true`"));
//! # }
//! ```
#![warn(missing_docs)]

pub mod diag;
pub mod id;
pub mod lookup;

#[cfg(feature = "manifest")]
pub mod alloc;
#[cfg(feature = "manifest")]
mod check;
#[cfg(feature = "codegen")]
pub mod codegen;
#[cfg(feature = "manifest")]
pub mod diff;
#[cfg(feature = "manifest")]
mod fxhash;
#[cfg(feature = "lint")]
pub mod lint;
#[cfg(feature = "manifest")]
pub mod model;
#[cfg(feature = "manifest")]
mod names;
#[cfg(feature = "manifest")]
pub mod render;
#[cfg(feature = "manifest")]
pub mod rules;
#[cfg(feature = "manifest")]
pub mod suggest;
#[cfg(feature = "manifest")]
#[doc(hidden)]
pub mod synth;
#[cfg(feature = "manifest")]
mod tree;

#[cfg(feature = "manifest")]
pub use alloc::next_multiple;
#[cfg(feature = "manifest")]
pub use check::{
    check, check_file, find_manifest, keys, read_file, special_file_kind, Checked, MAX_IDENTIFIER,
    MAX_MANIFEST_BYTES,
};
pub use diag::{Code, Diagnostic, Family, LineIndex, Severity};
#[cfg(feature = "manifest")]
pub use model::Manifest;

/// Reads TOML as [`check`] does and returns how many values (tables included) and errors it
/// found: for the benchmarks, which compare the engine's reader with `toml`'s.
#[cfg(feature = "manifest")]
#[doc(hidden)]
pub fn read_toml(src: &str) -> (usize, usize) {
    let (tree, errors) = tree::parse(src);
    (tree.len(), errors.len())
}
