"""The scheduler's SQL ranking picks what filtering and weighing every host
in Python picks, and steps aside when a request needs the other filters."""

import datetime
import random
import types
import uuid

import sqlalchemy as sa

from migrator.conf import scheduler as scheduler_conf
from migrator.db import api as db_api
from migrator.db import migration, models
from migrator.objects.request_spec import RequestSpec
from migrator.scheduler import pipeline as pipeline_mod
from migrator.scheduler import weights

FLAVOR = {'vcpus': 2, 'memory_mb': 2048, 'root_gb': 20, 'extra_specs': {}}


def _conf(**scheduler):
    options = {opt.dest: opt.default for opt in scheduler_conf.scheduler_opts}
    options.update(max_attempts=5, **scheduler)
    return types.SimpleNamespace(scheduler=types.SimpleNamespace(**options),
                                 service_down_time=60,
                                 default_availability_zone='nova')


def _hosts(db, count=60, seed=3):
    """Hosts of every kind: full, nearly full, down, disabled, forced down."""
    rng = random.Random(seed)
    now = models.utcnow()
    with db.engine.begin() as conn:
        for i in range(count):
            state = rng.choice(['up'] * 6 + ['down', 'disabled', 'forced'])
            seen = now - datetime.timedelta(seconds=600 if state == 'down' else 1)
            service_id = conn.execute(sa.insert(models.Service).values(
                uuid=str(uuid.uuid4()), host='h%02d' % i,
                binary='migrator-compute', topic='compute',
                disabled=state == 'disabled', forced_down=state == 'forced',
                last_seen_up=seen)).inserted_primary_key[0]
            conn.execute(sa.insert(models.ComputeNode).values(
                uuid=str(uuid.uuid4()), host='h%02d' % i, service_id=service_id,
                vcpus=16, memory_mb=32768, local_gb=500, reserved_vcpus=0,
                reserved_memory_mb=512, reserved_disk_gb=0,
                cpu_allocation_ratio=1.5, ram_allocation_ratio=1.0,
                disk_allocation_ratio=1.0, vcpus_used=rng.randrange(0, 25),
                memory_mb_used=rng.randrange(0, 33) * 1000,
                local_gb_used=rng.randrange(0, 500), generation=1))


def _in_python(pipeline, spec):
    request = spec.resources
    survivors = pipeline._filter(pipeline.hosts.get(prefilter=request), spec)
    return weights.weigh(pipeline.weighers, survivors, spec)


def _spec(**fields):
    return RequestSpec(instance_uuid=str(uuid.uuid4()), project_id='p',
                       flavor=FLAVOR, ignore_hosts=['h01', 'h02'], **fields)


def test_sql_ranking_matches_python(db_url):
    db = db_api.Database(db_url)
    try:
        migration.db_sync(db.engine)
        _hosts(db)
        for multipliers in ({}, {'ram_weight_multiplier': -1.0},
                            {'cpu_weight_multiplier': 3.0,
                             'disk_weight_multiplier': 0.0}):
            pipeline = pipeline_mod.Pipeline(_conf(**multipliers), db)
            spec = _spec()
            fast = pipeline._ranked_in_sql(spec, spec.resources)
            slow = _in_python(pipeline, spec)
            assert fast is not None
            assert [s.host for _w, s in fast] == [s.host for _w, s in slow[:5]]
            for (fast_weight, _), (slow_weight, _) in zip(fast, slow):
                assert abs(fast_weight - slow_weight) < 1e-9
    finally:
        db.dispose()


def test_requests_for_other_filters_are_filtered_in_python(tmp_path):
    db = db_api.Database('sqlite:///%s' % (tmp_path / 'sched.sqlite'))
    try:
        migration.db_sync(db.engine)
        _hosts(db)
        pipeline = pipeline_mod.Pipeline(_conf(), db)
        assert pipeline._sql_can_decide(_spec())
        for fields in ({'availability_zone': 'nova'},
                       {'different_host': ['h03']}, {'same_host': ['h03']},
                       {'group_policy': 'anti-affinity', 'group_hosts': ['h03']},
                       {'group_policy': 'affinity', 'group_hosts': ['h03']}):
            assert not pipeline._sql_can_decide(_spec(**fields)), fields
        specs = dict(FLAVOR, extra_specs={'aggregate_instance_extra_specs:ssd': 'true'})
        assert not pipeline._sql_can_decide(
            RequestSpec(instance_uuid='u', project_id='p', flavor=specs))
        selection = pipeline.select(_spec(different_host=['h03']))
        assert selection.host != 'h03'
    finally:
        db.dispose()


def _judged_in_python(pipeline, spec, hosts):
    """``Pipeline.judge`` as it runs when SQL cannot decide."""
    pipeline._sql_can_decide = lambda spec: False
    try:
        return pipeline.judge(spec, hosts)
    finally:
        del pipeline._sql_can_decide


def test_sql_judgement_matches_python(db_url):
    """The check's judgement of every host (ComputeFilter and
    CapacityFilter in SQL, weights over the rows) equals the filters' and
    weighers' own, host by host: refusals with their reasons, up, enabled,
    last seen, weight. Hosts of every state, a node with no service, flavors
    most hosts fit and few fit, named hosts and every host."""
    db = db_api.Database(db_url)
    try:
        migration.db_sync(db.engine)
        _hosts(db)
        with db.engine.begin() as conn:
            conn.execute(sa.insert(models.ComputeNode).values(
                uuid=str(uuid.uuid4()), host='orphan', service_id=None,
                vcpus=16, memory_mb=32768, local_gb=500, reserved_vcpus=0,
                reserved_memory_mb=0, reserved_disk_gb=0,
                cpu_allocation_ratio=1.0, ram_allocation_ratio=1.0,
                disk_allocation_ratio=1.0, vcpus_used=0, memory_mb_used=0,
                local_gb_used=0, generation=1))
        large = dict(FLAVOR, vcpus=8, memory_mb=16384, root_gb=200)
        compared = refused = weighed = 0
        for multipliers in ({}, {'ram_weight_multiplier': -1.0},
                            {'cpu_weight_multiplier': 3.0,
                             'disk_weight_multiplier': 0.0}):
            pipeline = pipeline_mod.Pipeline(_conf(**multipliers), db)
            for flavor in (FLAVOR, large):
                for hosts in (None, ['h05', 'h01', 'orphan', 'h40', 'nowhere']):
                    spec = RequestSpec(instance_uuid=str(uuid.uuid4()),
                                       project_id='p', flavor=flavor,
                                       ignore_hosts=['h01'])
                    assert pipeline._sql_can_decide(spec)
                    fast = pipeline._judge_in_sql(spec, hosts)
                    slow = _judged_in_python(pipeline, spec, hosts)
                    assert fast is not None
                    assert sorted(fast.hosts) == sorted(slow.hosts)
                    for host in slow.hosts:
                        judged, mine = slow.get(host), fast.get(host)
                        assert [v.to_dict() for v in mine.refusals] == \
                            [v.to_dict() for v in judged.refusals], host
                        assert (mine.up, mine.enabled, mine.last_seen_up) == (
                            judged.up, judged.enabled, judged.last_seen_up), host
                        if judged.weight is None:
                            assert mine.weight is None, host
                        else:
                            assert abs(mine.weight - judged.weight) < 1e-9, host
                        compared += 1
                    refused += len(slow.refusals)
                    weighed += sum(1 for w in slow.weight if w is not None)
        # Both kinds of host were there to compare.
        assert compared > 300 and refused > 50 and weighed > 50
    finally:
        db.dispose()
