// Package profiling measures where an Interpreter spends its time, operator
// by operator, and summarizes it as TensorFlow Lite's op profiler does
// (tensorflow/lite/profiling/profile_summarizer.cc and TensorFlow's
// StatsCalculator): a Run Order table, the nodes with the most computation
// time, and a summary by node type, as text or CSV, per subgraph.
//
// A Recorder is an interpreter.Profiler that stores operator events in a
// fixed buffer without allocating, so profiling does not disturb the
// allocation-free Invoke. A Summarizer accumulates the events of many runs:
//
//	rec := profiling.NewRecorder(1024)
//	it, _ := interpreter.New(m, interpreter.WithProfiler(rec))
//	_ = it.AllocateTensors()
//	sum := profiling.NewSummarizer(it)
//	for range 10 {
//		rec.Reset()
//		_ = it.Invoke()
//		sum.ProcessRun(rec.Events())
//	}
//	sum.WriteReport(os.Stdout, "profile", false)
//
// Given the same events, the text tables are TensorFlow Lite's to the byte
// (widths, rounding, the float32 arithmetic of its cumulative columns;
// tested against a profile written by TensorFlow Lite 2.12; the CSV
// follows StatsCalculator's CSV format), with one addition: "mem KB" of an
// operator row is the size of the node's outputs, where TensorFlow Lite
// writes 0. Times are taken in nanoseconds (TensorFlow Lite: microseconds).
//
// Delegates: a node a delegate takes over runs as one node whose operator
// name is the delegate's (TensorFlow Lite names XNNPACK's
// "TfLiteXNNPackDelegate"), so it shows as one row of that type. Events a
// delegate reports about its own internal operations (KindDelegateOp) are
// kept apart, in the "Delegate internal:" section, and are not added to the
// subgraph's total, as in TensorFlow Lite.
package profiling

import "time"

// Kind says what an Event measured.
type Kind uint8

const (
	// KindOp is one operator (node) run by the interpreter.
	KindOp Kind = iota
	// KindDelegateOp is an operation inside a delegate node, reported by
	// the delegate (TensorFlow Lite's DELEGATE_OPERATOR_INVOKE_EVENT).
	KindDelegateOp
	// KindOther is any other timed step (AllocateTensors, applying a
	// delegate); its Tag is its type and MemBytes its memory growth.
	KindOther
)

// Event is one timed step. Begin and End are nanoseconds since the
// Recorder was made.
type Event struct {
	Kind     Kind
	Subgraph int
	Node     int // KindOp: node index; KindDelegateOp: the delegate's own index
	Tag      string
	Begin    int64
	End      int64
	MemBytes int64 // KindOther only: growth of peak memory during the step
}

// Duration is End-Begin in nanoseconds.
func (e *Event) Duration() int64 { return e.End - e.Begin }

// Recorder records operator events into a buffer of fixed capacity. It
// implements interpreter.Profiler and does not allocate after NewRecorder.
// Events past the capacity are counted in Dropped and not kept. A Recorder
// is not safe for concurrent use (an Interpreter is not either).
type Recorder struct {
	epoch   time.Time
	events  []Event
	open    []int // indices of begun, not yet ended events (control flow nests)
	dropped int
	stopped bool
}

// NewRecorder makes a recorder that keeps at most maxEntries events per
// Reset (values below 1 mean 1).
func NewRecorder(maxEntries int) *Recorder {
	maxEntries = max(maxEntries, 1)
	return &Recorder{
		epoch:  time.Now(),
		events: make([]Event, 0, maxEntries),
		open:   make([]int, 0, 64),
	}
}

// Now is the recorder's clock: nanoseconds since it was made.
func (r *Recorder) Now() int64 { return int64(time.Since(r.epoch)) }

// BeginOp implements interpreter.Profiler.
func (r *Recorder) BeginOp(subgraph, node int, op string) {
	r.Begin(KindOp, subgraph, node, op)
}

// EndOp implements interpreter.Profiler.
func (r *Recorder) EndOp(subgraph, node int) { r.End(KindOp, subgraph, node) }

// Begin starts an event of any kind (delegates report their internal
// operations with KindDelegateOp).
func (r *Recorder) Begin(kind Kind, subgraph, node int, tag string) {
	if r.stopped {
		return
	}
	if len(r.events) == cap(r.events) {
		r.dropped++
		return
	}
	if len(r.open) == cap(r.open) {
		r.dropped++ // nesting deeper than we track: drop rather than grow
		return
	}
	r.open = append(r.open, len(r.events))
	r.events = append(r.events, Event{Kind: kind, Subgraph: subgraph, Node: node, Tag: tag, Begin: r.Now(), End: -1})
}

// End ends the innermost open event of that kind, subgraph and node.
func (r *Recorder) End(kind Kind, subgraph, node int) {
	now := r.Now()
	for k := len(r.open) - 1; k >= 0; k-- {
		e := &r.events[r.open[k]]
		if e.Kind == kind && e.Subgraph == subgraph && e.Node == node {
			e.End = now
			r.open = append(r.open[:k], r.open[k+1:]...)
			return
		}
	}
}

// Events returns the completed events since the last Reset, in the order
// they began. The slice is reused by the next Reset.
func (r *Recorder) Events() []Event { return r.events }

// Dropped is the number of events not kept since the recorder was made
// because the buffer was full.
func (r *Recorder) Dropped() int { return r.dropped }

// Reset forgets the recorded events (keeping the dropped count).
func (r *Recorder) Reset() {
	r.events = r.events[:0]
	r.open = r.open[:0]
}

// Stop makes the recorder ignore events until Start (warm-up runs are not
// profiled, as in TensorFlow Lite's benchmark).
func (r *Recorder) Stop() { r.stopped = true }

// Start undoes Stop.
func (r *Recorder) Start() { r.stopped = false }
