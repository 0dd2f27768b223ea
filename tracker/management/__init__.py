"""manage.py commands: demo (load the demo clinic) and run_checks (the daily checks)."""
