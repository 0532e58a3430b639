"""The `regie` console script: Regie's manage.py, so every command reads `regie <command>`."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regie.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":  # pragma: no cover
    main()
