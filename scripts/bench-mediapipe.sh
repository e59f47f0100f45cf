#!/usr/bin/env bash
# Benchmarks the 13 MediaPipe models with Edgelite's tflite-benchmark and
# with the tflite-oracle (real TensorFlow Lite, wasm, XNNPACK, 1 thread) in
# the same run, one model after the other, and prints a Markdown table:
# Edgelite's "Inference (avg)" next to the oracle's median.
#
#   scripts/bench-mediapipe.sh [RUNS]          # RUNS timed runs each (default 5)
#
# Models: testdata/models/mediapipe (scripts/fetch-models.sh) and
# ../shared/models/mediapipe. The oracle: .cache/tflite-oracle (see
# README.md's "Regenerating"), or ORACLE=/path/to/oracle.js. The oracle
# cannot run MediaPipe's custom op Convolution2DTransposeBias; for the two
# selfie_segmentation models it is timed on the same model with that op
# rewritten to TRANSPOSE_CONV with bias (scripts/bench-mediapipe/rewrite),
# which computes the same thing.
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
go build -o "$work/tflite-benchmark" ./tools/tflite-benchmark
go build -o "$work/rewrite" ./scripts/bench-mediapipe/rewrite

find_model() {
  for d in testdata/models/mediapipe ../shared/models/mediapipe; do
    if [ -f "$d/$1.tflite" ]; then echo "$d/$1.tflite"; return; fi
  done
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on ${cpu:-unknown CPU} x $(nproc) cores, $runs timed runs each; load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo
echo "| model | Edgelite \`Inference (avg)\` | tflite-oracle median | Edgelite / oracle |"
echo "| --- | ---: | ---: | ---: |"
for m in "${models[@]}"; do
  path=$(find_model "$m")
  if [ -z "$path" ]; then
    echo "| $m | model not found (scripts/fetch-models.sh) | | |"
    continue
  fi
  log=$("$work/tflite-benchmark" --graph="$path" --num_runs="$runs" --min_secs=0 --warmup_runs=1 --warmup_min_secs=0 2>&1) || {
    echo "| $m | failed: $(echo "$log" | grep ERROR | head -1) | | |"
    continue
  }
  edge_us=$(echo "$log" | sed -n 's/.*Inference (avg): \([0-9.e+]*\).*/\1/p')
  oracle_model=$path
  if "$work/rewrite" "$path" "$work/$m.rewritten.tflite" 2>/dev/null; then
    oracle_model="$work/$m.rewritten.tflite"
  fi
  oracle_ms=n/a
  if [ -f "$oracle" ] && node "$oracle" --runs "$runs" --warmup 15 --no-profile "$oracle_model" "$work/$m.out" >"$work/$m.meta.json" 2>"$work/$m.err"; then
    oracle_ms=$(node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(m.timing_ms.median.toFixed(2))' "$work/$m.meta.json")
  fi
  edge_ms=$(awk -v us="$edge_us" 'BEGIN { printf "%.2f", us / 1000 }')
  ratio=n/a
  if [ "$oracle_ms" != n/a ]; then
    ratio=$(awk -v e="$edge_ms" -v o="$oracle_ms" 'BEGIN { printf "%.1f×", e / o }')
  fi
  note=""
  [ "$oracle_model" != "$path" ] && note=" (oracle: op rewritten)"
  echo "| \`$m\`$note | $edge_ms ms | $oracle_ms ms | $ratio |"
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
