"""tutoring"""

urlpatterns = []
