"""Django's admin, where admins manage accounts, the catalogue, clearances, templates and plans:
accounts.py the people, plans.py the catalogue, clearances, templates and plans, audit.py the
trail (what the admin does is written to it through the admin's own hooks)."""

from tracker.admin import accounts, audit, closing, plans

__all__ = ["accounts", "audit", "closing", "plans"]
