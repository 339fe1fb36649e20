#!/usr/bin/env python3
"""Build the site: ``python build.py [build|init|serve|check] --help``. Same as the ``site-gen`` command."""

import sys

from site_gen.cli import main

if __name__ == "__main__":
    sys.exit(main())
