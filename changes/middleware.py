from changes.recording import channel


class ChannelMiddleware:
    """Changes made while answering a request are recorded with its channel: `api` under
    /api/, `admin` under /admin/, `page` for the staff pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        name = "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "page"
        with channel(name):
            return self.get_response(request)
