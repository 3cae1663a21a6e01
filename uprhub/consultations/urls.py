from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("<slug:slug>/", views.consultation_page, name="detail"),
    path("<slug:slug>/give/", views.give, name="give"),
    path("<slug:slug>/mine/", views.mine, name="mine"),
    path("<slug:slug>/testimony/<int:pk>/identity/", views.identity, name="identity"),
]
