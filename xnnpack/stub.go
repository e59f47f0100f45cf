//go:build !xnnpack || !cgo

package xnnpack

import (
	"errors"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/interpreter/core"
)

// ErrNotBuilt is what New returns in a build without XNNPACK.
var ErrNotBuilt = errors.New("xnnpack: this build has no XNNPACK delegate: install the C libraries (scripts/install-xnnpack-deps.sh: libxnnpack-dev libpthreadpool-dev libcpuinfo-dev) and rebuild with cgo and -tags xnnpack")

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
