"""Tables of stories, for `veille stories` and `veille story`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table

from veille.model import Article, Story


def _span(story: Story) -> str:
    if story.first_seen is None:
        return "undated"
    if story.first_seen == story.last_seen:
        return story.first_seen
    return f"{story.first_seen} → {story.last_seen}"


def stories_table(stories: Sequence[Story], entity_names: Mapping[str, str], title: str = "Stories") -> Table:
    """One row per story: its span, headline, size, sources and top entities."""
    table = Table(title=title, title_justify="left")
    for column in ("id", "dates", "title", "articles", "sources", "entities"):
        if column == "articles":
            table.add_column(column, justify="right")
        else:
            table.add_column(column, no_wrap=column in ("id", "dates"))
    for story in stories:
        names = [entity_names.get(e, e) for e in story.entity_ids[:5]]
        if story.sources:
            sources = f"{story.independent_sources} independent of {len(story.sources)}"
        else:  # no source name nor URL: who published them is not known
            sources = "unknown" if story.article_ids else ""
        size = str(len(story.article_ids))
        table.add_row(story.id, _span(story), story.title or "", size, sources, ", ".join(names))
    return table


def story_articles_table(articles: Sequence[Article]) -> Table:
    """A story's articles in date order, copies marked."""
    table = Table(title="Articles", title_justify="left")
    for column in ("published", "source", "title", "copy of", "id"):
        table.add_column(column, no_wrap=column in ("published", "id"))
    for article in sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id)):
        table.add_row(article.published or "undated", article.source_name or "", article.title or "",
                      article.duplicate_of or "", article.id)  # fmt: skip
    return table
