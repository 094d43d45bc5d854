"""Benchmarks: synthetic data at scale (`bench.generate`) and the measurements (`bench.run`)."""
