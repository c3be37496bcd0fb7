#!/usr/bin/env bash
# Records which functions genmon runs, for the linker's symbol ordering (Scripts/hot-code.order).
#
# A release build on Linux places these functions first and side by side, so the code genmon runs
# while it polls fills a few hundred pages instead of being spread over the whole binary: that is
# most of its resident memory (README, "Lean"). Run this after changes that move a lot of code:
#
#   swift build -c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections --product genmon
#   Scripts/record-hot-code.sh .build/release/genmon [minutes]
#
# (Swift's incremental code generation does not notice a change of -function-sections in an existing
# build directory: build into a clean one.)
#
# It runs `genmon run` under valgrind's callgrind against `genmon simulate` (9600 baud), zeroes the
# counts a minute after the first complete status, and after `minutes` (default 10) of routine polling
# writes the functions that ran then, followed by those that ran only at start-up. Names that a later
# build no longer has are skipped by the linker, so a stale list costs memory, never correctness.
# Needs valgrind and binutils (strip, nm).
set -euo pipefail
genmon=${1:?usage: record-hot-code.sh PATH-TO-RELEASE-GENMON [MINUTES]}
minutes=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# valgrind cannot read the DWARF 5 debug information Swift writes; the symbol table is enough.
strip --strip-debug -o "$work/genmon" "$genmon"
"$work/genmon" simulate --control-port 0 --baud 9600 >"$work/simulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "controller on " "$work/simulator.log" && break; sleep 0.1; done
pty=$(sed -n 's/.*controller on \([^ ]*\).*/\1/p' "$work/simulator.log" | head -1)
[ -n "$pty" ] || { echo "the simulator did not start:"; cat "$work/simulator.log"; exit 1; }
printf '[GenMon]\nport = %s\ndatadirectory = %s/data\n' "$pty" "$work" >"$work/genmon.conf"

valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/calls.%p" \
    "$work/genmon" run --config "$work/genmon.conf" --web-port 0 --socket-port 0 >"$work/run.log" 2>&1 &
pids+=($!)
run=$!
for _ in $(seq 600); do grep -q "complete status after" "$work/run.log" && break; sleep 1; done
grep -q "complete status after" "$work/run.log" || { echo "genmon did not reach a complete status:"; tail -20 "$work/run.log"; exit 1; }
sleep 60
callgrind_control --dump=start-up "$run" >/dev/null
callgrind_control --zero "$run" >/dev/null
echo "recording $minutes minutes of routine polling"
sleep $((minutes * 60))
callgrind_control --dump=routine "$run" >/dev/null
kill "$run"; wait "$run" 2>/dev/null || true

# Dumps are numbered in order: .1 is start-up, .2 routine polling.
# Into the work folder first: a failure must not leave the committed list empty.
python3 "$here/hot-code-order.py" "$work/genmon" "$work"/calls.*.2 "$work"/calls.*.1 >"$work/hot-code.order"
mv "$work/hot-code.order" "$here/hot-code.order"
echo "wrote $(wc -l <"$here/hot-code.order") functions to $here/hot-code.order"
echo "the build does not track this file: delete the release genmon binary so the next build links it again"
