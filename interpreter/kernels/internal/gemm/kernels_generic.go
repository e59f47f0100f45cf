//go:build purego || !(amd64 || arm64)

package gemm

// Supported reports whether this CPU and build can run impl's kernels.
func Supported(impl Impl) bool { return impl == Portable }

func f32KernelFor(Impl) f32Kernel { return f32Portable }

func i8KernelFor(Impl) i8Kernel { return i8Portable }
