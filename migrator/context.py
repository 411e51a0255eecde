"""Request context carried from the API through RPC into every service."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """oslo.context's RequestContext; admin when the roles say so."""

    @classmethod
    def from_dict(cls, values: dict) -> 'RequestContext':
        return super().from_dict(values)

    def to_policy_values(self):
        values = super().to_policy_values()
        values['is_admin'] = self.is_admin
        return values


def get_admin_context() -> RequestContext:
    """A context for periodic tasks and service start-up."""
    return RequestContext(is_admin=True, roles=['admin'], overwrite=False)
