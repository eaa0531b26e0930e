"""Which of several copies of the same text is "the first": one rule, shared by store and dedup.

The store (`Store.first_copies`, `Store.resolve_copies`) and the pipeline's dedup stage both pick
the first copy of a content hash. If they ordered copies differently, a rerun could flip which copy
is kept; so both sort with `copy_order_key` and nothing else.

The rule: the earliest publication wins; an article with no (or an unreadable) date comes after
every dated one, since we cannot claim it came first; ties go to the smallest id, so the outcome
never depends on the order articles were ingested in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

# Sort key for articles we cannot place in time; only its position (last) matters.
_UNDATED = datetime.max.replace(tzinfo=UTC)


def normalise_published(published: str | None) -> datetime | None:
    """An ISO 8601 date or date-time as an aware UTC datetime, or None when absent or unreadable.

    A plain date means midnight UTC; a date-time without an offset is read as UTC. Both are
    assumptions, but stable ones: the same string always lands on the same instant.
    """
    if not published:
        return None
    value = published.strip()
    try:
        if len(value) == 10:  # YYYY-MM-DD: fromisoformat would give a date, not a datetime
            return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def copy_order_key(published: str | None, article_id: str) -> tuple[int, datetime, str]:
    """Sort key: the smallest key among copies of one text is its first copy."""
    instant = normalise_published(published)
    if instant is None:
        return (1, _UNDATED, article_id)
    return (0, instant, article_id)
