"""contact"""

urlpatterns = []
