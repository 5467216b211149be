//! The documentation of every rule code: what `orbit explain ORBnnn` prints and what
//! `docs/rules.md` lists.
//!
//! Each rule's documentation is written once, as a [`Rule`] constant beside the code that checks
//! it (the checker's family files, [`crate::diff`] for the ORB8xx codes; the ORB9xx codes of
//! `orbit audit` are documented beside the audit in the `orbit` tool). This module holds the
//! type, the minimal manifest the excerpts extend ([`PRELUDE`]) and the list of the engine's
//! rules ([`ALL`]); its tests check that every broken excerpt produces its code and every fixed
//! one is clean.

use crate::diag::{Code, Family};

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
    if declares_orbit(excerpt) {
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
    /// The module that checks it and holds this documentation, as `module_path!()` gives it
    /// (`orbit_engine::check::resources`); [`Rule::home_file`] is its source file.
    pub home: &'static str,
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
    &crate::check::legs::ORB501,
    &crate::check::legs::ORB502,
    &crate::check::legs::ORB503,
    &crate::check::legs::ORB504,
    &crate::check::legs::ORB505,
    &crate::check::legs::ORB506,
    &crate::check::legs::ORB507,
    &crate::check::events::ORB601,
    &crate::check::events::ORB602,
    &crate::check::events::ORB603,
    &crate::check::retired::ORB701,
    &crate::check::retired::ORB702,
    &crate::diff::ORB801,
    &crate::diff::ORB802,
    &crate::diff::ORB803,
    &crate::diff::ORB804,
    &crate::diff::ORB805,
    &crate::diff::ORB806,
    &crate::diff::ORB807,
    &crate::diff::ORB808,
    &crate::diff::ORB809,
    &crate::diff::ORB890,
];

/// The documentation of `code`, when the engine reports it (the ORB9xx codes are documented by
/// `orbit audit`).
pub fn rule(code: Code) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}

impl Rule {
    /// The source file that checks the rule and documents it, from the repository's root:
    /// `orbit-engine/src/check/resources.rs`.
    pub fn home_file(&self) -> String {
        let mut parts = self.home.split("::");
        let krate = match parts.next() {
            Some("orbit_engine") => "orbit-engine/src",
            // The `orbit` tool's binary crate.
            _ => "orbit-cli/src",
        };
        let rest: Vec<&str> = parts.collect();
        if rest.is_empty() {
            format!("{krate}/lib.rs")
        } else {
            format!("{krate}/{}.rs", rest.join("/"))
        }
    }

    /// Which verb reports the code, in words.
    pub fn reported_by(&self) -> &'static str {
        match self.code.family() {
            Family::Check => "`orbit check`, `orbit lsp` and the build",
            Family::Diff => "`orbit diff`",
            Family::Audit => "`orbit audit`",
        }
    }

    /// The fixtures that test the rule beside its examples, from the repository's root.
    pub fn fixtures(&self) -> Vec<String> {
        let code = self.code.as_str();
        match self.code.family() {
            Family::Check if self.code != Code::Orb004 => vec![
                format!("orbit-engine/tests/rules/{code}.fail.toml"),
                format!("orbit-engine/tests/rules/{code}.pass.toml"),
            ],
            Family::Diff => vec![
                "orbit-engine/tests/diff/base.toml".to_string(),
                format!("orbit-engine/tests/diff/{code}.fail.toml"),
                format!("orbit-engine/tests/diff/{code}.pass.toml"),
            ],
            _ => Vec::new(),
        }
    }

    /// The documentation as `orbit explain ORBnnn` prints it: plain text, wrapped at 96
    /// columns.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{} ({}): {}\n",
            self.code,
            self.code.severity(),
            self.code.title()
        );
        let para = |out: &mut String, head: &str, body: &str| {
            out.push('\n');
            out.push_str(head);
            out.push('\n');
            wrap_into(out, body, "  ", 96);
        };
        para(&mut out, "What it checks:", self.checks);
        match self.origin {
            Origin::Conventions(s) => para(
                &mut out,
                "From the conventions document:",
                &format!("\u{201c}{s}\u{201d}"),
            ),
            Origin::Reason(s) => para(&mut out, "Why:", s),
        }
        for (head, x) in [("Breaks it:", &self.broken), ("Fixed:", &self.fixed)] {
            out.push('\n');
            out.push_str(head);
            out.push('\n');
            for (label, block) in x.blocks(self.code) {
                if let Some(label) = label {
                    out.push_str(&format!("  {label}\n"));
                }
                for line in block.lines() {
                    if line.is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str("    ");
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
        }
        out.push('\n');
        wrap_into(
            &mut out,
            &format!(
                "Reported by {}. Checked and documented in {}{}.",
                self.reported_by(),
                self.home_file(),
                match self.fixtures().as_slice() {
                    [] => String::new(),
                    f => format!("; tested by its examples here and by {}", f.join(", ")),
                }
            ),
            "",
            96,
        );
        if self.broken.needs_prelude() || self.broken.base_needs_prelude() {
            out.push_str("The excerpts extend this minimal manifest:\n");
            for line in PRELUDE.lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str("    ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }

    /// The documentation as a section of `docs/rules.md`, Markdown under the heading `## ORBnnn`
    /// (anchor `#orbnnn`).
    pub fn markdown(&self) -> String {
        // The heading is the code alone, so that its anchor is `#orb303`.
        let mut out = format!(
            "## {}\n\n**{}**\n\n*{} · reported by {} · checked and documented in [`{}`](../{})*\n\n",
            self.code,
            self.code.title(),
            self.code.severity(),
            self.reported_by(),
            self.home_file(),
            self.home_file(),
        );
        out.push_str(self.checks);
        out.push_str("\n\n");
        match self.origin {
            Origin::Conventions(s) => {
                out.push_str("From the conventions document:\n\n> ");
                out.push_str(s);
                out.push_str("\n\n");
            }
            Origin::Reason(s) => {
                out.push_str("**Why:** ");
                out.push_str(s);
                out.push_str("\n\n");
            }
        }
        for (head, x) in [("Breaks it", &self.broken), ("Fixed", &self.fixed)] {
            out.push_str(&format!("**{head}:**\n\n"));
            for (label, block) in x.blocks(self.code) {
                if let Some(label) = label {
                    out.push_str(&format!("{label}\n\n"));
                }
                let lang =
                    if x.cloud.is_empty() || label.is_none_or(|l| !l.starts_with("In the cloud")) {
                        "toml"
                    } else {
                        "text"
                    };
                out.push_str(&format!("```{lang}\n{}", block));
                if !block.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("```\n\n");
            }
        }
        let fixtures = self.fixtures();
        if !fixtures.is_empty() {
            out.push_str("Tested by these examples and by ");
            let links: Vec<String> = fixtures
                .iter()
                .map(|f| format!("[`{}`](../{f})", f.rsplit('/').next().unwrap_or(f)))
                .collect();
            out.push_str(&links.join(", "));
            out.push_str(".\n\n");
        }
        out
    }
}

impl Excerpt {
    /// Whether [`Excerpt::manifest`] extends [`PRELUDE`].
    fn needs_prelude(&self) -> bool {
        !self.manifest.is_empty() && !declares_orbit(self.manifest)
    }

    /// Whether [`Excerpt::base`] extends [`PRELUDE`].
    fn base_needs_prelude(&self) -> bool {
        !self.base.is_empty() && !declares_orbit(self.base)
    }

    /// The blocks to show, each with its label when there is more than one kind.
    fn blocks(&self, code: Code) -> Vec<(Option<&'static str>, String)> {
        if code == Code::Orb004 {
            return vec![(None, self.manifest.to_string())]
                .into_iter()
                .filter(|(_, b)| !b.is_empty())
                .collect();
        }
        let mut out = Vec::new();
        if !self.base.is_empty() {
            out.push((
                Some("BASE (the manifest before the change):"),
                self.base.to_string(),
            ));
            out.push((
                Some("HEAD (the manifest after it):"),
                self.manifest.to_string(),
            ));
        } else if code.family() == Family::Audit {
            out.push((Some("The manifest:"), self.manifest.to_string()));
            let mut names = String::new();
            for n in self.cloud {
                names.push_str(n);
                names.push('\n');
            }
            if names.is_empty() {
                names.push_str("(nothing)\n");
            }
            out.push((Some("In the cloud (`k8d`):"), names));
        } else {
            out.push((None, self.manifest.to_string()));
        }
        out
    }
}

fn declares_orbit(excerpt: &str) -> bool {
    excerpt.lines().any(|l| l.trim() == "[orbit]")
}

/// Appends `text` wrapped at `width` columns, each line indented by `indent`.
fn wrap_into(out: &mut String, text: &str, indent: &str, width: usize) {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
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

/// Checks one rule's examples: the broken excerpt produces the rule's code and no other, the
/// fixed one produces no code at all. ORB004 (a file that cannot be read) has no manifest to show; its
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
    if broken.is_empty() || broken.iter().any(|c| *c != rule.code) {
        return Err(format!(
            "{}: the broken excerpt produces {broken:?}, not {} alone",
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
            home: module_path!(),
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
