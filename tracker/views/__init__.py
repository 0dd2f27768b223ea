"""What people see, by audience: patient/ (their own pages), clinician/ (caseload, records,
plans, alerts, feedback), admin_pages.py (the admin's overview); contact.py and danger.py for
both. htmx.py is the one place that decides between a whole page and a region of one."""
