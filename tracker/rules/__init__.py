"""The rules that are the point of the product, as plain functions over plain values: no
queries, no requests, so forms, the admin, views and the daily checks share one piece of code
for each rule and tests check them by hand. plans.py what a clearance allows and a plan's
weeks and holds; progression.py how minutes grow; safety.py what a report means for the care
team; clearances.py a new clearance's re-check; checks.py the daily checks; progress.py the
recovery arithmetic; scales.py the standard scales in words."""
