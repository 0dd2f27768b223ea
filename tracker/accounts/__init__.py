"""Signing in and staying signed in: the idle spell per role, the sign-in name that
django-axes counts failed attempts against, and expired sign-ins met by htmx requests."""
