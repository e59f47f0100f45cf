//go:build !xnnpack || !cgo

package xnnpack

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestNewWithoutTagSaysHowToBuild: without the tag, New fails with an error
// that names the tag and the packages to install.
func TestNewWithoutTagSaysHowToBuild(t *testing.T) {
	d, err := New(Options{})
	require.Nil(t, d)
	require.True(t, errors.Is(err, ErrNotBuilt))
	require.Contains(t, err.Error(), "-tags xnnpack")
	require.Contains(t, err.Error(), "libxnnpack-dev")
	var stub *Delegate
	require.Equal(t, Name, stub.Name())
	require.ErrorIs(t, stub.Supports(nil, nil), ErrNotBuilt)
	_, err = stub.Compile(nil)
	require.ErrorIs(t, err, ErrNotBuilt)
}
