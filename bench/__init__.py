"""Benchmarks: `python -m bench [NAME ...]` runs them and writes figures to bench/results/."""
