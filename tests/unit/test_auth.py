"""noauth2 tokens name Keystone's personas, with Keystone's implied roles."""

import pytest

from migrator.api import auth


@pytest.mark.parametrize('token,roles,is_admin', [
    ('alice:proj', ['member', 'reader'], False),
    ('admin:admin', ['admin', 'manager', 'member', 'reader'], True),
    ('rita:proj:reader', ['reader'], False),
    ('mgr:proj:manager', ['manager', 'member', 'reader'], False),
    ('root:proj:admin', ['admin', 'manager', 'member', 'reader'], True),
    ('admin:admin:reader', ['reader'], False),
    ('aud:proj:auditor,reader', ['auditor', 'reader'], False),
])
def test_noauth2_tokens_name_personas(token, roles, is_admin):
    class Req:
        env: dict = {}

        def get_header(self, name, default=None):
            return token

    ctx = auth.noauth2_context(Req())
    assert (ctx.roles, ctx.is_admin) == (roles, is_admin)
    assert ctx.project_id == token.split(':')[1]
