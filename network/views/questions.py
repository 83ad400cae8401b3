"""questions"""

urlpatterns = []
