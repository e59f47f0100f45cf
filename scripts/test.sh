#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need
# (Debian packages, the MediaPipe test models), then checks formatting,
# vets, builds pure Go and for ARM, and runs every test natively and, for
# the interpreter and its kernels, under arm64 and arm emulation; then
# again, with cgo and -tags xnnpack, the packages the XNNPACK delegate
# changes (the delegate, the tools, the delegate framework).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
step() { printf '\n== %s\n' "$*"; }

# Debian packages: qemu for the ARM test runs, npm for the test models.
need=()
command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  step "installing ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

step "XNNPACK's C libraries (for the -tags xnnpack run)"
./scripts/install-xnnpack-deps.sh

step "test models"
./scripts/fetch-models.sh

step "gofmt"
unformatted=$(gofmt -l $(git ls-files --cached --others --exclude-standard '*.go' | sort -u))
if [ -n "$unformatted" ]; then
  echo "not gofmt-ed:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "builds: pure Go, linux/arm64, linux/arm"
CGO_ENABLED=0 go build ./...
CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build ./...
CGO_ENABLED=0 GOOS=linux GOARCH=arm go build ./...

step "go test (pure Go)"
CGO_ENABLED=0 go test -count=1 ./...

step "go test under arm64 and arm emulation (interpreter, kernels, and the parsers of untrusted bytes)"
CGO_ENABLED=0 GOARCH=arm64 go test -count=1 -exec qemu-aarch64-static ./interpreter/... ./schema/... ./flexbuffers/...
CGO_ENABLED=0 GOARCH=arm go test -count=1 -exec qemu-arm-static ./interpreter/... ./schema/... ./flexbuffers/...

# The tag changes only package xnnpack (a stub without it) and what imports
# it (the tools), so only those run twice; the interpreter's delegate tests
# ride along. The models XNNPACK runs are checked through interpreter.New.
step "go test -tags xnnpack (cgo: the XNNPACK delegate, the tools with it, the delegate framework)"
go vet -tags xnnpack ./xnnpack/... ./tools/...
CGO_ENABLED=1 go test -count=1 -tags xnnpack ./xnnpack/... ./tools/... ./delegates/... ./interpreter/profiling/
CGO_ENABLED=1 go test -count=1 -tags xnnpack -run 'Delegat|Plan' ./interpreter/
