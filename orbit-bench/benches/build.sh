#!/usr/bin/env bash
# Build-time benchmark of Orbit's generated ids against the floor (see BENCHMARKS.md).
#
#   orbit-bench/benches/build.sh m        # or l; ROUNDS=3 by default
#   INSTRUCTIONS=1 orbit-bench/benches/build.sh m   # instructions instead of time (callgrind)
#
# In one throw-away workspace (default /tmp/orbit-build-bench) it creates, for the chosen size:
#   macro-SIZE   `pub mod ids { orbit_core::manifest!("SIZE.toml"); }`
#   plain-SIZE   the same module with the macro's expansion pasted in as plain source (floor)
# and, against the project's orbit.toml:
#   calls        1,000 `mid!`/`pid!` invocations
#   consts       the same 1,000 uses written as plain constants (floor)
# Dependencies are built first; then each crate and its floor are rebuilt ROUNDS times,
# alternately (`touch src/lib.rs`, `cargo build -p CRATE`), under `/usr/bin/time -v`: wall time,
# peak RSS (the largest process: rustc) and CPU time (user + system, steadier than wall time on
# a shared machine). Prints one line per pair with the medians and the ratios to the floor, and
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

# INSTRUCTIONS=1: count instead of timing. rustc runs under callgrind for the two crates of the
# pair (only them: a RUSTC_WORKSPACE_WRAPPER picks them out), and the script prints the
# instructions of each build and of its `expand_crate` (macro expansion, the macro's own
# work included). Counts do not move with the machine's load; each build takes minutes.
if [ "${INSTRUCTIONS:-0}" = 1 ]; then
  command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
  cat > "$WORK/callgrind-rustc" <<'SH'
#!/usr/bin/env bash
# RUSTC_WORKSPACE_WRAPPER: rustc under callgrind for the crate named $ORBIT_VG_CRATE only.
rustc=$1
shift
case " $* " in
  *" --crate-name $ORBIT_VG_CRATE "*)
    exec valgrind -q --tool=callgrind --callgrind-out-file="$ORBIT_VG_OUT" "$rustc" "$@" ;;
  *) exec "$rustc" "$@" ;;
esac
SH
  chmod +x "$WORK/callgrind-rustc"
  count() { # crate -> "total expand_crate" instructions
    local name=${1//-/_}
    touch "$WORK/$1/src/lib.rs"
    ORBIT_VG_CRATE=$name ORBIT_VG_OUT="$WORK/callgrind.$name" \
      RUSTC_WORKSPACE_WRAPPER="$WORK/callgrind-rustc" cargo build -q -p "$1"
    callgrind_annotate --inclusive=yes "$WORK/callgrind.$name" 2>/dev/null | awk '
      /PROGRAM TOTALS/ {gsub(",", "", $1); t = $1}
      /expand_crate/ && !e {gsub(",", "", $1); e = $1}
      END {print t, e}'
  }
  echo "size $SIZE; instructions (callgrind of rustc); OPT_MACROS=${OPT_MACROS:-0}; $(rustc --version)"
  read -r mt me <<<"$(count "macro-$SIZE")"
  read -r pt pe <<<"$(count "plain-$SIZE")"
  awk -v c="macro-$SIZE" -v f="plain-$SIZE" -v mt="$mt" -v me="$me" -v pt="$pt" -v pe="$pe" 'BEGIN {
    printf "%s %.3f G (expand_crate %.3f G)   floor %s %.3f G (expand_crate %.3f G)   ratio %.3fx\n",
      c, mt / 1e9, me / 1e9, f, pt / 1e9, pe / 1e9, mt / pt
    printf "the macro'"'"'s own: %.3f G = %.1f%% of %s'"'"'s build\n", (me - pe) / 1e9, 100 * (me - pe) / mt, c }'
  echo "profiles: $WORK/callgrind.${SIZE/#/macro_} and $WORK/callgrind.${SIZE/#/plain_} (callgrind_annotate)"
  exit 0
fi

round() { # crate -> "wall_s rss_kb cpu_s" of one rebuild
  touch "$WORK/$1/src/lib.rs"
  "$TIME" -v -o "$WORK/time.txt" cargo build -q -p "$1"
  awk -F': ' '
    /Elapsed/ {n=split($2,a,":"); w=0; for(i=1;i<=n;i++) w=w*60+a[i]}
    /Maximum resident/ {r=$2}
    /User time/ {u=$2}
    /System time/ {s=$2}
    END {print w, r, u+s}' "$WORK/time.txt"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

report() { # crate floor: ROUNDS rounds, the two crates alternating so that a change of load
  # on the machine falls on both; medians of wall time, peak RSS and CPU (user + system).
  local cw=() cr=() cc=() fw=() fr=() fc=() w r c
  for _ in $(seq "$ROUNDS"); do
    read -r w r c <<<"$(round "$1")"; cw+=("$w"); cr+=("$r"); cc+=("$c")
    read -r w r c <<<"$(round "$2")"; fw+=("$w"); fr+=("$r"); fc+=("$c")
  done
  awk -v c="$1" -v f="$2" \
    -v w="$(printf '%s\n' "${cw[@]}" | median)" -v r="$(printf '%s\n' "${cr[@]}" | median)" \
    -v u="$(printf '%s\n' "${cc[@]}" | median)" -v fw="$(printf '%s\n' "${fw[@]}" | median)" \
    -v fr="$(printf '%s\n' "${fr[@]}" | median)" -v fu="$(printf '%s\n' "${fc[@]}" | median)" 'BEGIN {
    printf "%-8s %7.2f s %8.0f MB %7.2f s cpu   floor %-8s %7.2f s %8.0f MB %7.2f s cpu   ratio wall %.2fx  rss %.2fx  cpu %.2fx\n",
      c, w, r/1024, u, f, fw, fr/1024, fu, w/fw, r/fr, u/fu }'
}

echo "size $SIZE; rounds: $ROUNDS (median); OPT_MACROS=${OPT_MACROS:-0}; $(nproc) cores; $(rustc --version)"
report "macro-$SIZE" "plain-$SIZE"
report calls consts

# 4. The macro's own expansion time, as rustc reports it: `expand_crate` and `total` of
# `-Z time-passes`, ROUNDS times for each crate alternately, medians.
passes() { # crate -> "expand_s total_s"
  touch "$WORK/$1/src/lib.rs"
  RUSTC_BOOTSTRAP=1 cargo rustc -q -p "$1" -- -Z time-passes 2>&1 \
    | awk '/time: .*expand_crate$/ {e=$2} /time: .*total$/ {t=$2} END {print e+0, t+0}'
}
me=() mt=() pe=() pt=()
for _ in $(seq "$ROUNDS"); do
  read -r e t <<<"$(passes "macro-$SIZE")"; me+=("$e"); mt+=("$t")
  read -r e t <<<"$(passes "plain-$SIZE")"; pe+=("$e"); pt+=("$t")
done
awk -v c="macro-$SIZE" -v f="plain-$SIZE" \
  -v me="$(printf '%s\n' "${me[@]}" | median)" -v mt="$(printf '%s\n' "${mt[@]}" | median)" \
  -v pe="$(printf '%s\n' "${pe[@]}" | median)" -v pt="$(printf '%s\n' "${pt[@]}" | median)" 'BEGIN {
  printf "expand_crate %s %.3f s, %s %.3f s: the macro'"'"'s own %.3f s = %.1f%% of %s'"'"'s rustc total %.3f s (floor total %.3f s)\n",
    c, me, f, pe, me - pe, 100 * (me - pe) / mt, c, mt, pt }'
