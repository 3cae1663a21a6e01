from django.urls import path

from . import views, views_reporting

app_name = "consultations"

urlpatterns = [
    path("<slug:slug>/", views.consultation_page, name="detail"),
    path("<slug:slug>/give/", views.give, name="give"),
    path("<slug:slug>/mine/", views.mine, name="mine"),
    path("<slug:slug>/testimony/<int:pk>/identity/", views.identity, name="identity"),
    path("<slug:slug>/report-section/", views_reporting.report_section, name="report_section"),
    path("<slug:slug>/brief-report/", views_reporting.brief_report, name="brief_report"),
]
