from django.contrib import admin
from django.urls import path

admin.site.site_header = "Tegoed"
admin.site.site_title = "Tegoed"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
]
