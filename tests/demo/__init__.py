"""Tests of tracker/demo/: the demo clinic."""
