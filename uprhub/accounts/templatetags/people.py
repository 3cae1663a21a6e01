"""`{% load people %}{{ user|display_name }}`: a person's chosen name, never their address."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from uprhub.accounts.selectors import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    if user is None or user == "":
        return _("Former member")
    return _display_name(user)
