"""`/tableau-de-bord/`: each view module lists its routes."""

from .views import dashboard, exports, needs, reports

urlpatterns = dashboard.urlpatterns + exports.urlpatterns + needs.urlpatterns + reports.urlpatterns
