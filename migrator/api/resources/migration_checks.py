"""migrator API: the migration check, a dry run of a move. Could this
server go to these hosts (or to any host), and if not, why; and what would
``force`` change? It claims nothing and changes nothing."""

from migrator.api import common
from migrator.api.policies import migration_checks as policies


def serialize_verdict(verdict) -> dict:
    """``forceable``: whether force goes past a refusal (null for a pass)."""
    return {'check': verdict.check, 'passed': verdict.passed,
            'reason': verdict.reason,
            'forceable': None if verdict.passed else verdict.forceable,
            'shortfalls': [s.to_dict() for s in verdict.shortfalls]}


def _verdicts(verdicts) -> list:
    return [serialize_verdict(v) for v in verdicts]


def _serialize_host(host) -> dict:
    return {'host': host.host, 'accepted': host.accepted, 'exists': host.exists,
            'up': host.up, 'enabled': host.enabled, 'weight': host.weight,
            'verdicts': _verdicts(host.verdicts),
            'refusals': _verdicts(host.refusals),
            'force': {'overrides': _verdicts(host.overrides),
                      'blocks': _verdicts(host.blocks)}}


def _serialize(check, limit) -> dict:
    body = {'server_id': check.server_id, 'source': check.source,
            'force': check.force, 'summary': check.summary,
            'total': check.total, 'accepting': check.accepting,
            'server_refusals': _verdicts(check.server_refusals),
            'hosts': [_serialize_host(h) for h in check.hosts]}
    if limit is not None and len(check.hosts) == limit and check.hosts:
        body['next_marker'] = check.hosts[-1].host
    return body


class Collection:
    def __init__(self, deps):
        self.deps = deps

    def on_post(self, req, resp):
        ctx = common.context(req)
        values = common.body(req)['migration_check']
        instance = self.deps.ops.servers.get(ctx, values['server_id'])
        self.deps.authorizer.authorize(ctx, policies.CREATE,
                                       {'project_id': instance.project_id})
        # Every host is judged and counted; a page shows at most
        # [api] max_limit of them, as every list of the API does.
        limit = common.page_limit(values, self.deps.conf)
        check = self.deps.ops.checks.check(
            ctx, instance, hosts=values.get('hosts'),
            force=values.get('force', False), limit=limit,
            marker=values.get('marker'))
        resp.media = {'migration_check': _serialize(check, limit)}
