"""Pages for a signed-in person are never kept by a browser or a proxy cache.

Anything served to a signed-in user may show personal data (evidence, results, reviews):
`Cache-Control: private, no-store`, so the back button on a shared computer after signing out,
or a shared proxy, shows nothing. Public pages are left to their own headers.
"""

from django.utils.cache import patch_cache_control


class PrivatePagesNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
