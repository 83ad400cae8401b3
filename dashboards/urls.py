"""`/tableau-de-bord/`: each view module lists its routes."""

from .views import dashboard, exports, lists, needs, reports

urlpatterns = (
    dashboard.urlpatterns
    + lists.urlpatterns
    + exports.urlpatterns
    + needs.urlpatterns
    + reports.urlpatterns
)
