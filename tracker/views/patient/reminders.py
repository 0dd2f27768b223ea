"""(Being built for issue 16.)"""

from __future__ import annotations

urlpatterns: list = []
