"""The demo clinic that `manage.py demo` loads: clinic.py its people and plans, sessions.py
their weeks of sessions, measurements.py their measurements, all through the real write
paths."""
