"""Entry script that PyInstaller freezes into the ``esimfly-desktop`` executable."""

import sys

from esimfly_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
