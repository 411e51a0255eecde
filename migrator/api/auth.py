"""Turn the request's credentials into a RequestContext.

``noauth2``: ``X-Auth-Token: user:project`` (project defaults to the user);
the user ``admin`` is an administrator. ``keystone``: keystonemiddleware's
auth_token has already checked the token and set the X-* headers, which
oslo.context reads.
"""

from migrator import context as migrator_context
from migrator import exception


def noauth2_context(req) -> migrator_context.RequestContext:
    token = req.get_header('X-Auth-Token')
    if not token:
        raise exception.NotAuthenticated(
            reason='send X-Auth-Token: <user>:<project> (noauth2)')
    user_id, _sep, project_id = token.partition(':')
    user_id = user_id.strip() or 'anonymous'
    project_id = project_id.strip() or user_id
    is_admin = user_id == 'admin'
    roles = ['admin', 'member', 'reader'] if is_admin else ['member', 'reader']
    return migrator_context.RequestContext(
        user_id=user_id, project_id=project_id, is_admin=is_admin, roles=roles,
        request_id=req.env.get('openstack.request_id'), overwrite=False)


def keystone_context(req) -> migrator_context.RequestContext:
    if req.get_header('X-Identity-Status', default='Confirmed') != 'Confirmed':
        raise exception.NotAuthenticated(reason='the token was not accepted')
    ctx = migrator_context.RequestContext.from_environ(req.env, overwrite=False)
    ctx.is_admin = 'admin' in [r.lower() for r in ctx.roles]
    return ctx


STRATEGIES = {'noauth2': noauth2_context, 'keystone': keystone_context}
