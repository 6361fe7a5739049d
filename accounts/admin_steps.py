"""Steps of a record's work in the back office: a button on the change page, a form page.

A step (put a motion on an agenda, mark relief paid, correct verified hours) is one service
call with a few inputs. An admin that mixes in StepsMixin lists its steps in `steps`; each is
shown as a button on the change page of a record it applies to (and that the user may change),
opens a page with the step's form, and on submit calls the step's service. A refusal
(ValidationError) is shown on the form with what was typed; a step done is reported on the
change page and written to the record's history (the admin log) with its message.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise


class ConfirmForm(forms.Form):
    """The form of a step that needs no input: its button confirms it."""

    def __init__(self, record, *args, **kwargs):
        super().__init__(*args, **kwargs)


@dataclass(frozen=True)
class Step:
    """name: in the URL; label: the button and the page's title; form(obj, data=None) -> Form;
    run(request, obj, cleaned_data) -> the message of the step done (it calls the service);
    applies(obj) -> whether the button is shown for this record."""

    name: str
    label: str | Promise
    form: Callable[..., forms.Form]
    run: Callable[..., str]
    applies: Callable[..., bool] = lambda obj: True
    help_text: str | Promise = ""


class StepsMixin:
    steps: tuple[Step, ...] = ()
    change_form_template = "admin/steps_change_form.html"

    def _step_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_step"

    def get_urls(self):
        custom = [
            path(
                "<path:object_id>/step/<slug:step>/",
                self.admin_site.admin_view(self.step_view),
                name=self._step_url_name(),
            )
        ]
        return custom + super().get_urls()

    def steps_for(self, request, obj) -> list[tuple[Step, str]]:
        """The steps offered on obj's change page, with their addresses."""
        if obj is None or not self.has_change_permission(request, obj):
            return []
        return [
            (step, reverse(f"admin:{self._step_url_name()}", args=[obj.pk, step.name]))
            for step in self.steps
            if step.applies(obj)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        extra_context = {**(extra_context or {}), "record_steps": self.steps_for(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, object_id, step):
        obj = self.get_object(request, object_id)
        chosen = next((s for s in self.steps if s.name == step), None)
        if obj is None or chosen is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        if request.method == "POST":
            form = chosen.form(obj, data=request.POST)
            if form.is_valid():
                try:
                    message = chosen.run(request, obj, form.cleaned_data)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.log_change(request, obj, message)
                    self.message_user(request, message, messages.SUCCESS)
                    return redirect(change_url)
        else:
            form = chosen.form(obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"{obj} · {chosen.label}",
            "step": chosen,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/step_form.html", context)
