from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from django_otp.admin import OTPAdminSite

from gorod.analytics.stats.urls import staff_urlpatterns as stats_staff_urls
from gorod.core.views import healthz, readyz
from gorod.ops.views import metrics

# The admin asks for the same second factor as the back office: a password alone opens nothing for staff.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("gorod.accounts.urls")),
    path("account/", include("gorod.privacy.urls")),
    path("backoffice/demand/", include("gorod.analytics.demand.urls")),
    path("backoffice/stories/", include("gorod.info.stories.staff_urls")),
    path("backoffice/text-in/", include("gorod.consultations.textin.staff_urls")),
    path("hooks/sms/", include("gorod.consultations.textin.hook_urls")),
    # News editors live in info (the back office may not import it), in the back office's address space.
    path("backoffice/news/", include("gorod.info.news.staff_urls")),
    path("backoffice/stats/", include(stats_staff_urls)),
    path("backoffice/", include("gorod.backoffice.urls")),
    path("notifications/", include("gorod.notifications.urls")),
    path("performance/", include("gorod.analytics.urls")),
    path("stats/", include("gorod.analytics.stats.urls")),
    path("help/", include("gorod.info.urls")),
    path("news/stories/", include("gorod.info.stories.urls")),
    path("news/", include("gorod.info.news.urls")),
    path("data/", include("gorod.analytics.opendata.urls")),
    path("pb/priorities/", include("gorod.budgeting.priorities.urls")),
    path("pb/", include("gorod.budgeting.urls")),
    path("projects/", include("gorod.consultations.urls")),
    # The public site first: the API's root pattern at "" would otherwise answer "/" with a 404.
    path("", include("gorod.reports.urls")),
    path("", include("gorod.api")),
]

if settings.DEBUG or settings.GOROD_SERVE_MEDIA:
    # Photos are re-encoded JPEGs we wrote ourselves; a real deployment serves them from the web server.
    # MEDIA_ROOT is read per request (tests give each test its own); only the public tree is served here,
    # never GOROD_PRIVATE_MEDIA_ROOT (reports.photo_store), as nginx serves only MEDIA_ROOT.
    def media(request, path: str):
        return serve(request, path, document_root=str(settings.MEDIA_ROOT))

    urlpatterns += [path("media/<path:path>", media)]
