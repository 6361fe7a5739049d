"""The workflow pages of the request back office: the step buttons on the change page, one form
page per step (accept, reject, merge, assign, start, resolve, follow up, close, extend) and the
"accept the selected requests" changelist action. Each page calls the step of
governance.services.request_workflow, which writes the event with the actor and the time."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from governance.forms.requests import (
    AssignForm,
    ExtendForm,
    FollowUpForm,
    MergeForm,
    NoteForm,
    RejectForm,
    ResolveForm,
    add_service_error,
)
from governance.services.request_lifecycle import ACTION_LABELS, not_possible
from governance.services.request_workflow import (
    accept_request,
    assign_request,
    available_actions,
    close_request,
    extend_request,
    follow_up_request,
    last_event_id,
    merge_request,
    reject_request,
    resolve_request,
    start_request,
)

ACTION_FORMS = {
    "accept": NoteForm,
    "reject": RejectForm,
    "merge": MergeForm,
    "assign": AssignForm,
    "start": NoteForm,
    "resolve": ResolveForm,
    "follow_up": FollowUpForm,
    "close": NoteForm,
    "extend": ExtendForm,
}


def run_action(action, service_request, user, data):
    """Call the service behind an action with the form's cleaned data."""
    common = {
        "service_request": service_request,
        "actor": user,
        "seen_event": data["seen_event"],  # refused if the request changed since the form
        "change_reason": data.get("change_reason", ""),  # for a locked month's figures
    }
    if action == "accept":
        return accept_request(**common, note=data["note"])
    if action == "reject":
        return reject_request(**common, reason=data["reason"])
    if action == "merge":
        return merge_request(**common, duplicate_of=data["duplicate_of"], note=data["note"])
    if action == "assign":
        return assign_request(
            **common,
            assignee=data["assignee"],
            star=data["star"],
            grid=data["grid"],
            note=data["note"],
        )
    if action == "start":
        return start_request(**common, note=data["note"])
    if action == "resolve":
        return resolve_request(**common, note=data["note"], photos=data["photos"])
    if action == "follow_up":
        return follow_up_request(
            **common,
            note=data["note"],
            solved=data["solved"],
            satisfaction=data["satisfaction"],
        )
    if action == "close":
        return close_request(**common, note=data["note"])
    if action == "extend":
        return extend_request(**common, working_days=data["working_days"], reason=data["reason"])
    raise Http404


class RequestActionsMixin:
    """The workflow pages of ServiceRequestAdmin (its get_urls names action_view)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        actions = []
        if obj is not None and self.has_change_permission(request, obj):
            actions = [
                (name, ACTION_LABELS[name], reverse(
                    "admin:governance_servicerequest_act", args=[obj.pk, name]
                ))
                for name in available_actions(obj)
            ]  # fmt: skip
        extra_context = {
            **(extra_context or {}),
            "request_actions": actions,
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def action_view(self, request, object_id, action):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if action not in ACTION_FORMS:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:governance_servicerequest_change", args=[obj.pk])
        # A POST goes to the service even when the step looks impossible now: a page opened
        # before somebody else's step is told who did what, and keeps what was typed.
        if request.method != "POST" and action not in available_actions(obj):
            error = not_possible(obj, action)
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(change_url)
        form_class = ACTION_FORMS[action]
        kwargs = {"service_request": obj} if action in ("merge", "assign") else {}
        can_submit = True
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, **kwargs)
            if form.is_valid():
                try:
                    run_action(action, obj, request.user, form.cleaned_data)
                except PermissionDenied as error:  # a locked month's figures: the secretary's
                    form.add_error(None, str(error))
                except ValidationError as error:
                    add_service_error(form, error)
                    if getattr(error, "code", None) == "request_changed":
                        obj, can_submit = self._after_conflict(request, form, obj, action)
                else:
                    self.message_user(
                        request,
                        gettext("%(reference)s: %(action)s done.")
                        % {"reference": obj.reference, "action": ACTION_LABELS[action]},
                        messages.SUCCESS,
                    )
                    return redirect(change_url)
        else:
            form = form_class(initial={"seen_event": last_event_id(obj)}, **kwargs)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": f"{obj.reference} · {ACTION_LABELS[action]}",
            "form": form,
            "action_label": ACTION_LABELS[action],
            "change_url": change_url,
            "multipart": action == "resolve",
            "can_submit": can_submit,
        }
        return TemplateResponse(request, "governance/requests/admin_action.html", context)

    def _after_conflict(self, request, form, obj, action):
        """Somebody changed the request since the form was shown (the service refused and
        said who and when). The page comes back with the request as it is now and with what
        was typed; the form now carries the current version, so submitting it again (after
        reading) applies the step on top of the other person's."""
        fresh = self.get_object(request, str(obj.pk))
        if fresh is None:  # e.g. moved to another grid: no longer this user's to act on
            return obj, False
        obj = fresh
        data = form.data.copy()
        data[form.add_prefix("seen_event")] = str(last_event_id(obj))
        form.data = data
        if form.cleaned_data.get("photos"):
            form.add_error("photos", gettext("Choose the photos again: they were not saved."))
        can_submit = action in available_actions(obj)
        if not can_submit:
            form.add_error(None, not_possible(obj, action))
        return obj, can_submit

    @admin.action(description=_("Accept the selected requests"), permissions=["change"])
    def accept_selected(self, request, queryset):
        accepted, refused = 0, []
        for obj in queryset:
            try:
                accept_request(service_request=obj, actor=request.user)
                accepted += 1
            except ValidationError as error:
                refused.append(" ".join(error.messages))
        if accepted:
            self.message_user(
                request,
                ngettext("%(count)d request accepted.", "%(count)d requests accepted.", accepted)
                % {"count": accepted},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)
