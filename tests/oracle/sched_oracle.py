#!/usr/bin/env python3
"""The schedule engine (src/sched) against Prefect's own schedule classes.

Usage: sched_oracle.py DRIVER [--seed N] [--scale F]

Generates thousands of cases from a fixed seed: cron expressions using
every feature croniter has in five fields, intervals with various anchors,
start instants over 2024-2027 and clustered around daylight-saving changes,
in UTC, America/New_York, Europe/London, Australia/Lord_Howe and
Asia/Kolkata. Each is asked of prefect.server.schemas.schedules
(CronSchedule / IntervalSchedule), called as the scheduler service calls
them: _get_dates_generator(n=..., start=..., end=...). The same cases go to
the C driver (tests/oracle/sched_driver.c) in one batch, and every fire time
must agree to the second, with the same local time and offset, and the same
daylight-saving flags as computed here with zoneinfo. Validity verdicts are
compared on edge and mutated expressions too. Prints the first 20
disagreements and "N passed, N failed"; exits 1 on any failure.

Must run with the Python that has Prefect installed (the test virtualenv).
"""

import argparse
import datetime
import random
import subprocess
import sys
import time
import warnings
from zoneinfo import ZoneInfo

warnings.simplefilter("ignore")

from prefect._vendor.croniter import croniter  # noqa: E402
from prefect.server.schemas.schedules import CronSchedule, IntervalSchedule  # noqa: E402
from whenever import Instant  # noqa: E402

UTC = datetime.timezone.utc
ZONES = ["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"]
LO = int(datetime.datetime(2024, 1, 1, tzinfo=UTC).timestamp())
HI = int(datetime.datetime(2028, 1, 1, tzinfo=UTC).timestamp())
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
DAYS = "sun mon tue wed thu fri sat".split()
RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]
MOVED, AFTER_GAP, AMBIGUOUS = 1, 2, 4

# Expressions croniter treats in its own way; each must fire as Prefect says.
QUIRKS = [
    "0 0 31,L * *", "0 0 2-31,L * *", "0 0 L * *", "30 2 L * *", "0 0 15-L * *",
    "0 0 1-L/7 * *", "0 12 * * 5#3", "0 2 * * L0", "30 1 * * mon-fri#2", "0 0 * * 1#5",
    "0 0 15 * 1#2", "0 0 * * 1#2,0-6", "0 0 * * 1#2,1", "0 0 13 * 5", "0 0 1-31 * 1",
    "0 0 1-31 * */2", "0 0 ? * 0-6", "0 0 15 * 0-7", "59/5 * * * *", "5-5 * * * *",
    "50-10/3 * * * *", "0 22-2/2 * * *", "0 0 * * sat-sun", "0 0 * * 5-1/2",
    "0 0 * nov-feb *", "0 0 * dec-jan/2 *", "0 0 31 * *", "0 0 29 2 *", "0 0 29 2 1",
    "0 0 30 2 1", "0 0 30 2 *", "0 0 31 4,6,9,11 *", "*/7 1-3 * * *", "*/30 * * * *",
    "0,30 1,2 * * *", "10,35 2 * * *", "15 2 * * *", "45 1 * * *", "0 */2 * * *",
    "@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually",
    "0 0 * * 7", "0 0 * * 0,7", "0 0 * * 7-7", "0 0 1 1 0-7", "1-59/2 * * * *",
]

# Expressions whose verdict is compared; the generator adds mutated ones.
EDGES = [
    "* * * * *", "0 0 * * *", "@HOURLY", "@Daily", "@reboot", " @hourly", "@hourly ",
    "*/5 * * * *", "0 0 ? * *", "0 0 * * ?", "0 0 ? * ?", "? * * * *", "0 0 1? * *",
    "0 0 ?? * *", "0 0 L * *", "0 0 l * *", "L * * * *", "0 0 * * L", "0 0 * * l7",
    "0 0 * * l8", "0 0 L-5 * *", "0 0 5-L * *", "0 0 L/2 * *", "0 0 * * 5#3", "0 0 * * 5#6",
    "0 0 * * 5#0", "0 0 * * mon#2", "0 0 * * MON-FRI#2", "0 0 * * 1-3#2", "0 0 * * jan#2",
    "0 0 * * 1#2,3", "0 0 * * 1#2,0-6", "0 0 * * 1#2,*", "0 0 * * 1#2,L3", "0 0 * * 1#2#3",
    "0 0 * * #2", "0 0 * * 1#", "60 * * * *", "* 24 * * *", "* * 32 * *", "* * 0 * *",
    "* * * 0 *", "* * * 13 *", "* * * * 8", "* * * * 7", "* * * * 0-7", "* * * * 5-8",
    "*/0 * * * *", "1-5/0 * * * *", "59-1/0 * * * *", "5/0 * * * *", "5/5 * * * *",
    "60/5 * * * *", "*/60 * * * *", "*/99999999999999999999 * * * *", "a * * * *",
    "* * * * foo", "* * * foo *", "* * * * monday", "* * * january *", "1,,2 * * * *",
    "1, * * * *", ",1 * * * *", "-5 * * * *", "5- * * * *", "/5 * * * *", "5/ * * * *",
    "1-2-3 * * * *", "1/2/3 * * * *", "*/5/2 * * * *", "** * * * *", "*-5 * * * *",
    "5-* * * * *", "*/jan * * * *", "* * * */feb *", "* * * jan/2 *", "* * * * sun/2",
    "* * * *", "* * * * * *", "* * * * * * *", "* * * * * * * *", "", "   ", "0",
    "H * * * *", "h * * * *", "R * * * *", "r * * * *", "H/5 * * * *", "r/5 * * * *",
    "R(0-5) * * * *", "r(5-1) * * * *", "0 0 * * * 30", "0\t0 * * *", "0 0 * * *\n",
    " 0 0 * * * ", "0  0  *  *  *", "0005 0 * * *", "0 0 0031 * *", "00-59 * * * *",
    "0 0 * * SUN-SAT", "0 0 * JAN-DEC *", "0 0 1-31 * *", "0 0 * * 0-6", "0 0 * * 6-0",
    "0 0 31 2 *", "5-59/70 * * * *", "0 0 * * 7#1", "0 0 * * 7-1", "0 0 L,1 * *",
    "0 0 1-L * *", "0 0 L-L * *", "0 0 * * L-1", "0 0 * * l1-5", "0 0 * * 1_#2",
    "0 0 * * _#2", "0 0 * * 1L", "0 0 * * ?#2", "0 0 * * *#2",
]


def seconds(delta):
    return int(delta.total("seconds") if hasattr(delta, "total") else delta.in_seconds())


def changes(zone):
    """(instant, offset before, offset after) of each change in 2024-2027."""
    out = []
    here = Instant.from_timestamp(LO).to_tz(zone)
    while True:
        t = here.next_transition()
        if t is None or t.timestamp() >= HI:
            return out
        out.append((t.timestamp(), seconds(t.subtract(seconds=1).offset), seconds(t.offset)))
        here = t


CHANGES = {zone: changes(zone) for zone in ZONES}
ALL_CHANGES = [c for zone in ZONES for c in CHANGES[zone]]


def escape(expr):
    """One word for the driver; "\\x00" stands for the empty expression."""
    return "".join(
        chr(b) if 32 < b < 127 and b != 92 else "\\x%02x" % b for b in expr.encode()
    ) or "\\x00"


class Gen:
    """Random cases from one seed."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def start(self, zone):
        r = self.r
        pick = r.random()
        pool = CHANGES[zone] if CHANGES[zone] and pick < 0.45 else ALL_CHANGES
        if pick < 0.6:
            at, before, after = r.choice(pool)
            gap = abs(after - before)
            kind = r.random()
            if kind < 0.3:
                edges = [-2 * gap, -gap - 1, -gap, -gap + 1, -1, 0, 1, gap - 1, gap, gap + 1]
                return at + r.choice(edges)
            step = 60 if kind < 0.65 else 1
            return at + r.randrange(-3 * 3600, 3 * 3600, step)
        t = r.randrange(LO, HI)
        return t - t % r.choice([1, 60, 60, 1800, 3600])

    def case_shape(self, start):
        r = self.r
        n = r.choice([10] * 12 + [1, 2, 3, 5, 25])
        end = None
        if r.random() < 0.2:
            end = start + r.choice([0, 59, 3600, 5400, 86400, 3 * 86400, 20 * 86400,
                                    r.randrange(1, 40 * 86400)])
        return n, end

    def value(self, f):
        r = self.r
        lo, hi = RANGES[f]
        hot = {0: [0, 15, 30, 45, 59], 1: [0, 1, 2, 3], 2: [1, 15, 28, 29, 30, 31],
               3: [1, 2, 3, 10, 11, 12], 4: [0, 1, 5, 6]}[f]
        v = r.choice(hot) if r.random() < 0.5 else r.randint(lo, hi)
        if f == 4 and v == 0 and r.random() < 0.2:
            return "7"
        if f in (3, 4) and r.random() < 0.3:
            name = (MONTHS[v - 1] if f == 3 else DAYS[v])
            return r.choice([name, name.upper(), name.title()])
        return str(v)

    def item(self, f):
        r = self.r
        lo, hi = RANGES[f]
        kind = r.random()
        if kind < 0.35:
            return self.value(f)
        if kind < 0.55:
            return "%s-%s" % (self.value(f), self.value(f))
        if kind < 0.7:
            return "*/%d" % r.choice([1, 2, 3, 5, 7, 10, 15, 20, 30, hi - lo + 1, r.randint(1, hi + 2)])
        if kind < 0.8:
            return "%s-%s/%d" % (self.value(f), self.value(f), r.randint(1, max(2, hi // 2)))
        if kind < 0.85:
            return "%s/%d" % (self.value(f), r.randint(1, max(2, hi // 3)))
        if f == 2 and kind < 0.93:
            return r.choice(["L", "l", "%s-L" % self.value(f), "L"])
        if f == 4 and kind < 0.93:
            return r.choice(["%s#%d" % (self.value(f), r.randint(1, 5)), "L%d" % r.randint(0, 7),
                             "mon-fri#%d" % r.randint(1, 4)])
        return self.value(f)

    def field(self, f):
        r = self.r
        kind = r.random()
        if kind < [0.25, 0.3, 0.55, 0.65, 0.55][f]:
            return "*"
        if f in (2, 4) and kind < 0.6:
            return "?" if r.random() < 0.2 else "*"
        count = 1 if r.random() < 0.7 else r.randint(2, 3)
        return ",".join(self.item(f) for _ in range(count))

    def cron(self):
        r = self.r
        if r.random() < 0.08:
            return r.choice(QUIRKS)
        return " ".join(self.field(f) for f in range(5))

    def anchor(self, zone, start):
        r = self.r
        kind = r.random()
        if kind < 0.25:
            local = datetime.datetime(2020, 1, 1, tzinfo=ZoneInfo(zone))
            return int(local.timestamp())
        if kind < 0.45 and CHANGES[zone]:
            at, before, after = r.choice(CHANGES[zone])
            return at + r.choice([-5400, -3600, -1800, 0, 1800, 3600, r.randrange(-7200, 7200, 60)])
        if kind < 0.6:
            return start + r.randrange(-86400, 86400, 60)
        t = r.randrange(LO - 5 * 365 * 86400, HI)
        return t - t % r.choice([1, 60, 3600])

    def dst_interval(self, zone):
        """An interval whose anchor's local time falls in a gap or an overlap
        on another day, started around that change: days-long intervals then
        cross the skipped or repeated time, from before or after the anchor."""
        r = self.r
        at, before, after = r.choice(CHANGES[zone])
        low, high = sorted((at + before, at + after))
        wall = r.randrange(low, high, r.choice([1, 60, 60, 900]))
        days = r.choice([1, 2, 7, 30, 200, 400]) * r.choice([1, 1, -1])
        local = datetime.datetime.fromtimestamp(wall - days * 86400, UTC).replace(
            tzinfo=ZoneInfo(zone), fold=r.randint(0, 1))
        secs = r.choice([86400, 86400, 86400, 2 * 86400, 7 * 86400, 3600, 1800, 5400, 90000])
        start = at + r.randrange(-3 * 86400, 86400, r.choice([1, 60, 3600]))
        return secs, int(local.timestamp()), start

    def interval(self):
        return self.r.choice([
            1, 37, 60, 90, 300, 900, 1234, 1800, 3600, 3600, 4321, 5400, 7200, 10800,
            21600, 43200, 86399, 86400, 86400, 86401, 90000, 2 * 86400, 3 * 86400 + 7200,
            7 * 86400, 7 * 86400, 100000, 14 * 86400, 30 * 86400,
        ])

    def mutate(self, expr):
        r = self.r
        fields = expr.split()
        i = r.randrange(len(fields))
        junk = r.choice(["", "-", "/", ",", "*", "?", "#", "L", "x", "99", "0", "7", "-1",
                         "//", "**", "#9", "/0", "mon", "jan", "h", "r"])
        how = r.random()
        if how < 0.4:
            pos = r.randint(0, len(fields[i]))
            fields[i] = fields[i][:pos] + junk + fields[i][pos:]
        elif how < 0.7:
            fields[i] = junk or "*"
        elif how < 0.85:
            fields.insert(i, junk or "*")
        else:
            del fields[i]
        return " ".join(fields)


def iso_utc(t):
    return datetime.datetime.fromtimestamp(t, UTC).isoformat()


def flags(t, zone, cron=None):
    """The driver's SCHED_DST_* flags, computed with zoneinfo and whenever.

    For a cron schedule (expr, day_or), a run right after a spring-forward
    gap was moved there when croniter matches the wall time the gap
    swallowed: Prefect yields that one first. For intervals MOVED is not
    computed here (the caller masks it).
    """
    z = ZoneInfo(zone)
    local = datetime.datetime.fromtimestamp(t, z).replace(tzinfo=None)
    out = 0
    if local.replace(tzinfo=z, fold=0).utcoffset() != local.replace(tzinfo=z, fold=1).utcoffset():
        out |= AMBIGUOUS
    tr = Instant.from_timestamp(t + 1).to_tz(zone).prev_transition()
    if tr is None:
        return out
    gap = seconds(tr.offset) - seconds(tr.subtract(seconds=1).offset)
    if gap > 0 and t - tr.timestamp() < gap:
        out |= AFTER_GAP
        swallowed = local - datetime.timedelta(seconds=gap)
        if cron and croniter(cron[0], swallowed - datetime.timedelta(seconds=1),
                             day_or=cron[1]).get_next(datetime.datetime) == swallowed:
            out |= MOVED
    return out


def answer(dates, zone, cron=None):
    stamps = sorted(int(d.timestamp()) for d in dates)
    words = ["%d@%s#%d" % (t, datetime.datetime.fromtimestamp(t, ZoneInfo(zone)).isoformat(),
                           flags(t, zone, cron)) for t in stamps]
    return "ok" + "".join(" " + w for w in words)


def without_moved(got):
    """The driver's answer with the MOVED flag cleared (for intervals)."""
    words = got.split(" ")
    for i, w in enumerate(words[1:], 1):
        stamp, _, bits = w.rpartition("#")
        words[i] = "%s#%d" % (stamp, int(bits) & ~MOVED)
    return " ".join(words)


def prefect_dates(schedule, n, start, end):
    start_dt = datetime.datetime.fromtimestamp(start, UTC)
    end_dt = datetime.datetime.fromtimestamp(end, UTC) if end is not None else None
    return list(schedule._get_dates_generator(n=n, start=start_dt, end=end_dt))


def expect_cron(expr, zone, day_or, n, start, end):
    try:
        schedule = CronSchedule(cron=expr, timezone=zone, day_or=day_or)
        return answer(prefect_dates(schedule, n, start, end), zone, (expr, day_or))
    except Exception as exc:  # CroniterBadDateError for expressions that never fire
        return "error " + type(exc).__name__


def expect_interval(secs, anchor, zone, n, start, end):
    schedule = IntervalSchedule.model_validate(
        {"interval": secs, "anchor_date": iso_utc(anchor), "timezone": zone}
    )
    return answer(prefect_dates(schedule, n, start, end), zone)


def prefect_valid(expr):
    try:
        CronSchedule(cron=expr)
        return True
    except Exception:
        return False


def documented_divergence(expr):
    """Prefect accepts these; the engine refuses them on purpose."""
    fields = expr.lower().split()
    if len(fields) in (6, 7):
        return "expected 5 fields"
    if any(f.startswith("r") and set(f[1:]) <= set("0123456789()-/") for f in fields):
        return "random (R) values"
    return None


def build_cases(seed, scale):
    g = Gen(seed)
    cases = []
    for expr in QUIRKS:
        for zone in ZONES:
            for _ in range(3):
                start = g.start(zone)
                n, end = g.case_shape(start)
                cases.append(("cron", expr, zone, g.r.random() < 0.7, n, start, end))
    for _ in range(int(40 * scale)):
        zone = g.r.choice(ZONES[1:4])
        at, before, after = g.r.choice(CHANGES[zone])
        start = at + g.r.randrange(-2 * 3600, 2 * 3600)
        n = g.r.choice([500, 990, 1000, 1002, 1100])
        if g.r.random() < 0.6:
            expr = g.r.choice(["* * * * *", "*/2 * * * *", "*/5 * * * *", "0 * * * *"])
            cases.append(("cron", expr, zone, True, n, start, None))
        else:
            secs = g.r.choice([60, 90, 300, 3600])
            cases.append(("interval", secs, g.anchor(zone, start), zone, n, start, None))
    for _ in range(int(2600 * scale)):
        zone = g.r.choice(ZONES)
        start = g.start(zone)
        n, end = g.case_shape(start)
        expr = g.cron()
        day_or = g.r.random() < 0.7
        if not prefect_valid(expr):
            cases.append(("valid", expr, day_or))
            continue
        cases.append(("cron", expr, zone, day_or, n, start, end))
    for _ in range(int(2200 * scale)):
        zone = g.r.choice(ZONES)
        start = g.start(zone)
        n, end = g.case_shape(start)
        cases.append(("interval", g.interval(), g.anchor(zone, start), zone, n, start, end))
    for _ in range(int(1200 * scale)):
        zone = g.r.choice(ZONES[1:4])
        secs, anchor, start = g.dst_interval(zone)
        n, end = g.case_shape(start)
        cases.append(("interval", secs, anchor, zone, n, start, end))
    for expr in EDGES:
        cases.append(("valid", expr, True))
    for _ in range(int(700 * scale)):
        cases.append(("valid", g.mutate(g.cron()), g.r.random() < 0.5))
    return cases


def driver_line(case):
    kind = case[0]
    if kind == "valid":
        return "valid %d %s" % (case[2], escape(case[1]))
    if kind == "cron":
        _, expr, zone, day_or, n, start, end = case
        return "cron %d %d %s %d %s %s" % (n, start, "-" if end is None else end, day_or,
                                           zone, escape(expr))
    _, secs, anchor, zone, n, start, end = case
    return "interval %d %d %s %d %d %s" % (n, start, "-" if end is None else end, secs,
                                           anchor, zone)


def expected(case):
    kind = case[0]
    if kind == "valid":
        return "ok" if prefect_valid(case[1]) else "error"
    if kind == "cron":
        _, expr, zone, day_or, n, start, end = case
        return expect_cron(expr, zone, day_or, n, start, end)
    _, secs, anchor, zone, n, start, end = case
    return expect_interval(secs, anchor, zone, n, start, end)


def describe(case):
    kind = case[0]
    if kind == "valid":
        return "valid? %r day_or=%s" % (case[1], case[2])
    if kind == "cron":
        _, expr, zone, day_or, n, start, end = case
        return "cron %r day_or=%s in %s, n=%d from %s to %s" % (
            expr, day_or, zone, n, iso_utc(start), end and iso_utc(end))
    _, secs, anchor, zone, n, start, end = case
    return "interval %ds anchor %s in %s, n=%d from %s to %s" % (
        secs, iso_utc(anchor), zone, n, iso_utc(start), end and iso_utc(end))


def verdict(case, want, got):
    """None when they agree, else why not; also "divergence" when documented."""
    if case[0] == "valid":
        got_ok = got == "ok"
        if (want == "ok") == got_ok:
            return None
        reason = documented_divergence(case[1])
        if want == "ok" and reason and reason in got:
            return "divergence"
        return "validity"
    if want.startswith("error") and got.startswith("error"):
        return None
    if case[0] == "interval" and got.startswith("ok"):
        got = without_moved(got)
    return None if want == got else "dates"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("driver")
    parser.add_argument("--seed", type=int, default=20260308)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()

    began = time.monotonic()
    cases = build_cases(args.seed, args.scale)
    wants = [expected(c) for c in cases]
    asked = time.monotonic()
    run = subprocess.run([args.driver], input="\n".join(map(driver_line, cases)) + "\n",
                         capture_output=True, text=True, check=False)
    gots = run.stdout.splitlines()
    if run.returncode != 0 or len(gots) != len(cases):
        print("driver failed (exit %d, %d answers for %d cases):\n%s"
              % (run.returncode, len(gots), len(cases), run.stderr), file=sys.stderr)
        return 1

    failed, divergences = [], 0
    for case, want, got in zip(cases, wants, gots):
        why = verdict(case, want, got)
        if why == "divergence":
            divergences += 1
        elif why:
            failed.append((case, want, got))
    for case, want, got in failed[:20]:
        print("FAIL %s\n  expected %s\n  got      %s" % (describe(case), want, got))
    kinds = {k: sum(1 for c in cases if c[0] == k) for k in ("cron", "interval", "valid")}
    at_dst = sum(1 for w in wants if w.startswith("ok") and any(
        not x.endswith("#0") for x in w.split(" ")[1:]))
    verdicts = [w for c, w in zip(cases, wants) if c[0] == "valid"]
    print("%d cases have fire times at a daylight-saving change; Prefect accepts %d and "
          "refuses %d of the validity cases" % (at_dst, verdicts.count("ok"),
                                                 verdicts.count("error")))
    print("%d cron, %d interval, %d validity cases; Prefect %.1fs, driver %.1fs"
          % (kinds["cron"], kinds["interval"], kinds["valid"], asked - began,
             time.monotonic() - asked))
    if divergences:
        print("%d expressions Prefect accepts are refused on purpose "
              "(6 or 7 fields, random R values)" % divergences)
    print("%d passed, %d failed" % (len(cases) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
