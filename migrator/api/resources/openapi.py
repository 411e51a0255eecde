"""GET /v2.1/openapi.json and /migrator/openapi.json: the OpenAPI document
of each API (no token needed)."""


class Document:
    def __init__(self, deps):
        self.documents = deps.openapi_documents

    def on_get(self, req, resp):
        resp.media = self.documents[req.context.api.service_type]
