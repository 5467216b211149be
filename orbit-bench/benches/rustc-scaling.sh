#!/usr/bin/env bash
# How rustc's cost grows with the number of variants of one fieldless enum, for the shapes of
# code the generated ids could take (see BENCHMARKS.md §3, "Why L did not build").
#
#   orbit-bench/benches/rustc-scaling.sh            # N = 20000 and 40000
#   orbit-bench/benches/rustc-scaling.sh 5000 10000 50000
#
# Each case is one library crate compiled alone with `rustc --crate-type lib` (debug, as
# `cargo build` does) under GNU time: wall seconds and peak RSS. Cases:
#   enum        the enum alone, `#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]`
#   debug       the same enum also deriving `Debug` (one match arm per variant)
#   consts      the enum and one `pub const Ci: E = E::Vi;` per variant
#   all         the enum and `ALL: &[E]` written as one path per variant
#   all-used    `all`, and a function that reads `E::ALL` at run time
#   groups      the enum and `&[&[E]]` of groups of 100 paths (a leg's parts, as paths)
#   ranges      the enum, `all-used`, and the groups as `(start, end)` ranges of `ALL`
set -euo pipefail
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(20000 40000)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

gen() { # case n
  awk -v c="$1" -v n="$2" 'BEGIN {
    d = (c == "debug") ? "Debug, " : ""
    printf "#[derive(%sClone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum E {", d
    for (i = 0; i < n; i++) printf " V%d,", i
    print " }"
    if (c == "consts") for (i = 0; i < n; i++) printf "pub const C%d: E = E::V%d;\n", i, i
    if (c == "all" || c == "all-used" || c == "ranges") {
      printf "impl E { pub const ALL: &'"'"'static [E] = &["
      for (i = 0; i < n; i++) printf "E::V%d,", i
      print "]; }"
    }
    if (c == "all-used" || c == "ranges") print "pub fn at(i: usize) -> E { E::ALL[i] }"
    if (c == "groups") {
      printf "pub const GROUPS: &[&[E]] = &["
      for (i = 0; i < n; i += 100) {
        printf "&["
        for (j = i; j < i + 100 && j < n; j++) printf "E::V%d,", j
        printf "],"
      }
      print "];"
    }
    if (c == "ranges") {
      printf "pub const GROUPS: &[(u32, u32)] = &["
      for (i = 0; i < n; i += 100) printf "(%d, %d),", i, (i + 100 < n ? i + 100 : n)
      print "];"
      print "pub const fn group(g: usize) -> &'"'"'static [E] { let (a, b) = GROUPS[g]; E::ALL.split_at(a as usize).1.split_at((b - a) as usize).0 }"
      print "pub fn group_len(g: usize) -> usize { group(g).len() }"
    }
  }' > "$DIR/$1-$2.rs"
}

echo "$(rustc --version); $(nproc) cores"
printf '%-9s %7s %9s %10s\n' case N wall "peak RSS"
for n in "${SIZES[@]}"; do
  for c in enum debug consts all all-used groups ranges; do
    gen "$c" "$n"
    "$TIME" -f '%e %M' -o "$DIR/t" rustc --edition 2021 --crate-type lib \
      -o "$DIR/out.rlib" "$DIR/$c-$n.rs" 2>/dev/null || echo "fail" > "$DIR/t"
    read -r w m < "$DIR/t" || true
    printf '%-9s %7s %8ss %7.0f MB\n' "$c" "$n" "$w" "$((${m:-0} / 1024))"
  done
done
