"""Tests of tracker/domain/: the writes, their transactions, audit rows and save-once."""
