"""The article text cut into highlighted pieces, the month bars and French dates, on tiny inputs."""

from __future__ import annotations

from veille.model import Article, Mention, Quote, Timex
from veille.web.render import french_date, highlight, timeline_bars


def _article() -> Article:
    text = "« Carter viendra demain », dit-il."
    article = Article(id="a", source_file="a", source_id="", text=text)
    article.quotes = [Quote("q_1", "a", 2, 23, text[2:23], "direct")]
    article.mentions = [Mention("a", 2, 8, "Carter", "PER", "ent_c")]
    article.timexes = [Timex("a", 17, 23, "demain", "DATE", "2016-01-21")]
    return article


def test_render_highlight_pieces_cover_the_text_with_nested_spans() -> None:
    article = _article()
    pieces = highlight(article)
    assert "".join(p.text for p in pieces) == article.text
    carter = next(p for p in pieces if p.text == "Carter")
    assert carter.kinds == ["mention", "mention-per", "quote", "quote-direct"]
    assert carter.anchors == ["m-0", "q_1"] and carter.entity_id == "ent_c"
    demain = next(p for p in pieces if p.text == "demain")
    assert "timex" in demain.kinds and "quote" in demain.kinds and demain.title == "2016-01-21"
    assert next(p for p in pieces if p.text == " viendra ").kinds == ["quote", "quote-direct"]


def test_render_highlight_ignores_spans_outside_the_text() -> None:
    article = _article()
    article.mentions.append(Mention("a", 30, 99, "hors", "LOC"))
    assert "".join(p.text for p in highlight(article)) == article.text


def test_render_highlight_bars_by_day_over_a_short_span() -> None:
    bars = timeline_bars([("2016-01-18", 2), ("2016-01-20", 4)], width=300, height=100)
    assert [b.label for b in bars] == ["18 janvier 2016", "19 janvier 2016", "20 janvier 2016"]
    assert [b.count for b in bars] == [2, 0, 4]
    assert bars[2].height == 100 and bars[0].height == 50 and bars[1].height == 0
    assert bars[0].width <= 40


def test_render_highlight_bars_by_month_over_a_long_span() -> None:
    bars = timeline_bars([("2015-11-02", 1), ("2015-11-20", 1), ("2016-01-20", 4)])
    assert [(b.label, b.count) for b in bars] == [("nov. 2015", 2), ("déc. 2015", 0), ("janv. 2016", 4)]
    assert timeline_bars([]) == []


def test_render_highlight_french_dates() -> None:
    assert french_date("2016-01-20T10:00:00+01:00") == "20 janvier 2016"
    assert french_date("2016-03-01") == "1er mars 2016"
    assert french_date("2016-08") == "août 2016"
    assert french_date(None) == "date inconnue"
    assert french_date("hier") == "hier"
