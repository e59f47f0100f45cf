// Package xnnpack is Edgelite's XNNPACK delegate: it lowers partitions of a
// graph to an XNNPACK subgraph (the C library from Debian's libxnnpack-dev,
// XNNPACK of February 2022) and runs them with XNNPACK's kernels.
//
// The delegate needs cgo and the build tag xnnpack:
//
//	scripts/install-xnnpack-deps.sh
//	go test -tags xnnpack ./xnnpack/
//
// Without the tag the package is a stub whose New returns an error saying
// so. The lowering rules (which nodes the delegate takes and how their
// TFLite semantics map to XNNPACK's operators) are pure Go and shared by
// Supports and Compile, so that Supports never accepts a node Compile
// rejects.
package xnnpack

// Name is the delegate's name, as TFLite prints it for its delegate nodes.
const Name = "TfLiteXNNPackDelegate"

// Options configure the delegate.
type Options struct {
	// NumThreads overrides the interpreter's thread count for XNNPACK's
	// thread pool (0: use the partition's NumThreads).
	NumThreads int
}
