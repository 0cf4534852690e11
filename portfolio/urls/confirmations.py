from django.urls import path

from portfolio.views import confirmations

urlpatterns = [
    path(
        "evidence/<int:item_id>/confirm/",
        confirmations.request_page,
        name="confirmation_request",
    ),
    path(
        "evidence/<int:item_id>/confirm/<int:confirmation_id>/withdraw/",
        confirmations.withdraw,
        name="confirmation_withdraw",
    ),
    # The public page a confirmer opens from their email, without an account.
    path("confirm/<str:token>/", confirmations.respond_page, name="confirmation_respond"),
]
