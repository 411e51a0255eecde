"""GET /v2.1/openapi.json: the OpenAPI document of this API (no token needed)."""


class Document:
    def __init__(self, deps):
        # Imported here: the document walks the route table that imports us.
        from migrator.api import openapi
        self.document = openapi.document()

    def on_get(self, req, resp):
        resp.media = self.document
