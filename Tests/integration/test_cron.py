"""Cron (SPEC.md §10) through the real binary: every-minute jobs, unique jobs that outlive their minute,
reloads that neither re-fire nor stop a job, shutdown that stops runs, --cron-preview, located errors."""
import signal
import subprocess

from conftest import APPS
from support import alive, free_port, wait_until


def test_cron_jobs_fire_once_per_minute_and_unique_ones_never_overlap(start_liege, tmp_path):
    """One master for the slow checks (up to about 2 minutes): they share the minute boundaries they wait for.
    Jobs start in the first seconds of a matching minute, so the first runs come at the next minute."""
    ini = "\n".join([
        "[uwsgi]",
        f"http-socket = 127.0.0.1:{free_port()}",
        f"wsgi-file = {APPS / 'hello.py'}",
        f"chdir = {tmp_path}",
        # $(...) is left for the shell; %% is a literal % after config expansion.
        "cron = -1 -1 -1 -1 -1 echo $(date +%%Y-%%m-%%dT%%H:%%M:%%S) >> every.txt; echo cron-output-line",
        "unique-cron = -1 -1 -1 -1 -1 echo start $(date +%%s.%%N) $$ >> unique.txt; sleep 61; "
        "echo end $(date +%%s.%%N) $$ >> unique.txt",
        # cron2 with its own harakiri: SIGKILLed after 2 s.
        "cron2 = harakiri=2 echo $$ >> harakiri.pid; sleep 60",
    ])
    server = start_liege(ini, name="crons")
    every, unique = tmp_path / "every.txt", tmp_path / "unique.txt"

    wait_until(lambda: every.exists() and every.read_text(), 75, message="every-minute job output")
    server.wait_log("[cron 1] cron-output-line")
    server.wait_log("[cron 1] run (pid ")
    assert "exited with status 0 after" in server.log()
    wait_until(lambda: unique.exists(), 10, message="unique job started")

    # A reload neither re-fires this minute nor stops the running unique job.
    server.signal(signal.SIGHUP)
    server.wait_log("graceful reload")
    server.wait_ready()

    # The harakiri job was killed (SIGKILL to its group) 2 s after its start.
    server.wait_log("HARAKIRI", timeout=10)
    first_harakiri = int((tmp_path / "harakiri.pid").read_text().split()[0])
    wait_until(lambda: not alive(first_harakiri), 5, message="harakiri run killed")

    # The unique job sleeps 61 s: the next minute finds it alive, waits, and starts it once it ended.
    wait_until(lambda: unique.read_text().count("start") >= 2, 80, interval=0.5, message="second unique run")
    server.wait_log("previous run still alive")
    lines = [line.split() for line in unique.read_text().splitlines()]
    runs = {}
    for kind, stamp, pid in lines:
        runs.setdefault(pid, {})[kind] = float(stamp)
    first, second = sorted(runs.values(), key=lambda run: run["start"])[:2]
    assert "end" in first, lines
    assert second["start"] >= first["end"], f"overlapping runs: {lines}"

    stamps = every.read_text().split()
    minutes = [stamp[:16] for stamp in stamps]
    assert len(minutes) >= 2, stamps
    assert len(minutes) == len(set(minutes)), f"a minute fired twice: {stamps}"
    assert all(int(stamp[17:19]) < 15 for stamp in stamps), f"not in the first seconds of the minute: {stamps}"

    # Shutdown stops the run in flight (SIGTERM to its group) and the master exits 0.
    run_pid = int(lines[-1][2])
    assert alive(run_pid)
    server.signal(signal.SIGTERM)
    assert server.exit_code(30) == 0
    assert not alive(run_pid)
    assert "stopping run" in server.log()


def test_cron_preview(liege_bin):
    result = subprocess.run([liege_bin, "--cron-preview", "0 12 29 2 -1", "--from", "2027-01-01T00:00:00+00:00",
                             "--count", "2"], capture_output=True, text=True, timeout=30, env={"TZ": "UTC"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "2028-02-29T12:00:00+00:00\n2032-02-29T12:00:00+00:00\n"
    result = subprocess.run([liege_bin, "--cron-preview", "*/20 9-10 * * 1-5", "--from", "2026-11-20T10:30"],
                            capture_output=True, text=True, timeout=30, env={"TZ": "UTC"})
    assert result.stdout.splitlines() == ["2026-11-20T10:40:00+00:00", "2026-11-23T09:00:00+00:00",
                                          "2026-11-23T09:20:00+00:00", "2026-11-23T09:40:00+00:00",
                                          "2026-11-23T10:00:00+00:00"]
    result = subprocess.run([liege_bin, "--cron-preview", "5 * * *"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "invalid cron" in result.stderr


def test_invalid_cron_line_is_a_located_config_error(liege_bin, tmp_path):
    ini = tmp_path / "bad.ini"
    ini.write_text("[uwsgi]\nhttp-socket = :0\ncron = 5 * * *\nunique-cron = 0 24 * * * x\ncron = 0 0 * * * ok\n")
    result = subprocess.run([liege_bin, "--ini", str(ini)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{ini}:3: invalid cron \"5 * * *\": 4 fields, expected MIN HOUR DAY MONTH WEEKDAY COMMAND",
        f"{ini}:4: invalid cron \"0 24 * * * x\": hour \"24\": out of range 0-23",
    ]
