// Package kernels holds Edgelite's CPU kernels for TFLite's builtin
// operators, one file per op family, and Builtins, the resolver that
// registers them all with the op versions they implement.
//
// Every kernel follows the semantics of TFLite's reference kernels
// (tensorflow/lite/kernels and kernels/internal/reference): the same shape
// rules, the same fused-activation clamps and the same rounding. Prepare
// validates the node and rejects whatever is not supported with an error
// that names the node; Eval only does arithmetic and does not allocate.
package kernels
