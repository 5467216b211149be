//! `orbit explain TEXT`.
use std::path::Path;
use crate::common::Outcome;
use crate::Format;
/// Runs `orbit explain`.
pub fn run(_t: &str, _m: Option<&Path>, _f: Format) -> Outcome { Ok(()) }
