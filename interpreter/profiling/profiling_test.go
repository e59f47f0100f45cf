package profiling

import (
	"strings"
	"testing"
)

const ms = int64(1e6) // nanoseconds

// ev makes an operator event of dur ms starting at begin ms.
func ev(sg, node int, op string, begin, dur float64) Event {
	return Event{Kind: KindOp, Subgraph: sg, Node: node, Tag: op, Begin: int64(begin * float64(ms)), End: int64((begin + dur) * float64(ms))}
}

// TestReportFormat checks the text report of two runs of two nodes
// against TensorFlow Lite's layout (StatsCalculator: tab, right-aligned
// fields, three decimals) with figures worked out by hand: node 0 takes 1
// then 3 ms, node 1 3 then 1 ms, so each averages 2 ms, 50% of 4 ms runs.
func TestReportFormat(t *testing.T) {
	s := NewSummarizer(nil)
	s.ProcessRun([]Event{ev(0, 0, "CONV_2D", 0, 1), ev(0, 1, "ADD", 1, 3)})
	s.ProcessRun([]Event{ev(0, 0, "CONV_2D", 10, 3), ev(0, 1, "ADD", 13, 1)})
	var b strings.Builder
	if err := s.WriteReport(&b, "profile", false); err != nil {
		t.Fatal(err)
	}
	want := "============================== Run Order ==============================\n" +
		"\t             [node type]\t  [first]\t [avg ms]\t     [%]\t  [cdf%]\t  [mem KB]\t[times called]\t[Name]\n" +
		"\t                 CONV_2D\t    1.000\t    2.000\t 50.000%\t 50.000%\t     0.000\t        1\t[]:0\n" +
		"\t                     ADD\t    3.000\t    2.000\t 50.000%\t100.000%\t     0.000\t        1\t[]:1\n" +
		"\n" +
		"============================== Top by Computation Time ==============================\n" +
		"\t             [node type]\t  [first]\t [avg ms]\t     [%]\t  [cdf%]\t  [mem KB]\t[times called]\t[Name]\n" +
		"\t                 CONV_2D\t    1.000\t    2.000\t 50.000%\t 50.000%\t     0.000\t        1\t[]:0\n" +
		"\t                     ADD\t    3.000\t    2.000\t 50.000%\t100.000%\t     0.000\t        1\t[]:1\n" +
		"\n" +
		"Number of nodes executed: 2\n" +
		"============================== Summary by node type ==============================\n" +
		"\t             [Node type]\t  [count]\t  [avg ms]\t    [avg %]\t    [cdf %]\t  [mem KB]\t[times called]\n" +
		"\t                 CONV_2D\t        1\t     2.000\t    50.000%\t    50.000%\t     0.000\t        1\n" +
		"\t                     ADD\t        1\t     2.000\t    50.000%\t   100.000%\t     0.000\t        1\n" +
		"\n" +
		"Timings (microseconds): count=2 curr=4000(all same)\n" +
		"Memory (bytes): count=0\n" +
		"2 nodes observed\n" +
		"\n"
	if got := b.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}

	b.Reset()
	if err := s.WriteReport(&b, "profile", true); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"node type, first, avg_ms, %, cdf%, mem KB, times called, name\n",
		"CONV_2D, 1, 2, 50%, 50%, 0, 1, []:0\n",
		"ADD, 3, 2, 50%, 100%, 0, 1, []:1\n",
		"node type, count, avg_ms, avg %, cdf %, mem KB, times called\n",
		"CONV_2D, 1, 2, 50%, 50%, 0, 1\n",
	} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("CSV report lacks %q:\n%s", line, b.String())
		}
	}
}

// TestSubgraphsAndDelegates: a WHILE in subgraph 0 runs subgraph 1's node
// twice per run; a delegate reports two internal operations.
func TestSubgraphsAndDelegates(t *testing.T) {
	s := NewSummarizer(nil)
	for run := range 2 {
		base := float64(run * 100)
		s.ProcessRun([]Event{
			ev(0, 0, "WHILE", base, 10),
			ev(1, 0, "ADD", base+1, 2),
			ev(1, 0, "ADD", base+4, 4),
			ev(0, 1, "TfLiteXNNPackDelegate", base+10, 5),
			{Kind: KindDelegateOp, Subgraph: 0, Node: 3, Tag: "Convolution (NHWC, F32) IGEMM", Begin: int64(base+10) * ms, End: int64(base+12) * ms},
		})
	}
	ps := s.Profiles()
	if len(ps) != 3 || ps[0].Subgraph != 0 || ps[1].Subgraph != 1 || !ps[2].Delegate {
		t.Fatalf("profiles %+v", ps)
	}
	if got := ps[0].TotalAvgMS; got != 15 {
		t.Errorf("subgraph 0 total %v ms, want 15 (the delegate's internals are not added)", got)
	}
	add := ps[1].Rows[0]
	if add.TimesCalled != 2 || add.AvgMS != 3 || add.FirstMS != 2 || ps[1].TotalAvgMS != 6 {
		t.Errorf("subgraph 1 ADD %+v, total %v; want called 2 per run, avg 3 ms, first 2 ms, total 6 ms", add, ps[1].TotalAvgMS)
	}
	if ps[0].Rows[1].Type != "TfLiteXNNPackDelegate" || ps[2].Rows[0].Name != "Delegate/Convolution (NHWC, F32) IGEMM:3" || ps[2].Rows[0].Type != "DelegateOpInvoke" {
		t.Errorf("delegate rows %+v / %+v", ps[0].Rows[1], ps[2].Rows[0])
	}
	var b strings.Builder
	if err := s.WriteReport(&b, "profile", false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Primary graph profile:\n", "Subgraph (index: 1) profile:\n", "Subgraph (index: 1) Timings (microseconds): count=2 curr=6000(all same)\n", "Delegate internal: \n"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestRecorder(t *testing.T) {
	r := NewRecorder(3)
	r.BeginOp(0, 0, "WHILE")
	r.BeginOp(1, 0, "ADD")
	r.EndOp(1, 0)
	r.BeginOp(1, 1, "MUL")
	r.EndOp(1, 1)
	r.BeginOp(1, 2, "SUB") // the buffer holds 3: dropped
	r.EndOp(1, 2)
	r.EndOp(0, 0)
	ev := r.Events()
	if len(ev) != 3 || r.Dropped() != 1 {
		t.Fatalf("%d events, %d dropped; want 3, 1", len(ev), r.Dropped())
	}
	for i, want := range []string{"WHILE", "ADD", "MUL"} {
		if ev[i].Tag != want || ev[i].End < ev[i].Begin {
			t.Errorf("event %d: %+v, want %s ended", i, ev[i], want)
		}
	}
	if !(ev[0].Begin <= ev[1].Begin && ev[2].End <= ev[0].End) {
		t.Errorf("WHILE %+v does not enclose its body %+v %+v", ev[0], ev[1], ev[2])
	}
	r.Reset()
	r.Stop()
	r.BeginOp(0, 0, "ADD")
	r.EndOp(0, 0)
	if len(r.Events()) != 0 {
		t.Errorf("a stopped recorder recorded %d events", len(r.Events()))
	}
	r.Start()
	if a := testing.AllocsPerRun(100, func() {
		r.Reset()
		r.BeginOp(0, 0, "ADD")
		r.EndOp(0, 0)
	}); a != 0 {
		t.Errorf("the recorder allocates %v times per event", a)
	}
	// An event that never ended is ignored by the summarizer.
	s := NewSummarizer(nil)
	s.ProcessRun([]Event{{Kind: KindOp, Tag: "ADD", Begin: 5, End: -1}})
	if s.Profiles()[0].Rows != nil {
		t.Errorf("unended event summarized: %+v", s.Profiles()[0].Rows)
	}
}

func TestStat(t *testing.T) {
	var s Stat
	if s.String() != "count=0" {
		t.Errorf("empty: %s", s.String())
	}
	for _, v := range []int64{10, 20, 30, 40} {
		s.Update(v)
	}
	// mean 25, population variance 125, std 11.18 -> 11.
	if got, want := s.String(), "count=4 first=10 curr=40 min=10 max=40 avg=25 std=11"; got != want {
		t.Errorf("%s, want %s", got, want)
	}
	var one Stat
	one.Update(7)
	one.Update(7)
	if one.String() != "count=2 curr=7(all same)" {
		t.Errorf("%s", one.String())
	}
}
