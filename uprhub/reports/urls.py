from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("about/", views.about, name="about"),
    path("check/", views.upload_check, name="upload_check"),
    path("guide/", views.guide, name="guide"),
    path("cite/", views.cite, name="cite"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/cover/", views.cover_edit, name="cover"),
    path(
        "<int:pk>/organisations/<int:member_pk>/description/",
        views.organisation_description,
        name="organisation_description",
    ),
    path("<int:pk>/people/", views.people, name="people"),
    path("<int:pk>/people/<int:user_pk>/remove/", views.remove_person, name="remove_person"),
    path("<int:pk>/sections/new/", views.section_add, name="section_add"),
    path("<int:pk>/sections/<int:section_pk>/rename/", views.section_rename, name="section_rename"),
    path("<int:pk>/sections/<int:section_pk>/remove/", views.section_remove, name="section_remove"),
    path(
        "<int:pk>/sections/<int:section_pk>/paragraphs/new/",
        views.paragraph_add,
        name="paragraph_add",
    ),
    path("<int:pk>/paragraphs/<int:paragraph_pk>/", views.paragraph_edit, name="paragraph_edit"),
    path("<int:pk>/paragraphs/<int:paragraph_pk>/autosave/", views.autosave, name="autosave"),
    path(
        "<int:pk>/paragraphs/<int:paragraph_pk>/remove/",
        views.paragraph_remove,
        name="paragraph_remove",
    ),
    path(
        "<int:pk>/paragraphs/<int:paragraph_pk>/move/", views.paragraph_move, name="paragraph_move"
    ),
    path(
        "<int:pk>/paragraphs/<int:paragraph_pk>/history/",
        views.paragraph_history,
        name="paragraph_history",
    ),
    path("<int:pk>/paragraphs/<int:paragraph_pk>/comments/", views.comment_add, name="comment_add"),
    path(
        "<int:pk>/comments/<int:comment_pk>/resolve/", views.comment_resolve, name="comment_resolve"
    ),
    path("<int:pk>/revisions/<int:revision_pk>/restore/", views.revision_restore, name="restore"),
    path("<int:pk>/removed/", views.removed_paragraphs, name="removed"),
    path("<int:pk>/citations/<int:citation_pk>/remove/", views.citation_remove, name="uncite"),
    path("<int:pk>/count/", views.live_count, name="count"),
    path("<int:pk>/quality/", views.quality_check, name="quality"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/final/", views.mark_final, name="final"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/export/<str:fmt>/", views.export, name="export"),
]
