"""Realistic data at scale for the benchmarks, written by `manage.py
generate_benchmark_data`: generator.py (the municipalities, promises, indicators,
reports and incident reports), activities.py (the activities and findings) and
rows.py (COPY on PostgreSQL, executemany elsewhere)."""

from .generator import BenchmarkData

__all__ = ["BenchmarkData"]
