"""The article's own paragraphs, without the page furniture that scrapers keep ("SEE ALSO:", "NOW WATCH:")."""

from __future__ import annotations

import re

# Whole lines that are navigation, promotion or credits, not reporting.
BOILERPLATE_LINE = re.compile(
    r"^\s*(?:SEE ALSO|NOW WATCH|READ MORE|READ ALSO|RELATED|MORE|WATCH|ALSO READ|Related Coverage|Advertisement"
    r"|Join the conversation|Sign up|Subscribe|Follow us|Click here|Share this|Image caption|Media caption"
    r"|Copyright|All rights reserved|\(Reporting by|\(Writing by|\(Editing by|Reporting by|Editing by)\b",
    re.IGNORECASE,
)
PROMO_MARK = "»"


def is_boilerplate(line: str) -> bool:
    return bool(BOILERPLATE_LINE.match(line)) or line.rstrip().endswith(PROMO_MARK)


def article_paragraphs(body: str) -> list[tuple[int, str]]:
    """(offset in body, text) of each non-empty line that is the article's own text."""
    out = []
    offset = 0
    for line in body.split("\n"):
        if line.strip() and not is_boilerplate(line):
            out.append((offset, line))
        offset += len(line) + 1
    return out
