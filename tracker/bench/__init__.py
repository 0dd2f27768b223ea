"""The benchmark of issue 15: a clinic at a chosen scale, and the key pages timed against it.

seed.py fills an empty database with a clinic whose size follows the number of patients;
rows.py makes each patient's rows (profile, clearance, plans, sessions) and care.py what follows
them (alerts, comments, measurements, audit events); writer.py writes them in bulk (COPY on
PostgreSQL). measure.py times the key pages through the test client and reports a table;
urls.py is the project's URLs plus the bare view the pages are compared with, mounted only
while the benchmark runs. The commands are `manage.py bench_seed` and `manage.py bench`.
"""
