//! The k8or Orbit workspace package: it holds the workspace's examples (`cargo run --example
//! transfer`) and integration tests (`tests/`). Not published; the crates are `orbit-core`,
//! `orbit-macros`, `orbit-engine` and `orbit-cli`.
//!
//! Re-exports `orbit-core` for the examples.

pub use orbit_core::*;

/// The README's Rust examples, compiled and run as doctests by `cargo test --workspace`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
