"""Tests of tracker/admin/: Django's admin under the app's rules, and its audit trail."""
