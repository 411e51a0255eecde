"""GET /v2.1/openapi.json: the OpenAPI document of this API (no token needed)."""


class Document:
    def __init__(self, deps):
        self.document = deps.openapi_document

    def on_get(self, req, resp):
        resp.media = self.document
