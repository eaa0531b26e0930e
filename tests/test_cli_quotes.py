"""`veille quotes` and `veille eval quotes` on a store filled by hand (no spaCy)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cli_runner import veille
from veille.model import Article, Entity, Mention, Quote
from veille.store import Store


def _quote(article: Article, said: str, kind: str = "direct", **speaker: str | None) -> Quote:
    start = article.text.index(said)
    end = start + len(said)
    ident = "q_" + hashlib.sha256(f"{article.id}\x1f{start}\x1f{end}".encode()).hexdigest()[:20]
    return Quote(ident, article.id, start, end, said, kind, **speaker)  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "v.db")
    carter = Entity("ent_carter", "Ashton Carter", "PER", "person", ["Ashton Carter", "Carter"])
    first = Article(
        id="a", source_file="a.txt", source_id="", title="Le conseil de guerre", published="2016-01-20",
        text="«Nous devons accélérer», a dénoncé Ashton Carter. "
        "«Oui», confie-t-on dans l'entourage du ministre.",
        mentions=[Mention("a", 34, 47, "Ashton Carter", "PER", "ent_carter")], entities=[carter],
    )  # fmt: skip
    first.quotes = [
        _quote(first, "Nous devons accélérer", speaker_text="Ashton Carter", speaker_entity_id="ent_carter",
               speaker_name="Ashton Carter", speaker_kind="person", cue="a dénoncé"),
        _quote(first, "Oui", speaker_text="dans l'entourage du ministre",
               speaker_name="dans l'entourage du ministre", speaker_kind="anonymous", cue="confie-t-on"),
    ]  # fmt: skip
    second = Article(
        id="b", source_file="b.txt", source_id="", title="La coalition", published="2016-01-21",
        text="Le secrétaire à la Défense veut «concentrer» les frappes.",
    )  # fmt: skip
    second.quotes = [
        _quote(second, "concentrer", "partial", speaker_text="Le secrétaire à la Défense",
               speaker_entity_id="ent_carter", speaker_name="Ashton Carter", speaker_kind="person"),
    ]  # fmt: skip
    with Store.open(path) as store:
        store.upsert([first, second])
    return path


def test_cli_quotes_speaker_alias_finds_every_quote_of_the_person(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "quotes", "--db", db, "--speaker", "carter")
    assert code == 0
    assert "«Nous devons accélérer»" in out and "«concentrer»" in out
    assert "«Oui»" not in out
    # Newest article first.
    assert out.index("La coalition") < out.index("Le conseil de guerre")


def test_cli_quotes_kind_filter_and_anonymous_source(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    _, out, _ = veille(
        monkeypatch, capsys, "quotes", "--db", db, "--speaker", "entourage", "--kind", "direct"
    )
    assert "«Oui»" in out and "dans l'entourage du ministre" in out and "accélérer" not in out
    _, out, _ = veille(monkeypatch, capsys, "quotes", "--db", db, "--kind", "partial")
    assert "«concentrer»" in out and "«Oui»" not in out


def test_cli_quotes_nothing_found_says_how_to_look(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "quotes", "--db", db, "--speaker", "Poutine")
    assert code == 0 and "no quote by 'Poutine'" in out and "veille entities --query" in out


def test_cli_quotes_bad_kind_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, _, err = veille(monkeypatch, capsys, "quotes", "--db", db, "--kind", "rumour")
    assert code == 2 and "--kind must be one of direct, partial, indirect" in err


def test_cli_quotes_show_still_works(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "show", "a", "--db", db)
    assert code == 0 and "Nous devons accélérer" in out


def test_cli_quotes_eval_missing_gold_exits_nonzero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = veille(monkeypatch, capsys, "eval", "quotes", str(tmp_path / "none.jsonl"))
    assert code == 1 and "no gold file" in err
