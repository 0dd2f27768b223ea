"""Tests of tracker/access.py: who may open what, URL by URL and role by role."""
