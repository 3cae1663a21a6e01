"""Report pages. Each view: permission → form → one service or selector → render/redirect.

Everything works without JavaScript (plain forms, redirects to the paragraph's anchor);
``static/reports/editor.js`` adds autosave, a live word count and in-place conflict handling
through the JSON endpoints in `live`.
"""

from .citing import citation_remove, cite
from .live import autosave, live_count
from .report import (
    about,
    cover_edit,
    export,
    guide,
    mark_final,
    organisation_description,
    people,
    quality_check,
    remove_person,
    reopen,
    report_create,
    report_detail,
    report_list,
    sign_off,
    upload_check,
)
from .writing import (
    comment_add,
    comment_resolve,
    paragraph_add,
    paragraph_edit,
    paragraph_history,
    paragraph_move,
    paragraph_remove,
    removed_paragraphs,
    revision_restore,
    section_add,
    section_remove,
    section_rename,
)

__all__ = [
    "about",
    "autosave",
    "citation_remove",
    "cite",
    "comment_add",
    "comment_resolve",
    "cover_edit",
    "export",
    "guide",
    "live_count",
    "mark_final",
    "organisation_description",
    "paragraph_add",
    "paragraph_edit",
    "paragraph_history",
    "paragraph_move",
    "paragraph_remove",
    "people",
    "quality_check",
    "remove_person",
    "removed_paragraphs",
    "reopen",
    "report_create",
    "report_detail",
    "report_list",
    "revision_restore",
    "section_add",
    "section_remove",
    "section_rename",
    "sign_off",
    "upload_check",
]
