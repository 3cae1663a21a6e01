"""Log in with an e-mail address, whatever its letter case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class EmailBackend(ModelBackend):
    """Django's ModelBackend, looking the account up by e-mail address instead of username.

    Passwords are checked by Django (`check_password`); nothing here handles them.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any | None:
        if not username or password is None or "@" not in username:
            return None
        User = get_user_model()
        matches = list(User._default_manager.filter(email__iexact=username.strip())[:2])
        if len(matches) != 1:
            # Hash anyway, so the response time does not tell whether the address is known
            # (as ModelBackend does). Two accounts sharing an address never log in by it.
            User().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
