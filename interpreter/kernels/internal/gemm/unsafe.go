package gemm

import "unsafe"

// unsafeSlice views n elements at p, for the Go microkernels that share the
// assembly kernels' pointer signature.
func unsafeSlice[T any](p *T, n int) []T { return unsafe.Slice(p, n) }
