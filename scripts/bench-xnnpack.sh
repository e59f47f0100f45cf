#!/usr/bin/env bash
# Benchmarks the 13 MediaPipe models three ways, one model after the other:
# Edgelite's CPU kernels, Edgelite with its XNNPACK delegate
# (tflite-benchmark --use_xnnpack=true, built with cgo and -tags xnnpack),
# each with 1 and 2 threads ("Inference (avg)", the mean of the timed runs,
# and in parentheses the fastest run),
# and the tflite-oracle (real TensorFlow Lite, wasm with XNNPACK, SIMD,
# single-threaded: its median after 15 warm-up runs). Prints a Markdown
# table.
#
#   scripts/bench-xnnpack.sh [RUNS]     # RUNS timed runs each (default 5)
#
# Needs scripts/install-xnnpack-deps.sh. Models and oracle as in
# scripts/bench-mediapipe.sh (the two selfie_segmentation models are timed
# in the oracle with Convolution2DTransposeBias rewritten to TRANSPOSE_CONV).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-5}
oracle=${ORACLE:-.cache/tflite-oracle/oracle.js}
models=(face_detection_full_range face_detection_full_range_sparse face_detection_short_range
  hand_landmark_full hand_landmark_lite palm_detection_full palm_detection_lite pose_detection
  pose_landmark_full pose_landmark_heavy pose_landmark_lite selfie_segmentation selfie_segmentation_landscape)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=1 go build -tags xnnpack -o "$work/tflite-benchmark" ./tools/tflite-benchmark
go build -o "$work/rewrite" ./scripts/bench-mediapipe/rewrite

find_model() {
  for d in testdata/models/mediapipe ../shared/models/mediapipe; do
    if [ -f "$d/$1.tflite" ]; then echo "$d/$1.tflite"; return; fi
  done
}

# bench MODEL THREADS [FLAGS...]: prints "Inference (avg)" and the fastest
# timed run in ms, with "*" when a delegate was asked for and did not take
# the whole graph.
bench() {
  local path=$1 threads=$2 log us min mark=""
  shift 2
  log=$("$work/tflite-benchmark" --graph="$path" --num_threads="$threads" --num_runs="$runs" --min_secs=0 \
    --warmup_runs=1 --warmup_min_secs=0 "$@" 2>&1) || { echo "failed"; return; }
  if [ $# -gt 0 ] && ! grep -q "completely executed by the delegate" <<<"$log"; then mark="*"; fi
  us=$(sed -n 's/.*Inference (avg): \([0-9.e+]*\).*/\1/p' <<<"$log")
  # The timed runs' statistics are the last "count=" line.
  min=$(grep '^INFO: count=' <<<"$log" | tail -1 | sed -n 's/.* min=\([0-9]*\) .*/\1/p')
  awk -v us="$us" -v min="$min" -v m="$mark" 'BEGIN { printf "%.2f (%.2f)%s", us / 1000, min / 1000, m }'
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on ${cpu:-unknown CPU} x $(nproc) cores, $runs timed runs each; load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo
echo "| model | CPU, 1 thread | XNNPACK, 1 thread | CPU, 2 threads | XNNPACK, 2 threads | tflite-oracle median (1 thread) | XNNPACK 1 thread (avg) / oracle |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for m in "${models[@]}"; do
  path=$(find_model "$m")
  if [ -z "$path" ]; then
    echo "| $m | model not found (scripts/fetch-models.sh) | | | | | |"
    continue
  fi
  c1=$(bench "$path" 1)
  x1=$(bench "$path" 1 --use_xnnpack=true)
  c2=$(bench "$path" 2)
  x2=$(bench "$path" 2 --use_xnnpack=true)
  oracle_model=$path
  if "$work/rewrite" "$path" "$work/$m.rewritten.tflite" 2>/dev/null; then
    oracle_model="$work/$m.rewritten.tflite"
  fi
  oracle_ms=n/a
  if [ -f "$oracle" ] && node "$oracle" --runs "$runs" --warmup 15 --no-profile "$oracle_model" "$work/$m.out" >"$work/$m.meta.json" 2>"$work/$m.err"; then
    oracle_ms=$(node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(m.timing_ms.median.toFixed(2))' "$work/$m.meta.json")
  fi
  ratio=n/a
  if [ "$oracle_ms" != n/a ] && [ "$x1" != failed ]; then
    ratio=$(awk -v e="${x1%% *}" -v o="$oracle_ms" 'BEGIN { printf "%.2f×", e / o }')
  fi
  note=""
  [ "$oracle_model" != "$path" ] && note=" (oracle: op rewritten)"
  echo "| \`$m\`$note | $c1 ms | $x1 ms | $c2 ms | $x2 ms | $oracle_ms ms | $ratio |"
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null). \"*\": the delegate did not take the whole model."
