"""Watchlists and alerts (issue 9): saved queries matched as articles are ingested, with an Atom
feed, a signed webhook, a digest and a "breaking" signal per watchlist.

- `query`: the `Watchlist` and its boolean keyword language;
- `evaluate`: `evaluate_batch(store, articles)`, run by the engine after each stored batch;
- `webhook`, `atom`, `digest`, `breaking`: the outputs.
"""

from __future__ import annotations

from veille.watch.query import QuerySyntaxError, Watchlist, parse_query, watchlist_id

__all__ = ["QuerySyntaxError", "Watchlist", "parse_query", "watchlist_id"]
