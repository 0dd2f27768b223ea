"""Tests of tracker/notifications/: e-mail through a real SMTP server and the task worker."""
