"""A server's own ``progress`` (Nova's field) follows the disk copy of its
cold move, as tempest's schema and Nova's clients read it."""

import time

import pytest

from tests.fixtures import headers
from tests.invariants import assert_consistent


@pytest.fixture(scope='module')
def service(module_service):
    return module_service


def test_progress_follows_the_disk_copy(service):
    server = service.boot(flavor='1')  # m1.tiny: 1 GB of disk
    assert service.show(server)['progress'] == 100  # ACTIVE, as Nova shows it
    service.conf.set_override('disk_copy_rate_mb', 512.0, group='compute')  # ~2 s
    try:
        service.action(server, {'migrate': None}, status=202)
        seen, listed = [], []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            shown = service.show(server)
            if shown['status'] == 'VERIFY_RESIZE':
                break
            if shown['status'] == 'RESIZE':
                seen.append(shown['progress'])
                # A detailed list shows the same progress as a show.
                row, = [s for s in service.app.get(
                    '/v2.1/servers/detail', headers=headers()).json['servers']
                    if s['id'] == server]
                if row['status'] == 'RESIZE':
                    listed.append(row['progress'])
            time.sleep(0.05)
    finally:
        service.conf.clear_override('disk_copy_rate_mb', group='compute')
    assert seen == sorted(seen), seen  # never goes back
    assert any(0 < percent < 100 for percent in seen), seen
    assert listed == sorted(listed), listed
    assert any(0 < percent < 100 for percent in listed), listed
    service.action(server, {'confirmResize': None}, status=204)
    assert service.wait_status(server, 'ACTIVE')['progress'] == 100
    assert_consistent(service.db)
