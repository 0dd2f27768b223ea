"""Charts drawn on the server as SVG: draw.py what is drawn, layout.py where it goes, svg.py
the markup; templates/tracker/charts/chart.html places both variants and the legend."""
