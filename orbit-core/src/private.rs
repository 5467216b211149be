//! Support for generated code; not a public API (it may change in any release).

pub use orbit_engine::id::{
    blocks, ComponentId, Endpoint, FlowId, IdError, Mid, PhysicalName, Pid, RepoKind, ResourceKind,
    Rid, ServiceKind,
};
pub use orbit_engine::lookup;
pub use orbit_macros::__resolve as resolve;
#[cfg(feature = "serde")]
pub use serde;
pub use std::string::String;

pub use crate::__orbit_impl_serde as impl_serde;
pub use crate::ParseIdError;

/// `FromStr` of an enum of ids with a structure (flows, components): parse the structure (no
/// heap allocation), then binary-search its key.
pub fn parse_keyed<T: Copy + 'static, I: core::str::FromStr<Err = IdError>>(
    text: &str,
    kind: &'static str,
    key: fn(I) -> u64,
    index: &[(u64, u32)],
    all: &'static [T],
    ids: &'static [&'static str],
) -> Result<T, ParseIdError> {
    match text.parse::<I>() {
        Ok(id) => match lookup::find(index, key(id)) {
            Some(i) => Ok(all[i]),
            None => Err(ParseIdError::new(
                kind,
                text,
                None,
                lookup::nearest(text, ids, 3),
            )),
        },
        Err(e) => Err(ParseIdError::new(
            kind,
            text,
            Some(e),
            lookup::nearest(text, ids, 3),
        )),
    }
}

/// `FromStr` of an enum of MIDs, RIDs or PIDs: find the text in a compile-time table of the
/// declared texts' hashes (see [`lookup::KeyTable`]); explain a miss out of line.
#[inline]
pub fn parse_hashed<T: Copy + 'static, I: core::str::FromStr<Err = IdError>>(
    text: &str,
    kind: &'static str,
    table: &lookup::KeyTable<'static>,
    all: &'static [T],
    ids: &'static [&'static str],
) -> Result<T, ParseIdError> {
    match table.get(text, ids) {
        Some(i) => Ok(all[i]),
        None => Err(not_declared::<I>(text, kind, ids)),
    }
}

/// Why `text` is not one of `ids`: malformed (the grammar's error) or not declared, with the
/// nearest declared ids. Kept out of line so that the success path stays small.
#[cold]
#[inline(never)]
fn not_declared<I: core::str::FromStr<Err = IdError>>(
    text: &str,
    kind: &'static str,
    ids: &'static [&'static str],
) -> ParseIdError {
    let malformed = text.parse::<I>().err();
    ParseIdError::new(kind, text, malformed, lookup::nearest(text, ids, 3))
}

/// `FromStr` of an enum of names (environments, regions, legs, events): binary search.
pub fn parse_named<T: Copy + 'static>(
    text: &str,
    kind: &'static str,
    index: &[(&str, u32)],
    all: &'static [T],
    ids: &'static [&'static str],
) -> Result<T, ParseIdError> {
    match lookup::find_str(index, text) {
        Some(i) => Ok(all[i]),
        None => Err(ParseIdError::new(
            kind,
            text,
            None,
            lookup::nearest(text, ids, 3),
        )),
    }
}

/// `serde` support for a generated enum, as its id string (feature `serde`).
#[cfg(feature = "serde")]
pub struct IdVisitor<T>(core::marker::PhantomData<T>);

#[cfg(feature = "serde")]
impl<T> IdVisitor<T> {
    /// A visitor for `T`.
    pub const fn new() -> Self {
        IdVisitor(core::marker::PhantomData)
    }
}

#[cfg(feature = "serde")]
impl<T> Default for IdVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "serde")]
impl<T: core::str::FromStr<Err = ParseIdError>> serde::de::Visitor<'_> for IdVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a declared id as a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}

/// Implements `Serialize` and `Deserialize` for a generated enum (feature `serde`).
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __orbit_impl_serde {
    ($t:ident) => {
        impl $crate::__private::serde::Serialize for $t {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::__private::IdVisitor::<$t>::new())
            }
        }
    };
}

/// Without the `serde` feature, generated enums get no serde impls.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __orbit_impl_serde {
    ($t:ident) => {};
}
