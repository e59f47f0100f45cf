package main

import "fmt"

// delegateSummary is the line benchmark_model logs after applying a
// delegate: delegated is the number of delegate kernels (nodes) in the
// execution plan, planSize the plan's length. No delegate exists in this
// build yet; the delegate framework will call this for each one applied.
func delegateSummary(name string, delegated, planSize int) string {
	switch {
	case delegated == 1 && planSize == 1:
		return fmt.Sprintf("Explicitly applied %s delegate, and the model graph will be completely executed by the delegate.", name)
	case delegated > 0:
		return fmt.Sprintf("Explicitly applied %s delegate, and the model graph will be partially executed by the delegate w/ %d delegate kernels.", name, delegated)
	}
	return fmt.Sprintf("Though %s delegate is explicitly applied, the model graph will not be executed by the delegate.", name)
}
