package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/xnnpack"
)

// appliedDelegate is a delegate the flags asked for, with the name
// benchmark_model's delegate provider gives it in its log ("XNNPACK").
type appliedDelegate struct {
	name string
	d    delegates.Delegate
}

// makeDelegates creates the delegates the flags ask for, in
// benchmark_model's provider order. The caller closes them after the
// interpreter.
func makeDelegates(p *params, w io.Writer) ([]appliedDelegate, error) {
	var out []appliedDelegate
	if p.useXNNPACK() {
		if !xnnpack.Built {
			return nil, &errorExit{1, "not available in this build: --use_xnnpack=true: the XNNPACK delegate needs cgo and the C libraries: install them (scripts/install-xnnpack-deps.sh: libxnnpack-dev libpthreadpool-dev libcpuinfo-dev) and rebuild with -tags xnnpack; without the flag every op runs on Edgelite's CPU kernels"}
		}
		threads := 1 // -1: the interpreter's default
		if p.numThreads > 0 {
			threads = p.numThreads
		}
		d, err := xnnpack.New(xnnpack.Options{NumThreads: threads})
		if err != nil {
			return nil, &errorExit{1, "Failed to create the XNNPACK delegate: " + err.Error()}
		}
		logf(w, "INFO", "Created Edgelite's XNNPACK delegate for CPU (%d threads).", threads)
		out = append(out, appliedDelegate{"XNNPACK", d})
	}
	return out, nil
}

func closeDelegates(ds []appliedDelegate) {
	for _, d := range ds {
		d.d.Close()
	}
}

// delegateSummary is the line benchmark_model logs after applying a
// delegate: delegated is the number of delegate kernels (nodes) in the
// execution plan, planSize the plan's length.
func delegateSummary(name string, delegated, planSize int) string {
	switch {
	case delegated == 1 && planSize == 1:
		return fmt.Sprintf("Explicitly applied %s delegate, and the model graph will be completely executed by the delegate.", name)
	case delegated > 0:
		return fmt.Sprintf("Explicitly applied %s delegate, and the model graph will be partially executed by the delegate w/ %d delegate kernels.", name, delegated)
	}
	return fmt.Sprintf("Though %s delegate is explicitly applied, the model graph will not be executed by the delegate.", name)
}

// logDelegation logs benchmark_model's summary line for each delegate
// applied (from the primary subgraph's plan, as benchmark_model counts
// the primary execution plan) and enforces --require_full_delegation.
func logDelegation(w io.Writer, p *params, it *interpreter.Interpreter, ds []appliedDelegate) error {
	sp := it.Plan().Subgraphs[0]
	full := false
	for di, d := range ds {
		n := 0
		for _, part := range sp.Partitions {
			if part.DelegateIndex == di {
				n++
			}
		}
		logf(w, "INFO", "%s", delegateSummary(d.name, n, len(sp.Steps)))
		full = full || (n == 1 && len(sp.Steps) == 1)
	}
	if !p.requireFullDelegation || full {
		return nil
	}
	if len(ds) == 0 {
		return &errorExit{1, "Disallowed CPU fallback detected: --require_full_delegation is set, and no delegate is applied (ask for one with --use_xnnpack=true); every op would run on Edgelite's CPU kernels"}
	}
	return &errorExit{1, "Disallowed CPU fallback detected: --require_full_delegation is set, and " + cpuFallback(&sp)}
}

// cpuFallback says which operators stay on the CPU and why (the first
// delegate's reason for each op type).
func cpuFallback(sp *delegates.SubgraphPlan) string {
	cpu := sp.CPUNodes()
	why := map[int]string{}
	for _, r := range sp.Refusals {
		if _, ok := why[r.Node]; !ok {
			why[r.Node] = r.Op + ": " + r.Reason
		}
	}
	seen := map[string]bool{}
	var reasons []string
	for _, n := range cpu {
		if r, ok := why[n]; ok && !seen[r] {
			seen[r] = true
			reasons = append(reasons, r)
		}
	}
	msg := fmt.Sprintf("%d of %d nodes run on the CPU", len(cpu), sp.NumNodes)
	if len(cpu) == 0 {
		msg = fmt.Sprintf("the graph is split into %d delegate nodes", len(sp.Steps))
	}
	if len(reasons) > 0 {
		msg += " (" + strings.Join(reasons, "; ") + ")"
	}
	return msg
}

// delegateOptions are the partition limits of the flags, for every
// delegate.
func (p *params) delegateOptions() delegates.Options {
	return delegates.Options{MinNodesPerPartition: p.minNodesPerPartition, MaxPartitions: p.maxDelegatedPartitions}
}
