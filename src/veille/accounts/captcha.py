"""An offline image captcha for the open sign-up: an SVG of a random code, drawn as strokes.

The characters are drawn from a small stroke font as SVG paths, never as <text>, so the code is not
in the markup for a script to read; each glyph is rotated, scaled, skewed and its points jittered,
and noise curves and dots cross the picture. It stops casual form-filling bots, not a determined
attacker with an OCR model; rate limiting (ratelimit.py) bounds what such an attacker gets.

The answer is stored hashed with an expiry, and a captcha is used once: the first answer, right or
wrong, deletes it, so a wrong guess cannot be followed by another on the same picture.
"""

from __future__ import annotations

import base64
import hashlib
import math
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

from veille.accounts.users import now_utc, stamp
from veille.store import Store
from veille.store.schema_workspace import captchas

LENGTH = 5
LIFETIME = timedelta(minutes=10)
WIDTH, HEIGHT = 220, 70
Stroke = list[tuple[float, float]]
# Glyphs on a 4 × 6 grid (x right, y down). No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: they look alike once
# distorted, and a person should not fail on a fair reading.
GLYPHS: dict[str, list[Stroke]] = {
    "A": [[(0, 6), (2, 0), (4, 6)], [(1, 3.5), (3, 3.5)]],
    "C": [[(4, 1), (3, 0), (1, 0), (0, 1), (0, 5), (1, 6), (3, 6), (4, 5)]],
    "D": [[(0, 0), (0, 6), (3, 6), (4, 5), (4, 1), (3, 0), (0, 0)]],
    "E": [[(4, 0), (0, 0), (0, 6), (4, 6)], [(0, 3), (3, 3)]],
    "F": [[(4, 0), (0, 0), (0, 6)], [(0, 3), (3, 3)]],
    "H": [[(0, 0), (0, 6)], [(4, 0), (4, 6)], [(0, 3), (4, 3)]],
    "J": [[(4, 0), (4, 5), (3, 6), (1, 6), (0, 5)]],
    "K": [[(0, 0), (0, 6)], [(4, 0), (0, 3.5)], [(1.5, 2.5), (4, 6)]],
    "M": [[(0, 6), (0, 0), (2, 3), (4, 0), (4, 6)]],
    "N": [[(0, 6), (0, 0), (4, 6), (4, 0)]],
    "P": [[(0, 6), (0, 0), (3, 0), (4, 1), (4, 2), (3, 3), (0, 3)]],
    "R": [[(0, 6), (0, 0), (3, 0), (4, 1), (4, 2), (3, 3), (0, 3)], [(2, 3), (4, 6)]],
    "T": [[(0, 0), (4, 0)], [(2, 0), (2, 6)]],
    "U": [[(0, 0), (0, 5), (1, 6), (3, 6), (4, 5), (4, 0)]],
    "V": [[(0, 0), (2, 6), (4, 0)]],
    "W": [[(0, 0), (1, 6), (2, 2), (3, 6), (4, 0)]],
    "X": [[(0, 0), (4, 6)], [(4, 0), (0, 6)]],
    "Y": [[(0, 0), (2, 3), (4, 0)], [(2, 3), (2, 6)]],
    "3": [[(0, 0), (4, 0), (2, 2.5), (3.5, 3), (4, 4.5), (3, 6), (1, 6), (0, 5)]],
    "4": [[(3, 6), (3, 0), (0, 4), (4, 4)]],
    "7": [[(0, 0), (4, 0), (1.5, 6)]],
    "9": [[(4, 3), (1, 3), (0, 2), (0, 1), (1, 0), (3, 0), (4, 1), (4, 5), (3, 6), (0, 6)]],
}
ALPHABET = "".join(GLYPHS)


@dataclass(frozen=True, slots=True)
class Captcha:
    id: str
    svg: str

    def data_url(self) -> str:
        """The picture as a data: URL, for an <img> (no extra request, nothing served from elsewhere)."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def normalise(answer: str) -> str:
    """What a person typed, compared case-blind and without spaces."""
    return "".join(answer.split()).upper()


def _answer_hash(captcha_id: str, answer: str) -> str:
    # Salted by the id, so equal codes of two captchas do not share a hash.
    return hashlib.sha256(f"{captcha_id}:{normalise(answer)}".encode()).hexdigest()


def random_code(rng: random.Random | None = None) -> str:
    pick = rng.choice if rng else secrets.choice
    return "".join(pick(ALPHABET) for _ in range(LENGTH))


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def render_svg(code: str, rng: random.Random) -> str:
    """The code drawn as distorted strokes over noise, as a standalone SVG document."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="code à recopier">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f1ea"/>',
    ]
    for _ in range(5):  # noise curves, under and over the glyphs' colour range
        y0, y1 = rng.uniform(5, HEIGHT - 5), rng.uniform(5, HEIGHT - 5)
        c1 = (rng.uniform(40, 90), rng.uniform(0, HEIGHT))
        c2 = (rng.uniform(110, 160), rng.uniform(0, HEIGHT))
        colour = f"#{rng.randint(80, 170):02x}{rng.randint(80, 170):02x}{rng.randint(80, 170):02x}"
        parts.append(
            f'<path d="M0 {_fmt(y0)} C{_fmt(c1[0])} {_fmt(c1[1])} {_fmt(c2[0])} {_fmt(c2[1])} '
            f'{WIDTH} {_fmt(y1)}" stroke="{colour}" stroke-width="{rng.uniform(1, 2.2):.1f}" fill="none"/>'
        )
    step = (WIDTH - 30) / len(code)
    for i, char in enumerate(code):
        angle = math.radians(rng.uniform(-15, 15))
        scale = rng.uniform(5.0, 6.2)
        skew = rng.uniform(-0.25, 0.25)
        cx, cy = 15 + step * (i + 0.5), HEIGHT / 2 + rng.uniform(-6, 6)
        colour = f"#{rng.randint(10, 90):02x}{rng.randint(10, 90):02x}{rng.randint(10, 110):02x}"
        for stroke in GLYPHS[char]:
            points = []
            for x, y in stroke:
                gx, gy = (x - 2 + skew * (y - 3)) * scale, (y - 3) * scale
                gx, gy = gx + rng.uniform(-0.9, 0.9), gy + rng.uniform(-0.9, 0.9)
                rx = gx * math.cos(angle) - gy * math.sin(angle)
                ry = gx * math.sin(angle) + gy * math.cos(angle)
                points.append(f"{_fmt(cx + rx)} {_fmt(cy + ry)}")
            parts.append(
                f'<path d="M{" L".join(points)}" stroke="{colour}" stroke-width="{rng.uniform(2.4, 3.4):.1f}"'
                ' fill="none" stroke-linecap="round" stroke-linejoin="round"/>'
            )
    for _ in range(40):  # speckles
        parts.append(
            f'<circle cx="{_fmt(rng.uniform(0, WIDTH))}" cy="{_fmt(rng.uniform(0, HEIGHT))}" '
            f'r="{rng.uniform(0.6, 1.8):.1f}" '
            f'fill="#{rng.randint(60, 160):02x}{rng.randint(60, 160):02x}80"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def new_captcha(store: Store, *, now: datetime | None = None, code: str | None = None) -> tuple[Captcha, str]:
    """Make and store a captcha; returns it and its code (the code is for tests, never for pages)."""
    rng = random.Random(secrets.randbits(64))
    code = code or random_code()
    captcha_id = secrets.token_urlsafe(16)
    at = now or now_utc()
    with store._write() as conn:
        conn.execute(delete(captchas).where(captchas.c.expires_at <= stamp(at)))
        conn.execute(
            insert(captchas).values(
                id=captcha_id,
                answer_hash=_answer_hash(captcha_id, code),
                created_at=stamp(at),
                expires_at=stamp(at + LIFETIME),
            )
        )
    return Captcha(captcha_id, render_svg(code, rng)), code


def check_captcha(store: Store, captcha_id: str, answer: str, *, now: datetime | None = None) -> bool:
    """Whether `answer` is the code of captcha `captcha_id`, unexpired and unused; uses it up."""
    with store._write() as conn:
        row = conn.execute(
            select(captchas.c.answer_hash, captchas.c.expires_at).where(captchas.c.id == captcha_id)
        ).first()
        if row is None:
            return False
        gone = conn.execute(delete(captchas).where(captchas.c.id == captcha_id)).rowcount
    if gone != 1 or row.expires_at <= stamp(now or now_utc()):
        return False
    return secrets.compare_digest(row.answer_hash, _answer_hash(captcha_id, answer))
