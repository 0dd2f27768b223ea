"""The numbers several rules and pages share, each stated once."""

from __future__ import annotations

# Days without a logged session after which a patient counts as gone silent: the daily check
# opens an alert, and the caseload shows them as not logging.
SILENCE_DAYS = 5

# Days before a clearance runs out from which the care team is warned: the daily check opens an
# alert, and the record marks the clearance as running out.
CLEARANCE_WARNING_DAYS = 14

# Minutes of moderate activity a week recommended for adults (WHO 2020): the goal line on the
# charts and the mark of the last recovery phase.
WEEKLY_GOAL_MINUTES = 150
