"""The patient's own pages: Today, logging and history, progress, their data, feedback."""
