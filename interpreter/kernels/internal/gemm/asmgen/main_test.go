package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedUpToDate fails when the committed assembly differs from what
// this generator writes: run `go generate` in the gemm package.
func TestGeneratedUpToDate(t *testing.T) {
	for name, gen := range map[string]func(*asm){"../gemm_amd64.s": genAMD64, "../gemm_arm64.s": genARM64} {
		var a asm
		gen(&a)
		have, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, a.Bytes()) {
			t.Errorf("%s is stale: run go generate in interpreter/kernels/internal/gemm", name)
		}
	}
}
