from django.urls import path

from . import tag_views, views, views_manage, views_moderation, views_reporting

app_name = "consultations"

urlpatterns = [
    path("", views_manage.index, name="index"),
    path("new/", views_manage.create, name="create"),
    path("<slug:slug>/settings/", views_manage.edit, name="edit"),
    path("<slug:slug>/people/", views_manage.people, name="people"),
    path("<slug:slug>/people/<int:pk>/remove/", views_manage.remove_role, name="remove_role"),
    path("<slug:slug>/", views.consultation_page, name="detail"),
    path("<slug:slug>/give/", views.give, name="give"),
    path("<slug:slug>/mine/", views.mine, name="mine"),
    path("<slug:slug>/testimony/<int:pk>/identity/", views.identity, name="identity"),
    path("<slug:slug>/moderate/", views_moderation.queue, name="moderate"),
    path("<slug:slug>/moderate/contacts.csv", views.contacts_download, name="contacts"),
    path("<slug:slug>/moderate/<int:pk>/", views_moderation.item, name="moderate_item"),
    path("<slug:slug>/report-section/", views_reporting.report_section, name="report_section"),
    path("<slug:slug>/brief-report/", views_reporting.brief_report, name="brief_report"),
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
    path("<slug:slug>/facilitate/", views.facilitate, name="facilitate"),
    path("<slug:slug>/facilitate/sync/", views.facilitate_sync, name="facilitate_sync"),
    path("<slug:slug>/sessions/", views.sessions, name="sessions"),
    path("<slug:slug>/sessions/<int:pk>/delete/", views.delete_session, name="delete_session"),
]
