"""The CAS test server's URLs: the CAS protocol under /cas/, as a company's server would."""

from django.urls import include, path

urlpatterns = [path("cas/", include("cas_server.urls", namespace="cas_server"))]
