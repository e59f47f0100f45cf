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
// Supports and Compile; Supports also builds the node's XNNPACK runtime
// alone, so that it never accepts a node Compile rejects.
//
// What is lowered (FLOAT32 everywhere; INT8 as qs8 with per-channel qc8
// filters, UINT8 as qu8 where noted):
//
//   - CONV_2D, DEPTHWISE_CONV_2D (float, qs8/qc8, qu8; SAME through
//     XNN_FLAG_TENSORFLOW_SAME_PADDING; fused RELU/RELU_N1_TO_1/RELU6 as
//     output_min/max), TRANSPOSE_CONV and MediaPipe's
//     Convolution2DTransposeBias (deconvolution with TFLite's padding;
//     float, per-tensor qs8, qu8), FULLY_CONNECTED (float, per-tensor qs8,
//     qu8; keep_num_dims, or XNN_FLAG_TENSORFLOW_RESHAPE_2D).
//   - AVERAGE_POOL_2D (float), MAX_POOL_2D (float, qs8, qu8; 1x1 as a
//     clamp), MEAN over H and W of a 4-D tensor as global average pooling
//     (float, qs8, qu8).
//   - ADD, SUB, MUL (float, qs8, qu8), DIV, MAXIMUM, MINIMUM,
//     SQUARED_DIFFERENCE (float), with NumPy broadcasting up to 6-D.
//   - RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1 (clamp; float, qs8, qu8),
//     LOGISTIC (float, qs8, qu8), HARD_SWISH, LEAKY_RELU, ELU, PRELU
//     (static per-channel slope), SOFTMAX (beta 1), ABS, CEIL, FLOOR,
//     ROUND, NEG, SQUARE, SQRT (float).
//   - PAD, PADV2 (static paddings; float, qs8, qu8), RESHAPE, RESIZE_BILINEAR
//     (XNN_FLAG_ALIGN_CORNERS / XNN_FLAG_TENSORFLOW_LEGACY_MODE),
//     DEPTH_TO_SPACE (float), CONCATENATION (float; this XNNPACK has no
//     concatenation, so each input is zero-padded to its place and the
//     padded inputs are added: x + 0 is exact).
//   - QUANTIZE (float to qs8/qu8) and DEQUANTIZE (qs8/qu8 to float) as
//     Convert; DEQUANTIZE and DENSIFY of constant weights (fp16, int8,
//     sparse) are folded to float constants once, as TFLite's delegate
//     does.
//
// Weights must be constant (or folded from constants) at Compile time.
// The runtime is built in Compile and rebuilt by Prepare when an input's
// shape changes (this XNNPACK has no reshape of a runtime, so weights are
// packed again then). Eval copies the inputs into C buffers the runtime
// was set up with and the outputs back, so XNNPACK never holds Go
// pointers, and allocates nothing.
package xnnpack

import "errors"

// ErrNotBuilt is what New returns in a build without XNNPACK (Built is
// false).
var ErrNotBuilt = errors.New("xnnpack: this build has no XNNPACK delegate: install the C libraries (scripts/install-xnnpack-deps.sh: libxnnpack-dev libpthreadpool-dev libcpuinfo-dev) and rebuild with cgo and -tags xnnpack")

// Name is the delegate's name, as TFLite prints it for its delegate nodes.
const Name = "TfLiteXNNPackDelegate"

// Options configure the delegate.
type Options struct {
	// NumThreads overrides the interpreter's thread count for XNNPACK's
	// thread pool (0: use the partition's NumThreads).
	NumThreads int
}
