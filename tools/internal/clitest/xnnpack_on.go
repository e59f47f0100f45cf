//go:build xnnpack && cgo

package clitest

// XNNPACK reports whether the tests (and the tools Build makes) have the
// XNNPACK delegate.
const XNNPACK = true
