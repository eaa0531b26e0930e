"""The RSS/Atom feed reader, on the feeds in tests/data/feeds and tiny ones written per test.

Most tests call the parser directly instead of through the sandbox (`direct`), so they test the
feed reading alone; `test_feed_through_the_real_sandbox` runs the real sandbox once it exists.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from veille.ingest import ReadReport, sandbox
from veille.ingest.feed import NOT_A_FEED_MESSAGE, fragment_text, iso_utc, parse_feed, sniff_feed
from veille.model import RawDoc

Ingest = Callable[..., tuple[list[RawDoc], ReadReport]]
FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
RSS_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>J</title>'


def _direct(fn: Callable[..., Any], *args: Any, seconds: float) -> Any:
    return fn(*args)


@pytest.fixture
def direct(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("veille.ingest.sandbox.call_with_timeout", _direct)


def _rss(tmp_path: Path, items: str, name: str = "f.rss") -> Path:
    path = tmp_path / name
    path.write_text(f"{RSS_HEAD}{items}</channel></rss>", encoding="utf-8")
    return path


def test_feed_rss_full_content_entry(ingest: Ingest, direct: None) -> None:
    docs, report = ingest(FEEDS / "journal.rss")
    assert docs[0] == RawDoc(
        source_file="journal.rss",
        source_id="jdm-2020-0001",
        text="Les ministres de sept pays se sont réunis mercredi à Paris.\n"
        "« Nous avançons », a déclaré la ministre.\nLa réunion a duré trois heures.",
        title="La coalition se réunit à Paris",
        url="https://journal.example.fr/2020/07/02/coalition",
        source_name="Le Journal du Matin",
        published="2020-07-02T08:00:00+00:00",
        author="Marie Dupont",
        partial=False,
    )
    assert report.warnings == []


def test_feed_rss_summary_only_entry_is_partial(ingest: Ingest, direct: None) -> None:
    doc = ingest(FEEDS / "journal.rss")[0][1]
    assert (doc.text, doc.partial) == ("Le trafic sera perturbé vendredi.", True)
    # No guid: the link is the entry's key.
    assert doc.source_id == "https://journal.example.fr/2020/07/03/greve"
    assert doc.published == "2020-07-03T06:30:00+00:00"


def test_feed_atom_entry(ingest: Ingest, direct: None) -> None:
    docs, _ = ingest(FEEDS / "journal.atom")
    assert [(d.source_id, d.url, d.title, d.author, d.source_name) for d in docs] == [
        (
            "tag:journal.example.fr,2020:soir-42",
            "https://journal.example.fr/soir/budget",
            "Le budget adopté",
            "Jean Martin",
            "Le Journal du Soir",
        )
    ]
    assert docs[0].text == "L'Assemblée a adopté le budget.\nLe vote a eu lieu jeudi soir."
    assert (docs[0].published, docs[0].partial) == ("2020-07-02T16:00:00+00:00", False)


def test_feed_entry_without_id_or_link_is_numbered(tmp_path: Path, ingest: Ingest, direct: None) -> None:
    path = _rss(tmp_path, "<item><title>A</title><description>x</description></item>" * 2)
    assert [d.source_id for d in ingest(path)[0]] == ["entry:1", "entry:2"]


def test_feed_repeated_id_is_renamed_with_a_warning(tmp_path: Path, ingest: Ingest, direct: None) -> None:
    path = _rss(tmp_path, "<item><guid>g</guid><description>x</description></item>" * 2)
    docs, report = ingest(path)
    assert [d.source_id for d in docs] == ["g", "entry:2"]
    assert report.warnings == ["f.rss: entry 2 repeats the id 'g'; named entry:2 instead"]


def test_feed_bozo_feed_keeps_parsed_entries(tmp_path: Path, ingest: Ingest, direct: None) -> None:
    text = (FEEDS / "journal.rss").read_text(encoding="utf-8")
    (tmp_path / "cut.rss").write_text(text[: text.index("</item>") + 200], encoding="utf-8")
    docs, report = ingest(tmp_path / "cut.rss")
    assert docs[0].source_id == "jdm-2020-0001"
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("cut.rss: malformed feed (SAXParseException")
    assert report.rejected == {}


def test_feed_without_entries_warns(tmp_path: Path, ingest: Ingest, direct: None) -> None:
    docs, report = ingest(_rss(tmp_path, ""))
    assert (docs, report.warnings) == ([], ["f.rss: the feed has no entries"])


def test_feed_xml_that_is_not_a_feed_is_skipped(tmp_path: Path, ingest: Ingest, direct: None) -> None:
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url/></urlset>', encoding="utf-8")
    docs, report = ingest(tmp_path / "sitemap.xml")
    assert (docs, report.skipped) == ([], [("sitemap.xml", NOT_A_FEED_MESSAGE)])


def test_feed_xml_that_is_a_feed_is_read(tmp_path: Path, ingest: Ingest, direct: None) -> None:
    shutil.copy(FEEDS / "journal.atom", tmp_path / "soir.xml")
    assert [d.source_file for d in ingest(tmp_path / "soir.xml")[0]] == ["soir.xml"]


def test_feed_rss_file_that_is_not_a_feed_is_a_parse_error(
    tmp_path: Path, ingest: Ingest, direct: None
) -> None:
    (tmp_path / "f.rss").write_bytes(b"\x01\x02 garbage, not xml")
    docs, _ = ingest(tmp_path / "f.rss")
    assert [(d.reason, d.source_id) for d in docs] == [("parse_error", "")]
    assert (docs[0].reason_detail or "").startswith("not an RSS or Atom feed (SAXParseException")


def test_feed_empty_file_is_rejected(tmp_path: Path, ingest: Ingest, direct: None) -> None:
    (tmp_path / "f.atom").write_bytes(b"  \n")
    assert [(d.reason, d.reason_detail) for d in ingest(tmp_path / "f.atom")[0]] == [("empty", "3 bytes")]


def test_feed_unreadable_date_warns_and_stays_unknown(tmp_path: Path, ingest: Ingest, direct: None) -> None:
    path = _rss(
        tmp_path, "<item><guid>g</guid><pubDate>hier soir</pubDate><description>x</description></item>"
    )
    docs, report = ingest(path)
    assert docs[0].published is None
    assert report.warnings == ["f.rss: entry 1: published 'hier soir' is not a date; kept as unknown"]


def test_feed_command_line_wins_over_feed_metadata(ingest: Ingest, direct: None) -> None:
    docs, _ = ingest(FEEDS / "journal.rss", published="2021-01-01", source="Autre")
    assert {(d.published, d.source_name) for d in docs} == {("2021-01-01", "Autre")}


def test_feed_entry_over_record_cap_is_rejected(ingest: Ingest, direct: None) -> None:
    docs, _ = ingest(FEEDS / "journal.rss", max_record_bytes=40)
    assert (docs[0].reason, docs[0].source_id) == ("record_too_large", "jdm-2020-0001")


def test_feed_timeout_rejects_the_file(ingest: Ingest, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(fn: Callable[..., Any], *args: Any, seconds: float) -> Any:
        raise sandbox.DocumentTimeout

    monkeypatch.setattr("veille.ingest.sandbox.call_with_timeout", slow)
    docs, _ = ingest(FEEDS / "journal.rss", doc_timeout=3)
    assert [(d.reason, d.reason_detail) for d in docs] == [
        ("timeout", "parsing the feed took over 3 s (--doc-timeout)")
    ]


def test_feed_same_file_twice_gives_same_ids(ingest: Ingest, direct: None) -> None:
    first = [d.source_id for d in ingest(FEEDS / "journal.rss")[0]]
    assert first == [d.source_id for d in ingest(FEEDS / "journal.rss")[0]]


def test_feed_fragment_text_one_line_per_block() -> None:
    html = "<p>Un <b>deux</b>.</p><ul><li>trois</li><li>quatre</li></ul>cinq<br>six<script>x()</script>"
    assert fragment_text(html) == "Un deux.\ntrois\nquatre\ncinq\nsix"


def test_feed_fragment_text_of_plain_text() -> None:
    assert fragment_text("  Juste   du texte \n\n suite ") == "Juste du texte\nsuite"


def test_feed_sniff_feed_roots() -> None:
    assert sniff_feed(b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="x">')
    assert sniff_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert not sniff_feed(b"<feedback><rss-like/></feedback>")


def test_feed_iso_utc_of_struct_time() -> None:
    assert iso_utc(time.strptime("2020-07-02 08:00:00", "%Y-%m-%d %H:%M:%S")) == "2020-07-02T08:00:00+00:00"
    assert iso_utc(None) is None


def test_feed_parse_feed_is_pure_on_bytes() -> None:
    feed = parse_feed(
        f"{RSS_HEAD}<item><guid>g</guid><description>x</description></item></channel></rss>".encode()
    )
    assert (feed.is_feed, feed.title, [(e.key, e.text, e.partial) for e in feed.entries]) == (
        True,
        "J",
        [("g", "x", True)],
    )


def _sandbox_ready() -> bool:
    try:
        sandbox.call_with_timeout(len, "ab", seconds=5)
    except NotImplementedError:
        return False
    return True


@pytest.mark.skipif(not _sandbox_ready(), reason="needs the sandbox (sandbox.py) to land")
def test_feed_through_the_real_sandbox(ingest: Ingest) -> None:
    docs, _ = ingest(FEEDS / "journal.rss")
    assert [d.source_id for d in docs] == ["jdm-2020-0001", "https://journal.example.fr/2020/07/03/greve"]
