#!/usr/bin/env python3
"""Bytes a reader downloads for one page: the HTML and every CSS, JS, icon and font it loads, gzipped.

    python benchmarks/page_weight.py [--site .] [--page articles/<slug>/]

Reads the built site (run the build first). The search index is excluded: it loads only when the
reader starts searching (``benchmarks/search.py`` measures that).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("."))
    parser.add_argument("--page", default="")
    args = parser.parse_args()
    public = args.site / "public"
    page = args.page or next(p.parent.relative_to(public).as_posix() + "/"
                             for p in sorted((public / "articles").glob("*/index.html")))
    html = (public / page / "index.html").read_bytes()
    rows = [(page + "index.html", len(html), len(gzip.compress(html, 9)))]
    for href in ASSET.findall(html.decode()):
        if href.endswith((".xml", "/")):
            continue
        target = urljoin("/" + page, href).lstrip("/")
        data = (public / target).read_bytes()
        rows.append((target, len(data), len(gzip.compress(data, 9))))
    width = max(len(r[0]) for r in rows)
    print(f"{'file':<{width}}  {'bytes':>8}  {'gzipped':>8}")
    for name, raw, packed in rows:
        print(f"{name:<{width}}  {raw:>8}  {packed:>8}")
    total_raw, total_gz = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{'total':<{width}}  {total_raw:>8}  {total_gz:>8}")
    print(json.dumps({"page": page, "files": len(rows), "bytes": total_raw, "gzipped": total_gz}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
