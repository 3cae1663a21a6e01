"""State pages: the list of reviewed States and one State's reviews with their totals.

Served by this app, not by `reviews`: what they show is statistics about recommendations."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from uprhub.reviews import selectors as reference

from . import panels, selectors


def state_list(request: HttpRequest) -> HttpResponse:
    # The home page's "pick a State" form lands here; without JS it is a plain GET form.
    code = request.GET.get("code", "").strip()
    if code and reference.state_exists(code):
        return redirect("reviews:state", code=code.upper())
    return render(request, "reviews/state_list.html", {"states": selectors.states_with_counts()})


def state_detail(request: HttpRequest, code: str) -> HttpResponse:
    overview = selectors.state_overview(code)
    if overview is None:
        raise Http404(_("No State has the code %(code)s.") % {"code": code})
    if code != overview.state.code:
        return redirect(overview.state, permanent=True)
    context = {
        "overview": overview,
        "state": overview.state,
        # What higher apps add (follow-up's cycles compared): see panels.py.
        "panels": panels.panels(panels.STATE, overview.state),
    }
    return render(request, "reviews/state_detail.html", context)
