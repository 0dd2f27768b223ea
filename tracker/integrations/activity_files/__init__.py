"""Sessions from a watch or phone: GPX, TCX and FIT files read into a proposed session."""
