"""Results: one row per scenario metric, medians per peer, ratios Liege/peer, the table and the JSON."""

import json
import statistics

from context import PEER_LABELS

COLUMNS = ["liege", "uwsgi", "gunicorn", "granian", "uvicorn", "daphne", "nginx"]
NOT_BUILT = "not built yet"
NA = "n/a"
FAILURES = ("failed", "timeout")  # statuses of failed rounds: a median of the others gets a `*`


class Row:
    def __init__(self, key, label, unit, better, peers):
        self.key = key
        self.label = label
        self.unit = unit
        self.better = better  # "higher" or "lower"
        self.peers = peers  # peers that take part; others print n/a
        self.samples = {p: [] for p in peers}
        self.status = {}  # peer -> NOT_BUILT / NA / "failed"
        self.details = {}  # peer -> list of per-round extra facts for the JSON

    def add(self, peer, value, detail=None, failure="failed"):
        """One round's value; None for a failed round (`failure` names how it failed: "timeout")."""
        if value is None:
            self.status.setdefault(peer, failure)
        else:
            self.samples[peer].append(value)
        if detail is not None:
            self.details.setdefault(peer, []).append(detail)

    def mark(self, peer, status):
        self.status[peer] = status

    def median(self, peer):
        if peer not in self.peers:
            return None
        values = self.samples.get(peer) or []
        return statistics.median(values) if values else None

    def cell(self, peer):
        if peer not in self.peers:
            return NA
        value = self.median(peer)
        if value is None:
            return self.status.get(peer, "failed")
        text = fmt(value, self.unit)
        return text + ("*" if self.status.get(peer) in FAILURES else "")

    def ratio(self, peer):
        mine, theirs = self.median("liege"), self.median(peer)
        if mine is None or theirs is None:
            return "-"
        if theirs == 0:
            return "=" if mine == 0 else "inf"
        return "%.2f" % (mine / theirs)

    def to_json(self):
        return {"key": self.key, "scenario": self.label, "unit": self.unit, "better": self.better,
                "median": {p: self.median(p) for p in self.peers},
                "samples": self.samples, "status": {p: self.status.get(p) for p in self.peers},
                "ratio_liege_over": {p: self.ratio(p) for p in self.peers if p != "liege"},
                "details": self.details}


def fmt(value, unit):
    if unit in ("req/s", "count", "MiB/s", "rt/s", "msg/s"):
        return "%d" % round(value)
    if unit == "MiB":
        return "%.1f" % value
    if unit == "%CPU":
        return "%.3f" % value
    if value >= 100:
        return "%d" % round(value)
    if value >= 10:
        return "%.1f" % value
    return "%.2f" % value


def table(rows, peers):
    shown = [p for p in COLUMNS if p in peers and any(p in r.peers for r in rows)]
    ratio_peers = [p for p in shown if p != "liege" and any(p in r.peers for r in rows)]
    header = ["scenario", "unit"] + [PEER_LABELS[p] for p in shown] + ["L/" + PEER_LABELS[p] for p in ratio_peers]
    lines = []
    for r in rows:
        arrow = "^" if r.better == "higher" else "v"
        lines.append([r.label, "%s %s" % (r.unit, arrow)] + [r.cell(p) for p in shown] +
                     [r.ratio(p) if p in r.peers else "" for p in ratio_peers])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]

    def render(cells):
        return "| " + " | ".join(str(c).ljust(w) if i < 2 else str(c).rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    out = [render(header), "|" + "|".join(("-" * (w + 1) + ":") if i >= 2 else "-" * (w + 2)
                                          for i, w in enumerate(widths)) + "|"]
    out += [render(line) for line in lines]
    return "\n".join(out)


def write_json(path, meta, rows, commands):
    with open(path, "w") as f:
        json.dump({"meta": meta, "rows": [r.to_json() for r in rows], "commands": commands}, f, indent=1)
