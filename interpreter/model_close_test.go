package interpreter

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/edgelite/edgelite/defaultmodel"
)

// TestCloseCancelsCleanup: Close unmaps the file, so the garbage
// collector's cleanup of the closed Model must not unmap again. The kernel
// reuses the address for the next mapping of the same size, and a second
// unmap of that address would pull the mapping from under a live Model
// (seen as a SIGSEGV reading its weights).
func TestCloseCancelsCleanup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.tflite")
	if err := os.WriteFile(path, defaultmodel.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		closed, err := LoadModelFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := closed.Close(); err != nil {
			t.Fatal(err)
		}
		closed = nil
		live, err := LoadModelFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			runtime.GC()
			time.Sleep(time.Millisecond) // let the cleanup goroutine run
		}
		sum := 0
		for _, b := range live.data {
			sum += int(b) // faults if the mapping is gone
		}
		if sum == 0 {
			t.Fatal("the model's bytes read as zero")
		}
		if err := live.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
