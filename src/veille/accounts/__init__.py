"""Members of a veille server: users and roles, invitations, sessions, CSRF, sign-in rate limiting,
the sign-up captcha, and comments. Store functions take a `Store`; `deps` holds the FastAPI
dependencies other features use (`current_user`, `require_role`, `verify_csrf`, `csrf_field`)."""

from veille.accounts.settings import AccountSettings
from veille.accounts.users import ROLES, User

__all__ = ["ROLES", "AccountSettings", "User"]
