//go:build !purego

package gemm

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// Supported reports whether this CPU and build can run impl's kernels.
func Supported(impl Impl) bool {
	x := &cpu.X86
	avx2 := x.HasAVX2 && x.HasFMA
	avx512 := avx2 && x.HasAVX512F && x.HasAVX512BW && x.HasAVX512DQ && x.HasAVX512VL
	switch impl {
	case Portable:
		return true
	case AVX2:
		return avx2
	case AVX512:
		return avx512
	case AVX512VNNI:
		return avx512 && x.HasAVX512VNNI
	}
	return false
}

func f32KernelFor(impl Impl) f32Kernel {
	switch impl {
	case AVX2:
		return f32Kernel{mr: 6, nr: 16, fn: f32Kernel6x16AVX2, tail: f32KernelsAVX2}
	case AVX512, AVX512VNNI:
		return f32Kernel{mr: 8, nr: 32, fn: f32Kernel8x32AVX512, tail: f32KernelsAVX512}
	}
	return f32Portable
}

func i8KernelFor(impl Impl) i8Kernel {
	switch impl {
	case AVX2, AVX512:
		return i8Kernel{mr: 6, nr: 16, kg: 2, a: aInt16, fn: i8Kernel6x16AVX2, requant: requantAVX2}
	case AVX512VNNI:
		return i8Kernel{mr: 8, nr: 32, kg: 4, a: aUint8, fused: i8Kernel8x32VNNI, fusedRows: i8KernelsVNNI, packU8: xorRowsAVX512}
	}
	return i8Portable
}

// The assembly microkernels (gemm_amd64.s); see f32Kernel and i8Kernel for
// their contracts.

//go:noescape
func i8Kernel6x16AVX2(groups int, a unsafe.Pointer, lda int, b *int8, c *int32, ldc int)

//go:noescape
func requantAVX2(acc *int32, rows int, q, rowTerm *int32, zp, lo, hi int32, out *int8)

//go:noescape
func xorRowsAVX512(dst, src unsafe.Pointer, rows, k, lda, kp int)
