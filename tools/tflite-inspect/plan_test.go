package main

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/edgelite/edgelite/defaultmodel"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
	"github.com/edgelite/edgelite/tools/internal/clitest"
)

// planModel is x -> ADD -> TANH -> EXP -> MUL -> ADD -> y with a side
// branch: EXP is not one of the reference delegate's ops, so the chain
// splits into two partitions around it.
func planModel(t *testing.T) []byte {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 4})
	var ts []int
	for i := range 5 {
		ts = append(ts, g.Tensor(fmt.Sprintf("t%d", i), core.Float32, []int{1, 4}))
	}
	g.Op(tflite.BuiltinOperatorADD, []int{x, x}, []int{ts[0]}, &tflite.AddOptionsT{})
	g.Op(tflite.BuiltinOperatorTANH, []int{ts[0]}, []int{ts[1]}, nil)
	g.Op(tflite.BuiltinOperatorEXP, []int{ts[1]}, []int{ts[2]}, nil)
	g.Op(tflite.BuiltinOperatorMUL, []int{ts[2], ts[0]}, []int{ts[3]}, &tflite.MulOptionsT{})
	g.Op(tflite.BuiltinOperatorADD, []int{ts[3], x}, []int{ts[4]}, &tflite.AddOptionsT{})
	g.Inputs(x)
	g.Outputs(ts[4])
	return b.MustBytes()
}

func TestPlanText(t *testing.T) {
	model := clitest.WriteFile(t, "plan.tflite", planModel(t))
	out := inspectOK(t, "--plan", model)
	clitest.Match(t, out,
		`^Delegation plan: delegates EdgeliteReferenceDelegate; min nodes per partition 0, max partitions 0 \(0: no limit\)$`,
		`^  Subgraph 0 "main": 4 of 5 operators delegated in 2 partition\(s\), 1 on the CPU$`,
		`^    Partition 0: EdgeliteReferenceDelegate, 2 operator\(s\) \[0-1\] as node 5; inputs \[0\] outputs \[1 2\]$`,
		`^    Partition 1: EdgeliteReferenceDelegate, 2 operator\(s\) \[3-4\] as node 6; inputs \[3 1 0\] outputs \[5\]$`,
		`^    CPU: \[2\]$`,
		`^    Execution order: P0 2 P1$`,
		`^      operator 2 \(EXP\) by EdgeliteReferenceDelegate: op EXP is not one of the delegate's$`,
	)
	// The limits reach the partitioner: one partition of two is kept.
	out = inspectOK(t, "--plan", "--plan-max-partitions=1", model)
	clitest.Match(t, out,
		`^  Subgraph 0 "main": 2 of 5 operators delegated in 1 partition\(s\), 3 on the CPU$`,
		`^      operator 3 \(MUL\) by EdgeliteReferenceDelegate: over MaxPartitions$`,
	)
	out = inspectOK(t, "--plan", "--plan-min-nodes=3", model)
	clitest.Match(t, out,
		`^  Subgraph 0 "main": 0 of 5 operators delegated in 0 partition\(s\), 5 on the CPU$`,
		`^      2 ADD operators \[0 4\] by EdgeliteReferenceDelegate: partition smaller than MinNodesPerPartition$`,
	)
	if strings.Contains(inspectOK(t, model), "Delegation plan") {
		t.Error("plan printed without --plan")
	}
}

func TestPlanJSON(t *testing.T) {
	model := clitest.WriteFile(t, "plan.tflite", planModel(t))
	var rep Report
	if err := json.Unmarshal([]byte(inspectOK(t, "--json", "--plan", "--plan-delegate=reference,reference", model)), &rep); err != nil {
		t.Fatal(err)
	}
	p := rep.Plan
	if p == nil || len(p.Subgraphs) != 1 || len(p.Delegates) != 2 {
		t.Fatalf("plan %+v", p)
	}
	s := p.Subgraphs[0]
	if !s.Offered || s.Operators != 5 || s.Delegated != 4 || fmt.Sprint(s.CPUNodes) != "[2]" {
		t.Errorf("subgraph %+v", s)
	}
	if len(s.Partitions) != 2 || fmt.Sprint(s.Partitions[1].Nodes) != "[3 4]" || s.Partitions[1].NodeIndex != 6 || s.Partitions[1].DelegateIndex != 0 {
		t.Errorf("partitions %+v", s.Partitions)
	}
	// EXP is refused by both delegates, in order.
	if len(s.Refusals) != 2 || s.Refusals[0].Node != 2 || s.Refusals[0].Kind != "unsupported" || s.Refusals[1].Delegate != "EdgeliteReferenceDelegate" {
		t.Errorf("refusals %+v", s.Refusals)
	}
	if fmt.Sprint(s.Steps) != "[{5 0} {2 -1} {6 1}]" {
		t.Errorf("steps %v", s.Steps)
	}
}

func TestPlanErrors(t *testing.T) {
	model := clitest.WriteFile(t, "plan.tflite", planModel(t))
	clitest.Run(t, bin, "--plan", "--plan-delegate=gpu", model).ExpectError(t, 2, `^tflite-inspect: unknown delegate "gpu" \(this build has: reference, xnnpack\)`)
	clitest.Run(t, bin, "--plan", "--plan-delegate=", model).ExpectError(t, 2, `^tflite-inspect: no delegate named`)
	clitest.Run(t, bin, "--plan", "--plan-min-nodes=-1", model).ExpectError(t, 2, `must not be negative`)
	clitest.Run(t, bin, "--plan-svg", filepath.Join(t.TempDir(), "missing", "x.svg"), model).ExpectError(t, 1, `^tflite-inspect: open .*x\.svg: no such file or directory$`)
	// A model with an op neither the CPU nor the delegate runs has no plan.
	quant := clitest.WriteFile(t, "quant.tflite", quantModel(t))
	clitest.Run(t, bin, "--plan", quant).ExpectError(t, 1, `^tflite-inspect: plan: .*MyOp`)
}

// svgElem is an element of the picture with its class and data attributes.
type svgElem struct {
	name  string
	attrs map[string]string
}

func parseSVG(t *testing.T, path string) []svgElem {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []svgElem
	d := xml.NewDecoder(f)
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Space + " " + se.Name.Local
			}
			e := svgElem{name: se.Name.Local, attrs: map[string]string{}}
			for _, a := range se.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
		}
	}
	if root != "http://www.w3.org/2000/svg svg" {
		t.Fatalf("root element %q", root)
	}
	return out
}

func byClass(es []svgElem, class string) []svgElem {
	var out []svgElem
	for _, e := range es {
		if e.attrs["class"] == class {
			out = append(out, e)
		}
	}
	return out
}

func TestPlanSVG(t *testing.T) {
	model := clitest.WriteFile(t, "plan.tflite", planModel(t))
	svg := filepath.Join(t.TempDir(), "plan.svg")
	inspectOK(t, "--plan-svg", svg, model)
	es := parseSVG(t, svg)
	nodes := byClass(es, "node")
	if len(nodes) != 5 {
		t.Fatalf("%d nodes, want 5", len(nodes))
	}
	// Boxes come in execution order: P0's two, EXP, P1's two.
	wantNode := []string{"0", "1", "2", "3", "4"}
	wantPart := []string{"0", "0", "-1", "1", "1"}
	for i, n := range nodes {
		if n.attrs["data-node"] != wantNode[i] || n.attrs["data-partition"] != wantPart[i] {
			t.Errorf("box %d: %v", i, n.attrs)
		}
	}
	if nodes[2].attrs["data-op"] != "EXP" || nodes[2].attrs["data-delegate"] != "" || nodes[0].attrs["data-delegate"] != "EdgeliteReferenceDelegate" {
		t.Errorf("boxes %v", nodes)
	}
	parts := byClass(es, "partition")
	if len(parts) != 2 || parts[0].attrs["data-nodes"] != "0 1" || parts[1].attrs["data-nodes"] != "3 4" {
		t.Errorf("partitions %v", parts)
	}
	// Edges: x feeds no operator's producer, so only tensor edges between
	// operators: 0->1, 1->2, 2->3, 0->3, 3->4.
	var edges []string
	for _, e := range byClass(es, "edge") {
		edges = append(edges, e.attrs["data-from"]+">"+e.attrs["data-to"])
	}
	if strings.Join(edges, " ") != "0>1 1>2 2>3 0>3 3>4" {
		t.Errorf("edges %v", edges)
	}
	if len(byClass(es, "legend")) != 1 {
		t.Error("no legend")
	}
}

// A 200-node graph stays within a sensible page: columns, not one strip.
func TestPlanSVGLargeLayout(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{4})
	prev := x
	for i := range 200 {
		next := g.Tensor(fmt.Sprintf("t%d", i), core.Float32, []int{4})
		if i%7 == 3 {
			g.Op(tflite.BuiltinOperatorEXP, []int{prev}, []int{next}, nil)
		} else {
			g.Op(tflite.BuiltinOperatorADD, []int{prev, x}, []int{next}, &tflite.AddOptionsT{})
		}
		prev = next
	}
	g.Inputs(x)
	g.Outputs(prev)
	model := clitest.WriteFile(t, "big.tflite", b.MustBytes())
	svg := filepath.Join(t.TempDir(), "big.svg")
	inspectOK(t, "--plan-svg", svg, model)
	es := parseSVG(t, svg)
	if n := len(byClass(es, "node")); n != 200 {
		t.Errorf("%d nodes", n)
	}
	if n := len(byClass(es, "partition")); n != 29 {
		t.Errorf("%d partitions, want 29", n)
	}
	w, _ := strconv.Atoi(es[0].attrs["width"])
	h, _ := strconv.Atoi(es[0].attrs["height"])
	if w <= 0 || h <= 0 || w > 4*h || h > 4*w {
		t.Errorf("picture %dx%d", w, h)
	}
}

func TestPlanDefaultModel(t *testing.T) {
	model := clitest.WriteFile(t, "default.tflite", defaultmodel.Bytes())
	out := inspectOK(t, "--plan", model)
	if !regexp.MustCompile(`(?m)^  Subgraph 0 "main": \d+ of 10 operators delegated`).MatchString(out) {
		t.Errorf("no plan line:\n%s", out)
	}
}
