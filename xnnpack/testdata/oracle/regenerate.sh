#!/bin/sh
# Regenerates the tflite-oracle outputs of the two Coral classifiers (TFLite's
# wasm build, whose quantized CONV_2D/DEPTHWISE_CONV_2D/ADD run on XNNPACK)
# for the shared reference inputs. Run from the repository root with the
# oracle installed in .cache/tflite-oracle. meta.json keeps the oracle's
# model, runtime, input and output fields.
set -eu
for m in mobilenet_v1_0.25_128_quant tf2_mobilenet_v2_1.0_224_ptq; do
	tmp=$(mktemp -d)
	node .cache/tflite-oracle/oracle.js --no-profile "../shared/models/coral/$m.tflite" "$tmp" "../shared/reference/coral/$m/in0.bin" >/dev/null
	mkdir -p "xnnpack/testdata/oracle/$m"
	cp "$tmp/out0.bin" "xnnpack/testdata/oracle/$m/out0.bin"
	node -e '
const fs = require("fs"); const [src, dst, m] = process.argv.slice(1);
const j = JSON.parse(fs.readFileSync(src));
const pick = (o, ks) => Object.fromEntries(ks.filter(k => k in o).map(k => [k, o[k]]));
fs.writeFileSync(dst, JSON.stringify({model: m + ".tflite", model_sha256: j.model_sha256, outputs: j.outputs,
  inputs: j.inputs.map(i => ({...pick(i, ["index", "name", "dtype", "shape", "sha256"]), source: "../shared/reference/coral/" + m + "/in0.bin"})),
  runtime: pick(j.runtime, ["package", "wasm", "wasm_sha256"])}, null, 1));' "$tmp/meta.json" "xnnpack/testdata/oracle/$m/meta.json" "$m"
	rm -rf "$tmp"
done
