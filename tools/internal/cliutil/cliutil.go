// Package cliutil holds the small pieces Edgelite's command-line tools share:
// flag parsing that accepts flags anywhere on the command line, one-line
// error messages, and the dtype names the tools print.
package cliutil

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
)

// ParseInterspersed parses args with fs like fs.Parse, but lets flags
// follow positional arguments ("model.tflite --json"), as TFLite's tools
// and most Unix tools do. A "--" ends the flags: everything after it is
// positional. A lone "-" is positional. It returns the positional
// arguments in order.
func ParseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stopped at rest[0]; if it stopped because of "--",
		// the argument before rest[0] is "--" and the rest is positional.
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// OneLine formats err on a single line: multi-line messages (such as an
// *interpreter.UnresolvedOpsError) have their lines joined with "; ".
func OneLine(err error) string {
	var u *interpreter.UnresolvedOpsError
	if errors.As(err, &u) {
		return UnresolvedSummary(u)
	}
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "; ")
}

// UnresolvedSummary describes the ops a build cannot run on one line:
// "2 op(s) of the model cannot run in this build: CONV_2D v3 (reason); ...".
func UnresolvedSummary(u *interpreter.UnresolvedOpsError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d op(s) of the model cannot run in this build: ", len(u.Ops))
	for i, op := range u.Ops {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s v%d (%s)", op.Name, op.Version, op.Reason)
	}
	return b.String()
}

// DType is the lower-case name of a tensor type ("float32", "int8", ...),
// the names TensorFlow Lite's JavaScript API and the tflite-oracle use.
func DType(t core.TensorType) string { return strings.ToLower(t.String()) }

// FormatShape prints a shape as "[1,192,192,3]".
func FormatShape(s []int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, d)
	}
	b.WriteByte(']')
	return b.String()
}

// numberArray matches a JSON array of numbers spread over several lines.
var numberArray = regexp.MustCompile(`\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]`)

// FormatJSON pretty-prints v as the tflite-oracle does: two-space indent,
// arrays of numbers (shapes, ranges) on one line, and a final newline.
func FormatJSON(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	b = numberArray.ReplaceAllFunc(b, func(m []byte) []byte {
		inner := numberArray.FindSubmatch(m)[1]
		parts := strings.Split(string(inner), ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return []byte("[" + strings.Join(parts, ", ") + "]")
	})
	return append(b, '\n'), nil
}

// JoinBoolValues rewrites "--flag true" as "--flag=true" for the boolean
// flags of fs, so that every flag accepts both "--flag=value" and "--flag
// value" (the flag package reads a bare boolean flag as true and the value
// as a positional argument). Only the literals true, false, 1 and 0 are
// joined; arguments after "--" are left alone.
func JoinBoolValues(fs *flag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		name := strings.TrimLeft(a, "-")
		if len(a)-len(name) >= 1 && len(a)-len(name) <= 2 && !strings.Contains(name, "=") && i+1 < len(args) {
			if f := fs.Lookup(name); f != nil {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
					switch args[i+1] {
					case "true", "false", "1", "0":
						out = append(out, a+"="+args[i+1])
						i++
						continue
					}
				}
			}
		}
		out = append(out, a)
	}
	return out
}
