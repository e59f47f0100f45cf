// Package clitest helps the tests of Edgelite's command-line tools: it
// builds a tool once per test binary and runs it as a subprocess, and finds
// the shared test models and references.
package clitest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Build compiles the main package in the current directory into dir and
// returns the binary's path. Call it from TestMain. The tool is built as
// the test binary is: pure Go, or with cgo and -tags xnnpack when the
// tests run with that tag (so tag-gated tests exercise the delegate).
func Build(dir, name string) (string, error) {
	bin := filepath.Join(dir, name)
	args := []string{"build", "-o", bin}
	cgo := "CGO_ENABLED=0"
	if XNNPACK {
		args = append(args, "-tags", "xnnpack")
		cgo = "CGO_ENABLED=1"
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Env = append(os.Environ(), cgo)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// Main is a TestMain body: it builds the tool into a temporary folder,
// stores its path in *bin, runs the tests and cleans up.
func Main(m *testing.M, name string, bin *string) int {
	dir, err := os.MkdirTemp("", name+"-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if *bin, err = Build(dir, name); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// Result is the outcome of one run of a tool.
type Result struct {
	Stdout, Stderr string
	Code           int
}

// Run runs bin with args and returns its output and exit status.
func Run(t testing.TB, bin string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.Code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", bin, err)
	}
	if strings.Contains(r.Stderr, "goroutine ") || strings.Contains(r.Stderr, "panic:") {
		t.Fatalf("%s %q panicked:\n%s", filepath.Base(bin), args, r.Stderr)
	}
	return r
}

// ExpectError checks that r failed with code and printed exactly one line
// on stderr matching re.
func (r Result) ExpectError(t testing.TB, code int, re string) {
	t.Helper()
	if r.Code != code {
		t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Code, code, r.Stdout, r.Stderr)
	}
	lines := strings.Split(strings.TrimRight(r.Stderr, "\n"), "\n")
	if len(lines) != 1 {
		t.Errorf("stderr has %d lines, want 1:\n%s", len(lines), r.Stderr)
	}
	if !regexp.MustCompile(re).MatchString(lines[0]) {
		t.Errorf("stderr %q does not match %q", lines[0], re)
	}
}

// Match checks that out matches every regular expression (multi-line mode).
func Match(t testing.TB, out string, res ...string) {
	t.Helper()
	for _, re := range res {
		if !regexp.MustCompile("(?m)" + re).MatchString(out) {
			t.Errorf("output does not match %q:\n%s", re, out)
		}
	}
}

// RepoRoot returns the module root (the folder holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// Shared returns the path of p under the shared folder beside the
// repository (../shared), skipping the test when it does not exist.
func Shared(t testing.TB, p string) string {
	t.Helper()
	path := filepath.Join(RepoRoot(t), "..", "shared", p)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not found; skipping", path)
	}
	return path
}

// Model returns the path of a real test model, looking in the project's
// testdata/models (fetched by scripts) and in ../shared/models, and skips
// the test when neither has it. name is relative, e.g.
// "mediapipe/palm_detection_lite.tflite".
func Model(t testing.TB, name string) string {
	t.Helper()
	root := RepoRoot(t)
	candidates := []string{
		filepath.Join(root, "testdata", "models", name),
		filepath.Join(root, "testdata", "models", filepath.Base(name)),
		filepath.Join(root, "..", "shared", "models", name),
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	t.Skipf("model %s not found (looked at %s); skipping", name, strings.Join(candidates, ", "))
	return ""
}

// WriteFile writes data to a new file in t's temporary folder.
func WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
