//! Typed event entries: timestamps and the JSON line of the README's "The conventions, in short".

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC instant with one-second precision, written as RFC 3339: `2024-10-27T10:00:00Z`.
///
/// It parses any RFC 3339 date-time: fractional seconds are dropped (the instant's whole
/// second) and an offset is converted to UTC; it always writes UTC with `Z`.
///
/// ```
/// use orbit_core::Timestamp;
///
/// let t: Timestamp = "2024-10-27T10:00:15Z".parse().unwrap();
/// assert_eq!(t.unix_seconds(), 1_730_023_215);
/// assert_eq!(t.to_string(), "2024-10-27T10:00:15Z");
///
/// let same: Timestamp = "2024-10-27T12:00:15.250+02:00".parse().unwrap();
/// assert_eq!(same, t);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    unix: i64,
}

impl Timestamp {
    /// Now, from the system clock (whole seconds).
    pub fn now() -> Self {
        let unix = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        Timestamp { unix }
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub const fn from_unix_seconds(unix: i64) -> Self {
        Timestamp { unix }
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub const fn unix_seconds(self) -> i64 {
        self.unix
    }

    /// This instant plus `seconds`.
    pub const fn plus_seconds(self, seconds: i64) -> Self {
        Timestamp {
            unix: self.unix.saturating_add(seconds),
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
const fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.unix.div_euclid(86_400);
        let secs = self.unix.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

/// Why a text is not an RFC 3339 date-time such as `2024-10-27T10:00:00Z`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTimestampError(String);

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an RFC 3339 date-time such as `2024-10-27T10:00:00Z` (fractional seconds and offsets such as `+02:00` are allowed)",
            self.0
        )
    }
}

impl std::error::Error for ParseTimestampError {}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    /// Parses an RFC 3339 date-time: `2024-10-27T10:00:00Z`, with fractional seconds
    /// (`10:00:00.123Z`; dropped, rounding toward the past, as a timestamp keeps whole
    /// seconds), a numeric offset (`+02:00`, `-05:30`, `+00:00`; converted to UTC), and
    /// lowercase `t` and `z` as RFC 3339 allows. A leap second (`:60`) is refused: it has no
    /// Unix time of its own.
    fn from_str(s: &str) -> Result<Self, ParseTimestampError> {
        let err = || ParseTimestampError(s.to_string());
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let t = s.get(r)?;
            t.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| t.parse().ok())
                .flatten()
        };
        let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(se)) = (
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19),
        ) else {
            return Err(err());
        };
        // Fractional seconds: `.` and at least one digit.
        let mut at = 19;
        if b[at] == b'.' {
            let digits = b[at + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits == 0 {
                return Err(err());
            }
            at += 1 + digits;
        }
        let offset = match &b[at..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (Some(oh), Some(om)) = (num(at + 1..at + 3), num(at + 4..at + 6)) else {
                    return Err(err());
                };
                if oh > 23 || om > 59 {
                    return Err(err());
                }
                let o = oh * 3600 + om * 60;
                if *sign == b'+' {
                    o
                } else {
                    -o
                }
            }
            _ => return Err(err()),
        };
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let month_days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if !(1..=12).contains(&mo)
            || d < 1
            || d > month_days[(mo - 1) as usize]
            || h > 23
            || mi > 59
            || se > 59
        {
            return Err(err());
        }
        Ok(Timestamp {
            unix: days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset,
        })
    }
}

/// A typed event entry; generated for every `[event.NAME]` of the manifest
/// (`ids::events::TransferInitiated`).
pub trait LogEvent {
    /// The generated microservice enum.
    type Microservice;
    /// The generated resource enum.
    type Resource;
    /// The event's name: `transfer-initiated`.
    const NAME: &'static str;
    /// The microservice that produces the event.
    const MID: Self::Microservice;
    /// The resource the event is logged to.
    const RID: Self::Resource;

    /// Calls `visit(name, value)` for every field, in declared order.
    fn visit_fields(&self, visit: &mut dyn FnMut(&'static str, &str));

    /// Appends the entry as one JSON object:
    /// `{"event":"transfer-initiated","timestamp":"2024-10-27T10:00:00Z","user":…,"image":…}`.
    fn write_json(&self, timestamp: Timestamp, out: &mut String) {
        out.push_str("{\"event\":");
        write_json_str(out, Self::NAME);
        out.push_str(",\"timestamp\":\"");
        out.push_str(&timestamp.to_string());
        out.push('"');
        self.visit_fields(&mut |name, value| {
            out.push(',');
            write_json_str(out, name);
            out.push(':');
            write_json_str(out, value);
        });
        out.push('}');
    }

    /// The entry as one JSON object (see [`LogEvent::write_json`]).
    fn to_json(&self, timestamp: Timestamp) -> String {
        let mut out = String::with_capacity(64);
        self.write_json(timestamp, &mut out);
        out
    }
}

/// Appends `s` as a JSON string literal, escaping quotes, backslashes and control characters.
pub fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for unix in [
            0,
            1_730_023_200,
            -1,
            951_782_400,
            4_107_542_399,
            -62_135_596_800,
        ] {
            let t = Timestamp::from_unix_seconds(unix);
            let back: Timestamp = t.to_string().parse().unwrap();
            assert_eq!(back, t, "{t}");
        }
        assert_eq!(
            Timestamp::from_unix_seconds(0).to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::from_unix_seconds(951_782_400).to_string(),
            "2000-02-29T00:00:00Z"
        );
        assert!("2023-02-29T00:00:00Z".parse::<Timestamp>().is_err());
        assert!("2024-10-27 10:00:00Z".parse::<Timestamp>().is_err());
        assert!("2024-10-27T24:00:00Z".parse::<Timestamp>().is_err());
    }

    #[test]
    fn rfc_3339_date_times_parse() {
        let t = |s: &str| s.parse::<Timestamp>().map(|t| t.to_string());
        let at = Ok("2024-10-27T10:00:00Z".to_string());
        for same in [
            "2024-10-27T10:00:00Z",
            "2024-10-27T10:00:00.123Z",
            "2024-10-27T10:00:00.999999999Z",
            "2024-10-27t10:00:00z",
            "2024-10-27T10:00:00+00:00",
            "2024-10-27T10:00:00-00:00",
            "2024-10-27T12:00:00+02:00",
            "2024-10-27T04:30:00.5-05:30",
            "2024-10-28T00:00:00+14:00",
        ] {
            assert_eq!(t(same), at, "{same}");
        }
        assert_eq!(
            t("2024-12-31T23:30:00-01:00").as_deref(),
            Ok("2025-01-01T00:30:00Z")
        );
        for bad in [
            "2024-10-27T10:00:00",
            "2024-10-27T10:00:00.Z",
            "2024-10-27T10:00:00.1",
            "2024-10-27T10:00:00+0200",
            "2024-10-27T10:00:00+24:00",
            "2024-10-27T10:00:00+02:60",
            "2024-10-27T10:00:60Z",
            "2024-10-27 10:00:00Z",
            "2024-10-27T10:00:00Zjunk",
            "2024-10-27T10:00:00.1é",
            "",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        write_json_str(&mut s, "a\"b\\c\nd\u{1}é");
        assert_eq!(s, r#""a\"b\\c\nd\u0001é""#);
    }
}
