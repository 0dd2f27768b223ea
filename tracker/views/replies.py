"""Replies in a comment's thread: the patient answers where they read the comment (Today),
the care team where they wrote it (the record); the thread's own page for links and for a form
sent without JavaScript; the care team marks the patient's replies read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from tracker.access import clinician_required, disclosed, thread_for
from tracker.domain.feedback import add_reply, mark_replies_read
from tracker.forms import ReplyForm
from tracker.models import Comment
from tracker.queries.feedback import new_replies, thread
from tracker.views.htmx import refused, saved

THREAD = "tracker/includes/reply_thread.html"
PAGE = "tracker/thread.html"


def _session(request: HttpRequest, comment: Comment) -> str:
    """The session on the record that the thread was shown beside (a week's comment shows
    beside each of its sessions), for its ids and the way back; none for the patient."""
    session = request.POST.get("session", "")
    return session if session.isdigit() and request.user.pk != comment.patient_id else ""


def _place(comment: Comment, session: str) -> str:
    """The thread's id on its page, so that ids never repeat: see reply_thread.html."""
    return f"{session}-{comment.pk}" if session else str(comment.pk)


def _context(
    request: HttpRequest,
    comment: Comment,
    *,
    session: str = "",
    reply_form: ReplyForm | None = None,
    just_sent: int | None = None,
) -> dict:
    return {
        "comment": comment,
        "place": _place(comment, session),
        "thread_session": session,
        "for_patient": request.user.pk == comment.patient_id,
        "reply_form": reply_form,
        "just_sent": just_sent,
    }


def _on_record(comment: Comment, session: str) -> dict:
    """After a change in a thread on the record, the record's box of new replies, sent again."""
    return {"record_new_replies": new_replies(comment.patient)} if session else {}


def _back(comment: Comment, session: str) -> str:
    """Without JavaScript, after a send: the care team back to the session on the record, the
    patient (or a reply from the thread's own page) to the thread's page."""
    if session:
        record = reverse("patient_record", kwargs={"patient_id": comment.patient_id})
        return f"{record}#comments-{session}"
    return reverse("comment_thread", kwargs={"pk": comment.pk})


@require_GET
@login_required
def comment_thread(request: HttpRequest, pk: int) -> HttpResponse:
    comment = thread(thread_for(request.user, pk))
    disclosed(request.user, comment.patient, what="comments")  # not for the patient's own
    return render(request, PAGE, _context(request, comment))


@require_POST
@login_required
@vary_on_headers("HX-Request")
def reply_new(request: HttpRequest, pk: int) -> HttpResponse:
    comment = thread_for(request.user, pk)
    session = _session(request, comment)
    form = ReplyForm(request.POST, place=_place(comment, session))
    if not form.is_valid():
        shown = _context(request, thread(comment), session=session, reply_form=form)
        return refused(
            request,
            form,
            announce="The reply was not sent: see the message at the field.",
            region=THREAD,
            context=shown,
            page=PAGE,
            page_context=lambda: shown,
        )
    reply, created = add_reply(
        comment=comment,
        author=request.user,
        text=form.cleaned_data["text"],
        request_key=form.cleaned_data["request_key"],
    )
    return saved(
        request,
        message="Reply sent." if created else "This reply was already sent.",
        level=messages.SUCCESS if created else messages.INFO,
        redirect_to=_back(comment, session),
        region=THREAD,
        # In place: the thread with the reply, and an empty form with a new key.
        context=lambda: (
            _context(request, thread(comment), session=session, just_sent=reply.pk)
            | _on_record(comment, session)
        ),
    )


@require_POST
@clinician_required
@vary_on_headers("HX-Request")
def replies_read(request: HttpRequest, pk: int) -> HttpResponse:
    comment = thread_for(request.user, pk)
    session = _session(request, comment)
    done = mark_replies_read(comment=comment)
    return saved(
        request,
        message="Marked as read." if done else "These replies were read already.",
        level=messages.SUCCESS if done else messages.INFO,
        redirect_to=_back(comment, session),
        region=THREAD,
        context=lambda: (
            _context(request, thread(comment), session=session) | _on_record(comment, session)
        ),
    )


urlpatterns = [
    path("comments/<int:pk>/thread/", comment_thread, name="comment_thread"),
    path("comments/<int:pk>/replies/", reply_new, name="reply_new"),
    path("comments/<int:pk>/replies/read/", replies_read, name="replies_read"),
]
