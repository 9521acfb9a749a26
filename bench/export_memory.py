"""Time and peak memory of the open-data CSV export of the activities dataset.

    DATABASE_URL=... .venv/bin/python bench/export_memory.py [--municipality S]
        [--year Y]

Streams /<municipality>/<year>/oppna-data/aktiviteter.csv through the Django test
client to /dev/null in a fresh subprocess and prints the time, the rows written and
the process's peak RSS (ru_maxrss), plus the peak RSS of the same process just
before the request, so the export's own share shows. For 100 000 rows, generate one
big year of activities that are public in detail, e.g.
`manage.py generate_benchmark_data --years 1 --activities 100000 --municipality
Export --kinds other,inventory,dialogue`.
"""

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {bench!r})
from _pages import setup_django
setup_django()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
settings.ALLOWED_HOSTS = ["testserver"]
from promises.models import Promise
promise = Promise.objects.published().filter(municipality__slug={slug!r})
promise = promise.get(year={year}) if {year} else promise.order_by("-year").first()
path = f"/{slug}/{{promise.year}}/oppna-data/aktiviteter.csv"
client = Client()
client.get("/healthz")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
response = client.get(path)
assert response.status_code == 200 and response.streaming, response.status_code
lines = size = 0
with open("/dev/null", "wb") as sink:
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
        sink.write(chunk)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(dict(path=path, rows=lines - 1, bytes=size, seconds=seconds,
                      before_kib=before, peak_kib=peak)))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipality", default="benchmark", help="slug")
    parser.add_argument("--year", type=int, default=0, help="default: latest")
    args = parser.parse_args()
    code = CHILD.format(
        bench=os.path.dirname(os.path.abspath(__file__)),
        slug=args.municipality,
        year=args.year,
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    if output.returncode:
        sys.exit(output.stderr)
    result = json.loads(output.stdout.strip().splitlines()[-1])
    print(
        f"{result['path']}: {result['rows']} rows, {result['bytes'] / 1e6:.1f} MB "
        f"in {result['seconds']:.1f} s; peak RSS {result['peak_kib'] / 1024:.1f} MiB "
        f"(before the request {result['before_kib'] / 1024:.1f} MiB)"
    )


if __name__ == "__main__":
    main()
