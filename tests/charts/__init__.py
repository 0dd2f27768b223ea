"""Tests of tracker/charts/: what the server-drawn charts draw and where."""
