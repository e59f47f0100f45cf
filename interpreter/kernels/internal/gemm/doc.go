// Package gemm is Edgelite's packed matrix multiply for the CPU kernels
// that reduce to one (CONV_2D 1×1 and im2col, FULLY_CONNECTED):
//
//	C[M×N] = A[M×K] · B[K×N]
//
// A holds activations (M = output pixels or batch rows, K = input channels
// × kernel area), row-major with a row stride; B holds the constant weights,
// given as TFLite stores them: N×K row-major (OHWI). C is row-major with a
// row stride.
//
// B is packed once, at prepare time, by PackF32 or PackI8 into panels laid
// out for one microkernel implementation (Impl), together with the fused
// epilogue's constants (bias and activation clamp for float32; TFLite's
// per-channel requantization for int8). Run then packs blocks of A into
// caller-provided scratch and calls the microkernel over register tiles;
// it allocates nothing. A call computes any rectangle of C (a row range and
// a panel-aligned column range), so callers split work across the workers
// of a threadpool.Pool by rows, columns or both.
//
// Microkernels are Go assembly for amd64 (AVX-512F, AVX-512 VNNI, AVX2+FMA)
// and arm64 (NEON, SDOT), with a portable Go fallback for every other
// architecture and for the purego build tag. Best picks the fastest one the
// CPU supports; tests select each supported one explicitly.
//
// The int8 path is bit-exact with TFLite's integer kernels: int32
// accumulators of (a-za)·(b-zb) plus bias, then MultiplyByQuantizedMultiplier
// per output channel, the output zero point and the activation clamp. Its
// final right shift rounds as I8Params.Rounding says: half away from zero
// (RoundReference, the reference kernels) or half up (RoundHalfUp, ruy's
// NEON requantization that TFLite's optimized int8 CONV_2D and
// FULLY_CONNECTED use); every microkernel implements both.
// Weights may have a (per-tensor) zero point; uint8 tensors map onto int8
// exactly by flipping the sign bit of the data (x^0x80) and subtracting 128
// from the zero points and the clamp bounds.
//
// Integration (interpreter/kernels/gemm_path.go: CONV_2D, FULLY_CONNECTED,
// BATCH_MATMUL): in Prepare, PackF32 or PackI8 the weights with Best(),
// then NewF32Parallel / NewI8Parallel for the interpreter pool's worker
// count (core.EnvPool); in Eval, Parallel.Run(pool, output, N, input, K,
// M), with M the number of output pixels (or batch rows), or Run on row
// tiles from the kernel's own core.Task (im2col convolutions).
package gemm
