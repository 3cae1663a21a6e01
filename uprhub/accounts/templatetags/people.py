"""`{% load people %}{{ user|display_name }}`: a person's chosen name, never their address;
`{{ user|site_role_label }}`: their role in words."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from uprhub.accounts.selectors import display_name as _display_name
from uprhub.core.roles import Role, role_of

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    if user is None or user == "":
        return _("Former member")
    return _display_name(user)


@register.filter
def site_role(user: Any) -> str:
    """The role that counts (`permissions.role_of`): a superuser is an administrator even
    when their profile never got the role."""
    return role_of(user)


@register.filter
def site_role_label(user: Any) -> str:
    """`{{ user|site_role_label }}`: "Administrator", "Member" … as the rules see the person."""
    return str(Role(role_of(user)).label)
