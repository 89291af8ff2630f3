#!/usr/bin/env python3
"""The RRULE schedule engine (src/sched) against Prefect's own RRuleSchedule.

Usage: rrule_oracle.py DRIVER [--seed N] [--scale F] [--show N]

Generates thousands of rules from a fixed seed: every FREQ, INTERVAL,
COUNT and UNTIL, BYDAY with and without ordinals, BYMONTHDAY (negatives
too), BYYEARDAY, BYWEEKNO, BYMONTH, BYHOUR/BYMINUTE/BYSECOND, BYSETPOS,
WKST, DTSTART plain, with TZID or Z (or none), and rule sets with
RDATE, EXDATE, EXRULE and several RRULEs; in UTC, America/New_York,
Europe/London, Australia/Lord_Howe and Asia/Kolkata, with DTSTART wall
times and start instants clustered around daylight-saving changes. Each is
asked of prefect.server.schemas.schedules.RRuleSchedule as the scheduler
calls it (_get_dates_generator(n=..., start=..., end=...)), and of the C
driver (tests/oracle/sched_driver.c) in one batch: every fire time must
agree to the second with the same local time, offset and daylight-saving
flags (the "moved" flags are the engine's own and are not compared), and
a rule Prefect refuses (or cannot compute) must be refused. Prints the
first disagreements and "N passed, N failed"; exits 1 on any failure.

Must run with the Python that has Prefect installed (the test virtualenv).
"""

import argparse
import datetime
import random
import signal
import subprocess
import sys
import time
import warnings

warnings.simplefilter("ignore")

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from sched_oracle import CHANGES, ZONES, answer, escape, iso_utc  # noqa: E402

from prefect.server.schemas.schedules import RRuleSchedule  # noqa: E402

UTC = datetime.timezone.utc
FREQS = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MOVED, MOVED_EARLY = 1, 8
# How far after DTSTART a start may be, so that dateutil (which walks from DTSTART) stays fast.
SPAN = {"YEARLY": 3 * 365, "MONTHLY": 3 * 365, "WEEKLY": 2 * 365, "DAILY": 2 * 365,
        "HOURLY": 120, "MINUTELY": 4, "SECONDLY": 0.05}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, items, k_max):
        return self.r.sample(items, self.r.randint(1, k_max))

    def ints(self, lo, hi, k_max, zero=False):
        vals = [v for v in range(lo, hi + 1) if zero or v != 0]
        return ",".join(str(v) for v in self.pick(vals, k_max))

    def wall_near_change(self, zone):
        """A local wall time within a few hours of one of the zone's changes."""
        at, before, _ = self.r.choice(CHANGES[zone])
        t = at + before + self.r.randrange(-3, 4) * 1800 + self.r.choice([0, 0, 0, 900])
        return datetime.datetime.fromtimestamp(t, UTC).replace(tzinfo=None)

    def dtstart(self, zone):
        if zone != "UTC" and CHANGES[zone] and self.r.random() < 0.45:
            return self.wall_near_change(zone)
        base = datetime.datetime(2024, 1, 1) + datetime.timedelta(
            seconds=self.r.randrange(0, 3 * 365 * 86400))
        grain = self.r.choice([3600, 1800, 60, 1])
        return base.replace(microsecond=0) - datetime.timedelta(
            seconds=int(base.timestamp()) % grain)

    def by_parts(self, freq):
        """BY parts: at most two that choose days (more rarely fire at all), times, BYSETPOS."""
        parts = []
        r = self.r
        level = FREQS.index(freq)
        kinds = ["BYMONTH", "BYMONTHDAY", "BYDAY", "BYDAY", "BYYEARDAY"]
        if freq == "YEARLY":
            kinds += ["BYWEEKNO"]
        chosen = r.sample(kinds, r.choice([0, 1, 1, 1, 2, 2]))
        if "BYYEARDAY" in chosen:  # with another day rule it seldom fires at all
            chosen = ["BYYEARDAY"]
        for kind in chosen:
            if kind == "BYMONTH":
                parts.append("BYMONTH=" + self.ints(1, 12, 5))
            elif kind == "BYMONTHDAY":
                parts.append("BYMONTHDAY=" + self.ints(-31, 31, 3))
            elif kind == "BYYEARDAY":
                parts.append("BYYEARDAY=" + self.ints(-366, 366, 8))
            elif kind == "BYWEEKNO":
                parts.append("BYWEEKNO=" + self.ints(-53, 53, 3))
            else:
                parts.append("BYDAY=" + self.byday(freq, parts))
        if r.random() < (0.35 if level < 4 else 0.2):
            parts.append("BYHOUR=" + self.ints(0, 23, 3, zero=True))
        if r.random() < (0.3 if level < 5 else 0.15):
            parts.append("BYMINUTE=" + self.ints(0, 59, 3, zero=True))
        if r.random() < 0.12:
            parts.append("BYSECOND=" + self.ints(0, 59, 2, zero=True))
        if r.random() < (0.3 if level < 2 else 0.1 if level == 2 else 0):
            parts.append("BYSETPOS=" + self.ints(-2, 2, 2))
        if r.random() < 0.2:
            parts.append("WKST=" + r.choice(DAYS))
        return parts

    def byday(self, freq, parts):
        r = self.r
        days = []
        ordinals = freq in ("MONTHLY", "YEARLY") and r.random() < 0.5
        mixed = r.random() < 0.1  # dateutil then wants both, which seldom happens
        for d in self.pick(DAYS, 3):
            if ordinals and (not mixed or r.random() < 0.5):
                top = 5 if freq == "MONTHLY" or "BYMONTH" in ";".join(parts) else 53
                n = r.choice([1, 2, 3, -1, -2, r.randint(-top, top) or 1])
                days.append("%+d%s" % (n, d) if r.random() < 0.8 else "%s(%+d)" % (d, n))
            else:
                days.append(d)
        return ",".join(days)

    def rule(self, freq, dtstart, aware):
        r = self.r
        parts = ["FREQ=" + freq]
        if r.random() < 0.35:
            parts.append("INTERVAL=%d" % r.choice([2, 3, 4, 5, 7, 15, 25]))
        if r.random() < 0.3:
            parts.append("COUNT=%d" % r.randint(0, 40))
        if r.random() < 0.25:
            until = dtstart + datetime.timedelta(days=SPAN[freq] * r.random())
            parts.append("UNTIL=" + until.strftime("%Y%m%dT%H%M%S") + ("Z" if aware else ""))
        parts += self.by_parts(freq)
        r.shuffle(parts)
        return ";".join(parts)

    def text(self, zone):
        r = self.r
        freq = r.choices(FREQS, weights=[10, 14, 12, 14, 8, 4, 2])[0]
        dtstart = self.dtstart(zone)
        style = r.choices(["plain", "tzid", "z", "none"], weights=[6, 2, 1, 1])[0]
        if style == "none" and freq not in ("YEARLY", "MONTHLY", "WEEKLY", "DAILY"):
            style = "plain"
        aware = style in ("tzid", "z")
        if style == "none":
            dtstart = datetime.datetime(2020, 1, 1)
        lines = []
        stamp = dtstart.strftime("%Y%m%dT%H%M%S")
        if style == "plain":
            lines.append("DTSTART:" + stamp)
        elif style == "tzid":
            lines.append("DTSTART;TZID=%s:%s" % (r.choice(ZONES), stamp))
        elif style == "z":
            lines.append("DTSTART:%sZ" % stamp)
        rule = self.rule(freq, dtstart, aware)
        lines.append(("RRULE:" if lines or r.random() < 0.7 else "") + rule)
        if r.random() < 0.2:
            extra = self.r.choice(["RRULE", "EXRULE", "RDATE", "EXDATE"])
            if extra in ("RRULE", "EXRULE"):
                lines.append(extra + ":" + self.rule(r.choice(FREQS[:4]), dtstart, aware))
            else:
                dates = [dtstart + datetime.timedelta(days=r.randint(0, 60), hours=r.randint(0, 5))
                         for _ in range(r.randint(1, 3))]
                lines.append(extra + ":" + ",".join(d.strftime("%Y%m%dT%H%M%S") for d in dates))
        if r.random() < 0.05:
            r.shuffle(lines)
        return "\n".join(lines), dtstart, freq

    def dst_case(self):
        """A rule whose runs fall in or next to a daylight-saving change."""
        r = self.r
        zone = r.choice(["America/New_York", "Europe/London", "Australia/Lord_Howe"])
        at, before, after = r.choice(CHANGES[zone])
        wall = datetime.datetime.fromtimestamp(at + before, UTC).replace(tzinfo=None)
        freq = r.choice(["DAILY", "DAILY", "WEEKLY", "HOURLY", "MINUTELY", "MONTHLY"])
        back = {"DAILY": 5, "WEEKLY": 21, "MONTHLY": 62, "HOURLY": 0.25, "MINUTELY": 0.1}[freq]
        dtstart = wall - datetime.timedelta(days=r.uniform(0, back))
        dtstart = dtstart.replace(second=0, microsecond=0, minute=r.choice([0, 0, 15, 30, 45]))
        if freq in ("DAILY", "WEEKLY", "MONTHLY"):
            dtstart = dtstart.replace(hour=wall.hour + r.choice([-1, 0, 0, 1]))
        parts = ["FREQ=" + freq]
        if freq == "MINUTELY":
            parts.append("INTERVAL=%d" % r.choice([10, 15, 20, 30]))
        elif freq == "HOURLY" and r.random() < 0.3:
            parts.append("BYMINUTE=" + self.ints(0, 59, 2, zero=True))
        elif r.random() < 0.3:
            parts.append("BYHOUR=%d,%d" % (wall.hour, (wall.hour + r.choice([-1, 1])) % 24))
        if r.random() < 0.3:
            parts.append("COUNT=%d" % r.randint(1, 60))
        text = "DTSTART:%s\nRRULE:%s" % (dtstart.strftime("%Y%m%dT%H%M%S"), ";".join(parts))
        first = at - r.randrange(0, 6 * 3600) if r.random() < 0.5 else at - 40 * 86400
        return ("rrule", text, zone, r.choice([5, 10, 30, 60]), first,
                None if r.random() < 0.7 else at + 2 * 86400)

    def case(self):
        if self.r.random() < 0.25:
            return self.dst_case()
        r = self.r
        zone = r.choice(ZONES)
        text, dtstart, freq = self.text(zone)
        first = int(dtstart.replace(tzinfo=UTC).timestamp())
        span = int(SPAN[freq] * 86400)
        near = [c[0] for c in CHANGES[zone] if first <= c[0] <= first + span]
        pick = r.random()
        if near and pick < 0.4:
            reach = min(4 * 3600, span)
            start = max(first - 86400, r.choice(near) + r.randrange(-reach, reach))
        elif pick < 0.7:
            start = first + r.randrange(-2 * 86400, 3600)
        else:
            start = first + int(r.uniform(-0.1, 1) * span)
        n = r.choice([1, 3, 10, 25, 60])
        end = None
        if r.random() < 0.3:
            end = start + int(r.uniform(0, 1) * SPAN[freq] * 86400)
            n = r.choice([n, 1000])
        return ("rrule", text, zone, n, start, end)


EDGES = [
    "FREQ=DAILY", "RRULE:FREQ=DAILY", "freq=daily;byhour=9", "FREQ=DAILY;", "FREQ=DAILYY",
    "FREQ=DAILY;INTERVAL=x", "FREQ=DAILY;COUNT=1_0", "BYHOUR=9",
    "FREQ=DAILY;BYHOUR=24", "FREQ=HOURLY;INTERVAL=2;BYHOUR=3\nDTSTART:20240101T000000",
    "FREQ=WEEKLY;BYDAY=0MO", "FREQ=WEEKLY;BYDAY=XX", "FREQ=MONTHLY;BYDAY=+1MO,-1FR",
    "FREQ=MONTHLY;BYDAY=MO(+2)", "FREQ=DAILY;BYSETPOS=0", "FREQ=DAILY;BYSETPOS=367",
    "FREQ=DAILY;UNTIL=20250101T000000Z", "DTSTART:20240101T000000Z\nRRULE:FREQ=DAILY;UNTIL=20250101",
    "DTSTART:20240101T000000Z\nRRULE:FREQ=DAILY;UNTIL=20240110T000000Z",
    "DTSTART;TZID=America/New_York:20240101T090000\nRRULE:FREQ=DAILY;UNTIL=20240110T000000Z",
    "DTSTART;TZID=Mars/Base:20240101T090000\nRRULE:FREQ=DAILY;COUNT=3",
    "DTSTART;TZID=Europe/London:20240101T090000Z\nRRULE:FREQ=DAILY;COUNT=3",
    "DTSTART:20240101T090000", "DTSTART:20240101T090000\nVEVENT:X", "", "   ",
    "FREQ=DAILY;FOO=1", "RRULE;X=Y:FREQ=DAILY", "RDATE;TZID=UTC:20240101T000000",
    "DTSTART:20240101T090000\nRRULE:FREQ=DAILY;COUNT=5\nEXDATE:20240102T090000,20240104T090000",
    "DTSTART:20240101T090000\nRDATE:20240101T100000,20240101T090000\nRRULE:FREQ=DAILY;COUNT=2",
    "DTSTART:20240101T090000\nRRULE:FREQ=DAILY;COUNT=9\nEXRULE:FREQ=DAILY;INTERVAL=2;COUNT=3",
    "DTSTART:20240101T090000 RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6",
    "DTSTART:20240101T090000\nRRULE:FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO;COUNT=6",
    "DTSTART:20240101T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=0;COUNT=3",
    "DTSTART:20240131T090000\nRRULE:FREQ=MONTHLY;COUNT=5",
    "DTSTART:20240229T090000\nRRULE:FREQ=YEARLY;COUNT=3",
    "DTSTART:20240101T090000\nRRULE:FREQ=DAILY;COUNT=3;UNTIL=20240102T090000",
    "DTSTART:20240101T090000\nRRULE:FREQ=DAILY;BYEASTER=0",
    "DTSTART:20240101\nRRULE:FREQ=DAILY;COUNT=2",
    "DTSTART:2024-01-01T09:30:00\nRRULE:FREQ=DAILY;COUNT=2",
    "DTSTART:20240310T023000\nRRULE:FREQ=DAILY;COUNT=3",
    "DTSTART:20240310T013000\nRRULE:FREQ=HOURLY;COUNT=4",
    "DTSTART:20241103T003000\nRRULE:FREQ=MINUTELY;INTERVAL=30;COUNT=8",
    "DTSTART:20370301T090000\nRRULE:FREQ=MONTHLY;COUNT=12",
    "DTSTART:20240101T000000\nRRULE:FREQ=MINUTELY;INTERVAL=7;BYHOUR=5",
    "DTSTART:20240101T000000\nRRULE:FREQ=SECONDLY;INTERVAL=3600;BYMINUTE=30",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "RRULE:FREQ=DAILY:X", "FREQ=MONTHLY;BYDAY=6MO", "FREQ=YEARLY;BYDAY=54MO",
    "X" * 6501,
]


class TooSlow(BaseException):
    """Prefect took too long (dateutil walks to year 9999 for a rule that never fires)."""


def too_slow(*_):
    raise TooSlow()


def expect(text, zone, n, start, end):
    try:
        schedule = RRuleSchedule(rrule=text, timezone=zone)
        start_dt = datetime.datetime.fromtimestamp(start, UTC)
        end_dt = datetime.datetime.fromtimestamp(end, UTC) if end is not None else None
        return answer(list(schedule._get_dates_generator(n=n, start=start_dt, end=end_dt)), zone)
    except Exception as exc:
        return "error " + type(exc).__name__ + ": " + str(exc).splitlines()[0][:120]


def masked(got):
    words = got.split(" ")
    for i, w in enumerate(words[1:], 1):
        stamp, _, bits = w.rpartition("#")
        words[i] = "%s#%d" % (stamp, int(bits) & ~(MOVED | MOVED_EARLY))
    return " ".join(words)


def build_cases(seed, scale):
    g = Gen(seed)
    cases = []
    for text in EDGES:
        for zone in ("UTC", "America/New_York"):
            start = int(datetime.datetime(2024, 1, 1, tzinfo=UTC).timestamp())
            cases.append(("rrule", text, zone, 10, start, None))
    for _ in range(int(4000 * scale)):
        cases.append(g.case())
    return cases


def driver_line(case):
    _, text, zone, n, start, end = case
    return "rrule %d %d %s %s %s" % (n, start, "-" if end is None else end, zone,
                                     escape(text) or "\\x00")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("driver")
    parser.add_argument("--seed", type=int, default=20260308)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--show", type=int, default=20)
    parser.add_argument("--show-slow", action="store_true")
    args = parser.parse_args()

    began = time.monotonic()
    cases = build_cases(args.seed, args.scale)
    signal.signal(signal.SIGALRM, too_slow)
    kept, wants = [], []
    for case in cases:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        try:
            wants.append(expect(*case[1:]))
            kept.append(case)
        except TooSlow:
            if args.show_slow:
                print("slow: %r" % (case,))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    slow = len(cases) - len(kept)
    cases = kept
    asked = time.monotonic()
    run = subprocess.run([args.driver], input="\n".join(map(driver_line, cases)) + "\n",
                         capture_output=True, text=True, check=False)
    gots = run.stdout.splitlines()
    if run.returncode != 0 or len(gots) != len(cases):
        print("driver failed (exit %d, %d answers for %d cases):\n%s"
              % (run.returncode, len(gots), len(cases), run.stderr), file=sys.stderr)
        return 1
    failed = []
    for case, want, got in zip(cases, wants, gots):
        if want.startswith("error") and got.startswith("error"):
            continue
        if want != (masked(got) if got.startswith("ok") else got):
            failed.append((case, want, got))
    for case, want, got in failed[:args.show]:
        _, text, zone, n, start, end = case
        print("FAIL %r in %s, n=%d from %s to %s\n  expected %s\n  got      %s"
              % (text, zone, n, iso_utc(start), end and iso_utc(end), want, got))
    refused = sum(1 for w in wants if w.startswith("error"))
    at_dst = sum(1 for w in wants if w.startswith("ok") and any(
        not x.endswith("#0") for x in w.split(" ")[1:]))
    runs = sum(len(w.split(" ")) - 1 for w in wants if w.startswith("ok"))
    print("%d rules (%d refused by Prefect), %d fire times, %d cases with fire times at a "
          "daylight-saving change; Prefect %.1fs, driver %.1fs"
          % (len(cases), refused, runs, at_dst, asked - began, time.monotonic() - asked))
    if slow:
        print("%d rules left out: Prefect did not answer within 1 s" % slow)
    print("%d passed, %d failed" % (len(cases) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
