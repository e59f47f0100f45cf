// Command conformance regenerates the kernel conformance vectors: for every
// case of package cases it builds the single-op model, runs it through
// TensorFlow Lite with the tflite-oracle tool, and stores the inputs, the
// reference outputs and a case.json record under the output folder.
//
// Usage (from the repository root, after `npm ci` in the oracle folder):
//
//	go run ./scripts/conformance -oracle .cache/tflite-oracle \
//	    -out interpreter/kernels/testdata/conformance
//
// -run limits the cases to those whose name matches a regular expression;
// without it, folders of cases that no longer exist are removed.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/edgelite/edgelite/scripts/conformance/cases"
)

func main() {
	oracleDir := flag.String("oracle", ".cache/tflite-oracle", "folder of the tflite-oracle tool (with node_modules)")
	outDir := flag.String("out", "interpreter/kernels/testdata/conformance", "folder of the conformance vectors")
	run := flag.String("run", "", "only regenerate cases whose name matches this regular expression")
	node := flag.String("node", "node", "Node.js executable")
	flag.Parse()
	if err := generate(*oracleDir, *outDir, *run, *node); err != nil {
		fmt.Fprintln(os.Stderr, "conformance:", err)
		os.Exit(1)
	}
}

// oracleMeta is the part of the oracle's meta.json used here.
type oracleMeta struct {
	OK      bool   `json:"ok"`
	Error   string `json:"error"`
	Runtime struct {
		Package string `json:"package"`
		Wasm    string `json:"wasm"`
	} `json:"runtime"`
	ModelSHA256 string `json:"model_sha256"`
	Inputs      []struct {
		Name   string `json:"name"`
		DType  string `json:"dtype"`
		Shape  []int  `json:"shape"`
		Source string `json:"source"`
	} `json:"inputs"`
	Outputs []struct {
		Name  string `json:"name"`
		DType string `json:"dtype"`
		Shape []int  `json:"shape"`
	} `json:"outputs"`
	ExecutedNodeTypes map[string]int `json:"executed_node_types"`
}

func generate(oracleDir, outDir, run, node string) error {
	script, err := filepath.Abs(filepath.Join(oracleDir, "oracle.js"))
	if err != nil {
		return err
	}
	if _, err := os.Stat(script); err != nil {
		return fmt.Errorf("oracle not found: %w (copy shared/tools/tflite-oracle there and run npm ci)", err)
	}
	var filter *regexp.Regexp
	if run != "" {
		if filter, err = regexp.Compile(run); err != nil {
			return err
		}
	}
	tmp, err := os.MkdirTemp("", "edgelite-conformance-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	all := cases.All()
	var failed []string
	done := 0
	for _, c := range all {
		if filter != nil && !filter.MatchString(c.Name) {
			continue
		}
		if err := generateCase(c, script, node, filepath.Join(tmp, c.Name), filepath.Join(outDir, c.Name)); err != nil {
			fmt.Fprintf(os.Stderr, "FAIL %s: %v\n", c.Name, err)
			failed = append(failed, c.Name)
			continue
		}
		done++
	}
	if filter == nil {
		if err := removeStale(outDir, all); err != nil {
			return err
		}
	}
	fmt.Printf("%d cases generated, %d failed\n", done, len(failed))
	if len(failed) > 0 {
		return fmt.Errorf("the oracle failed on %s", strings.Join(failed, ", "))
	}
	return nil
}

func generateCase(c *cases.Case, script, node, work, dst string) error {
	model, err := c.Model()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	modelPath := filepath.Join(work, "model.tflite")
	if err := os.WriteFile(modelPath, model, 0o644); err != nil {
		return err
	}
	oracleOut := filepath.Join(work, "out")
	// The profiled run is kept (no --no-profile): it reports which
	// kernels computed the reference (XNNPACK or TFLite's builtin ones).
	args := append([]string{script, "--runs", "1", "--warmup", "0"}, c.Oracle.Args()...)
	args = append(args, modelPath, oracleOut)
	crafted := c.CraftedInputs()
	for i, data := range crafted {
		if data == nil {
			args = append(args, "-")
			continue
		}
		p := filepath.Join(work, fmt.Sprintf("crafted%d.bin", i))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
		args = append(args, p)
	}
	cmd := exec.Command(node, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = nil
	runErr := cmd.Run()
	raw, err := os.ReadFile(filepath.Join(oracleOut, "meta.json"))
	if err != nil {
		return fmt.Errorf("oracle: %v: %s", runErr, strings.TrimSpace(stderr.String()))
	}
	var meta oracleMeta
	if err := json.Unmarshal(raw, &meta); err != nil {
		return fmt.Errorf("oracle meta.json: %w", err)
	}
	if runErr != nil || !meta.OK {
		return fmt.Errorf("oracle: %v: %s", runErr, meta.Error)
	}
	sum := sha256.Sum256(model)
	if hex.EncodeToString(sum[:]) != meta.ModelSHA256 {
		return errors.New("the oracle ran a different model")
	}

	cfg, err := json.Marshal(c.Config)
	if err != nil {
		return err
	}
	rec := cases.Record{
		Name:        c.Name,
		Op:          c.Op,
		Config:      cfg,
		ModelSHA256: meta.ModelSHA256,
		Oracle: cases.OracleRecord{
			Options:           c.Oracle,
			Runtime:           meta.Runtime.Package + " " + meta.Runtime.Wasm,
			ExecutedNodeTypes: meta.ExecutedNodeTypes,
		},
		FloatTol: c.Tolerance(),
		OffByOne: c.OffByOne,
		Note:     c.Note,
	}
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for i, in := range meta.Inputs {
		file := fmt.Sprintf("in%d.bin", i)
		src := filepath.Join(oracleOut, file)
		source := "generated"
		if i < len(crafted) && crafted[i] != nil {
			src, source = filepath.Join(work, fmt.Sprintf("crafted%d.bin", i)), "crafted"
		}
		if err := copyFile(src, filepath.Join(dst, file)); err != nil {
			return err
		}
		rec.Inputs = append(rec.Inputs, cases.TensorRecord{File: file, Name: in.Name, DType: in.DType, Shape: nonNil(in.Shape), Source: source})
	}
	for i, out := range meta.Outputs {
		file := fmt.Sprintf("out%d.bin", i)
		if err := copyFile(filepath.Join(oracleOut, file), filepath.Join(dst, file)); err != nil {
			return err
		}
		rec.Outputs = append(rec.Outputs, cases.TensorRecord{File: file, Name: out.Name, DType: out.DType, Shape: nonNil(out.Shape)})
	}
	js, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dst, "case.json"), append(js, '\n'), 0o644)
}

func nonNil(s []int) []int {
	if s == nil {
		return []int{}
	}
	return s
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// removeStale deletes case folders (those with a case.json) whose case no
// longer exists.
func removeStale(outDir string, all []*cases.Case) error {
	keep := map[string]bool{}
	for _, c := range all {
		keep[c.Name] = true
	}
	entries, err := os.ReadDir(outDir)
	if err != nil {
		return err
	}
	var stale []string
	for _, e := range entries {
		if !e.IsDir() || keep[e.Name()] {
			continue
		}
		if _, err := os.Stat(filepath.Join(outDir, e.Name(), "case.json")); err == nil {
			stale = append(stale, e.Name())
		}
	}
	sort.Strings(stale)
	for _, name := range stale {
		fmt.Println("removing stale case", name)
		if err := os.RemoveAll(filepath.Join(outDir, name)); err != nil {
			return err
		}
	}
	return nil
}
