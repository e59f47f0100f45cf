package cliutil

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/edgelite/edgelite/interpreter"
)

func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args []string
		pos  []string
		json bool
		n    int
	}{
		{[]string{"m.tflite"}, []string{"m.tflite"}, false, 0},
		{[]string{"m.tflite", "--json", "out", "-n", "3", "-"}, []string{"m.tflite", "out", "-"}, true, 3},
		{[]string{"-json", "a", "--", "-n", "b"}, []string{"a", "-n", "b"}, true, 0},
		{nil, nil, false, 0},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		j := fs.Bool("json", false, "")
		n := fs.Int("n", 0, "")
		pos, err := ParseInterspersed(fs, tc.args)
		if err != nil || !slices.Equal(pos, tc.pos) || *j != tc.json || *n != tc.n {
			t.Errorf("%q: pos %q json %v n %d err %v", tc.args, pos, *j, *n, err)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := ParseInterspersed(fs, []string{"a", "-x"}); err == nil {
		t.Error("unknown flag after a positional argument accepted")
	}
}

func TestOneLine(t *testing.T) {
	if got := OneLine(errors.New("a\n  b\nc")); got != "a; b; c" {
		t.Errorf("OneLine = %q", got)
	}
	u := &interpreter.UnresolvedOpsError{Ops: []interpreter.UnresolvedOp{{Name: "CONV_2D", Version: 3, Reason: "no kernel"}, {Name: "X", Version: 1, Reason: "not registered"}}}
	if got, want := OneLine(u), "2 op(s) of the model cannot run in this build: CONV_2D v3 (no kernel); X v1 (not registered)"; got != want {
		t.Errorf("OneLine = %q, want %q", got, want)
	}
}

func TestFormatJSON(t *testing.T) {
	b, err := FormatJSON(map[string]any{"shape": []int{1, 2, 3}, "names": []string{"a"}, "x": []float64{-1.5, 2e-7}})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"names\": [\n    \"a\"\n  ],\n  \"shape\": [1, 2, 3],\n  \"x\": [-1.5, 2e-7]\n}\n"
	if string(b) != want {
		t.Errorf("FormatJSON:\n%s\nwant:\n%s", b, want)
	}
}

func TestJoinBoolValues(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("v", false, "")
	fs.Int("n", 0, "")
	got := JoinBoolValues(fs, []string{"--v", "true", "-v", "0", "--n", "1", "--v", "maybe", "--v=false", "--", "--v", "1"})
	want := []string{"--v=true", "-v=0", "--n", "1", "--v", "maybe", "--v=false", "--", "--v", "1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %q, want %q", got, want)
	}
}
