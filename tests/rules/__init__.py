"""Tests of tracker/rules/: the plain rules, by hand and as properties."""
