package interpreter

import "fmt"

// SignatureKeys lists the model's signature keys in model order.
func (it *Interpreter) SignatureKeys() []string {
	keys := make([]string, len(it.model.signatures))
	for i, s := range it.model.signatures {
		keys[i] = s.Key
	}
	return keys
}

// Signature returns a runner for the signature with that key.
func (it *Interpreter) Signature(key string) (*SignatureRunner, error) {
	for i := range it.model.signatures {
		sig := &it.model.signatures[i]
		if sig.Key == key {
			return &SignatureRunner{sig: sig, s: it.subgraphs[sig.Subgraph]}, nil
		}
	}
	return nil, fmt.Errorf("no signature %q (the model has %q)", key, it.SignatureKeys())
}

// SignatureRunner runs one signature of a model: a subgraph whose inputs and
// outputs are addressed by name. It shares the interpreter's state and, like
// it, is not safe for concurrent use.
type SignatureRunner struct {
	sig *SignatureInfo
	s   *subgraph
}

// Key is the signature's key.
func (r *SignatureRunner) Key() string { return r.sig.Key }

// InputNames lists the signature's input names.
func (r *SignatureRunner) InputNames() []string { return names(r.sig.Inputs) }

// OutputNames lists the signature's output names.
func (r *SignatureRunner) OutputNames() []string { return names(r.sig.Outputs) }

func names(ts []SignatureTensor) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

func (r *SignatureRunner) lookup(ts []SignatureTensor, name string) *Tensor {
	for _, t := range ts {
		if t.Name == name {
			return r.s.tensors[t.Tensor]
		}
	}
	return nil
}

// Input returns the named input tensor, or nil.
func (r *SignatureRunner) Input(name string) *Tensor { return r.lookup(r.sig.Inputs, name) }

// Output returns the named output tensor, or nil.
func (r *SignatureRunner) Output(name string) *Tensor { return r.lookup(r.sig.Outputs, name) }

// ResizeInput changes the shape of the named input; call AllocateTensors
// before the next Invoke.
func (r *SignatureRunner) ResizeInput(name string, shape []int) error {
	t := r.Input(name)
	if t == nil {
		return fmt.Errorf("signature %q has no input %q", r.sig.Key, name)
	}
	for i, in := range r.s.inputs {
		if in == t {
			return r.s.resizeInput(i, shape, false)
		}
	}
	return fmt.Errorf("signature %q: input %q is not an input of subgraph %d", r.sig.Key, name, r.s.index)
}

// AllocateTensors prepares and plans the signature's subgraph.
func (r *SignatureRunner) AllocateTensors() error { return r.s.AllocateTensors() }

// Invoke runs the signature's subgraph.
func (r *SignatureRunner) Invoke() error { return r.s.Invoke() }
