"""The admin's date-only fields, without Django 6.1's note about time zones.

Django 6.1 links every date input of the admin (AdminDateWidget, through
DateTimeWidgetContextMixin) to a note about the time zone, which
DateTimeShortcuts.js adds under date and time inputs alike when the browser's
time zone is not the server's: "Note: Enter times in the Europe/Stockholm
timezone. (You are 1 hour behind.)". Under a date-only field (a promise's
"Gäller från", a finding's "Åtgärdat datum") there is no time to enter and
nothing is converted, so the note only confuses.

DateOnlyWidget is the admin's date widget without that link, and its script
(static/medborgarlofte/date-only.js) keeps DateTimeShortcuts.js from adding the
note anywhere but under a date-time field (AdminSplitDateTime, a DateTimeField,
which the server does convert). There the note stays, in Swedish
(locale/sv/LC_MESSAGES/djangojs.po).
"""

from django.contrib.admin import options, widgets
from django.db import models


class DateOnlyWidget(widgets.AdminDateWidget):
    class Media:
        # One list, so that the script comes after DateTimeShortcuts.js, whatever
        # the other widgets of the page need.
        extend = False
        js = [
            "admin/js/calendar.js",
            "admin/js/admin/DateTimeShortcuts.js",
            "medborgarlofte/date-only.js",
        ]

    def get_context(self, name, value, attrs):
        # Past DateTimeWidgetContextMixin, which would replace the field's own
        # aria-describedby (its help text) with the note's.
        return super(widgets.DateTimeWidgetContextMixin, self).get_context(
            name, value, attrs
        )


def use_date_only_widget():
    """Make DateOnlyWidget the admin's widget for every DateField.

    Every ModelAdmin and inline copies the admin's defaults when it is created,
    so this runs before any is: when the admin site is (admin.py)."""
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateField] = {
        "widget": DateOnlyWidget
    }
