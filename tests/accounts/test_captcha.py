"""The sign-up captcha: right answer accepted once, wrong or replayed answers refused, expiry."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from veille.accounts.captcha import LIFETIME, new_captcha, random_code, render_svg
from veille.store import Store

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_captcha_right_answer_accepted_once(store: Store) -> None:
    from veille.accounts.captcha import check_captcha

    captcha, code = new_captcha(store, now=T0)
    assert check_captcha(store, captcha.id, code.lower(), now=T0 + timedelta(seconds=30))
    assert not check_captcha(store, captcha.id, code, now=T0 + timedelta(seconds=31))  # replayed


def test_captcha_wrong_answer_refused_and_burns_it(store: Store) -> None:
    from veille.accounts.captcha import check_captcha

    captcha, code = new_captcha(store, now=T0, code="AK7WP")
    assert not check_captcha(store, captcha.id, "AK7WR", now=T0)
    assert not check_captcha(store, captcha.id, "AK7WP", now=T0)  # a second try on it gets nothing
    assert not check_captcha(store, "no-such-captcha", code, now=T0)


def test_captcha_expires(store: Store) -> None:
    from veille.accounts.captcha import check_captcha

    captcha, code = new_captcha(store, now=T0)
    assert not check_captcha(store, captcha.id, code, now=T0 + LIFETIME + timedelta(seconds=1))


def test_captcha_svg_hides_the_code_from_the_markup() -> None:
    code = random_code(random.Random(7))
    svg = render_svg(code, random.Random(7))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<text" not in svg and code not in svg
    assert len(re.findall(r"<path ", svg)) > len(code)  # strokes of every glyph, plus noise curves


def test_captcha_pictures_differ_for_one_code() -> None:
    assert render_svg("AK7WP", random.Random(1)) != render_svg("AK7WP", random.Random(2))
