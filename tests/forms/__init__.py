"""Tests of tracker/forms/: validation and the visible text limits."""
