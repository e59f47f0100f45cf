package core

import (
	"fmt"
	"sort"
	"strings"

	"github.com/edgelite/edgelite/schema/tflite"
)

// OpResolver finds the kernel factory for an op code and version.
type OpResolver interface {
	// Lookup returns the factory for op, or an error that says what the
	// resolver supports instead (e.g. "versions 1-3 only").
	Lookup(op OpCode) (KernelFactory, error)
}

type versioned struct {
	min, max int
	factory  KernelFactory
}

// Ops is an OpResolver built by registration: builtin ops keyed by code and
// version range, custom ops by name. The zero value is empty and ready.
// Ops is not safe for concurrent modification; register everything before
// making interpreters.
type Ops struct {
	builtins map[tflite.BuiltinOperator][]versioned
	customs  map[string][]versioned
}

// NewOps returns an empty resolver.
func NewOps() *Ops { return &Ops{} }

// AddBuiltin registers a factory for versions [minVersion, maxVersion] of a
// builtin op. A later registration overlapping an earlier one wins.
func (r *Ops) AddBuiltin(op tflite.BuiltinOperator, minVersion, maxVersion int, f KernelFactory) {
	if r.builtins == nil {
		r.builtins = map[tflite.BuiltinOperator][]versioned{}
	}
	r.builtins[op] = append([]versioned{{minVersion, maxVersion, f}}, r.builtins[op]...)
}

// AddCustom registers a factory for a custom op, for any version.
func (r *Ops) AddCustom(name string, f KernelFactory) {
	r.AddCustomVersions(name, 1, 1<<30, f)
}

// AddCustomVersions registers a factory for versions [minVersion,
// maxVersion] of a custom op.
func (r *Ops) AddCustomVersions(name string, minVersion, maxVersion int, f KernelFactory) {
	if r.customs == nil {
		r.customs = map[string][]versioned{}
	}
	r.customs[name] = append([]versioned{{minVersion, maxVersion, f}}, r.customs[name]...)
}

// Merge adds every registration of other to r (other's win on overlap).
func (r *Ops) Merge(other *Ops) {
	for op, vs := range other.builtins {
		for i := len(vs) - 1; i >= 0; i-- {
			r.AddBuiltin(op, vs[i].min, vs[i].max, vs[i].factory)
		}
	}
	for name, vs := range other.customs {
		for i := len(vs) - 1; i >= 0; i-- {
			r.AddCustomVersions(name, vs[i].min, vs[i].max, vs[i].factory)
		}
	}
}

// Clone returns an independent copy of r.
func (r *Ops) Clone() *Ops {
	c := NewOps()
	c.Merge(r)
	return c
}

// Lookup implements OpResolver.
func (r *Ops) Lookup(op OpCode) (KernelFactory, error) {
	var vs []versioned
	if op.Builtin == tflite.BuiltinOperatorCUSTOM {
		vs = r.customs[op.Custom]
	} else {
		vs = r.builtins[op.Builtin]
	}
	if len(vs) == 0 {
		if op.Builtin == tflite.BuiltinOperatorCUSTOM {
			return nil, fmt.Errorf("custom op %q is not registered", op.Custom)
		}
		return nil, fmt.Errorf("op %s has no kernel in this build", op.Name())
	}
	for _, v := range vs {
		if op.Version >= v.min && op.Version <= v.max {
			return v.factory, nil
		}
	}
	return nil, fmt.Errorf("op %s version %d is not supported (supported: %s)", op.Name(), op.Version, describeVersions(vs))
}

// Builtins lists the registered builtin ops with their version ranges, for
// tools ("ADD 1-4").
func (r *Ops) Builtins() map[tflite.BuiltinOperator]string {
	out := make(map[tflite.BuiltinOperator]string, len(r.builtins))
	for op, vs := range r.builtins {
		out[op] = describeVersions(vs)
	}
	return out
}

// Customs lists the registered custom op names.
func (r *Ops) Customs() []string {
	out := make([]string, 0, len(r.customs))
	for name := range r.customs {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

func describeVersions(vs []versioned) string {
	// Ranges in numeric order ("1, 3-7, 9, 12").
	vs = append([]versioned(nil), vs...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].min < vs[j].min })
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		switch {
		case v.max >= 1<<30:
			parts = append(parts, fmt.Sprintf("%d+", v.min))
		case v.min == v.max:
			parts = append(parts, fmt.Sprint(v.min))
		default:
			parts = append(parts, fmt.Sprintf("%d-%d", v.min, v.max))
		}
	}
	return strings.Join(parts, ", ")
}
