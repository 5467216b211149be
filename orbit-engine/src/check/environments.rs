//! `[orbit]` and the environments: cloud and environment codes (ORB010), at least one
//! environment (ORB011), the flow repositories' owner and branch (ORB012).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};
/// ORB010: malformed environment or cloud code.
pub(crate) const ORB010: Rule = Rule {
    code: Code::Orb010,
    home: module_path!(),
    checks: "Reports an environment code (the key of `[environment.*]`) or an `[orbit]` \
             `cloud` code that is empty or holds anything but lowercase ASCII letters and \
             digits (`K8T`, `k8-t`, `AWS`), or one of the reserved codes `orbit` and `events`, \
             which name modules of the generated `ids`. The codes end every physical name and \
             flow repository name (`-k8d-aws`). Write the code in lowercase letters and \
             digits, as `k8d` and `aws`; the help gives the lowercase spelling when that is \
             all that is wrong.",
    origin: Origin::Conventions(
        "`Environment`: The k8or environment, such as `-k8d` for development, `-k8t` for \
         testing, `-k8s` for staging, `-k8p` for production. … `Cloud Provider`: The cloud \
         provider where the table is created, `-aws` for AWS.",
    ),
    broken: Excerpt::manifest(
        r#"[environment.K8T]
name = "testing"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[environment.k8t]
name = "testing"
"#,
    ),
};

/// ORB011: no environment declared.
pub(crate) const ORB011: Rule = Rule {
    code: Code::Orb011,
    home: module_path!(),
    checks: "Reports a manifest that declares no environment: no `[environment.*]` table at \
             all, or an empty `[environment]`. Physical names and flow repository names are \
             derived once per environment, so declare at least one, e.g. `[environment.k8d]` \
             with `name = \"development\"`.",
    origin: Origin::Reason(
        "Every physical name and flow repository name ends in its environment \
         (`user-data-403-tbl-k8d-aws`): a manifest without an environment derives none of \
         them.",
    ),
    broken: Excerpt::manifest(
        r#"[orbit]
name = "demo"
cloud = "aws"

[region.n-virginia]
name = "N. Virginia"
components = [1, 100]

[flow.flow-4]
name = "Portal"
components = ["c8"]

[component.c8]
name = "Portal node"
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[orbit]
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
"#,
    ),
};

/// ORB012: malformed `repository_owner` (GitHub's rules: letters, digits, single hyphens, at
/// most 39) or `repository_branch` (git's ref-name rules).
pub(crate) const ORB012: Rule = Rule {
    code: Code::Orb012,
    home: module_path!(),
    checks: "Reports a `repository_owner` that GitHub refuses as a user or organisation \
             name: empty, longer than 39 characters, holding anything but ASCII letters, \
             digits and `-`, starting or ending with `-`, or with two hyphens in a row. It also \
             reports a `repository_branch` that `git check-ref-format --branch` refuses: \
             empty, `@` or `HEAD`, holding a space, a control character, `~`, `^`, `:`, `?`, \
             `*`, `[`, `\\`, `..`, `@{` or `//`, starting with `-` or `/`, ending with `/` or \
             `.`, or with a part between slashes that starts with `.` or ends with `.lock`. \
             The help gives the corrected value when one is obvious.",
    origin: Origin::Reason(
        "The flow repositories' addresses are built from these values \
         (`https://github.com/k8or-orbit-aws/flow-4-infrastructure-rep-k8d-aws/tree/k8or-dev`): \
         an owner GitHub cannot have or a branch git cannot create makes every one of them \
         wrong.",
    ),
    broken: Excerpt::manifest(
        r#"[orbit]
name = "demo"
cloud = "aws"
repository_owner = "k8or_orbit_aws"
repository_branch = "k8or dev"

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
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[orbit]
name = "demo"
cloud = "aws"
repository_owner = "k8or-orbit-aws"
repository_branch = "k8or-dev"

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
"#,
    ),
};

/// Environment codes the generated `ids` module already uses for its own submodules
/// (`ids::orbit`, `ids::events`): an environment's module of names could not be called so.
pub const RESERVED_ENVIRONMENTS: &[&str] = &["orbit", "events"];

impl Cx<'_> {
    /// `[orbit]`, required (ORB003); returns the retired ids with their spans.
    pub(super) fn orbit(&mut self, v: Option<Value<'_, '_>>) -> HashMap<Endpoint, Range<usize>> {
        let mut retired = HashMap::default();
        let Some(v) = v else {
            self.push(
                Diagnostic::new(
                    Code::Orb003,
                    0..0,
                    "the manifest lacks the required `[orbit]` table",
                )
                .with_help("add `[orbit]` with `name` and `cloud`"),
            );
            return retired;
        };
        let Some(e) = self.table(v, "`[orbit]`") else {
            return retired;
        };
        self.known_keys(&e, keys::ORBIT, "`[orbit]`");
        let name = self.req_str(&e, "name", "`[orbit]`", "\"k8or Orbit\"");
        let cloud = self.req_str(&e, "cloud", "`[orbit]`", "\"aws\"");
        if let Some((c, span)) = &cloud {
            if let Err(err) = id::check_code(c, "cloud") {
                self.push(
                    Diagnostic::new(
                        Code::Orb010,
                        span.clone(),
                        format!("malformed cloud code `{c}`: {}", err.message()),
                    )
                    .with_help_opt(err.suggestion().map(|s| format!("write `\"{s}\"`"))),
                );
            }
        }
        let owner = self.opt_str(&e, "repository_owner").and_then(|(text, span)| {
            let checked = id::check_repository_owner(&text);
            self.repository_value(&text, span, "repository_owner", checked, "the GitHub user or organisation that owns the flow repositories, e.g. `\"k8or-orbit-aws\"`")
        });
        let branch = self
            .opt_str(&e, "repository_branch")
            .and_then(|(text, span)| {
                let checked = id::check_repository_branch(&text);
                self.repository_value(
                    &text,
                    span,
                    "repository_branch",
                    checked,
                    "the git branch of the flow repositories, e.g. `\"k8or-dev\"`",
                )
            });
        let doc = self.opt_str(&e, "doc").map(|s| s.0);
        let (list, spans) = self.retired(&e, &mut retired);
        self.manifest.orbit = Orbit {
            name: name.map(|s| s.0).unwrap_or_default(),
            cloud: cloud.map(|s| s.0).unwrap_or_default(),
            repository_owner: owner,
            repository_branch: branch,
            retired: list,
            retired_spans: spans,
            doc,
        };
        retired
    }

    /// A `repository_owner` or `repository_branch` value if it is well formed, or ORB012 at
    /// the offending text (the corrected value as help when one is obvious, else `what`).
    pub(super) fn repository_value(
        &mut self,
        text: &str,
        span: Range<usize>,
        key: &str,
        checked: Result<(), id::NameProblem>,
        what: &str,
    ) -> Option<String> {
        let problem = match checked {
            Ok(()) => return Some(text.to_string()),
            Err(p) => p,
        };
        // Narrow to the offending characters when the literal holds the text verbatim.
        let written = self.source.get(span.clone()).unwrap_or("");
        let verbatim = written.len() == text.len() + 2 && &written[1..written.len() - 1] == text;
        let at = if verbatim && !problem.at.is_empty() {
            span.start + 1 + problem.at.start..span.start + 1 + problem.at.end
        } else {
            span
        };
        let shown: String = text.escape_debug().collect();
        let help = match &problem.fix {
            Some(f) => format!("write `{key} = \"{}\"`", f.escape_debug()),
            None => format!("`{key}` is {what}"),
        };
        self.push(
            Diagnostic::new(
                Code::Orb012,
                at,
                format!("malformed `{key}` \"{shown}\": {}", problem.message),
            )
            .with_help(help),
        );
        None
    }

    /// The `[environment]` tables: at least one (ORB011), each code well formed and not
    /// reserved (ORB010).
    pub(super) fn environments(&mut self, v: Option<Value<'_, '_>>) {
        let Some(v) = v else {
            self.push(
                Diagnostic::new(Code::Orb011, 0..0, "no environment is declared").with_help(
                    "declare one, e.g. `[environment.k8d]` with `name = \"development\"`",
                ),
            );
            return;
        };
        let Some(all) = self.table(v, "`[environment]`") else {
            return;
        };
        if all.is_empty() {
            self.push(
                Diagnostic::new(Code::Orb011, all.span.clone(), "no environment is declared")
                    .with_help(
                        "declare one, e.g. `[environment.k8d]` with `name = \"development\"`",
                    ),
            );
        }
        for (code, kspan, ev) in all.in_order() {
            if let Err(err) = id::check_code(code, "environment") {
                self.push(
                    Diagnostic::new(
                        Code::Orb010,
                        kspan.clone(),
                        format!("malformed environment code `{code}`: {}", err.message()),
                    )
                    .with_help(match err.suggestion() {
                        Some(s) => format!("write `[environment.{s}]`"),
                        None => {
                            "environment codes are lowercase letters and digits, e.g. `k8d`".into()
                        }
                    }),
                );
                continue;
            }
            let Some(e) = self.table(ev, format_args!("`[environment.{code}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::ENVIRONMENT, "an environment");
            let name = self.opt_str(&e, "name").map(|s| s.0);
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            if RESERVED_ENVIRONMENTS.contains(&code) {
                // Left out of the model: the generator could not give it a module.
                self.push(
                    Diagnostic::new(
                        Code::Orb010,
                        kspan.clone(),
                        format!(
                            "environment code `{code}` would generate the module `ids::{code}`, which the generated module already has"
                        ),
                    )
                    .with_help("use another environment code"),
                );
                continue;
            }
            self.manifest.environments.push(Environment {
                code: code.to_string(),
                name,
                doc,
                span: kspan.clone(),
            });
        }
        self.manifest.environments.sort_by_key(|e| e.span.start);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::PRELUDE;

    /// Regression: `orbit check` said ok on `[environment.orbit]`, which the build refused.
    #[test]
    fn reserved_environment_codes_are_refused_by_the_checker() {
        for code in super::RESERVED_ENVIRONMENTS {
            let text = format!("{PRELUDE}\n[environment.{code}]\nname = \"x\"\n");
            let checked = crate::check(&text);
            let codes: Vec<_> = checked
                .diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect();
            assert_eq!(codes, ["ORB010"], "{code}");
            let d = &checked.diagnostics[0];
            assert_eq!((d.line, d.column), (19, 14), "{code}");
            assert!(
                d.message.contains(&format!("`ids::{code}`")),
                "{}",
                d.message
            );
            // Left out of the model, as the generator needs.
            assert!(checked
                .manifest
                .environments
                .iter()
                .all(|e| e.code != *code));
        }
        let fine = format!("{PRELUDE}\n[environment.orbits]\nname = \"x\"\n");
        assert!(crate::check(&fine).is_ok());
    }
}
