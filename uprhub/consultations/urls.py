from django.urls import path

from . import tag_views, views

app_name = "consultations"

urlpatterns = [
    path("<slug:slug>/", views.consultation_page, name="detail"),
    path("<slug:slug>/give/", views.give, name="give"),
    path("<slug:slug>/mine/", views.mine, name="mine"),
    path("<slug:slug>/testimony/<int:pk>/identity/", views.identity, name="identity"),
    path("<slug:slug>/synthesis/", tag_views.synthesis_page, name="synthesis"),
    path("<slug:slug>/testimony/<int:pk>/tags/add/", tag_views.add_tag, name="tag_add"),
    path(
        "<slug:slug>/testimony/<int:pk>/tags/suggest/", tag_views.suggest_tags, name="tag_suggest"
    ),
    path(
        "<slug:slug>/testimony/<int:pk>/tags/<int:tag_id>/accept/",
        tag_views.accept_tag,
        name="tag_accept",
    ),
    path(
        "<slug:slug>/testimony/<int:pk>/tags/<int:tag_id>/reject/",
        tag_views.reject_tag,
        name="tag_reject",
    ),
    # Placeholders: the report views replace them.
    path("<slug:slug>/report-section/", tag_views.placeholder, name="report_section"),
    path("<slug:slug>/brief-report/", tag_views.placeholder, name="brief_report"),
]
