"""axe-core in the browser tests: one helper, one threshold (no serious or critical violation)."""

from __future__ import annotations


def assert_accessible(page, name: str, *, open_details: bool = False) -> None:
    """Run axe-core on the page as it is; `open_details` first opens every <details> so what
    they hide is checked too."""
    from axe_playwright_python.sync_playwright import Axe

    if open_details:
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"
