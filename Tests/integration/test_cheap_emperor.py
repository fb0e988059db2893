"""Scale to zero under the emperor (SPEC.md §8, §12.5): die-on-idle returns an on-demand vassal to
on-demand, and the next connection starts it again."""
from emperor_support import body_of, free_port, wait_until, write_app


def test_die_on_idle_returns_an_on_demand_vassal_to_on_demand(emperor):
    server, vassals = emperor("--emperor-on-demand-extension", ".socket")
    port = free_port()
    write_app(vassals, "odapp", "od")
    (vassals / "od.ini").write_text("[uwsgi]\nprotocol = http\nchdir = %d\nmodule = odapp\nidle = 1\ndie-on-idle = true\n")
    (vassals / "od.ini.socket").write_text(f"127.0.0.1:{port}\n")
    server.wait_log("vassal od waits on demand")
    assert body_of(port).startswith("od ")
    first = server.master_of("od")
    assert first is not None
    wait_until(lambda: server.master_of("od") is None, 30, message="the vassal exits after idle")
    assert body_of(port).startswith("od ")
    second = server.master_of("od")
    assert second is not None and second != first
