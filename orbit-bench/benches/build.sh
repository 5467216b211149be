#!/usr/bin/env bash
# Build-time benchmark of Orbit's generated ids against the floor (see BENCHMARKS.md).
#
#   orbit-bench/benches/build.sh m        # or l; ROUNDS=3 by default
#
# In one throw-away workspace (default /tmp/orbit-build-bench) it creates, for the chosen size:
#   macro-SIZE   `pub mod ids { orbit_core::manifest!("SIZE.toml"); }`
#   plain-SIZE   the same module with the macro's expansion pasted in as plain source (floor)
# and, against the project's orbit.toml:
#   calls        1,000 `mid!`/`pid!` invocations
#   consts       the same 1,000 uses written as plain constants (floor)
# Dependencies are built first; then each crate is rebuilt ROUNDS times (`touch src/lib.rs`,
# `cargo build -p CRATE`) under `/usr/bin/time -v`: wall time and peak RSS (the largest
# process: rustc). Prints one line per crate with the median and the ratios to the floor, and
# the macro's own expansion time from rustc's `-Z time-passes` (via RUSTC_BOOTSTRAP=1, which
# only unlocks the timing report on the stable compiler).
set -euo pipefail

SIZE=${1:-m}
ROUNDS=${ROUNDS:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${ORBIT_BUILD_BENCH_DIR:-/tmp/orbit-build-bench}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

# 1. The manifest and the floor's source, written by the tools of this repository.
(
  cd "$ROOT"
  cargo run -q --release -p orbit-bench --example synth -- "$SIZE" > "$WORK/$SIZE.toml"
  cargo run -q --release -p orbit-bench --example expand -- "$WORK/$SIZE.toml" > "$WORK/expansion-$SIZE.rs"
)

# 2. The crates.
crate() { # name, lib.rs content
  mkdir -p "$WORK/$1/src"
  cat > "$WORK/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
orbit-core = { path = "$ROOT/orbit-core" }
TOML
  printf '%s\n' "$2" > "$WORK/$1/src/lib.rs"
}
crate "macro-$SIZE" "pub mod ids { orbit_core::manifest!(\"$WORK/$SIZE.toml\"); }"
crate "plain-$SIZE" "#[allow(warnings)] pub mod ids;"
cp "$WORK/expansion-$SIZE.rs" "$WORK/plain-$SIZE/src/ids.rs"

# 1,000 uses of S's ids, cycling through its MIDs and PIDs, by macro and by constant.
mapfile -t MIDS < <(grep -oE '^\[microservice\.[a-z0-9]+\]' "$ROOT/orbit.toml" | sed -E 's/^\[microservice\.(.*)\]$/\1/')
mapfile -t PIDS < <(grep -oE 'pid = "[a-z0-9-]+"' "$ROOT/orbit.toml" | sed -E 's/pid = "(.*)"/\1/')
calls="pub mod ids { orbit_core::manifest!(\"$ROOT/orbit.toml\"); }
use ids::*;
pub fn uses() -> (Vec<Microservice>, Vec<Process>) { (vec!["
consts="$calls"
for i in $(seq 0 499); do
  m=${MIDS[$((i % ${#MIDS[@]}))]}
  calls+="mid!($m),"
  consts+="${m^^},"
done
calls+="], vec!["
consts+="], vec!["
for i in $(seq 0 499); do
  p=${PIDS[$((i % ${#PIDS[@]}))]}
  calls+="pid!($p),"
  c=${p^^}
  consts+="${c//-/_},"
done
calls+="]) }"
consts+="]) }"
crate calls "$calls"
crate consts "$consts"

cat > "$WORK/Cargo.toml" <<TOML
[workspace]
resolver = "2"
members = ["macro-$SIZE", "plain-$SIZE", "calls", "consts"]
TOML
# OPT_MACROS=1: what a user can add to their workspace to run proc macros optimised.
if [ "${OPT_MACROS:-0}" = 1 ]; then
  printf '\n[profile.dev.build-override]\nopt-level = 3\n' >> "$WORK/Cargo.toml"
fi
cp "$ROOT/Cargo.lock" "$WORK/Cargo.lock" 2>/dev/null || true

cd "$WORK"
export CARGO_TARGET_DIR="$WORK/target"
# Whole-crate builds, as in CI: no incremental reuse between rounds.
export CARGO_INCREMENTAL=0
# 3. Dependencies (orbit-core, orbit-macros, orbit-engine, syn …) once, and every crate once.
cargo build -q -p "plain-$SIZE" -p "macro-$SIZE" -p calls -p consts

measure() { # crate -> "wall_s rss_kb" per round, median printed
  local c=$1 walls=() rsss=()
  for _ in $(seq "$ROUNDS"); do
    touch "$WORK/$c/src/lib.rs"
    "$TIME" -v -o "$WORK/time.txt" cargo build -q -p "$c"
    walls+=("$(awk -F': ' '/Elapsed/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt")")
    rsss+=("$(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/time.txt")")
  done
  local w r
  w=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  r=$(printf '%s\n' "${rsss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$w $r"
}

report() { # crate floor
  read -r w r <<<"$(measure "$1")"
  read -r fw fr <<<"$(measure "$2")"
  awk -v c="$1" -v f="$2" -v w="$w" -v r="$r" -v fw="$fw" -v fr="$fr" 'BEGIN {
    printf "%-8s %7.2f s %8.0f MB   floor %-8s %7.2f s %8.0f MB   ratio wall %.2fx  rss %.2fx\n",
      c, w, r/1024, f, fw, fr/1024, w/fw, r/fr }'
}

echo "size $SIZE; rounds: $ROUNDS (median); OPT_MACROS=${OPT_MACROS:-0}; $(nproc) cores; $(rustc --version)"
report "macro-$SIZE" "plain-$SIZE"
report calls consts

# 4. The macro's own expansion time, as rustc reports it.
for c in "macro-$SIZE" "plain-$SIZE"; do
  touch "$WORK/$c/src/lib.rs"
  RUSTC_BOOTSTRAP=1 cargo rustc -q -p "$c" -- -Z time-passes 2>&1 \
    | awk -v c="$c" '/time: .*(expand_crate|total)$/ {print c": "$0}' | sed -E 's/ +/ /g'
done
