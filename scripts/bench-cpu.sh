#!/usr/bin/env bash
# Benchmarks Edgelite's pure-Go CPU kernels on the 13 MediaPipe models and
# the three runnable Coral models, one model after the other: the median
# Invoke latency with 1 and 2 threads (tflite-benchmark's timed runs; the
# median is read from its --output_json) next to the tflite-oracle's median
# (real TensorFlow Lite, wasm with XNNPACK, SIMD, 1 thread, after 15
# warm-up runs) measured right after, and the ratios. Prints a Markdown
# table.
#
#   scripts/bench-cpu.sh [RUNS]     # RUNS timed runs each (default 10)
#
# Models: scripts/fetch-models.sh, ../shared/models/{mediapipe,coral}. The
# two selfie_segmentation models are timed in the oracle with MediaPipe's
# Convolution2DTransposeBias rewritten to TRANSPOSE_CONV
# (scripts/bench-mediapipe/rewrite); Edgelite runs the original.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-10}
oracle=${ORACLE:-.cache/tflite-oracle/oracle.js}
models=(face_detection_full_range face_detection_full_range_sparse face_detection_short_range
  hand_landmark_full hand_landmark_lite palm_detection_full palm_detection_lite pose_detection
  pose_landmark_full pose_landmark_heavy pose_landmark_lite selfie_segmentation selfie_segmentation_landscape
  mobilenet_v1_0.25_128_quant tf2_mobilenet_v2_1.0_224_ptq ssd_mobilenet_v1_coco_quant_postprocess_head_layers)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/tflite-benchmark" ./tools/tflite-benchmark
go build -o "$work/rewrite" ./scripts/bench-mediapipe/rewrite

find_model() {
  for d in testdata/models/mediapipe ../shared/models/mediapipe ../shared/models/coral; do
    if [ -f "$d/$1.tflite" ]; then echo "$d/$1.tflite"; return; fi
  done
}

# median MODEL THREADS: the median of the timed runs in ms.
median() {
  local json="$work/run.json"
  "$work/tflite-benchmark" --graph="$1" --num_threads="$2" --num_runs="$runs" --min_secs=0 \
    --warmup_runs=2 --warmup_min_secs=0 --output_json="$json" >/dev/null 2>&1 || { echo failed; return; }
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1]));
    const xs = j.inference && j.inference.samples_us;
    if (!xs || !xs.length) { console.log("n/a"); process.exit(0); }
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    console.log((m / 1000).toFixed(2));' "$json"
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on ${cpu:-unknown CPU} x $(nproc) cores, $runs timed runs each; load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo
echo "| model | Edgelite 1 thread | Edgelite 2 threads | tflite-oracle (1 thread) | 1 thread / oracle | 2 threads / oracle | 2-thread speed-up |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for m in "${models[@]}"; do
  path=$(find_model "$m")
  if [ -z "$path" ]; then
    echo "| $m | model not found | | | | | |"
    continue
  fi
  e1=$(median "$path" 1)
  e2=$(median "$path" 2)
  oracle_model=$path
  if "$work/rewrite" "$path" "$work/$m.rewritten.tflite" 2>/dev/null; then
    oracle_model="$work/$m.rewritten.tflite"
  fi
  o=n/a
  if [ -f "$oracle" ] && node "$oracle" --runs "$runs" --warmup 15 --no-profile "$oracle_model" "$work/$m.out" >"$work/$m.meta.json" 2>"$work/$m.err"; then
    o=$(node -e 'const m=JSON.parse(require("fs").readFileSync(process.argv[1])); console.log(m.timing_ms.median.toFixed(2))' "$work/$m.meta.json")
  fi
  r1=$(awk -v e="$e1" -v o="$o" 'BEGIN { if (o+0 > 0 && e+0 > 0) printf "%.2f×", e / o; else printf "n/a" }')
  r2=$(awk -v e="$e2" -v o="$o" 'BEGIN { if (o+0 > 0 && e+0 > 0) printf "%.2f×", e / o; else printf "n/a" }')
  sp=$(awk -v a="$e1" -v b="$e2" 'BEGIN { if (b+0 > 0) printf "%.2f×", a / b; else printf "n/a" }')
  note=""
  [ "$oracle_model" != "$path" ] && note=" (oracle: op rewritten)"
  echo "| \`$m\`$note | $e1 ms | $e2 ms | $o ms | $r1 | $r2 | $sp |"
done
