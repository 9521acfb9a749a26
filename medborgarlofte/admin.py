from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class MedborgarlofteAdminSite(admin.AdminSite):
    site_header = _("Medborgarlöfte – administration")
    site_title = _("Medborgarlöfte")
    index_title = _("Start")
    index_template = "admin/medborgarlofte_index.html"
