"""notes"""

urlpatterns = []
