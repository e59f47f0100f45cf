package gemm

//go:generate go run ./asmgen

import "fmt"

// Impl names a family of microkernels.
type Impl uint8

const (
	// Portable is plain Go; it runs everywhere.
	Portable Impl = iota
	// AVX2 needs amd64 AVX2 and FMA.
	AVX2
	// AVX512 needs amd64 AVX-512F/BW/DQ/VL (and AVX2, FMA); int8 uses the
	// AVX2 kernel.
	AVX512
	// AVX512VNNI is AVX512 plus VPDPBUSD for int8.
	AVX512VNNI
	// NEON needs arm64 Advanced SIMD; int8 widens to int16 and uses SMLAL.
	NEON
	// NEONDot is NEON plus SDOT for int8.
	NEONDot
	numImpls
)

var implNames = [numImpls]string{"portable", "avx2", "avx512", "avx512vnni", "neon", "neondot"}

func (i Impl) String() string {
	if i < numImpls {
		return implNames[i]
	}
	return fmt.Sprintf("Impl(%d)", uint8(i))
}

// Impls lists every implementation this CPU and build can run, portable
// first and best last.
func Impls() []Impl {
	var out []Impl
	for i := Impl(0); i < numImpls; i++ {
		if Supported(i) {
			out = append(out, i)
		}
	}
	return out
}

// Best is the fastest implementation this CPU and build can run.
func Best() Impl {
	best := Portable
	for i := Impl(0); i < numImpls; i++ {
		if Supported(i) {
			best = i
		}
	}
	return best
}
