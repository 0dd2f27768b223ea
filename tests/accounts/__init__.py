"""Tests of tracker/accounts/: signing in, the idle spell per role, lockouts."""
