"""How findings read on screen: the core's bedside words (``core.wording``), shaped for widgets.

Only presentation lives here; the words themselves (and the body map's codes) are the core's, so
the game, the SSH exam and ``case show --as-student`` read the same and none names the answer.
"""

from __future__ import annotations

from vpatient.core.findings import FindingValue
from vpatient.core.wording import finding_label, finding_line, finding_text, short_code

__all__ = ["NOT_EXAMINED", "finding_label", "finding_line", "finding_value", "short_code"]

NOT_EXAMINED = "·"


def finding_value(key: str, value: FindingValue) -> str:
    """The value in words, for the findings log."""
    return finding_text(key, value)
