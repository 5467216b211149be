//! stub
use std::path::Path;
use crate::common::Outcome;
/// Arguments.
#[derive(Debug, clap::Args)]
pub struct GraphArgs {}
/// Runs.
pub fn run(_a: &GraphArgs, _m: Option<&Path>) -> Outcome { Ok(()) }
