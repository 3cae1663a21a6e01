"""The explorer's facet items, built in Python, escape like the template did."""

from __future__ import annotations

from types import SimpleNamespace

from uprhub.recommendations.templatetags.explorer_tags import facet_items


def test_facet_items_escape_and_mark_the_selected_value():
    value = SimpleNamespace(value='x"y', label="<b>Côte d'Ivoire</b>", count=1234, selected=True)
    group = SimpleNamespace(key="recommending_state-1", name="recommending_state", shown=[value])
    group.more = [value]
    shown = facet_items(group, "shown")
    assert shown == (
        '<li><input type="checkbox" id="f-recommending_state-1-1" name="recommending_state"'
        ' value="x&quot;y" checked><label for="f-recommending_state-1-1">&lt;b&gt;Côte'
        ' d&#x27;Ivoire&lt;/b&gt; <span class="count" data-facet-count>(1234)</span></label></li>'
    )
    more = facet_items(group, "more")
    assert 'id="f-recommending_state-1-m1"' in more
    assert "checked" not in more
