package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedUpToDate fails when the committed assembly differs from what
// this generator writes: run `go generate` in the gemm package.
func TestGeneratedUpToDate(t *testing.T) {
	for name, gen := range generated {
		var a asm
		gen(&a)
		have, err := os.ReadFile("../" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, a.Bytes()) {
			t.Errorf("%s is stale: run go generate in interpreter/kernels/internal/gemm", name)
		}
	}
}
