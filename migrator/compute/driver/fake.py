"""A fake hypervisor: nothing runs, but every step takes the time and can
fail the way the configuration says."""

import time

from migrator import exception


class FakeDriver:
    def __init__(self, conf, host: str):
        self.conf = conf
        self.host = host

    def _maybe_fail(self, step: str) -> None:
        if step in self.conf.compute.fail_at:
            raise exception.InjectedFailure(step=step, host=self.host)

    def spawn(self, instance) -> None:
        self._maybe_fail('spawn')

    def prepare_for_migration(self, instance) -> None:
        self._maybe_fail('prep_resize')

    def migrate_disk(self, instance, disk_gb: int, progress) -> None:
        """"Copy" ``disk_gb`` at ``[compute] disk_copy_rate_mb``; report
        progress 0..100 through ``progress(percent)``."""
        self._maybe_fail('resize_instance')
        rate = self.conf.compute.disk_copy_rate_mb
        total_mb = disk_gb * 1024
        if rate <= 0 or total_mb <= 0:
            progress(100)
            return
        seconds = total_mb / rate
        steps = max(1, min(20, int(seconds / 0.25)))
        for step in range(1, steps + 1):
            time.sleep(seconds / steps)
            progress(int(100 * step / steps))

    def finish_migration(self, instance) -> None:
        self._maybe_fail('finish_resize')

    def confirm_migration(self, instance) -> None:
        self._maybe_fail('confirm_resize')

    def destroy_for_revert(self, instance) -> None:
        self._maybe_fail('revert_resize')

    def finish_revert_migration(self, instance) -> None:
        self._maybe_fail('finish_revert_resize')
