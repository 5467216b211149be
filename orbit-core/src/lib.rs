//! Typed k8or Orbit ids, generated at compile time from `orbit.toml`.
//!
//! Service code writes `use orbit_core::ids::*;` and gets one typed constant per MID, RID,
//! PID, flow, component, leg and event of the project's manifest, the physical name of every
//! resource in every environment, and typed event entries. An id the manifest does not
//! declare does not compile; a manifest that breaks the naming conventions fails the build
//! with every violation, its rule code and `orbit.toml:LINE:COL`.
//!
//! ```
//! use orbit_core::ids::*;
//! use orbit_core::{mid, pid, rid, Timestamp};
//!
//! // Constants are values of closed enums: a resource is not a microservice.
//! let producer: Microservice = C8BMS18;
//! assert_eq!(producer, mid!(c8bms18));
//! assert_eq!(rid!(c20bre06).physical_name(Environment::K8d), k8d::C20BRE06);
//! assert_eq!(k8d::C20BRE06, "user-input-manifest-data-1606-tbl-k8d-aws");
//!
//! let step = pid!(c8fms03-c20bre06-e15);
//! assert_eq!((step.leg(), step.step(), step.order()), (MANIFEST_INPUT, 3, 15));
//! assert_eq!(C20BRE06.flow(), FLOW_16);
//! assert_eq!(C20.blocks(FLOW_16), Some([3, 6, 9, 12]));
//!
//! // Typed events: exactly the declared fields, one JSON object per entry.
//! let at: Timestamp = "2024-10-27T10:00:00Z".parse()?;
//! let entry = events::TransferInitiated::new("user123", "my-image");
//! assert_eq!(
//!     entry.to_json(at),
//!     r#"{"event":"transfer-initiated","timestamp":"2024-10-27T10:00:00Z","user":"user123","image":"my-image"}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A microservice where a resource is expected does not compile:
//!
//! ```compile_fail
//! use orbit_core::ids::*;
//! fn table_of(r: Resource) -> &'static str { r.physical_name(Environment::K8d) }
//! table_of(C8FMS03);
//! ```
//!
//! # Your own manifest
//!
//! Any crate can generate the same module from its own manifest (path relative to the crate's
//! `Cargo.toml`; `$OUT_DIR/…` and absolute paths work too):
//!
//! ```ignore
//! #[doc = orbit_core::manifest_doc!("orbit.toml")]
//! pub mod ids {
//!     orbit_core::manifest!("orbit.toml");
//! }
//! ```
//!
//! If the module is not `crate::ids`, say where it is, for `mid!`/`rid!`/`pid!`:
//! `manifest!("orbit.toml", module = crate::naming::ids)`. The id macros are exported at the
//! crate root (`my_crate::mid!`), so a crate holds one manifest with macros; add
//! `macros = false` to a second one.
//!
//! Editing the manifest makes the next `cargo build` regenerate. rust-analyzer caches
//! proc-macro output: after editing the manifest, restart its server (or touch a source
//! file) to see the change in the editor.
//!
//! # Features
//!
//! - `serde`: `Serialize`/`Deserialize` for every generated enum, as its id string.
#![warn(missing_docs)]

mod error;
mod event;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use error::ParseIdError;
pub use event::{write_json_str, LogEvent, ParseTimestampError, Timestamp};
pub use orbit_engine::id;
pub use orbit_engine::id::{
    ComponentId, Endpoint, FlowId, IdError, Mid, Pid, RepoKind, ResourceKind, Rid, ServiceKind,
};
pub use orbit_macros::{manifest, manifest_doc};

/// A manifest whose docs and names hold code (`src/doc-code.toml`), for doctests only: the
/// generated docs must hold no doctest, or `cargo test --doc` would run the manifest's code.
#[cfg(doctest)]
pub mod doc_code {
    orbit_macros::manifest!(
        "$CARGO_MANIFEST_DIR/src/doc-code.toml",
        core = crate,
        macros = false
    );
}

#[doc = orbit_macros::manifest_doc!("orbit.toml")]
pub mod ids {
    orbit_macros::manifest!("orbit.toml", core = crate);
}
