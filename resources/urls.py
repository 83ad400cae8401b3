from django.urls import path

from . import views

urlpatterns = [
    path("", views.resource_list, name="resources"),
    path("nouvelle/", views.resource_edit, name="resource_create"),
    path("<int:pk>/", views.resource_detail, name="resource"),
    path("<int:pk>/modifier/", views.resource_edit, name="resource_edit"),
    path("<int:pk>/ouvrir/", views.resource_open, name="resource_open"),
]
