"""The writes: one function per thing a person does, keyword-only, one transaction each,
taking the acting person. Each records what it did in the audit trail (audit.py) and saves once
however often the same form is sent (once.py)."""
