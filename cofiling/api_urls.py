from .views import api_urlpatterns as urlpatterns

__all__ = ["urlpatterns"]
