"""map"""

urlpatterns = []
