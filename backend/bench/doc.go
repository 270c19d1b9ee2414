// Package bench holds the side-by-side benchmarks run by `make bench`:
// LeadMiner's own mining against peers doing the same job on the same
// data, printed as ratios. It has no production code; see bench_test.go.
package bench
