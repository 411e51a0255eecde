"""The run's report: markdown on stdout, reStructuredText and plots in doc/."""

import math
import os

from bench import stats

TITLE = 'Performance'


def targets(results: list[stats.Result]) -> list[tuple[str, str, bool | None]]:
    """(target, what was measured, met?) for the bench's targets."""
    by = {(r.scenario, r.label): r for r in results}
    checks = []

    def get(scenario, label):
        return by.get((scenario, label))

    for dep in ('distributed', 'embedded'):
        r = get('1 migrate', '%s, targeted, 1 client' % dep)
        if r:
            checks.append(('targeted migrate end to end, %s: p50 ≤ 10× floors'
                           % dep, '%.1f×' % r.ratio, r.ratio <= 10))
        r = get('2 accept', '%s, targeted, 1 client' % dep)
        if r:
            checks.append(('API accept, %s: p50 ≤ 3× floors' % dep,
                           '%.1f×' % r.ratio, r.ratio <= 3))
    for db in ('SQLite', 'PostgreSQL'):
        low = get('3 scheduler', '%s, targeted, 100 hosts' % db)
        high = get('3 scheduler', '%s, targeted, 100000 hosts' % db)
        if low and high:
            ratio = high.p(50) / low.p(50)
            checks.append(('targeted scheduling, %s: 100,000 hosts within 2× '
                           'of 100' % db, '%.2f×' % ratio, ratio <= 2))
        r = get('3 scheduler', '%s, untargeted, 10000 hosts' % db)
        if r:
            checks.append(('untargeted scheduling, %s, 10,000 hosts: ≤ 50 ms'
                           % db, '%.1f ms' % (1000 * r.p(50)), r.p(50) <= 0.05))
    for db in ('SQLite', 'PostgreSQL'):
        low = get('5 check', '%s, one named host, 100 hosts' % db)
        high = get('5 check', '%s, one named host, 100000 hosts' % db)
        if low and high:
            ratio = high.p(50) / low.p(50)
            checks.append(('migration check of one named host, %s: 100,000 hosts '
                           'within 2× of 100' % db, '%.2f×' % ratio, ratio <= 2))
        r = get('5 check', '%s, every host, 10000 hosts' % db)
        if r:
            checks.append(('migration check of every host, %s, 10,000 hosts: '
                           'p50 ≤ 100 ms' % db, '%.1f ms' % (1000 * r.p(50)),
                           r.p(50) <= 0.1))
    for r in results:
        if 'burst' in r.label:
            problems = r.extra.get('audit problems')
            checks.append(('%s: zero overcommit' % r.label,
                           '%s audit problem(s), %s moved' % (
                               problems, r.extra.get('moved')), problems == 0))
    for dep in ('distributed', 'embedded'):
        for kind in ('targeted', 'forced', 'untargeted'):
            one = get('1 migrate', '%s, %s, 1 client' % (dep, kind))
            many = get('1 migrate', '%s, %s, 16 clients' % (dep, kind))
            if one and many and one.throughput > 0:
                ratio = many.throughput / one.throughput
                checks.append(('%s %s: 16 clients ≥ 4× the 1-client rate'
                               % (dep, kind), '%.1f× (%.1f/s vs %.1f/s)' % (
                                   ratio, many.throughput, one.throughput),
                               ratio >= 4))
    checks.extend(_cost_targets(results, get))
    for r in results:
        if r.scenario == '4 claims':
            bad = r.extra.get('audit problems', 0) or r.extra.get('lost', 0)
            checks.append(('%s: no overcommit, nothing lost' % r.label,
                           'audit %s, lost %s' % (r.extra.get('audit problems'),
                                                  r.extra.get('lost', 0)),
                           not bad))
    return checks


def _cost_targets(results, get) -> list:
    """What a read, a poller and a move cost (scenario 6) and how many
    moves 16 clients make (scenario 1)."""
    checks = []
    reads = {r.label: r for r in results if r.scenario == '6 reads'}
    r = reads.get('GET /servers/{id}, 1 client(s)')
    if r:
        cpu = r.extra['cpu_ms']
        checks.append(('GET /servers/{id}: ≤ 1 ms of service CPU',
                       '%.2f ms' % cpu, cpu <= 1))
    r = reads.get('GET /servers/{id}, 4 client(s)')
    if r:
        checks.append(('GET /servers/{id}, 4 clients: ≥ 500 requests/s',
                       '%.0f/s' % r.throughput, r.throughput >= 500))
    r = reads.get('GET /servers/detail, 1,000 servers')
    if r:
        checks.append(('GET /servers/detail of 1,000 servers: p50 ≤ 50 ms',
                       '%.1f ms' % (1000 * r.p(50)), r.p(50) <= 0.05))
    r = reads.get('migrate + confirm, 0 pollers')
    if r:
        cpu = r.extra['cpu_ms']
        checks.append(('targeted migrate + confirm: ≤ 10 ms of service CPU',
                       '%.2f ms' % cpu, cpu <= 10))
        checks.append(('POST migrate → VERIFY_RESIZE, zero-time copy: p50 ≤ 20 ms',
                       '%.1f ms' % (1000 * r.p(50)), r.p(50) <= 0.02))
    for dep, floor, shape in (
            ('embedded', 100, ''),
            ('distributed', 40, ' (2 API workers, 2 conductors, 3 computes)')):
        r = get('1 migrate', '%s, targeted, 16 clients' % dep)
        if r:
            checks.append(('%s%s, targeted, 16 clients: ≥ %d moves/s'
                           % (dep, shape, floor),
                           '%.1f/s' % r.throughput, r.throughput >= floor))
    return checks


def targets_markdown(checks) -> str:
    lines = ['| target | measured | met |', '|---|---|---|']
    for target, measured, met in checks:
        lines.append('| %s | %s | %s |' % (target, measured,
                                            'yes' if met else '**no**'))
    return '\n'.join(lines)


def _rst_table(header, rows, widths=None) -> str:
    out = ['.. list-table::', '   :header-rows: 1', '']
    for cells in [list(header)] + rows:
        out.append('   * - %s' % (cells[0] or '\\'))
        out.extend('     - %s' % (c.replace('*', '\\*') or '\\') for c in cells[1:])
    return '\n'.join(out)


def rst(machine: dict, results: list[stats.Result], checks, notes: list[str],
        images: list[str]) -> str:
    lines = [TITLE, '=' * len(TITLE), '',
             'Written by ``python -m bench`` (``tox -e bench``); re-run it to '
             'refresh this page. Every latency is shown beside the sum of the '
             '*floors* its path crosses — a bare Falcon request, a bare '
             'oslo.messaging ``call()``/``cast()`` on the same transport and a '
             'bare single-row UPDATE+COMMIT on the same database — measured in '
             'the same run, because the machine is small and shared and only '
             'the ratios travel.', '',
             'Machine', '-------', '']
    for key, value in machine.items():
        lines.append(':%s: %s' % (key, str(value).replace('*', '\\*')))
    lines += ['', 'Targets', '-------', '',
              _rst_table(('target', 'measured', 'met'),
                         [[t, m, 'yes' if ok else '**no**'] for t, m, ok in checks]),
              '']
    scenarios = sorted({r.scenario for r in results})
    for scenario in scenarios:
        title = 'Scenario %s' % scenario
        lines += [title, '-' * len(title), '',
                  _rst_table(stats.HEADER, [stats.row(r) for r in results
                                             if r.scenario == scenario]), '']
    if notes:
        lines += ['Notes', '-----', ''] + ['* %s' % n for n in notes] + ['']
    for image in images:
        lines += ['.. image:: images/%s' % image, '   :alt: %s' % image, '']
    return '\n'.join(lines)


def plots(results: list[stats.Result], directory: str) -> list[str]:
    """Latency vs concurrency and scheduling time vs hosts, as PNG files."""
    import matplotlib
    matplotlib.use('Agg')
    from matplotlib import pyplot
    os.makedirs(directory, exist_ok=True)
    written = []

    migrate = [r for r in results if r.scenario == '1 migrate'
               and 'burst' not in r.label]
    if migrate:
        fig, ax = pyplot.subplots(figsize=(7, 4.5))
        series: dict = {}
        for r in migrate:
            dep, kind, clients = [p.strip() for p in r.label.split(',')]
            series.setdefault('%s, %s' % (dep, kind), []).append(
                (int(clients.split()[0]), r.p(50) * 1000, r.p(90) * 1000))
        for name, points in sorted(series.items()):
            points.sort()
            line, = ax.plot([p[0] for p in points], [p[1] for p in points],
                            marker='o', label=name + ' (p50)')
            ax.plot([p[0] for p in points], [p[2] for p in points],
                    linestyle=':', color=line.get_color())
        ax.set_xscale('log', base=2)
        ax.set_yscale('log')
        ax.set_xlabel('concurrent clients')
        ax.set_ylabel('POST migrate → VERIFY_RESIZE (ms); dotted: p90')
        ax.set_title('Migrate latency vs concurrency')
        ax.grid(True, which='both', alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(directory, 'migrate-latency.png'), dpi=100)
        pyplot.close(fig)
        written.append('migrate-latency.png')

    sched = [r for r in results if r.scenario == '3 scheduler']
    if sched:
        fig, ax = pyplot.subplots(figsize=(7, 4.5))
        series = {}
        for r in sched:
            db, kind, _hosts = [p.strip() for p in r.label.split(',')]
            series.setdefault('%s, %s' % (db, kind), []).append(
                (r.extra['hosts'], r.p(50) * 1000))
        for name, points in sorted(series.items()):
            points.sort()
            ax.plot([p[0] for p in points], [p[1] for p in points],
                    marker='o', label=name)
        ax.axhline(50, color='grey', linestyle='--', linewidth=0.8)
        ax.set_xscale('log')
        ax.set_yscale('log')
        ax.set_xlabel('hosts')
        ax.set_ylabel('one decision, p50 (ms)')
        ax.set_title('Scheduling time vs host count (dashed: 50 ms)')
        ax.grid(True, which='both', alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(directory, 'scheduler-hosts.png'), dpi=100)
        pyplot.close(fig)
        written.append('scheduler-hosts.png')
    return written


def finite(value: float) -> bool:
    return value is not None and not math.isnan(value)
