"""Charts drawn on the server as SVG: draw.py what is drawn, layout.py where it goes;
templates/tracker/charts/ draws it."""
