"""Comments on stories, articles and entities, with replies threaded one level.

A reply to a reply attaches to the top comment, so a thread is a comment and its replies in time
order. Authors edit and delete their own comments (a deleted comment keeps its place, as "supprimé",
while it has replies); admins hide comments (moderation) and may show them again. Comment text is
untrusted: it is stored as typed and escaped wherever it is shown (templates autoescape; the JSON
API returns it as a string).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select, update

from veille.accounts.users import AccountError, User, now_utc, stamp
from veille.store import Store
from veille.store.schema_workspace import comments, users

TARGET_KINDS = ("story", "article", "entity")
MAX_LENGTH = 5000


@dataclass(slots=True)
class Comment:
    id: str
    target_kind: str
    target_id: str
    parent_id: str | None
    user_id: str
    author: str
    text: str
    created_at: str
    edited_at: str | None
    deleted: bool
    hidden: bool
    replies: list[Comment] = field(default_factory=list)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise AccountError("Le commentaire est vide : écrivez quelque chose avant d’envoyer.")
    if len(text) > MAX_LENGTH:
        raise AccountError(f"Le commentaire dépasse {MAX_LENGTH} caractères : raccourcissez-le.")
    return text


def _select() -> Select[Any]:
    return select(comments, users.c.name.label("author")).join(users, users.c.id == comments.c.user_id)


def _comment(r: Any) -> Comment:
    """A Comment from a row of `comments` joined with its author's name."""
    return Comment(
        id=r.id, target_kind=r.target_kind, target_id=r.target_id, parent_id=r.parent_id,
        user_id=r.user_id, author=r.author, text=r.text, created_at=r.created_at,
        edited_at=r.edited_at, deleted=r.deleted_at is not None, hidden=r.hidden_by is not None,
    )  # fmt: skip


def get_comment(store: Store, comment_id: str) -> Comment | None:
    with store.engine.connect() as conn:
        row = conn.execute(_select().where(comments.c.id == comment_id)).first()
    return None if row is None else _comment(row)


def add_comment(
    store: Store, user: User, target_kind: str, target_id: str, text: str, *,
    parent_id: str | None = None, now: datetime | None = None,
) -> Comment:  # fmt: skip
    """Store `user`'s comment on a target (or a reply, when `parent_id` is given) and return it."""
    if target_kind not in TARGET_KINDS:
        raise AccountError(f"On ne commente pas « {target_kind} » : seulement {', '.join(TARGET_KINDS)}.")
    text = _clean(text)
    if parent_id:
        parent = get_comment(store, parent_id)
        if parent is None or (parent.target_kind, parent.target_id) != (target_kind, target_id):
            raise AccountError("Le commentaire auquel vous répondez n’existe pas (ou plus) ici.")
        parent_id = parent.parent_id or parent.id  # one level: a reply to a reply joins the thread
    comment_id = secrets.token_hex(8)
    row = {"id": comment_id, "target_kind": target_kind, "target_id": target_id,
           "parent_id": parent_id or None, "user_id": user.id, "text": text,
           "created_at": stamp(now or now_utc())}  # fmt: skip
    with store._write() as conn:
        conn.execute(insert(comments).values(**row))
    found = get_comment(store, comment_id)
    assert found is not None
    return found


def _own(store: Store, user: User, comment_id: str) -> Comment:
    found = get_comment(store, comment_id)
    if found is None or found.deleted:
        raise AccountError("Ce commentaire n’existe pas (ou plus).")
    if found.user_id != user.id:
        raise PermissionError("only its author may edit or delete a comment")
    return found


def edit_comment(
    store: Store, user: User, comment_id: str, text: str, *, now: datetime | None = None
) -> None:
    """Replace the text of `user`'s own comment; `PermissionError` for someone else's."""
    _own(store, user, comment_id)
    text = _clean(text)
    with store._write() as conn:
        conn.execute(
            update(comments)
            .where(comments.c.id == comment_id)
            .values(text=text, edited_at=stamp(now or now_utc()))
        )


def delete_comment(store: Store, user: User, comment_id: str, *, now: datetime | None = None) -> None:
    """Delete `user`'s own comment: its text is wiped; `PermissionError` for someone else's."""
    _own(store, user, comment_id)
    with store._write() as conn:
        conn.execute(
            update(comments)
            .where(comments.c.id == comment_id)
            .values(text="", deleted_at=stamp(now or now_utc()))
        )


def hide_comment(store: Store, admin: User, comment_id: str, hidden: bool = True) -> None:
    """Moderation: an admin hides a comment from everyone but admins (or shows it again)."""
    if not admin.has_role("admin"):
        raise PermissionError("only admins moderate comments")
    if get_comment(store, comment_id) is None:
        raise AccountError("Ce commentaire n’existe pas.")
    with store._write() as conn:
        conn.execute(
            update(comments).where(comments.c.id == comment_id).values(hidden_by=admin.id if hidden else None)
        )


def _visible(comment: Comment, viewer: User | None) -> bool:
    if comment.deleted:
        return False
    return not comment.hidden or (viewer is not None and viewer.has_role("admin"))


def thread(store: Store, target_kind: str, target_id: str, viewer: User | None = None) -> list[Comment]:
    """The comments on a target as threads, oldest first, as `viewer` may see them.

    Deleted comments, and hidden ones for all but admins, are left out, except a top comment that
    still has visible replies: it stays as a placeholder (its text emptied) so the replies keep
    their context.
    """
    with store.engine.connect() as conn:
        rows = conn.execute(
            _select()
            .where(comments.c.target_kind == target_kind, comments.c.target_id == target_id)
            .order_by(comments.c.created_at, comments.c.id)
        ).all()
    found = [_comment(r) for r in rows]
    tops = {c.id: c for c in found if c.parent_id is None}
    for c in found:
        if c.parent_id is not None and c.parent_id in tops and _visible(c, viewer):
            tops[c.parent_id].replies.append(c)
    shown = []
    for top in tops.values():
        if _visible(top, viewer):
            shown.append(top)
        elif top.replies:
            top.text = ""
            shown.append(top)
    return shown


def count_comments(store: Store, target_kind: str, target_id: str) -> int:
    """Visible comments on a target (for a count beside a title)."""
    from sqlalchemy import func

    with store.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(comments)
                .where(
                    comments.c.target_kind == target_kind,
                    comments.c.target_id == target_id,
                    comments.c.deleted_at.is_(None),
                    comments.c.hidden_by.is_(None),
                )
            ).scalar_one()
        )
