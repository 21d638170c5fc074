"""Benchmarks and the conversation evaluation (run by hand; see bench/README.md)."""
