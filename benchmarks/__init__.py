"""Benchmarks: a large-data seeder and timing scripts for the API and the ledger.

They run against a real PostgreSQL database (never the test database); see docs/benchmarks.md.
"""
