package profiling

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
)

// detail is StatsCalculator's Detail: one row of the tables.
type detail struct {
	name, typ   string
	subgraph    int
	node        int // -1 when not an operator
	runOrder    int
	elapsed     Stat // nanoseconds
	memNewest   int64
	timesCalled int64
	outputs     []*core.Tensor // operator rows: the tensors whose bytes are "mem KB"
}

// calculator is StatsCalculator: the rows of one subgraph (or of a
// delegate's internals) and the total time of each run.
type calculator struct {
	byName   map[string]*detail
	rows     []*detail
	runTotal Stat // nanoseconds
	// runTotalUS is runTotal in whole microseconds per run, for the
	// "Timings (microseconds)" line.
	runTotalUS Stat
}

func newCalculator() *calculator { return &calculator{byName: map[string]*detail{}} }

// register returns the row named d.name, adding d (first seen at
// runOrder) if there is none.
func (c *calculator) register(d *detail, runOrder int) *detail {
	if existing, ok := c.byName[d.name]; ok {
		return existing
	}
	d.runOrder = runOrder
	c.byName[d.name] = d
	c.rows = append(c.rows, d)
	return d
}

func (d *detail) update(ns, mem int64) {
	d.elapsed.Update(ns)
	d.memNewest = mem
	d.timesCalled++
}

type nodeKey struct{ subgraph, node int }

// Summarizer accumulates the events of many runs into TensorFlow Lite's
// per-subgraph op profile. Make one per kind of run (TensorFlow Lite's
// benchmark keeps one for initialization and one for the timed runs).
type Summarizer struct {
	it        *interpreter.Interpreter
	subgraphs map[int]*calculator
	delegate  *calculator
	opRows    map[nodeKey]*detail // cache: no allocation once a node is known
	totals    map[int]int64       // per-run scratch
}

// NewSummarizer makes a summarizer for it's events. it names the rows
// (after their output tensors, as TensorFlow Lite does) and gives "mem KB"
// (the bytes of a node's outputs); it may be nil, and rows are then named
// by node index only.
func NewSummarizer(it *interpreter.Interpreter) *Summarizer {
	return &Summarizer{
		it:        it,
		subgraphs: map[int]*calculator{0: newCalculator()},
		delegate:  newCalculator(),
		opRows:    map[nodeKey]*detail{},
		totals:    map[int]int64{},
	}
}

func (s *Summarizer) calc(subgraph int) *calculator {
	c, ok := s.subgraphs[subgraph]
	if !ok {
		c = newCalculator()
		s.subgraphs[subgraph] = c
	}
	return c
}

// opDetail makes the row of an operator: named "[out0, out1]:node", typed
// by the operator's name.
func (s *Summarizer) opDetail(e *Event) *detail {
	d := &detail{typ: e.Tag, subgraph: e.Subgraph, node: e.Node}
	var names []string
	if s.it != nil {
		if g, err := s.it.Subgraph(e.Subgraph); err == nil {
			if n := nodeByIndex(g.Nodes(), e.Node); n != nil {
				for _, t := range n.Outputs {
					if t == nil {
						continue
					}
					d.outputs = append(d.outputs, t)
					name := t.Name()
					if name == "" {
						name = "Unknown"
					}
					names = append(names, name)
				}
			}
		}
	}
	d.name = "[" + strings.Join(names, ", ") + "]:" + strconv.Itoa(e.Node)
	return d
}

// nodeByIndex finds the plan node with that Index: with delegates the plan
// is shorter than the operator list and delegate nodes are numbered from
// the operator count up, so the position is not the index.
func nodeByIndex(nodes []*interpreter.Node, index int) *interpreter.Node {
	if index >= 0 && index < len(nodes) && nodes[index].Index == index {
		return nodes[index]
	}
	for _, n := range nodes {
		if n.Index == index {
			return n
		}
	}
	return nil
}

func (d *detail) outputBytes() int64 {
	var n int64
	for _, t := range d.outputs {
		n += int64(len(t.Bytes()))
	}
	return n
}

// ProcessRun adds the events of one run (as Recorder.Events returns them).
// Events that did not end are ignored. Once every node has been seen it
// does not allocate.
func (s *Summarizer) ProcessRun(events []Event) {
	clear(s.totals)
	var delegateTotal int64
	runOrder := 0
	for i := range events {
		e := &events[i]
		if e.End < e.Begin {
			continue
		}
		ns := e.Duration()
		switch e.Kind {
		case KindOp:
			k := nodeKey{e.Subgraph, e.Node}
			d, ok := s.opRows[k]
			if !ok {
				d = s.calc(e.Subgraph).register(s.opDetail(e), runOrder)
				s.opRows[k] = d
			}
			d.update(ns, d.outputBytes())
		case KindDelegateOp:
			name := "Delegate/" + e.Tag + ":" + strconv.Itoa(e.Node)
			s.delegate.register(&detail{name: name, typ: "DelegateOpInvoke", subgraph: e.Subgraph, node: e.Node}, runOrder).update(ns, 0)
			delegateTotal += ns
		default:
			name := e.Tag + "/" + strconv.Itoa(e.Subgraph)
			s.calc(e.Subgraph).register(&detail{name: name, typ: e.Tag, subgraph: e.Subgraph, node: -1}, runOrder).update(ns, e.MemBytes)
		}
		if e.Kind != KindDelegateOp {
			s.totals[e.Subgraph] += ns
		}
		runOrder++
	}
	for sg, total := range s.totals {
		c := s.calc(sg)
		c.runTotal.Update(total)
		c.runTotalUS.Update(total / 1000)
	}
	if delegateTotal > 0 {
		s.delegate.runTotal.Update(delegateTotal)
		s.delegate.runTotalUS.Update(delegateTotal / 1000)
	}
}

// HasProfiles says whether any run was processed.
func (s *Summarizer) HasProfiles() bool {
	for _, c := range s.subgraphs {
		if c.runTotal.Count() > 0 {
			return true
		}
	}
	return false
}

// Row is one node (or other timed step) of a profile.
type Row struct {
	Type        string  `json:"type"`
	Name        string  `json:"name"`
	Subgraph    int     `json:"subgraph"`
	Node        int     `json:"node"` // -1: not an operator
	RunOrder    int     `json:"run_order"`
	FirstMS     float64 `json:"first_ms"`
	AvgMS       float64 `json:"avg_ms"`
	Percent     float64 `json:"percent"`
	CDFPercent  float64 `json:"cdf_percent"` // in run order
	MemKB       float64 `json:"mem_kb"`
	TimesCalled int64   `json:"times_called"` // per run
}

// TypeRow sums the rows of one node type.
type TypeRow struct {
	Type        string  `json:"type"`
	Count       int     `json:"count"`
	AvgMS       float64 `json:"avg_ms"`
	Percent     float64 `json:"percent"`
	CDFPercent  float64 `json:"cdf_percent"`
	MemKB       float64 `json:"mem_kb"`
	TimesCalled int64   `json:"times_called"`
}

// Profile is the summary of one subgraph (or of a delegate's internal
// operations, with Delegate set and Subgraph -1).
type Profile struct {
	Subgraph int   `json:"subgraph"`
	Delegate bool  `json:"delegate_internal,omitempty"`
	Runs     int64 `json:"runs"`
	// TotalAvgMS is the mean per run of the summed times of the rows
	// (delegate-internal rows excluded).
	TotalAvgMS float64   `json:"total_avg_ms"`
	Rows       []Row     `json:"nodes"`      // in run order
	ByTime     []Row     `json:"-"`          // slowest first
	Types      []TypeRow `json:"node_types"` // slowest first
}

// Profiles returns the summaries, subgraph by subgraph in index order,
// then the delegate-internal one if any delegate reported events.
func (s *Summarizer) Profiles() []Profile {
	var idx []int
	for sg := range s.subgraphs {
		idx = append(idx, sg)
	}
	sort.Ints(idx)
	var out []Profile
	for _, sg := range idx {
		out = append(out, s.subgraphs[sg].profile(sg, false))
	}
	if s.delegate.runTotal.Count() > 0 {
		out = append(out, s.delegate.profile(-1, true))
	}
	return out
}

func (c *calculator) profile(sg int, delegate bool) Profile {
	p := Profile{Subgraph: sg, Delegate: delegate, Runs: c.runTotal.Count()}
	runs := max(p.Runs, 1)
	total := float64(c.runTotal.Sum())
	p.TotalAvgMS = total / float64(runs) / 1e6
	rows := append([]*detail(nil), c.rows...)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].runOrder < rows[j].runOrder })
	toRow := func(d *detail) Row {
		r := Row{Type: d.typ, Name: d.name, Subgraph: d.subgraph, Node: d.node, RunOrder: d.runOrder,
			FirstMS: float64(d.elapsed.First()) / 1e6, AvgMS: d.elapsed.Avg() / 1e6,
			MemKB: float64(d.memNewest) / 1000, TimesCalled: d.timesCalled / runs}
		if total > 0 {
			r.Percent = float64(d.elapsed.Sum()) * 100 / total
		}
		return r
	}
	// The cumulative column is computed as StatsCalculator computes it:
	// whole microseconds, in float32.
	totalUS := float32(c.runTotal.Sum() / 1000)
	cdf := func(cumNS int64) float64 {
		if totalUS == 0 {
			return 0
		}
		return float64(float32(float32(cumNS/1000)*100) / totalUS)
	}
	var cumNS int64
	for _, d := range rows {
		r := toRow(d)
		cumNS += d.elapsed.Sum()
		r.CDFPercent = cdf(cumNS)
		p.Rows = append(p.Rows, r)
	}
	byTime := append([]*detail(nil), rows...)
	sort.SliceStable(byTime, func(i, j int) bool { return byTime[i].elapsed.Avg() > byTime[j].elapsed.Avg() })
	cumNS = 0
	for _, d := range byTime {
		r := toRow(d)
		cumNS += d.elapsed.Sum()
		r.CDFPercent = cdf(cumNS)
		p.ByTime = append(p.ByTime, r)
	}

	// Summary by node type, as StatsCalculator::GetStatsByNodeType: each
	// row's time per run in whole microseconds, summed by type; the
	// figures in float32.
	type acc struct {
		count       int
		us, mem     int64
		timesCalled int64
	}
	types := map[string]*acc{}
	var accumulatedUS int64
	for _, d := range rows {
		a := types[d.typ]
		if a == nil {
			a = &acc{}
			types[d.typ] = a
		}
		perRunUS := d.elapsed.Sum() / 1000 / runs
		accumulatedUS += perRunUS
		a.count++
		a.us += perRunUS
		a.mem += d.memNewest
		a.timesCalled += d.timesCalled / runs
	}
	for name, a := range types {
		t := TypeRow{Type: name, Count: a.count, AvgMS: float64(float32(a.us) / 1000),
			MemKB: float64(float32(a.mem) / 1000), TimesCalled: a.timesCalled}
		if accumulatedUS > 0 {
			t.Percent = float64(float32(a.us) / float32(accumulatedUS) * 100)
		}
		p.Types = append(p.Types, t)
	}
	sort.Slice(p.Types, func(i, j int) bool {
		if p.Types[i].AvgMS != p.Types[j].AvgMS {
			return p.Types[i].AvgMS > p.Types[j].AvgMS
		}
		return p.Types[i].Type > p.Types[j].Type
	})
	var typeCDF float32
	for i := range p.Types {
		typeCDF += float32(p.Types[i].Percent)
		p.Types[i].CDFPercent = float64(typeCDF)
	}
	return p
}

// TopByTimeLimit is how many rows the "Top by Computation Time" table
// shows (StatSummarizerOptions' time_limit).
const TopByTimeLimit = 10

// WriteReport writes the report TensorFlow Lite's ProfileSummarizer
// writes for tag ("profile" in benchmark_model): per subgraph the Run
// Order and Top by Computation Time tables, the summary by node type and
// the timings; then the delegate-internal section if any. With csv the
// tables are comma-separated, as with benchmark_model's
// --profiling_output_csv_file.
func (s *Summarizer) WriteReport(w io.Writer, tag string, csv bool) error {
	var b strings.Builder
	profiles := s.Profiles()
	nonPrimary := false
	for _, p := range profiles {
		if p.Subgraph > 0 {
			nonPrimary = true
		}
	}
	for _, p := range profiles {
		if p.Delegate {
			b.WriteString("Delegate internal: \n")
			writeTables(&b, &p, csv)
			b.WriteString(s.delegate.shortSummary() + "\n")
			continue
		}
		if nonPrimary {
			if p.Subgraph == 0 {
				fmt.Fprintf(&b, "Primary graph %s:\n", tag)
			} else {
				fmt.Fprintf(&b, "Subgraph (index: %d) %s:\n", p.Subgraph, tag)
			}
		}
		writeTables(&b, &p, csv)
		if p.Subgraph != 0 {
			fmt.Fprintf(&b, "Subgraph (index: %d) ", p.Subgraph)
		}
		b.WriteString(s.subgraphs[p.Subgraph].shortSummary() + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shortSummary is StatsCalculator::GetShortSummary (timings in
// microseconds; no memory is recorded per run).
func (c *calculator) shortSummary() string {
	var mem Stat
	return fmt.Sprintf("Timings (microseconds): %s\nMemory (bytes): %s\n%d nodes observed\n", c.runTotalUS.String(), mem.String(), len(c.rows))
}

// field is StatsCalculator's InitField: a tab, then the value
// right-aligned in width (floats with 3 decimals).
func field(b *strings.Builder, width int, v any) {
	b.WriteByte('\t')
	switch v := v.(type) {
	case float64:
		fmt.Fprintf(b, "%*.3f", width, v)
	case string:
		fmt.Fprintf(b, "%*s", width, v)
	default:
		fmt.Fprintf(b, "%*v", width, v)
	}
}

// pct is a percentage field: the number in width, then "%".
func pct(b *strings.Builder, width int, v float64) {
	field(b, width, v)
	b.WriteByte('%')
}

func writeTables(b *strings.Builder, p *Profile, csv bool) {
	metric := func(title string, rows []Row) {
		b.WriteString("============================== " + title + " ==============================\n")
		if csv {
			b.WriteString("node type, first, avg_ms, %, cdf%, mem KB, times called, name\n")
		} else {
			field(b, 24, "[node type]")
			field(b, 9, "[first]")
			field(b, 9, "[avg ms]")
			field(b, 8, "[%]")
			field(b, 8, "[cdf%]")
			field(b, 10, "[mem KB]")
			field(b, 9, "[times called]")
			b.WriteString("\t[Name]\n")
		}
		for _, r := range rows {
			if csv {
				fmt.Fprintf(b, "%s, %s, %s, %s%%, %s%%, %s, %d, %s\n", r.Type, FormatG(r.FirstMS), FormatG(r.AvgMS),
					FormatG(r.Percent), FormatG(r.CDFPercent), FormatG(r.MemKB), r.TimesCalled, strings.ReplaceAll(r.Name, ",", "\t"))
				continue
			}
			field(b, 24, r.Type)
			field(b, 9, r.FirstMS)
			field(b, 9, r.AvgMS)
			pct(b, 7, r.Percent)
			pct(b, 7, r.CDFPercent)
			field(b, 10, r.MemKB)
			field(b, 9, r.TimesCalled)
			b.WriteString("\t" + r.Name + "\n")
		}
		b.WriteByte('\n')
	}
	metric("Run Order", p.Rows)
	top := p.ByTime
	if len(top) > TopByTimeLimit {
		top = top[:TopByTimeLimit]
	}
	metric("Top by Computation Time", top)

	fmt.Fprintf(b, "Number of nodes executed: %d\n", len(p.Rows))
	b.WriteString("============================== Summary by node type ==============================\n")
	if csv {
		b.WriteString("node type, count, avg_ms, avg %, cdf %, mem KB, times called\n")
	} else {
		field(b, 24, "[Node type]")
		field(b, 9, "[count]")
		field(b, 10, "[avg ms]")
		field(b, 11, "[avg %]")
		field(b, 11, "[cdf %]")
		field(b, 10, "[mem KB]")
		field(b, 10, "[times called]")
		b.WriteByte('\n')
	}
	for _, t := range p.Types {
		if csv {
			fmt.Fprintf(b, "%s, %d, %s, %s%%, %s%%, %s, %d\n", t.Type, t.Count, FormatG(t.AvgMS),
				FormatG(t.Percent), FormatG(t.CDFPercent), FormatG(t.MemKB), t.TimesCalled)
			continue
		}
		field(b, 24, t.Type)
		field(b, 9, t.Count)
		field(b, 10, t.AvgMS)
		pct(b, 10, t.Percent)
		pct(b, 10, t.CDFPercent)
		field(b, 10, t.MemKB)
		field(b, 9, t.TimesCalled)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
}
