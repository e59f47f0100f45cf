//go:build !linux

package main

// memoryFootprintKB is not implemented on this platform; the memory lines
// are left out, as benchmark_model does where it cannot measure memory.
func memoryFootprintKB() (int64, bool) { return 0, false }
