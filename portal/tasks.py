"""Background tasks shared by every app. Tasks stay thin: load, then call."""

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def send_email(
    *, subject: str, body: str, to: list[str], from_email: str, html: str | None = None
) -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def queue_email(message) -> None:
    """Queue an already rendered EmailMessage for sending by a worker."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            html = content
    body = message.body
    if getattr(message, "content_subtype", "plain") == "html":
        html, body = message.body, ""
    send_email.enqueue(
        subject=str(message.subject),
        body=body,
        to=list(message.to),
        from_email=message.from_email,
        html=html,
    )
