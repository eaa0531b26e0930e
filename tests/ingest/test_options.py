from __future__ import annotations

import re

import pytest

from veille.errors import ConfigError
from veille.ingest import FieldMap, ReadOptions, parse_fields_option


def test_options_fields_option_maps_every_field() -> None:
    spec = "text=body,title=headline,id=uid,published=pubdate,lead=chapo,url=link,source=site"
    assert parse_fields_option(spec) == FieldMap(
        id="uid", title="headline", lead="chapo", text="body", published="pubdate", url="link", source="site"
    )


def test_options_fields_option_keeps_defaults_for_unnamed_fields() -> None:
    assert parse_fields_option(" text = body , ") == FieldMap(text="body")


def test_options_fields_option_unknown_name_message() -> None:
    message = (
        "--fields: unknown field 'titel' in 'titel=headline'. "
        "Valid fields: id, title, lead, text, published, url, source."
    )
    with pytest.raises(ConfigError, match=f"^{re.escape(message)}$"):
        parse_fields_option("text=body,titel=headline")


def test_options_fields_option_missing_equals_message() -> None:
    message = (
        "--fields: 'body' is not of the form FIELD=KEY (e.g. text=body). "
        "Valid fields: id, title, lead, text, published, url, source."
    )
    with pytest.raises(ConfigError, match=f"^{re.escape(message)}$"):
        parse_fields_option("body")


def test_options_fields_option_rejects_a_field_given_twice() -> None:
    with pytest.raises(ConfigError, match="field 'text' is given twice"):
        parse_fields_option("text=body,text=content")


def test_options_fallback_keys_only_while_default() -> None:
    assert FieldMap().keys_for("text") == ("article", "text", "body", "content")
    assert FieldMap(text="corps").keys_for("text") == ("corps",)


def test_options_invalid_published_message() -> None:
    message = (
        "--published '02/07/2020' is not an ISO 8601 date or date-time; "
        "write it like 2020-07-02 or 2020-07-02T10:30:00+02:00."
    )
    with pytest.raises(ConfigError, match=f"^{re.escape(message)}$"):
        ReadOptions(published="02/07/2020")


def test_options_published_accepts_date_and_datetime() -> None:
    assert ReadOptions(published="2020-07-02").published == "2020-07-02"
    assert ReadOptions(published="2020-07-02T10:30:00+02:00").published == "2020-07-02T10:30:00+02:00"


def test_options_non_positive_cap_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="--max-bytes must be a positive number of bytes, got 0"):
        ReadOptions(max_bytes=0)
