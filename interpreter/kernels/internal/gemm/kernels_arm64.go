//go:build !purego

package gemm

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// Supported reports whether this CPU and build can run impl's kernels.
func Supported(impl Impl) bool {
	switch impl {
	case Portable:
		return true
	case NEON:
		return cpu.ARM64.HasASIMD
	case NEONDot:
		// HasASIMDDP is the dot product extension (HWCAP_ASIMDDP).
		return cpu.ARM64.HasASIMD && cpu.ARM64.HasASIMDDP
	}
	return false
}

func f32KernelFor(impl Impl) f32Kernel {
	switch impl {
	case NEON, NEONDot:
		return f32Kernel{mr: 8, nr: 8, fn: f32Kernel8x8NEON, tail: f32KernelsNEON}
	}
	return f32Portable
}

func i8KernelFor(impl Impl) i8Kernel {
	switch impl {
	case NEON:
		return i8Kernel{mr: 8, nr: 8, kg: 1, a: aInt16, fn: i8Kernel8x8NEON, requant: requantNEON}
	case NEONDot:
		return i8Kernel{mr: 8, nr: 8, kg: 4, a: aInt8, fn: i8Kernel8x8Dot, requant: requantNEON}
	}
	return i8Portable
}

// The assembly microkernels (gemm_arm64.s); see f32Kernel and i8Kernel for
// their contracts.

//go:noescape
func i8Kernel8x8Dot(groups int, a unsafe.Pointer, lda int, b *int8, c *int32, ldc int)

//go:noescape
func i8Kernel8x8NEON(groups int, a unsafe.Pointer, lda int, b *int8, c *int32, ldc int)

//go:noescape
func requantNEON(acc *int32, rows int, q, rowTerm *int32, zp, lo, hi int32, out *int8)
