"""Pages of the peer network, one module per part; each module lists its own `urlpatterns`."""
