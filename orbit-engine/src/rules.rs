//! The documentation of every rule code: what `orbit explain ORBnnn` prints and what
//! `docs/rules.md` lists.
//!
//! Each rule's documentation is written once, as a [`Rule`] constant beside the code that checks
//! it (the checker's family files, [`crate::diff`] for the ORB8xx codes; the ORB9xx codes of
//! `orbit audit` are documented beside the audit in the `orbit` tool). This module holds the
//! type, the minimal manifest the excerpts extend ([`PRELUDE`]) and the list of the engine's
//! rules ([`ALL`]); its tests check that every broken excerpt produces its code and every fixed
//! one is clean.

use crate::diag::Code;

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The sentence of the conventions document the rule enforces.
    Conventions(&'static str),
    /// Why a rule exists that the conventions document does not state (the manifest's format,
    /// the cloud's limits, safe change).
    Reason(&'static str),
}

/// One side of a rule's example: a manifest excerpt and, for the rules that compare, what it is
/// compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Excerpt {
    /// Manifest text. Unless it declares `[orbit]` itself, it extends [`PRELUDE`].
    pub manifest: &'static str,
    /// For `orbit diff` codes: the BASE manifest (extending [`PRELUDE`] in the same way) that
    /// [`Excerpt::manifest`] is compared with as HEAD. Empty for the other codes.
    pub base: &'static str,
    /// For `orbit audit` codes: the names that exist in environment `k8d`'s cloud account.
    pub cloud: &'static [&'static str],
}

impl Excerpt {
    /// An excerpt of one manifest.
    pub const fn manifest(manifest: &'static str) -> Excerpt {
        Excerpt {
            manifest,
            base: "",
            cloud: &[],
        }
    }

    /// HEAD `head` compared with BASE `base` (`orbit diff`).
    pub const fn diff(base: &'static str, head: &'static str) -> Excerpt {
        Excerpt {
            manifest: head,
            base,
            cloud: &[],
        }
    }

    /// `manifest` audited against `cloud`, the names that exist for `k8d` (`orbit audit`).
    pub const fn audit(manifest: &'static str, cloud: &'static [&'static str]) -> Excerpt {
        Excerpt {
            manifest,
            base: "",
            cloud,
        }
    }

    /// The whole manifest the excerpt stands for: [`PRELUDE`] followed by the excerpt, or the
    /// excerpt alone when it declares `[orbit]`.
    pub fn full_manifest(&self) -> String {
        full(self.manifest)
    }

    /// The whole BASE manifest, as [`Excerpt::full_manifest`].
    pub fn full_base(&self) -> String {
        full(self.base)
    }
}

fn full(excerpt: &str) -> String {
    if excerpt.lines().any(|l| l.trim() == "[orbit]") {
        excerpt.to_string()
    } else {
        format!("{PRELUDE}\n{excerpt}")
    }
}

/// The documentation of one rule code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The code.
    pub code: Code,
    /// What the rule checks: a paragraph of Markdown (inline code only).
    pub checks: &'static str,
    /// The conventions sentence it comes from, or why it exists.
    pub origin: Origin,
    /// An excerpt that breaks the rule.
    pub broken: Excerpt,
    /// The same excerpt, fixed.
    pub fixed: Excerpt,
}

/// The minimal valid manifest every excerpt extends unless it declares `[orbit]` itself.
pub const PRELUDE: &str = r#"[orbit]
name = "demo"
cloud = "aws"

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
"#;

/// The documentation of every code the engine reports (`orbit check`, the build, `orbit diff`),
/// in numeric order.
pub const ALL: &[&Rule] = &[
    &crate::check::shape::ORB001,
    &crate::check::shape::ORB002,
    &crate::check::shape::ORB003,
    &crate::check::file::ORB004,
    &crate::check::shape::ORB005,
    &crate::check::environments::ORB010,
    &crate::check::environments::ORB011,
    &crate::check::environments::ORB012,
    &crate::check::regions::ORB020,
    &crate::check::regions::ORB021,
    &crate::check::regions::ORB022,
    &crate::check::flows::ORB101,
    &crate::check::flows::ORB102,
    &crate::check::flows::ORB103,
    &crate::check::flows::ORB104,
    &crate::check::flows::ORB105,
    &crate::check::components::ORB201,
    &crate::check::components::ORB202,
    &crate::check::components::ORB203,
    &crate::check::components::ORB204,
    &crate::check::endpoints::ORB301,
    &crate::check::endpoints::ORB302,
    &crate::check::endpoints::ORB303,
    &crate::check::endpoints::ORB304,
    &crate::check::endpoints::ORB305,
    &crate::check::endpoints::ORB401,
    &crate::check::endpoints::ORB402,
    &crate::check::endpoints::ORB403,
    &crate::check::resources::ORB404,
    &crate::check::resources::ORB405,
    &crate::check::resources::ORB406,
    &crate::check::resources::ORB407,
    &crate::check::resources::ORB408,
    &crate::check::endpoints::ORB409,
];

/// The documentation of `code`, when the engine reports it (the ORB9xx codes are documented by
/// `orbit audit`).
pub fn rule(code: Code) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}

/// The codes an excerpt produces: the check's codes for one manifest, and for an `orbit diff`
/// excerpt (one with a BASE) also the changes from BASE to it. For the tests of every rule's
/// examples, here and in the `orbit` tool.
#[doc(hidden)]
pub fn codes_of(x: &Excerpt) -> Vec<Code> {
    let head_text = x.full_manifest();
    let head = crate::check(&head_text);
    let mut codes: Vec<Code> = head.diagnostics.iter().map(|d| d.code).collect();
    if !x.base.is_empty() {
        let base_text = x.full_base();
        let base = crate::check(&base_text);
        codes.extend(base.diagnostics.iter().map(|d| d.code));
        let d = crate::diff::diff(
            crate::diff::Side::new(&base_text, &base.manifest),
            crate::diff::Side::new(&head_text, &head.manifest),
        );
        codes.extend(d.changes.iter().map(|c| c.code));
    }
    codes
}

/// Checks one rule's examples: the broken excerpt produces the rule's code, the fixed one
/// produces no code at all. ORB004 (a file that cannot be read) has no manifest to show; its
/// excerpts are checked by reading a path that does not exist.
#[doc(hidden)]
pub fn verify(rule: &Rule) -> Result<(), String> {
    if rule.code == Code::Orb004 {
        return match crate::check_file(std::path::Path::new("/nonexistent/orbit/orbit.toml")) {
            Err(d) if d.code == Code::Orb004 => Ok(()),
            other => Err(format!("ORB004: reading a missing file gave {other:?}")),
        };
    }
    let broken = codes_of(&rule.broken);
    if !broken.contains(&rule.code) {
        return Err(format!(
            "{}: the broken excerpt produces {broken:?}, not {}",
            rule.code, rule.code
        ));
    }
    let fixed = codes_of(&rule.fixed);
    if !fixed.is_empty() {
        return Err(format!(
            "{}: the fixed excerpt still produces {fixed:?}",
            rule.code
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Family;

    #[test]
    fn the_prelude_is_valid() {
        assert_eq!(crate::check(PRELUDE).diagnostics, vec![]);
    }

    #[test]
    fn every_engine_code_is_documented_once_in_order() {
        let want: Vec<Code> = Code::ALL
            .iter()
            .copied()
            .filter(|c| c.family() != Family::Audit)
            .collect();
        let got: Vec<Code> = ALL.iter().map(|r| r.code).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn every_broken_excerpt_breaks_its_rule_and_every_fixed_one_is_clean() {
        let failures: Vec<String> = ALL.iter().filter_map(|r| verify(r).err()).collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn verify_can_fail() {
        let wrong = Rule {
            code: Code::Orb303,
            checks: "",
            origin: Origin::Reason(""),
            broken: Excerpt::manifest("[microservice.c8fms03]\nname = \"x\"\n"),
            fixed: Excerpt::manifest(""),
        };
        assert!(verify(&wrong).is_err());
        let dirty_fix = Rule {
            broken: Excerpt::manifest("[microservice.c8fms04]\nname = \"x\"\n"),
            fixed: Excerpt::manifest("[microservice.c8fms04]\nname = \"x\"\n"),
            ..wrong
        };
        assert!(verify(&dirty_fix).unwrap_err().contains("still produces"));
    }
}
