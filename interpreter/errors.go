package interpreter

import (
	"errors"
	"fmt"
)

// ModelError reports a model that failed validation. Path names the
// offending field the way people navigate a model, e.g.
// "subgraph 0, operator 12 (CONV_2D): input 1".
type ModelError struct {
	Path   string
	Reason string
	// Err is the underlying error, if any (for example a
	// *schema.VerifyError for a malformed flatbuffer).
	Err error
}

func (e *ModelError) Error() string {
	msg := e.Reason
	switch {
	case msg == "" && e.Err != nil:
		msg = e.Err.Error()
	case e.Err != nil:
		msg += ": " + e.Err.Error()
	}
	if e.Path == "" {
		return "invalid model: " + msg
	}
	return "invalid model: " + e.Path + ": " + msg
}

func (e *ModelError) Unwrap() error { return e.Err }

func modelErrorf(path, format string, args ...any) *ModelError {
	return &ModelError{Path: path, Reason: fmt.Sprintf(format, args...)}
}

// ErrNotAllocated is returned by Invoke when tensors have not been allocated
// since the interpreter was made or an input was resized.
var ErrNotAllocated = errors.New("tensors are not allocated: call AllocateTensors first")

// ErrCancelled is returned (wrapped) by Invoke when the context given with
// WithCancel is done.
var ErrCancelled = errors.New("invocation cancelled")

// UnresolvedOpsError lists every (op, version) pair of a model that the op
// resolver cannot run.
type UnresolvedOpsError struct {
	Ops []UnresolvedOp
}

// UnresolvedOp is one op the resolver could not provide.
type UnresolvedOp struct {
	Name    string
	Version int
	Reason  string
}

func (e *UnresolvedOpsError) Error() string {
	b := []byte(fmt.Sprintf("%d op(s) of the model cannot run in this build:", len(e.Ops)))
	for _, op := range e.Ops {
		b = fmt.Appendf(b, "\n  %s version %d: %s", op.Name, op.Version, op.Reason)
	}
	return string(b)
}
