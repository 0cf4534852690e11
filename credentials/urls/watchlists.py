"""Watch lists for commissioners: /watchlists/."""

from django.urls import path

from credentials.views import watchlists as views

urlpatterns = [
    path("watchlists/", views.watchlist_index, name="watchlist_index"),
    path("watchlists/new/", views.watchlist_create, name="watchlist_create"),
    path("watchlists/alerts/", views.watchlist_alerts, name="watchlist_alerts"),
    path("watchlists/alerts/read/", views.watchlist_alerts_read, name="watchlist_alerts_read"),
    path("watchlists/<int:pk>/", views.watchlist_detail, name="watchlist_detail"),
    path("watchlists/<int:pk>/paste/", views.watchlist_paste, name="watchlist_paste"),
    path("watchlists/<int:pk>/rename/", views.watchlist_rename, name="watchlist_rename"),
    path("watchlists/<int:pk>/delete/", views.watchlist_delete, name="watchlist_delete"),
    path(
        "watchlists/<int:pk>/numbers/<int:entry_pk>/remove/",
        views.watchlist_remove_entry,
        name="watchlist_remove_entry",
    ),
]
