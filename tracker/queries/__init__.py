"""The reads that pages share: one query shape per thing shown, with its related rows
fetched in a fixed number of queries however many there are."""
