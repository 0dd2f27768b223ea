"""The iCalendar feed of a patient's plan (issue 16)."""
