from django.urls import path

from cms import views

urlpatterns = [
    path("search/", views.search, name="cms_search"),
    path("sitemap.xml", views.sitemap, name="cms_sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
