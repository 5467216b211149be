//! Tables with one entry per variant, the methods that read them, and the look-up tables of
//! `FromStr`.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, ToTokens};

use super::super::names::ident;
use super::source::List;
use super::tokens::{doc, idx, lit};
use super::Sound;
use crate::id::Endpoint;
use crate::lookup;

/// A `#[doc(hidden)] const` array with one value per variant, and an accessor.
pub(super) fn table<V: ToTokens>(
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    values: Vec<V>,
    empty: bool,
) -> TokenStream {
    let read = |t: &proc_macro2::Ident| quote!(Self::#t[self as usize]);
    table_method(method, method_doc, ty.clone(), ty, values, read, empty)
}

/// A [`table`] of entries written as source (see [`List`]).
pub(super) fn table_list(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    list: List,
    empty: bool,
) -> TokenStream {
    let read = |t: &proc_macro2::Ident| quote!(Self::#t[self as usize]);
    table_items(
        method,
        method_doc,
        ty.clone(),
        ty,
        list.array(s),
        read,
        empty,
    )
}

/// A `const fn METHOD(self) -> RET` reading a hidden table `__METHOD: &[ELEM]` of one value
/// per variant with `read` (given the table's name); `match self {}` for an empty enum.
/// Single-token values (literals) are best passed as [`Literal`]s: each `TokenStream` value
/// is a stream of its own that the proc-macro bridge must flush and copy into the table.
pub(super) fn table_method<V: ToTokens>(
    method: &str,
    method_doc: &str,
    elem: TokenStream,
    ret: TokenStream,
    values: Vec<V>,
    read: impl FnOnce(&proc_macro2::Ident) -> TokenStream,
    empty: bool,
) -> TokenStream {
    let array = quote!(&[#(#values),*]);
    table_items(method, method_doc, elem, ret, array, read, empty)
}

/// [`table_method`] with the table's `&[…]` given whole.
pub(super) fn table_items(
    method: &str,
    method_doc: &str,
    elem: TokenStream,
    ret: TokenStream,
    array: TokenStream,
    read: impl FnOnce(&proc_macro2::Ident) -> TokenStream,
    empty: bool,
) -> TokenStream {
    let m = ident(method, Span::call_site());
    let t = ident(
        &format!("__{}", method.to_ascii_uppercase()),
        Span::call_site(),
    );
    let d = doc(method_doc);
    let body = if empty {
        quote!(match self {})
    } else {
        read(&t)
    };
    quote! {
        #[doc(hidden)]
        pub const #t: &'static [#elem] = #array;
        #d
        pub const fn #m(self) -> #ret { #body }
    }
}

/// A method returning a value of another closed enum, from a table of indexes into its `ALL`:
/// integers keep big expansions light for the compiler, where a path per entry is resolved
/// and type-checked one by one.
pub(super) fn index_table(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    indexes: Vec<u32>,
    empty: bool,
) -> TokenStream {
    let values = List::of(indexes, |l, i| l.int(i.into(), ""));
    let read = |t: &proc_macro2::Ident| quote!(#ty::ALL[Self::#t[self as usize] as usize]);
    table_items(
        method,
        method_doc,
        quote!(u32),
        ty.clone(),
        values.array(s),
        read,
        empty,
    )
}

/// [`index_table`] when every entry has an index, otherwise (never for a sound manifest) a
/// [`table`] of the paths `paths` gives.
pub(super) fn ref_table(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    indexes: Option<Vec<u32>>,
    paths: impl FnOnce() -> Vec<TokenStream>,
    empty: bool,
) -> TokenStream {
    match indexes {
        Some(ix) => index_table(s, method, method_doc, ty, ix, empty),
        None => table(method, method_doc, ty, paths(), empty),
    }
}

/// The half-open range `[start, end)` of `positions` when they are consecutive and ascending
/// (members listed in the other enum's canonical order), `None` otherwise.
pub(super) fn run(positions: impl IntoIterator<Item = usize>) -> Option<(u32, u32)> {
    let mut it = positions.into_iter();
    let Some(first) = it.next() else {
        return Some((0, 0));
    };
    let mut end = first + 1;
    for p in it {
        if p != end {
            return None;
        }
        end += 1;
    }
    Some((u32::try_from(first).ok()?, u32::try_from(end).ok()?))
}

/// A method returning a slice of another closed enum's `ALL`, from a table of `(start, end)`
/// ranges: members listed in canonical order are a run of `ALL`, so one pair of integers per
/// entry replaces a path per member (50,000 `Process::…` paths for the legs of L, which rustc
/// resolves, type-checks and validates against every variant). Falls back to a [`table`] of the
/// paths `paths` gives when some entry is not a run (never for a sound manifest).
pub(super) fn range_table(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    ranges: Option<Vec<(u32, u32)>>,
    paths: impl FnOnce() -> Vec<TokenStream>,
    empty: bool,
) -> TokenStream {
    let Some(ranges) = ranges else {
        return table(method, method_doc, quote!(&'static [#ty]), paths(), empty);
    };
    let values = List::of(ranges, |l, (a, b)| l.pair(a.into(), b.into()));
    let read = |t: &proc_macro2::Ident| {
        quote! {
            let (start, end) = Self::#t[self as usize];
            #ty::ALL.split_at(start as usize).1.split_at((end - start) as usize).0
        }
    };
    table_items(
        method,
        method_doc,
        quote!((u32, u32)),
        quote!(&'static [#ty]),
        values.array(s),
        read,
        empty,
    )
}

/// A [`range_table`] of each component's members among `items` (MIDs or RIDs, in their
/// enum's canonical order), found by `component` (the member's component number).
pub(super) fn component_members<T>(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ty: TokenStream,
    items: &[T],
    component: impl Fn(&T) -> u16,
    path: impl Fn(&T) -> TokenStream,
) -> TokenStream {
    let runs = s
        .components
        .iter()
        .map(|c| {
            run(items
                .iter()
                .enumerate()
                .filter(|(_, x)| component(x) == c.id.0)
                .map(|(i, _)| i))
        })
        .collect::<Option<Vec<_>>>();
    let paths = || {
        s.components
            .iter()
            .map(|c| {
                let p = items.iter().filter(|x| component(x) == c.id.0).map(&path);
                quote!(&[#(#p),*])
            })
            .collect()
    };
    range_table(
        s,
        method,
        method_doc,
        ty,
        runs,
        paths,
        s.components.is_empty(),
    )
}

/// The top bit of an [`end_table`] entry: the index is into `Resource::ALL`.
pub(super) const END_RESOURCE: u32 = 1 << 31;

/// A step's start or end ([`index_table`] for `ProcessEnd`): an index into
/// `Microservice::ALL`, or into `Resource::ALL` with [`END_RESOURCE`] set. Falls back to a
/// table of paths if an end has no index (never for a sound manifest).
pub(super) fn end_table(
    s: &Sound<'_>,
    method: &str,
    method_doc: &str,
    ends: impl Iterator<Item = Endpoint> + Clone,
    empty: bool,
) -> TokenStream {
    let Some(indexes) = ends
        .clone()
        .map(|e| s.end_index(e))
        .collect::<Option<Vec<u32>>>()
    else {
        let paths = ends.map(|e| s.end_path(e)).collect();
        return table(method, method_doc, quote!(ProcessEnd), paths, empty);
    };
    let values = List::of(indexes, |l, i| l.int(i.into(), ""));
    let read = |t: &proc_macro2::Ident| {
        quote! {
            let x = Self::#t[self as usize];
            if x & #END_RESOURCE == 0 {
                ProcessEnd::Microservice(Microservice::ALL[x as usize])
            } else {
                ProcessEnd::Resource(Resource::ALL[(x & !#END_RESOURCE) as usize])
            }
        }
    };
    table_items(
        method,
        method_doc,
        quote!(u32),
        quote!(ProcessEnd),
        values.array(s),
        read,
        empty,
    )
}

/// `id()` decoded from one integer key per variant (see [`crate::lookup`]): a `u64` per id
/// instead of a struct literal keeps big expansions small.
pub(super) fn key_table(
    s: &Sound<'_>,
    method_doc: &str,
    ty: TokenStream,
    decode: TokenStream,
    keys: Vec<u64>,
    empty: bool,
) -> TokenStream {
    let d = doc(method_doc);
    let k = List::of(keys, |l, k| l.int(k, "")).array(s);
    let body = if empty {
        quote!(match self {})
    } else {
        quote!(__orbit::lookup::#decode(Self::__KEY[self as usize]))
    };
    quote! {
        #[doc(hidden)]
        pub const __KEY: &'static [u64] = #k;
        #d
        pub const fn id(self) -> #ty { #body }
    }
}

pub(super) fn keyed_index(mut keys: Vec<(u64, usize)>) -> TokenStream {
    keys.sort_unstable();
    let k = keys.iter().map(|(k, i)| {
        let k = Literal::u64_unsuffixed(*k);
        let i = idx(*i);
        quote!((#k, #i))
    });
    quote!(&[#(#k),*])
}

pub(super) fn named_index(mut names: Vec<(String, usize)>) -> TokenStream {
    names.sort();
    let k = names.iter().map(|(k, i)| {
        let k = lit(k);
        let i = idx(*i);
        quote!((#k, #i))
    });
    quote!(&[#(#k),*])
}

pub(super) fn parse_keyed(ty: TokenStream, key: TokenStream, index: TokenStream) -> TokenStream {
    quote! {
        const INDEX: &[(u64, u32)] = #index;
        __orbit::parse_keyed::<Self, #ty>(text, Self::KIND, #key, INDEX, Self::ALL, Self::__IDS)
    }
}

/// `FromStr` through a [`lookup::KeyTable`] of the texts' [`lookup::hash`]es: one hash, usually
/// one probe, one comparison with the declared text; the structural parse (`ty`) only runs,
/// out of line, to explain a text that is not declared.
pub(super) fn parse_hashed(s: &Sound<'_>, ty: TokenStream, ids: &[String]) -> TokenStream {
    let hashes: Vec<u64> = ids.iter().map(|t| lookup::hash(t)).collect();
    let table = key_table_lit(s, &hashes);
    quote! {
        const TABLE: __orbit::lookup::KeyTable<'static> = #table;
        __orbit::parse_hashed::<Self, #ty>(text, Self::KIND, &TABLE, Self::ALL, Self::__IDS)
    }
}

/// A `KeyTable` literal over `hashes` (see [`lookup::key_table`]).
pub(super) fn key_table_lit(s: &Sound<'_>, hashes: &[u64]) -> TokenStream {
    let (bits, slots) = lookup::key_table(hashes);
    let bits = Literal::u32_unsuffixed(bits);
    let slots = List::of(slots, |l, x| l.int(x.into(), "")).array(s);
    quote!(__orbit::lookup::KeyTable { bits: #bits, slots: #slots })
}

pub(super) fn parse_named(index: TokenStream) -> TokenStream {
    quote! {
        const INDEX: &[(&str, u32)] = #index;
        __orbit::parse_named(text, Self::KIND, INDEX, Self::ALL, Self::__IDS)
    }
}

#[cfg(test)]
mod tests {
    use super::run;

    #[test]
    fn runs_are_consecutive_ascending_positions() {
        assert_eq!(run([3, 4, 5]), Some((3, 6)));
        assert_eq!(run([7]), Some((7, 8)));
        assert_eq!(run(std::iter::empty()), Some((0, 0)));
        assert_eq!(run([3, 5]), None);
        assert_eq!(run([4, 3]), None);
        assert_eq!(run([2, 2]), None);
    }
}
