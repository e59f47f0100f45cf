package main

import (
	"encoding/xml"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/edgelite/edgelite/interpreter/profiling"
)

// checkSVG parses the chart as XML and checks there is one type bar per
// node type and one node bar per node of the profile, with positive
// widths.
func checkSVG(t *testing.T, path string, p profiling.Profile) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	typeBars, nodeBars := map[string]int{}, 0
	sawSVG := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s is not valid XML: %v", path, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local == "svg" && se.Name.Space == "http://www.w3.org/2000/svg" {
			sawSVG = true
		}
		if se.Name.Local != "rect" {
			continue
		}
		attr := map[string]string{}
		for _, a := range se.Attr {
			attr[a.Name.Local] = a.Value
		}
		if w := attr["width"]; w == "" || strings.HasPrefix(w, "-") || w == "0" {
			t.Errorf("rect with width %q", w)
		}
		switch attr["class"] {
		case "type-bar":
			typeBars[attr["data-type"]]++
		case "node-bar":
			nodeBars++
		}
	}
	if !sawSVG {
		t.Errorf("%s has no <svg> root in the SVG namespace", path)
	}
	if len(typeBars) != len(p.Types) {
		t.Errorf("%d type bars, want %d", len(typeBars), len(p.Types))
	}
	for _, ty := range p.Types {
		if typeBars[ty.Type] != 1 {
			t.Errorf("node type %s has %d bars, want 1", ty.Type, typeBars[ty.Type])
		}
	}
	if nodeBars != len(p.Rows) {
		t.Errorf("%d node bars, want %d", nodeBars, len(p.Rows))
	}
}
