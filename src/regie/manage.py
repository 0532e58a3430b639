"""The `regie` console script: Regie's manage.py, so every command reads `regie <command>`."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings")
    from django.core.management import execute_from_command_line

    from regie.conf.env import ConfigurationError

    try:
        execute_from_command_line(argv or sys.argv)
    except ConfigurationError as exc:  # a clear message instead of a traceback
        sys.exit(f"Regie refuses to start: {exc} (see docs/configuration.md)")


if __name__ == "__main__":  # pragma: no cover
    main()
