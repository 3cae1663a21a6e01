from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("<slug:slug>/", views.consultation_page, name="detail"),
    path("<slug:slug>/give/", views.give, name="give"),
    path("<slug:slug>/mine/", views.mine, name="mine"),
    path("<slug:slug>/testimony/<int:pk>/identity/", views.identity, name="identity"),
    path("<slug:slug>/facilitate/", views.facilitate, name="facilitate"),
    path("<slug:slug>/facilitate/sync/", views.facilitate_sync, name="facilitate_sync"),
    path("<slug:slug>/sessions/", views.sessions, name="sessions"),
    path("<slug:slug>/sessions/<int:pk>/delete/", views.delete_session, name="delete_session"),
]
