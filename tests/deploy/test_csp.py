"""The Content-Security-Policy: sent on every page, strict, and nothing inline that it blocks.

The browser test (tests/browser/test_csp.py) loads the pages in Chromium and listens for
violations; these tests are the fast guard: the header, and a scan of every template.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import uprhub
from tests.accounts.factories import make_user
from tests.web.factories import make_web_data

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
ROOT = Path(uprhub.__file__).parent
# Not served to browsers: WeasyPrint's input for the PDF export, and e-mail bodies.
NOT_SERVED = {"reports/export_pdf.html"}
INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "<style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def served_templates() -> list[Path]:
    found = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        name = path.as_posix().split("/templates/", 1)[1]
        if name in NOT_SERVED or name.startswith("emails/"):
            continue
        found.append(path)
    return found


def inline_code(html: str) -> list[str]:
    problems = [label for label, pattern in INLINE.items() if pattern.search(html)]
    for attributes in SCRIPT_TAG.findall(html):
        # External scripts and JSON data blocks (json_script) are fine: data is not run.
        if "src=" not in attributes and 'type="application/json"' not in attributes:
            problems.append(f"inline <script{attributes}>")
    return problems


def test_every_served_template_is_free_of_inline_code():
    templates = served_templates()
    assert len(templates) > 50
    problems = {
        str(path.relative_to(ROOT)): found
        for path in templates
        if (found := inline_code(path.read_text()))
    }
    assert problems == {}


def test_pages_carry_the_policy_and_no_inline_code(client):
    data = make_web_data()
    urls = [
        reverse("core:home"),
        reverse("recommendations:explorer"),
        reverse("recommendations:explorer") + "?q=torture",
        reverse("reviews:state", args=["USA"]),
        data.recommendations[0].get_absolute_url(),
        "/api/docs",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == POLICY, url
        assert inline_code(response.content.decode()) == [], url


def test_admin_gets_a_nonce_for_its_own_scripts(client):
    admin = make_user("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    (nonce,) = set(re.findall(r"'nonce-([^']+)'", policy))
    tags = re.findall(r"<(?:script|style)\b[^>]*>", response.content.decode())
    assert tags and all(f'nonce="{nonce}"' in tag for tag in tags)
    assert "'unsafe-inline'" not in policy
