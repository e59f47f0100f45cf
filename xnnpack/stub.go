//go:build !xnnpack || !cgo

package xnnpack

import (
	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
)

// Built reports whether this build has the XNNPACK delegate.
const Built = false

// Delegate is the XNNPACK delegate; in this build it cannot be made.
type Delegate struct{}

var _ delegates.Delegate = (*Delegate)(nil)

// New fails: this build has no XNNPACK (see ErrNotBuilt).
func New(Options) (*Delegate, error) { return nil, ErrNotBuilt }

// Name implements delegates.Delegate.
func (*Delegate) Name() string { return Name }

// Supports implements delegates.Delegate: nothing is supported.
func (*Delegate) Supports(*delegates.Graph, *core.Node) error { return ErrNotBuilt }

// Compile implements delegates.Delegate: it always fails.
func (*Delegate) Compile(*delegates.Partition) (core.Kernel, error) { return nil, ErrNotBuilt }

// Close implements delegates.Delegate.
func (*Delegate) Close() error { return nil }
