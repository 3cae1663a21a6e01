"""Who may do what in mailing lists: this app's permissions in the one vocabulary of
`uprhub.core.rules` (found there by name on first use; see docs/ARCHITECTURE.md#permissions)."""

from __future__ import annotations

from uprhub.core.roles import is_coordinator, is_member
from uprhub.core.rules import rule, status_is

rule(
    "mailinglists.write_post",
    lambda user, post: is_coordinator(user),
    "coordinators and admins",
    when=status_is("draft"),
    state="draft (a post that went out never changes)",
)
rule(
    "mailinglists.send_post",
    lambda user, post: is_coordinator(user),
    "coordinators and admins",
    when=status_is("draft"),
    state="draft (a post is sent once)",
)
rule(
    "mailinglists.read_members_archive",
    lambda user, mailing_list: is_member(user),
    "members, coordinators and admins (public lists' archives are open to everyone)",
)
rule(
    "mailinglists.join_members_list",
    lambda user, mailing_list: is_member(user),
    "members, coordinators and admins, with their own account address",
)
