"""Files uploaded for an import, kept between the preview and the import."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StagedUpload(models.Model):
    """A file uploaded for an import, kept between the preview and the import.

    In the database, not in a process or on one server's disk: the request that
    confirms the import may reach another app server. Deleted once imported;
    anything older than MAX_AGE goes at the next upload.
    """

    MAX_AGE = datetime.timedelta(days=1)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.CASCADE
    )
    purpose = models.CharField(_("import"), max_length=50)
    name = models.CharField(_("filnamn"), max_length=255)
    content = models.BinaryField(_("innehåll"))
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        verbose_name = _("uppladdad fil")
        verbose_name_plural = _("uppladdade filer")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def stage(cls, user, purpose: str, name: str, content: bytes) -> "StagedUpload":
        cls.objects.filter(uploaded_at__lt=timezone.now() - cls.MAX_AGE).delete()
        return cls.objects.create(
            user=user, purpose=purpose, name=name[:255], content=content
        )

    @classmethod
    def find(cls, user, purpose: str, pk) -> "StagedUpload | None":
        """The user's own upload for this import, if it is still there."""
        try:
            return cls.objects.get(pk=pk, user=user, purpose=purpose)
        except (cls.DoesNotExist, ValidationError, ValueError):
            return None
