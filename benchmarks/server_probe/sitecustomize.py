"""Probe for ``benchmarks/server_bench.py`` only: in each served app process, note when
every coding change's transaction asked for the write lock, got it, and had committed.

Python imports ``sitecustomize`` from PYTHONPATH at start-up; the benchmark puts this
folder there for the server it starts (whose app processes inherit its environment) and
names a folder in ``WORKBENCH_BENCH_COMMITS``. Without that variable it does nothing.
Each line of ``<user>.txt``: asked, got the lock, committed (ms since the epoch).
"""

import os

_folder = os.environ.get("WORKBENCH_BENCH_COMMITS")
if _folder:
    import contextlib
    import time

    from workbench.store import Store
    from workbench.store import connection as _connection

    _transaction, _audit = Store.transaction, Store.audit

    def _noting_audit(self, action, entity, *args, **kwargs):
        if entity == "coding":
            self._bench_coding = True
        return _audit(self, action, entity, *args, **kwargs)

    @contextlib.contextmanager
    def _timed(self):
        outer = not self.conn.in_transaction
        asked = time.time()
        with _transaction(self) as conn:
            got = time.time()
            yield conn
        if outer and getattr(self, "_bench_coding", False):
            self._bench_coding = False
            done = time.time()
            with open(os.path.join(_folder, f"{_connection.default_actor()}.txt"), "a") as out:
                out.write(f"{asked * 1000:.2f} {got * 1000:.2f} {done * 1000:.2f}\n")

    Store.transaction, Store.audit = _timed, _noting_audit
