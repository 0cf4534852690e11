"""Small access helpers: a private page answers 404, not 403, to anyone not allowed."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from portal.roles import Role, has_role


def role_required(*roles: Role, allow_superuser: bool = True):
    """Signed-out visitors go to sign in; signed-in users without the role get 404."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if (allow_superuser and user.is_superuser) or any(has_role(user, r) for r in roles):
                return view(request, *args, **kwargs)
            raise Http404("Page not found")

        return wrapper

    return decorator


def login_required_404(view):
    """Like login_required, for pages every signed-in user may see."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
