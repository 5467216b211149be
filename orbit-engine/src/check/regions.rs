//! Regions and their component ranges: a range that is empty or reversed (ORB020), two that
//! overlap (ORB021), a malformed region name or bound (ORB022).

use super::*;
use crate::rules::{Excerpt, Origin, Rule};

/// ORB020: region range empty or reversed.
pub(crate) const ORB020: Rule = Rule {
    code: Code::Orb020,
    home: module_path!(),
    checks: "Reports a region whose `components = [first, last]` is reversed, `last` below \
             `first`, which leaves the inclusive range empty (a range of one number, such as \
             `[8, 8]`, is valid; an array without two values is ORB003). Write the smaller \
             bound first. While a region's range is broken, components are not checked \
             against the regions (ORB203).",
    origin: Origin::Conventions(
        "K3s cluster master nodes and its components deployed in the Ohio region are \
         assigned component numbers from 101 to 200.",
    ),
    broken: Excerpt::manifest(
        r#"[region.ohio-k3s-master]
name = "Ohio K3s master nodes"
components = [200, 101]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[region.ohio-k3s-master]
name = "Ohio K3s master nodes"
components = [101, 200]
"#,
    ),
};

/// ORB021: two regions' ranges overlap.
pub(crate) const ORB021: Rule = Rule {
    code: Code::Orb021,
    home: module_path!(),
    checks: "Reports a region whose range shares at least one component number with another \
             region's, at the range of the one declared later: a component number belongs to \
             one region, which tells where its infrastructure runs. Give each region its own \
             range, as the conventions do (1–100, 101–200, 201–300).",
    origin: Origin::Conventions(
        "Infrastructure resources launched in the N. Virginia region are assigned component \
         numbers from 1 to 100. … K3s cluster master nodes and its components deployed in the \
         Ohio region are assigned component numbers from 101 to 200. … K3s agent nodes and its \
         components deployed in the Ohio region are assigned component numbers from 201 to \
         300.",
    ),
    broken: Excerpt::manifest(
        r#"[region.ohio-k3s-master]
name = "Ohio K3s master nodes"
components = [100, 200]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[region.ohio-k3s-master]
name = "Ohio K3s master nodes"
components = [101, 200]
"#,
    ),
};

/// ORB022: malformed region name (lowercase kebab-case), or a range bound that is not an
/// integer from 1 to 9999.
pub(crate) const ORB022: Rule = Rule {
    code: Code::Orb022,
    home: module_path!(),
    checks: "Reports a region name (the key of `[region.*]`) that is not lowercase \
             kebab-case, words of lowercase letters and digits joined by single hyphens and \
             starting with a letter (`ohio-k3s-master`), and a bound of a region's \
             `components` that is not an integer from 1 to 9999: zero or negative, above 9999, \
             a fraction, a quoted number or a value of another type. The help gives the \
             kebab-case name or a valid bound when there is one.",
    origin: Origin::Reason(
        "A region's name becomes a name in the generated `ids` (`n-virginia` is \
         `Region::NVirginia`), and its bounds are component numbers, which run from 1 to \
         9999.",
    ),
    broken: Excerpt::manifest(
        r#"[region.Ohio_K3s_Master]
name = "Ohio K3s master nodes"
components = [101, 200]
"#,
    ),
    fixed: Excerpt::manifest(
        r#"[region.ohio-k3s-master]
name = "Ohio K3s master nodes"
components = [101, 200]
"#,
    ),
};

impl Cx<'_> {
    /// The `[region]` tables, required (ORB003), and their ranges.
    pub(super) fn regions(&mut self, v: Option<Value<'_, '_>>) {
        let Some(v) = v else {
            self.push(
                Diagnostic::new(Code::Orb003, 0..0, "the manifest declares no `[region.*]`")
                    .with_help("declare the region ranges, e.g. `[region.n-virginia]` with `components = [1, 100]`"),
            );
            return;
        };
        let Some(all) = self.table(v, "`[region]`") else {
            return;
        };
        let mut range_spans: Vec<(usize, Range<usize>)> = Vec::new();
        // Regions whose names are malformed: kept for the range checks, then left out of
        // the model, whose generated names rely on well-formed region names.
        let mut malformed: Vec<usize> = Vec::new();
        for (key, kspan, rv) in all.in_order() {
            let Some(e) = self.table(rv, format_args!("`[region.{key}]`")) else {
                continue;
            };
            self.known_keys(&e, keys::REGION, "a region");
            if !is_kebab(key) {
                let fixed = kebab_of(&key.to_ascii_lowercase());
                self.push(
                    Diagnostic::new(
                        Code::Orb022,
                        kspan.clone(),
                        format!("malformed region name `{key}`: region names are lowercase kebab-case, words of lowercase letters and digits joined by single hyphens, starting with a letter"),
                    )
                    .with_help_opt(is_kebab(&fixed).then(|| format!("write `[region.{fixed}]`"))),
                );
                malformed.push(kspan.start);
            }
            let name = self.req_str(
                &e,
                "name",
                format_args!("region `{key}`"),
                "\"N. Virginia\"",
            );
            let doc = self.opt_str(&e, "doc").map(|s| s.0);
            let Some((_, _, cv)) = e.get("components") else {
                self.missing(
                    e.span.clone(),
                    "components",
                    format_args!("region `{key}`"),
                    "[1, 100]",
                );
                self.region_range_broken = true;
                continue;
            };
            let Some((lo, hi)) = self.region_range(key, cv) else {
                self.region_range_broken = true;
                continue;
            };
            if hi < lo {
                self.region_range_broken = true;
                self.push(
                    Diagnostic::new(
                        Code::Orb020,
                        cv.span(),
                        format!("region `{key}`'s range [{lo}, {hi}] is reversed"),
                    )
                    .with_help(format!("write `[{hi}, {lo}]`")),
                );
                continue;
            }
            range_spans.push((kspan.start, cv.span()));
            self.manifest.regions.push(Region {
                key: key.to_string(),
                name: name.map(|s| s.0).unwrap_or_default(),
                components: lo..=hi,
                doc,
                span: kspan.clone(),
            });
        }
        let mut regions = std::mem::take(&mut self.manifest.regions);
        regions.sort_by_key(|r| (*r.components.start(), r.span.start));
        let mut kept: Vec<Region> = Vec::with_capacity(regions.len());
        for r in regions {
            if let Some(prev) = kept.iter().find(|p| {
                p.components.start() <= r.components.end()
                    && r.components.start() <= p.components.end()
            }) {
                let (first, second) = if prev.span.start < r.span.start {
                    (prev, &r)
                } else {
                    (&r, prev)
                };
                let at = range_spans
                    .iter()
                    .find(|(k, _)| *k == second.span.start)
                    .map_or(second.span.clone(), |(_, s)| s.clone());
                self.push(
                    Diagnostic::new(
                        Code::Orb021,
                        at,
                        format!(
                            "region `{}` [{}, {}] overlaps region `{}` [{}, {}]",
                            second.key,
                            second.components.start(),
                            second.components.end(),
                            first.key,
                            first.components.start(),
                            first.components.end()
                        ),
                    )
                    .with_related(first.span.clone(), "overlapping region declared here")
                    .with_help("give each region its own range of component numbers"),
                );
                continue;
            }
            kept.push(r);
        }
        self.manifest.regions = kept;
        self.malformed_regions = malformed;
    }

    /// A region's `components = [first, last]`, each bound an integer from 1 to 9999, or
    /// ORB003 (not a pair) or ORB022 (a bound that is not a component number).
    pub(super) fn region_range(&mut self, key: &str, cv: Value<'_, '_>) -> Option<(u16, u16)> {
        let want = "a range of two integers, `[first, last]`";
        let items = match cv.get() {
            Ref::Array(a) if a.len() == 2 => a,
            Ref::Array(a) => {
                self.push(
                    Diagnostic::new(
                        Code::Orb003,
                        cv.span(),
                        format!(
                            "`components` must be {want}, not an array of {} {}",
                            a.len(),
                            if a.len() == 1 { "value" } else { "values" }
                        ),
                    )
                    .with_help("write the first and the last component number of the region, e.g. `[1, 100]`"),
                );
                return None;
            }
            _ => {
                self.wrong_type(cv, "components", want);
                return None;
            }
        };
        let max = id::MAX_GROUP;
        let mut bounds = [0u16; 2];
        let mut ok = true;
        for (i, item) in items.iter().enumerate().take(2) {
            let which = if i == 0 { "first" } else { "last" };
            let text = self.source.get(item.span()).unwrap_or("").trim();
            let (why, help) = match item.get() {
                Ref::Integer(Some(n)) if (1..=i64::from(max)).contains(&n) => {
                    bounds[i] = n as u16;
                    continue;
                }
                Ref::Integer(n) if n.map_or(text.starts_with('-'), |n| n < 1) => (
                    "component numbers start at 1".to_string(),
                    "write `1` or a larger number".to_string(),
                ),
                Ref::Integer(_) => (
                    format!("component numbers end at {max}"),
                    format!("write `{max}` or a smaller number"),
                ),
                Ref::Float => {
                    let help = match text.replace('_', "").parse::<f64>() {
                        Ok(f) if f.is_finite() && f >= 1.0 && f <= f64::from(max) => {
                            let (a, b) = (f.floor() as u16, f.ceil() as u16);
                            if a == b || a == 0 {
                                format!("write `{b}`")
                            } else {
                                format!("write `{a}` or `{b}`")
                            }
                        }
                        _ => format!("write a whole number from 1 to {max}"),
                    };
                    ("it is not a whole number".to_string(), help)
                }
                Ref::String(s) => (
                    "it is a string".to_string(),
                    match s.trim().parse::<u16>() {
                        Ok(n) if (1..=max).contains(&n) => format!("write `{n}` without quotes"),
                        _ => format!("write a whole number from 1 to {max}, without quotes"),
                    },
                ),
                other => (
                    format!("it is {}", type_name(&other)),
                    format!("write a whole number from 1 to {max}"),
                ),
            };
            ok = false;
            self.push(
                Diagnostic::new(
                    Code::Orb022,
                    item.span(),
                    format!(
                        "the {which} bound `{text}` of region `{key}`'s range is not a component number (an integer from 1 to {max}): {why}"
                    ),
                )
                .with_help(help),
            );
        }
        ok.then_some((bounds[0], bounds[1]))
    }
}
