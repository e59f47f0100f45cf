package interpreter

import (
	"context"
	"log/slog"

	"github.com/edgelite/edgelite/delegates"
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
	delegates     []delegates.Delegate
	delegateOpts  delegates.Options
	profiler      Profiler
	maxArenaBytes int64
	ctx           context.Context
	logger        *slog.Logger
}

// Profiler receives the start and end of every operator run: node is the
// node's Index (a delegate node, numbered from the subgraph's operator
// count up, is one op named by its delegate).
// Implementations must not allocate if Invoke is to stay allocation-free.
type Profiler interface {
	BeginOp(subgraph, node int, op string)
	EndOp(subgraph, node int)
}

// WithNumThreads sets how many threads kernels may use (default 1; values
// below 1 mean 1). With n > 1, New starts one persistent pool of n workers
// (the caller of Invoke included) that kernels reach through core.EnvPool;
// Invoke starts no goroutine, and Close stops the pool.
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

// WithDelegates hands parts of the graph to accelerators. New offers the
// nodes of the primary subgraph and of the signatures' subgraphs to each
// delegate in turn (a later delegate sees only the nodes the earlier ones
// left); each partition a delegate compiles becomes one node of the
// execution plan and the rest runs on the CPU kernels. Subgraphs called by
// control flow (WHILE, IF, ...) and the control-flow nodes themselves stay on
// the CPU. Plan reports what went where and why. A node the CPU kernels
// cannot run is an error of New only if no delegate takes it. Tensors that
// live only inside a partition have no storage (their views are nil) unless
// the delegate gives them some.
//
// The caller owns the delegates: close them after the interpreters that
// use them.
func WithDelegates(d ...delegates.Delegate) Option {
	return func(c *config) { c.delegates = append(c.delegates, d...) }
}

// WithDelegateOptions bounds the partitions every delegate gets (minimum
// nodes per partition, maximum number of partitions).
func WithDelegateOptions(o delegates.Options) Option {
	return func(c *config) { c.delegateOpts = o }
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
