"""Tests of tracker/queries/: the reads, their figures and their query counts."""
