"""Template context: the visitor's role, so navigation shows only what they may open."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .choices import Role
from .permissions import has_role


def roles(request: HttpRequest) -> dict[str, object]:
    # Lazy: pages that never look at the role (and anonymous visitors) cost no query.
    def compute() -> dict[str, bool]:
        user = request.user
        return {
            "member": has_role(user, Role.MEMBER),
            "coordinator": has_role(user, Role.COORDINATOR),
            "admin": has_role(user, Role.ADMIN),
        }

    return {"user_roles": SimpleLazyObject(compute)}
