"""``python -m esimfly_desktop`` and the ``esimfly-desktop`` command."""

import sys


def main() -> int:
    from esimfly_desktop.app import run

    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
