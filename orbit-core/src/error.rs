//! Why a text is not a declared id.

use std::fmt;

use orbit_engine::id::IdError;

/// The error of every generated `FromStr`: the text is malformed (with what is wrong and the
/// canonical spelling when clear), or well formed but not declared (with the nearest declared
/// ids).
///
/// ```
/// use orbit_core::ids::Microservice;
///
/// let err = "c8fms04".parse::<Microservice>().unwrap_err();
/// assert_eq!(err.nearest(), ["c8fms03", "c8fms09", "c8bms06"]);
/// assert_eq!(
///     err.to_string(),
///     "MID `c8fms04` is not declared in the manifest; \
///      the nearest declared: `c8fms03`, `c8fms09`, `c8bms06`"
/// );
///
/// let err = "c8fms3".parse::<Microservice>().unwrap_err();
/// assert_eq!(err.malformed().and_then(|e| e.suggestion()), Some("c8fms03"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseIdError {
    kind: &'static str,
    text: String,
    malformed: Option<IdError>,
    nearest: Vec<&'static str>,
}

impl ParseIdError {
    pub(crate) fn new(
        kind: &'static str,
        text: &str,
        malformed: Option<IdError>,
        nearest: Vec<&'static str>,
    ) -> Self {
        ParseIdError {
            kind,
            text: text.to_string(),
            malformed,
            nearest,
        }
    }

    /// What was expected: `"MID"`, `"RID"`, `"PID"`, `"flow"`, `"component"`, `"leg"` …
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The text that was parsed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The grammar error, when the text is not a well-formed id of the kind.
    pub fn malformed(&self) -> Option<&IdError> {
        self.malformed.as_ref()
    }

    /// The declared ids nearest to the text, nearest first (at most three).
    pub fn nearest(&self) -> &[&'static str] {
        &self.nearest
    }
}

impl fmt::Display for ParseIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.malformed {
            Some(e) => write!(f, "`{}`: {e}", self.text)?,
            None => write!(
                f,
                "{} `{}` is not declared in the manifest",
                self.kind, self.text
            )?,
        }
        if !self.nearest.is_empty() {
            f.write_str("; the nearest declared: ")?;
            for (i, n) in self.nearest.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "`{n}`")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ParseIdError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.malformed
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
