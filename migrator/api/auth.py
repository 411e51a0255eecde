"""Turn the request's credentials into a RequestContext.

``noauth2``: ``X-Auth-Token: user:project[:role]``. The project defaults to
the user. Without a role the user ``admin`` is an administrator and anyone
else a member; a role (``reader``, ``member``, ``manager``, ``admin``, or
several, comma-separated) names the persona directly. The roles a Keystone
role implies are added, as Keystone does, so both strategies reach the same
policy decisions. ``keystone``: keystonemiddleware's auth_token has already
checked the token and set the X-* headers (roles with their implied roles),
which oslo.context reads.
"""

from migrator import context as migrator_context
from migrator import exception

# Keystone's default roles: each implies the next (keystone-manage bootstrap).
IMPLIED_ROLES = {'admin': 'manager', 'manager': 'member', 'member': 'reader'}
NOAUTH2_FORMAT = '<user>:<project>[:<role>] (noauth2)'


def expand_roles(roles) -> list:
    """``roles`` and every role they imply, in the order first seen."""
    expanded: list = []
    for role in roles:
        while role and role not in expanded:
            expanded.append(role)
            role = IMPLIED_ROLES.get(role)
    return expanded


def noauth2_context(req) -> migrator_context.RequestContext:
    token = req.get_header('X-Auth-Token')
    if not token:
        raise exception.NotAuthenticated(reason='send X-Auth-Token: ' + NOAUTH2_FORMAT)
    user_id, _sep, rest = token.partition(':')
    project_id, _sep, role_list = rest.partition(':')
    user_id = user_id.strip() or 'anonymous'
    project_id = project_id.strip() or user_id
    roles = [r.strip().lower() for r in role_list.split(',') if r.strip()]
    if not roles:
        roles = ['admin' if user_id == 'admin' else 'member']
    roles = expand_roles(roles)
    return migrator_context.RequestContext(
        user_id=user_id, project_id=project_id, is_admin='admin' in roles,
        roles=roles, request_id=req.env.get('openstack.request_id'),
        overwrite=False)


def keystone_context(req) -> migrator_context.RequestContext:
    if req.get_header('X-Identity-Status', default='Confirmed') != 'Confirmed':
        raise exception.NotAuthenticated(reason='the token was not accepted')
    ctx = migrator_context.RequestContext.from_environ(req.env, overwrite=False)
    ctx.is_admin = 'admin' in [r.lower() for r in ctx.roles]
    return ctx


STRATEGIES = {'noauth2': noauth2_context, 'keystone': keystone_context}
