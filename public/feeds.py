from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from promises.models import Municipality, Promise
from reports.models import QuarterlyReport

FEED_LENGTH = 20


class ReportFeed(Feed):
    """Atom feed of a municipality's published reports to residents.

    A municipality with no published promise has no feed (404), as it has no
    page: the address tells nothing about one onboarded but not yet public. One
    with a published promise and no report yet has a valid, empty feed, so that
    residents can subscribe before the first report. Only reports of published
    promises are in it, as only those have a page."""

    feed_type = Atom1Feed

    def get_object(self, request, municipality: str):
        return get_object_or_404(
            Municipality.objects.filter(
                Exists(Promise.objects.published().filter(municipality=OuterRef("pk")))
            ),
            slug=municipality,
        )

    def title(self, obj):
        return _("Medborgarlöftet i %(municipality)s: rapporter till invånarna") % {
            "municipality": obj
        }

    def subtitle(self, obj):
        return _(
            "Hur kommunen och polisen har arbetat med medborgarlöftet, kvartal för kvartal."
        )

    def link(self, obj):
        return reverse("public:start")

    def author_name(self, obj):
        return _("%(municipality)s kommun och Polisen") % {"municipality": obj}

    def items(self, obj):
        return (
            QuarterlyReport.objects.published()
            .filter(promise__municipality=obj, promise__status=Promise.Status.PUBLISHED)
            .select_related("promise__municipality")
            .order_by("-published_at")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom sends the summary as HTML: the body is plain text, escaped here.
        return linebreaks(item.body, autoescape=True)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
