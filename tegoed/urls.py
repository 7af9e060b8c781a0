from django.contrib import admin
from django.urls import include, path

from tegoed.common.favicon import favicon

admin.site.site_header = "Tegoed"
admin.site.site_title = "Tegoed"
admin.site.index_title = "Administration"

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("tegoed.accounts.urls")),
    path("customers/", include("tegoed.customers.urls")),
    path("invoices/", include("tegoed.invoices.urls")),
    path("documents/", include("tegoed.documents.urls")),
    path("bank/", include("tegoed.banking.urls")),
    path("arrangements/", include("tegoed.arrangements.urls")),
    path("collections/", include("tegoed.collections.urls")),
    path("anymail/", include("anymail.urls")),
    path("reminders/", include("tegoed.dunning.urls")),
    path("claims/", include("tegoed.claims.urls")),
    path("", include("tegoed.reports.urls")),
]
