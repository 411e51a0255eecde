"""migrator's benchmark suite: ``python -m bench [--quick]``.

Each scenario is measured beside the floors its path crosses (a bare Falcon
request, a bare RPC call or cast, a bare UPDATE+COMMIT), taken in the same
run on the same machine, so the ratios mean something on a noisy box.
Nothing here is a test: it prints a table and writes
``doc/source/performance.rst`` with plots.
"""
