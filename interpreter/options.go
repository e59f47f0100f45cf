package interpreter

import (
	"context"
	"log/slog"

	"github.com/edgelite/edgelite/interpreter/core"
)

// DefaultMaxArenaBytes bounds the memory one subgraph's arena may take
// unless WithMaxArenaBytes says otherwise: large enough for any model that
// fits an edge device, small enough that a hostile shape fails cleanly.
const DefaultMaxArenaBytes = 4 << 30

// Option configures an Interpreter.
type Option func(*config)

type config struct {
	numThreads    int
	resolver      core.OpResolver
	customOps     map[string]core.KernelFactory
	delegates     []Delegate
	profiler      Profiler
	maxArenaBytes int64
	ctx           context.Context
	logger        *slog.Logger
}

// Delegate is the placeholder for accelerator delegates: the delegate
// framework (partitioning a graph between a delegate and the CPU) is not in
// this build yet, and New rejects any delegate it is given rather than
// ignore it.
type Delegate interface {
	Name() string
}

// Profiler receives the start and end of every operator run.
// Implementations must not allocate if Invoke is to stay allocation-free.
type Profiler interface {
	BeginOp(subgraph, node int, op string)
	EndOp(subgraph, node int)
}

// WithNumThreads sets how many threads kernels may use (default 1; values
// below 1 mean 1).
func WithNumThreads(n int) Option { return func(c *config) { c.numThreads = max(n, 1) } }

// WithOpResolver replaces the builtin kernels with r.
func WithOpResolver(r core.OpResolver) Option { return func(c *config) { c.resolver = r } }

// WithCustomOp adds (or overrides) a custom op kernel on top of the
// resolver in use.
func WithCustomOp(name string, f core.KernelFactory) Option {
	return func(c *config) {
		if c.customOps == nil {
			c.customOps = map[string]core.KernelFactory{}
		}
		c.customOps[name] = f
	}
}

// WithDelegates asks for delegates to be applied (not supported yet: New
// fails naming them).
func WithDelegates(d ...Delegate) Option {
	return func(c *config) { c.delegates = append(c.delegates, d...) }
}

// WithProfiler reports every operator run to p.
func WithProfiler(p Profiler) Option { return func(c *config) { c.profiler = p } }

// WithMaxArenaBytes bounds the arena of each subgraph and the storage of
// each dynamic tensor; AllocateTensors fails beyond it.
func WithMaxArenaBytes(n int64) Option { return func(c *config) { c.maxArenaBytes = n } }

// WithCancel makes Invoke stop between operators, returning an error that
// wraps ErrCancelled, once ctx is done.
func WithCancel(ctx context.Context) Option { return func(c *config) { c.ctx = ctx } }

// WithLogger sends the interpreter's diagnostics to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }
