//! The rules reference: `orbit explain ORBnnn` and `docs/rules.md`, both from the documentation
//! written beside each rule's check (`orbit_engine::rules` for the engine's codes,
//! `audit::rules` for `orbit audit`'s).

use orbit_engine::rules::{Excerpt, Origin, Rule, PRELUDE};
use orbit_engine::Code;
use serde::Serialize;

use crate::common::{self, Fail, Outcome};
use crate::Format;

/// Every documented rule, in numeric order.
pub fn all() -> Vec<&'static Rule> {
    let mut out: Vec<&'static Rule> = orbit_engine::rules::ALL.to_vec();
    out.extend(crate::audit::rules::RULES.iter().copied());
    out.sort_by_key(|r| r.code);
    out
}

/// The documentation of `code`.
pub fn find(code: Code) -> Option<&'static Rule> {
    orbit_engine::rules::rule(code).or_else(|| {
        crate::audit::rules::RULES
            .iter()
            .copied()
            .find(|r| r.code == code)
    })
}

/// The address of `code`'s section of `docs/rules.md` in the repository.
pub fn url(code: Code) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{}",
        env!("CARGO_PKG_REPOSITORY"),
        code.as_str().to_ascii_lowercase()
    )
}

/// Whether `text` asks for a rule rather than an id: `ORB` (any case) and up to four letters
/// or digits, at least one a digit (`ORB406`, `orb406`, `ORB4O6`, `ORB9999`).
pub fn looks_like_code(text: &str) -> bool {
    let Some(prefix) = text.get(..3) else {
        return false;
    };
    let rest = &text[3..];
    prefix.eq_ignore_ascii_case("orb")
        && (1..=4).contains(&rest.len())
        && rest.bytes().all(|b| b.is_ascii_alphanumeric())
        && rest.bytes().any(|b| b.is_ascii_digit())
}

/// The codes nearest to `text`, at most three: by number when it is one, else by spelling.
pub fn nearest(text: &str) -> Vec<Code> {
    let rest = text.get(3..).unwrap_or("");
    let mut codes: Vec<Code> = Code::ALL.to_vec();
    match rest.parse::<u32>() {
        Ok(n) => codes.sort_by_key(|c| {
            let m: u32 = c.as_str()[3..].parse().unwrap_or(0);
            (m.abs_diff(n), m)
        }),
        Err(_) => {
            let up = text.to_ascii_uppercase();
            let near = orbit_engine::suggest::nearest(&up, Code::ALL.iter().map(|c| c.as_str()), 3);
            codes = near.iter().filter_map(|n| n.parse().ok()).collect();
        }
    }
    codes.truncate(3);
    codes
}

#[derive(Serialize)]
struct ExcerptJson {
    manifest: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    base: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    cloud: &'static [&'static str],
}

impl From<&Excerpt> for ExcerptJson {
    fn from(x: &Excerpt) -> Self {
        ExcerptJson {
            manifest: x.manifest,
            base: x.base,
            cloud: x.cloud,
        }
    }
}

#[derive(Serialize)]
struct RuleJson {
    code: &'static str,
    severity: &'static str,
    title: &'static str,
    reported_by: &'static str,
    source: String,
    checks: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    conventions: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    broken: ExcerptJson,
    fixed: ExcerptJson,
    prelude: &'static str,
}

#[derive(Serialize)]
struct UnknownJson<'a> {
    code: &'a str,
    known: bool,
    nearest: Vec<&'static str>,
}

/// `orbit explain ORBnnn`: the rule's documentation, exit 0; an unknown code exits 1 naming
/// the nearest codes.
pub fn explain(text: &str, format: Format) -> Outcome {
    let up = text.to_ascii_uppercase();
    let Some(rule) = all().into_iter().find(|r| r.code.as_str() == up) else {
        let near = nearest(text);
        let names: Vec<&'static str> = near.iter().map(|c| c.as_str()).collect();
        if format == Format::Json {
            common::print_json(&UnknownJson {
                code: text,
                known: false,
                nearest: names,
            })?;
            return Err(Fail::reported());
        }
        return Err(Fail::finding(
            format!("`{text}` is not an Orbit rule code"),
            Some(format!(
                "the nearest codes are {}; `docs/rules.md` lists them all",
                and_list(&names)
            )),
        ));
    };
    match format {
        Format::Json => common::print_json(&RuleJson {
            code: rule.code.as_str(),
            severity: rule.code.severity().as_str(),
            title: rule.code.title(),
            reported_by: rule.reported_by(),
            source: rule.home_file(),
            checks: rule.checks,
            conventions: match rule.origin {
                Origin::Conventions(s) => Some(s),
                Origin::Reason(_) => None,
            },
            reason: match rule.origin {
                Origin::Reason(s) => Some(s),
                Origin::Conventions(_) => None,
            },
            broken: (&rule.broken).into(),
            fixed: (&rule.fixed).into(),
            prelude: PRELUDE,
        }),
        Format::Human => {
            out!("{}", rule.text());
            Ok(())
        }
    }
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!(
            "{} and `{last}`",
            init.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// `docs/rules.md`: every rule's documentation, generated from the same text as `orbit explain`
/// (written and compared by the test `committed_rules_reference_is_current`).
#[cfg(test)]
pub fn reference() -> String {
    let rules = all();
    let mut out = String::from(
        "# Orbit's rule codes\n\n\
         <!-- Generated from the documentation beside each rule's check; do not edit. \
         Regenerate with `UPDATE_RULES=1 cargo test -p orbit-cli committed_rules`. -->\n\n\
         Every finding of `orbit check`, the build, `orbit diff` and `orbit audit` has one of \
         these codes; `orbit explain ORBnnn` prints the same text for one of them. Each rule \
         is checked, documented and tested in the source file named under its heading.\n\n\
         Unless an excerpt declares `[orbit]` itself, it extends this minimal manifest:\n\n```toml\n",
    );
    out.push_str(PRELUDE);
    out.push_str("```\n\n| code | severity | what |\n|---|---|---|\n");
    for r in &rules {
        let anchor = r.code.as_str().to_ascii_lowercase();
        out.push_str(&format!(
            "| [{}](#{anchor}) | {} | {} |\n",
            r.code,
            r.code.severity(),
            r.code.title().replace('|', "\\|")
        ));
    }
    out.push('\n');
    for r in &rules {
        out.push_str(&r.markdown());
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_once() {
        let got: Vec<Code> = all().iter().map(|r| r.code).collect();
        assert_eq!(got, Code::ALL.to_vec());
    }

    #[test]
    fn codes_are_told_from_ids() {
        for yes in ["ORB406", "orb406", "ORB4O6", "ORB9999", "Orb1"] {
            assert!(looks_like_code(yes), "{yes}");
        }
        for no in [
            "ORB", "orbit", "c8fms03", "ORB-406", "ORB40666", "orbé1", "or",
        ] {
            assert!(!looks_like_code(no), "{no}");
        }
    }

    #[test]
    fn nearest_codes() {
        assert_eq!(
            nearest("ORB999"),
            [Code::Orb904, Code::Orb903, Code::Orb902]
        );
        assert_eq!(nearest("ORB406")[0], Code::Orb406);
        assert_eq!(nearest("ORB4O6")[0], Code::Orb406);
    }

    #[test]
    fn committed_rules_reference_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
        let want = reference();
        if std::env::var_os("UPDATE_RULES").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/rules.md is stale: run `UPDATE_RULES=1 cargo test -p orbit-cli committed_rules`"
        );
    }
}
