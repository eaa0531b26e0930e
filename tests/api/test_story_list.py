"""`GET /api/stories` pages and date ranges, on a store without clustering (stories from
`articles.story_id`) and on one with a stories table (read from its summary column): the same
content as the stories' full states give."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from fastapi.testclient import TestClient

from veille.api import create_app
from veille.store import Store
from veille.stories.state import Headline, StoryState


def _ids(client: TestClient, **params: object) -> list[str]:
    response = client.get("/api/stories", params=params)
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["items"]]


def test_story_list_date_range_without_clustering(client: TestClient) -> None:
    # The sample store: "evil" (2016-02-01), s1 (2016-01-20 → 2016-01-21), s2 (2015-11-16).
    assert _ids(client, date_from="2016-01", date_to="2016-01") == ["s1"]
    assert _ids(client, date_from="2016-01-21") == ["evil", "s1"]
    assert _ids(client, date_to="2015") == ["s2"]
    assert _ids(client, date_from="2016-01-20", date_to="2016-01-20") == ["s1"]  # a date-time that day
    assert client.get("/api/stories", params={"date_from": "janvier"}).status_code == 422


def _state(sid: str, first: str, last: str, size: int) -> StoryState:
    articles = [f"{sid}_{i}" for i in range(size)]
    return StoryState(
        id=sid, article_ids=articles, first_seen=first, last_seen=last, entities={"ent_a": 1.0, sid: 2.0},
        sources={"AFP": size}, article_sources=dict.fromkeys(articles, "AFP"),
        headlines=[Headline(articles[0], f"Titre {sid}", {"titre": 1.0})],
    )  # fmt: skip


def test_story_list_pages_and_ranges_from_the_stories_table(tmp_path: Path) -> None:
    where = str(tmp_path / "stories.db")
    states = [
        _state("s_june", "2020-06-01", "2020-06-03", 2),
        _state("s_july", "2020-07-10", "2020-07-12", 3),
        _state("s_span", "2020-05-30", "2020-07-01", 4),
        _state("s_aug", "2020-08-01", "2020-08-01", 1),
    ]
    with Store.open(where) as store:
        store.save(states, [])
    with TestClient(create_app(where)) as client:
        page = client.get("/api/stories", params={"limit": 2, "offset": 1}).json()
        assert [s["id"] for s in page["items"]] == ["s_july", "s_span"] and page["next_offset"] == 3
        by_id = {s.id: s for s in states}
        for item in page["items"]:  # what the full state says, field for field
            expected = asdict(by_id[item["id"]].to_story())
            expected.pop("merged_into")
            assert item == expected
        assert _ids(client, date_from="2020-06", date_to="2020-06") == ["s_span", "s_june"]
        assert _ids(client, date_from="2020-07-05") == ["s_aug", "s_july"]
        assert _ids(client, date_to="2020-05-31") == ["s_span"]
        assert _ids(client, date_from="2020-07", limit=1, offset=1) == ["s_july"]
