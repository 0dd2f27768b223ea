"""Tests of tracker/bench/: the bench clinic's seeding, and the benchmark command."""
