"""``python -m bench.compare TREE_A TREE_B``: one move's CPU, two trees.

The machine's speed changes from one minute to the next by as much as a
change worth making does, so two trees measured one after the other say
little. Here both run at once: each tree serves its own ``migrator-all``
(the tree put first on ``PYTHONPATH``, the packages of this environment
beside it), and batches of targeted migrate + confirm alternate between
them, the order swapped every round, so that a slow minute falls on both.
Each batch is measured as ``python -m bench.reads`` measures a move (the
service's CPU over the batch, its idle CPU left out, the mover watching
the database). Printed: every batch's CPU per move, the mean and median
of each tree, and the per-round ratio B/A.

``--one-server`` makes every move of a tree on one server, so that the
server's history (its actions, their events, its migrations) grows batch
by batch: a cost that grows with it shows as batches that cost more and
more. By default the moves go round 20 servers.

A tree is a directory holding the ``migrator`` package, such as a
``git worktree`` of a commit.
"""

import argparse
import os
import statistics
import sys
import tempfile

from bench import reads

HOSTS = ['r%d' % i for i in range(1, 5)]


def _start(tree: str, workdir: str):
    """``migrator-all`` from ``tree``: the process finds the tree's
    package before the installed one."""
    return reads.start_migrator(workdir, HOSTS, env=dict(
        os.environ, PYTHONPATH=os.path.abspath(tree)))


def run(trees: list[str], rounds: int, moves: int, servers: int = 100,
        movers: int = 20) -> list:
    """CPU per move (ms) of every batch, per tree; the moves go round the
    first ``movers`` servers."""
    per_tree: list[list[float]] = [[] for _ in trees]
    with tempfile.TemporaryDirectory(prefix='migrator-compare-') as workdir:
        services = []
        try:
            for index, tree in enumerate(trees):
                path = os.path.join(workdir, str(index))
                os.makedirs(path)
                services.append(_start(tree, path))
            pools = [reads.boot(service.port, servers) for service in services]
            for service, pool in zip(services, pools):
                reads.moves(service, pool[:movers], HOSTS, 50, 0, 'warm-up')
            for number in range(rounds):
                order = list(range(len(trees)))
                if number % 2:
                    order.reverse()
                for index in order:
                    found = reads.moves(services[index], pools[index][:movers],
                                        HOSTS, moves, 0, 'compare')
                    per_tree[index].append(1000 * found.extra['cpu_total_s'] / moves)
        finally:
            for service in services:
                service.stop()
    return per_tree


def table(trees: list[str], per_tree: list) -> str:
    lines = ['| tree | mean ms/move | median ms/move | batches (ms/move) |',
             '|---|---|---|---|']
    for tree, batches in zip(trees, per_tree):
        lines.append('| %s | %.2f | %.2f | %s |' % (
            tree, statistics.mean(batches), statistics.median(batches),
            ' '.join('%.1f' % b for b in batches)))
    ratios = [b / a for a, b in zip(*per_tree)]
    lines.append('')
    lines.append('B/A per round: median %.3f (%s)' % (
        statistics.median(ratios), ' '.join('%.2f' % r for r in ratios)))
    return '\n'.join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog='python -m bench.compare', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('tree_a', help='directory holding the first tree')
    parser.add_argument('tree_b', help='directory holding the second tree')
    parser.add_argument('--rounds', type=int, default=10,
                        help='batches per tree (default 10)')
    parser.add_argument('--moves', type=int, default=200,
                        help='moves per batch (default 200)')
    parser.add_argument('--one-server', action='store_true',
                        help='every move on one server, whose history grows')
    args = parser.parse_args(argv)
    trees = [args.tree_a, args.tree_b]
    for tree in trees:
        if not os.path.isfile(os.path.join(tree, 'migrator', '__init__.py')):
            parser.error('%s holds no migrator package' % tree)
    if args.rounds < 1 or args.moves < 1:
        parser.error('--rounds and --moves must be at least 1')
    movers = 1 if args.one_server else 20
    print(table(trees, run(trees, args.rounds, args.moves, servers=movers,
                           movers=movers)))
    if args.one_server:
        print('The server had made %d moves (50 to warm up) after the first '
              'batch, %d after the last.' % (50 + args.moves,
                                             50 + args.rounds * args.moves))
    return 0


if __name__ == '__main__':
    sys.exit(main())
