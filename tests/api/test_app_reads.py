"""The read endpoints on a hand-filled store, on SQLite and PostgreSQL: filters, paging, sorting."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_app_reads_articles_newest_first_without_rejected(client: TestClient) -> None:
    response = client.get("/api/articles")
    assert response.status_code == 200
    body = response.json()
    assert [a["id"] for a in body["items"]] == ["evil", "a1copy", "a1", "a2"]
    assert body["next_offset"] is None and "text" not in body["items"][0]


def test_app_reads_articles_filters(client: TestClient) -> None:
    def ids(**params: str) -> list[str]:
        response = client.get("/api/articles", params=params)
        assert response.status_code == 200, response.text
        return [a["id"] for a in response.json()["items"]]

    assert ids(date_from="2016-01", date_to="2016-01") == ["a1copy", "a1"]
    assert ids(date_to="2016-01-20") == ["a1", "a2"]  # a date-time on the last day is within it
    assert ids(source="AFP") == ["a2"]
    assert ids(entity="ent_carter") == ["a1"]
    assert ids(status="rejected") == ["rej"]
    assert ids(status="duplicate") == ["a1copy"]
    assert ids(story="s1", sort="published") == ["a1", "a1copy"]
    assert ids(rubrique="international") == ["a2"]
    assert ids(rubrique="sport") == []
    assert ids(language="en") == []


def test_app_reads_articles_paging_and_sorting(client: TestClient) -> None:
    first = client.get("/api/articles", params={"limit": 2, "sort": "id"}).json()
    assert [a["id"] for a in first["items"]] == ["a1", "a1copy"] and first["next_offset"] == 2
    second = client.get("/api/articles", params={"limit": 2, "offset": 2, "sort": "id"}).json()
    assert [a["id"] for a in second["items"]] == ["a2", "evil"] and second["next_offset"] is None


def test_app_reads_bad_parameters_are_422(client: TestClient) -> None:
    assert client.get("/api/articles", params={"date_from": "janvier"}).status_code == 422
    assert client.get("/api/articles", params={"sort": "random"}).status_code == 422
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/entities", params={"label": "PERSON"}).status_code == 422


def test_app_reads_article_whole(client: TestClient) -> None:
    body = client.get("/api/articles/a1").json()
    assert body["title"] == "Le conseil de guerre de Paris"
    assert body["dropped_lines"] == [{"text": "Partager sur Facebook", "reason": "boilerplate:share"}]
    mention = body["mentions"][0]
    assert body["text"][mention["start"] : mention["end"]] == mention["text"]
    assert body["quotes"][0]["speaker_name"] == "Ashton Carter"
    assert body["timexes"][0]["value"] == "2016-01-20"
    assert body["events"][0]["type"] == "meeting"
    assert body["events"][0]["location"]["name"] == "Paris"


def test_app_reads_unknown_ids_are_404_with_a_hint(client: TestClient) -> None:
    response = client.get("/api/articles/nope")
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "no article 'nope' in this store; list ids with /api/articles or search with /api/search"
    )
    assert client.get("/api/entities/nope").status_code == 404
    assert client.get("/api/stories/nope").status_code == 404


def test_app_reads_stories_grouped_by_story_id(client: TestClient) -> None:
    items = client.get("/api/stories").json()["items"]
    by_id = {s["id"]: s for s in items}
    # Latest first: the script page stands alone (no story_id), then s1, then s2.
    assert [s["id"] for s in items] == ["evil", "s1", "s2"]
    s1 = by_id["s1"]
    assert s1["article_ids"] == ["a1", "a1copy"]
    assert s1["sources"] == ["Le Monde", "Ouest-France"] and s1["independent_sources"] == 1
    assert s1["first_seen"].startswith("2016-01-20") and s1["last_seen"] == "2016-01-21"
    assert s1["entity_ids"] == ["ent_carter", "ent_paris"]
    assert client.get("/api/stories/s2").json()["title"] == "Frappes sur Raqqa"


def test_app_reads_entities_and_one_entity(client: TestClient) -> None:
    found = client.get("/api/entities", params={"q": "carter"}).json()["items"]
    assert [e["id"] for e in found] == ["ent_carter"]
    carter = client.get("/api/entities/ent_carter").json()
    assert carter["mention_count"] == 2
    assert carter["roles"][0]["title"] == "secrétaire à la Défense"
    assert carter["articles"] == [
        {
            "id": "a1",
            "title": "Le conseil de guerre de Paris",
            "published": "2016-01-20T10:00:00+01:00",
            "mentions": 2,
        }
    ]
    assert carter["cooccurring"][0]["name"] == "Paris"
    assert carter["mentions_by_month"] == [{"month": "2016-01", "mentions": 2}]
    labels = [e["label"] for e in client.get("/api/entities", params={"label": "LOC"}).json()["items"]]
    assert labels and set(labels) == {"LOC"}


def test_app_reads_quotes_events_timexes(client: TestClient) -> None:
    quotes = client.get("/api/quotes", params={"speaker": "Carter"}).json()["items"]
    assert [q["text"] for q in quotes] == ["Nous allons accélérer la campagne contre Daech"]
    assert client.get("/api/quotes", params={"date_to": "2015"}).json()["items"] == []
    assert client.get("/api/quotes", params={"speaker": "Carter", "date_to": "2015"}).json()["items"] == []
    assert client.get("/api/quotes", params={"speaker": "carter ashton"}).json()["items"] == []
    by_text = client.get("/api/quotes", params={"speaker": "ASHTON"}).json()["items"]
    assert [q["speaker_name"] for q in by_text] == ["Ashton Carter"]
    assert len(client.get("/api/quotes", params={"entity": "ent_carter"}).json()["items"]) == 1
    events = client.get("/api/events").json()["items"]
    assert [e["id"] for e in events] == ["ev_strike", "ev_meeting"]
    assert [e["id"] for e in client.get("/api/events", params={"entity": "ent_raqqa"}).json()["items"]] == [
        "ev_strike"
    ]
    assert (
        client.get("/api/events", params={"type": "meeting", "date_from": "2016"}).json()["items"][0][
            "trigger"
        ]
        == "réuni"
    )
    timexes = client.get("/api/timexes", params={"date_from": "2016"}).json()["items"]
    assert [t["text"] for t in timexes] == ["le 20 janvier"]
    page = client.get("/api/timexes", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_offset"] == 1


def test_app_reads_search_across_kinds(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Daech"}).json()
    assert [h["article_id"] for h in body["articles"]] == ["a1"]  # the copy shares the text: kept apart
    assert "Daech" in body["articles"][0]["snippet"]
    assert [q["article_id"] for q in body["quotes"]] == ["a1"]
    raqqa = client.get("/api/search", params={"q": "Raqqa"}).json()
    assert [e["name"] for e in raqqa["entities"]] == ["Raqqa"]


def test_app_reads_stats(client: TestClient) -> None:
    counts = client.get("/api/stats").json()
    assert counts["articles"] == 5 and counts["rejected"] == 1 and counts["quotes"] == 1
