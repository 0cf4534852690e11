"""Running in production: health checks, request ids, JSON logs, outage pages."""
