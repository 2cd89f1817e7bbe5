"""Benchmark harness: synthetic documents (`generate`), the floor and naive baselines (`baselines`), and
the end-to-end comparison with our pipeline (`run`). `make bench` runs it; results go to bench/RESULTS.md.
"""
