"""Outside formats, one folder each: calendar/ the iCalendar feed of a plan."""
