#!/usr/bin/env bash
# Installs the pinned MediaPipe npm packages into testdata/models/ (ignored
# by git) and lays their .tflite files out as testdata/models/mediapipe/.
# Does nothing when the models are already there. Needs npm.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/testdata/models"
out="$cache/mediapipe"
packages=(
  @mediapipe/face_detection@0.4.1657300184
  @mediapipe/hands@0.4.1675469240
  @mediapipe/pose@0.5.1675469404
  @mediapipe/selfie_segmentation@0.1.1675465747
)
want=10

count() { find "$out" -maxdepth 1 -name '*.tflite' 2>/dev/null | wc -l; }
if [ "$(count)" -ge "$want" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-models: npm is not installed; it is needed to fetch the MediaPipe test models (apt-get install npm)" >&2
  exit 1
fi
mkdir -p "$cache/npm" "$out"
if [ ! -f "$cache/npm/package.json" ]; then
  printf '{"name":"edgelite-test-models","private":true}\n' >"$cache/npm/package.json"
fi
echo "fetch-models: installing ${packages[*]} into $cache/npm" >&2
(cd "$cache/npm" && npm install --no-audit --no-fund --loglevel=error "${packages[@]}")
find "$cache/npm/node_modules/@mediapipe" -name '*.tflite' -exec cp -f {} "$out/" \;
if [ "$(count)" -lt "$want" ]; then
  echo "fetch-models: expected $want .tflite files in $out, found $(count)" >&2
  exit 1
fi
echo "fetch-models: $(count) models in $out" >&2
