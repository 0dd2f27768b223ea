"""Telling people outside the app: e-mail and scheduled work through `django.tasks`.

Nothing here runs inside a request. The domain queues a task (in the same transaction as the
record it is about, with the database backend), and `manage.py db_worker` runs it. Each
e-mail is a row (`AlertEmail`) before it is sent, so a task that runs twice sends nothing
twice, and a refused e-mail is tried again and shown on the alert as not delivered.
"""
