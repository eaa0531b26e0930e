"""Comments at store level: threads one level deep, author-only edits, moderation."""

from __future__ import annotations

import pytest

from veille.accounts.comments import add_comment, delete_comment, edit_comment, hide_comment, thread
from veille.accounts.users import AccountError, User, create_user
from veille.store import Store

PASSWORD = "un mot de passe long"


def _people(store: Store) -> tuple[User, User, User]:
    return (
        create_user(store, "Alice", PASSWORD, "analyst"),
        create_user(store, "Bob", PASSWORD, "reader"),
        create_user(store, "Admin", PASSWORD, "admin"),
    )


def test_comments_reply_to_a_reply_joins_the_thread(store: Store) -> None:
    alice, bob, _ = _people(store)
    top = add_comment(store, alice, "story", "s1", "Premier")
    reply = add_comment(store, bob, "story", "s1", "Réponse", parent_id=top.id)
    again = add_comment(store, alice, "story", "s1", "Réponse à la réponse", parent_id=reply.id)
    assert again.parent_id == top.id
    shown = thread(store, "story", "s1")
    assert [c.text for c in shown] == ["Premier"]
    assert [(c.author, c.text) for c in shown[0].replies] == [
        ("Bob", "Réponse"),
        ("Alice", "Réponse à la réponse"),
    ]
    assert thread(store, "article", "s1") == []


def test_comments_reply_must_be_on_the_same_target(store: Store) -> None:
    alice, _, _ = _people(store)
    top = add_comment(store, alice, "story", "s1", "Premier")
    with pytest.raises(AccountError):
        add_comment(store, alice, "article", "a1", "Ailleurs", parent_id=top.id)
    with pytest.raises(AccountError, match="vide"):
        add_comment(store, alice, "story", "s1", "   ")
    with pytest.raises(AccountError):
        add_comment(store, alice, "watchlist", "w1", "Non")


def test_comments_only_the_author_edits_or_deletes(store: Store) -> None:
    alice, bob, admin = _people(store)
    mine = add_comment(store, alice, "entity", "Q1", "Texte")
    with pytest.raises(PermissionError):
        edit_comment(store, bob, mine.id, "Pirate")
    with pytest.raises(PermissionError):
        delete_comment(store, admin, mine.id)  # admins hide, they do not rewrite
    edit_comment(store, alice, mine.id, "Texte corrigé")
    (shown,) = thread(store, "entity", "Q1")
    assert shown.text == "Texte corrigé" and shown.edited_at is not None
    delete_comment(store, alice, mine.id)
    assert thread(store, "entity", "Q1") == []


def test_comments_deleted_top_stays_as_a_placeholder_for_its_replies(store: Store) -> None:
    alice, bob, _ = _people(store)
    top = add_comment(store, alice, "story", "s1", "Premier")
    add_comment(store, bob, "story", "s1", "Réponse", parent_id=top.id)
    delete_comment(store, alice, top.id)
    (shown,) = thread(store, "story", "s1")
    assert shown.deleted and shown.text == "" and [r.text for r in shown.replies] == ["Réponse"]


def test_comments_hidden_by_admins_shown_to_admins_only(store: Store) -> None:
    alice, bob, admin = _people(store)
    rude = add_comment(store, bob, "story", "s1", "Grossier")
    with pytest.raises(PermissionError):
        hide_comment(store, alice, rude.id)
    hide_comment(store, admin, rude.id)
    assert thread(store, "story", "s1", viewer=alice) == []
    assert thread(store, "story", "s1", viewer=None) == []
    (seen,) = thread(store, "story", "s1", viewer=admin)
    assert seen.hidden and seen.text == "Grossier"
    hide_comment(store, admin, rude.id, hidden=False)
    assert [c.text for c in thread(store, "story", "s1")] == ["Grossier"]
