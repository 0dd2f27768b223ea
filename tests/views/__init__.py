"""Tests of tracker/views/: the pages and forms as a browser sends them, plain or by htmx."""
