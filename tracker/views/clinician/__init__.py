"""The care team's pages: the caseload, a patient's record, plans, alerts, feedback, progress."""
