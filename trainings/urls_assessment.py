from django.urls import path

from . import views_assessment as views

urlpatterns = [
    path("", views.self_assessment, name="self_assessment"),
    path("nouvelle/", views.self_assessment_new, name="self_assessment_new"),
    path("synthese/", views.self_assessment_aggregates, name="self_assessment_aggregates"),
]
