"""Template tags and filters the templates share."""
