//go:build !linux

package main

// The memory figures are Linux's; elsewhere the memory lines are left out,
// as benchmark_model leaves them out where it cannot measure memory.

func memoryFootprintKB() (int64, bool)         { return 0, false }
func rssStatsMB() (rss, shared int64, ok bool) { return 0, 0, false }
func procStatusKB() map[string]int64           { return nil }
