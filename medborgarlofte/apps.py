from django.contrib.admin.apps import AdminConfig


class MedborgarlofteAdminConfig(AdminConfig):
    default_site = "medborgarlofte.admin.MedborgarlofteAdminSite"
