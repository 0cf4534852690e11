"""Download the whole portfolio as a zip (manifest, files, PDF summary)."""

from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.access import login_required_404
from portfolio.models import EvidenceFile, EvidenceItem

BREADCRUMBS = [{"label": "Dashboard", "url": "/dashboard/"}]


@never_cache
@login_required_404
def export_page(request):
    """GET explains and offers the button; POST (CSRF-protected) builds and sends the zip."""
    if request.method == "POST":
        from portfolio.services.export import build_portfolio_export  # WeasyPrint is heavy

        export = build_portfolio_export(user=request.user)
        return FileResponse(
            export.file,
            as_attachment=True,
            filename=export.filename,
            content_type="application/zip",
        )
    return render(
        request,
        "portfolio/export/page.html",
        {
            "item_count": EvidenceItem.objects.filter(owner=request.user).count(),
            "file_count": EvidenceFile.objects.filter(item__owner=request.user).count(),
            "breadcrumbs": BREADCRUMBS,
        },
    )
