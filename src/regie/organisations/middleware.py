from .access import reset_access, set_access


class AccessContextMiddleware:
    """Put the signed-in user's access context in place for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from regie.accounts.access import access_for_request

        token = set_access(access_for_request(request))
        try:
            return self.get_response(request)
        finally:
            reset_access(token)
