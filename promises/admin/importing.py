"""The staff's page of an import (promises/importing.py): choose a file, see the
preview or the errors, confirm, and the file kept on the server is imported all
or nothing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ..importing import MAX_BYTES, ImportResult
from ..models import StagedUpload


class StagedUploadForm(forms.Form):
    """Choose a file (the preview), then confirm the upload kept on the server."""

    file = forms.FileField(label=_("CSV-fil"), required=False)
    upload = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, purpose: str, help_text: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.purpose = purpose
        self.fields["file"].help_text = help_text

    def clean(self):
        cleaned_data = super().clean()
        file = cleaned_data.get("file")
        if file:
            if file.size > MAX_BYTES:
                raise ValidationError(_("Filen är för stor (högst 5 MB)."))
            cleaned_data["staged"] = StagedUpload.stage(
                self.user, self.purpose, file.name, file.read()
            )
        elif cleaned_data.get("upload"):
            staged = StagedUpload.find(self.user, self.purpose, cleaned_data["upload"])
            if staged is None:
                raise ValidationError(_("Filen finns inte kvar. Välj filen igen."))
            cleaned_data["staged"] = staged
        else:
            raise ValidationError(_("Välj en CSV-fil."))
        return cleaned_data


class CsvImportAdmin:
    """A model admin's import page, `importera/` (URL name
    `<app>_<model>_import`): upload, preview (nothing saved), then import all
    rows or none, and back to the list with a message.

    The model admin names the import: `import_purpose` (the StagedUpload's
    purpose), `import_help_text` (the columns), `import_title`, and
    `import_template` (extending admin/csv_import.html with the preview's table);
    and implements `run_import()` and `import_done_message()`."""

    import_purpose: str
    import_help_text: str
    import_title: str
    import_template: str = "admin/csv_import.html"

    def has_import_permission(self, request) -> bool:
        return self.has_add_permission(request)

    def run_import(self, request, data: bytes, *, dry_run: bool) -> ImportResult:
        raise NotImplementedError

    def import_done_message(self, result: ImportResult) -> str:
        raise NotImplementedError

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "importera/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def import_form(self, request, *args, **kwargs) -> StagedUploadForm:
        return StagedUploadForm(
            *args,
            user=request.user,
            purpose=self.import_purpose,
            help_text=self.import_help_text,
            **kwargs,
        )

    def import_view(self, request):
        """Upload, preview (nothing saved), then import all rows or none."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.import_form(request, request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            staged = form.cleaned_data["staged"]
            confirm = "confirm" in request.POST and not form.cleaned_data["file"]
            result = self.run_import(
                request, bytes(staged.content), dry_run=not confirm
            )
            if result.applied or not result.ok:  # done, or nothing to confirm
                staged.delete()
            if result.applied:
                self.message_user(
                    request, self.import_done_message(result), messages.SUCCESS
                )
                opts = self.opts
                return redirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
            form = self.import_form(request, initial={"upload": staged.pk})
        context = {
            **self.admin_site.each_context(request),
            "title": self.import_title,
            "form": form,
            "result": result,
            "opts": self.opts,
        }
        return TemplateResponse(request, self.import_template, context)
