"""Benchmarks that compare the console with anchors measured in the same run.

Run every benchmark with ``python -m bench`` (see ``bench/run_all.py``).
"""
