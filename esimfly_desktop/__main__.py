"""``python -m esimfly_desktop`` and the ``esimfly-desktop`` command."""

import sys

# A frozen bundle has one executable, so the training sandbox's child process
# is the same program started with this first argument.
SANDBOX_CHILD_FLAG = "--run-sandbox"


def main() -> int:
    """Run the console, or the training sandbox in a bundle's child process.

    The console's process ends in here after its orderly shutdown. The
    sandbox's run returns its exit code.
    """
    arguments = sys.argv[1:]
    if arguments[:1] == [SANDBOX_CHILD_FLAG]:
        from esimfly_desktop.sandbox.__main__ import main as sandbox_main

        return sandbox_main(arguments[1:])

    from esimfly_desktop.app import run
    from esimfly_desktop.process_exit import end_process

    end_process(run(arguments))


if __name__ == "__main__":
    sys.exit(main())
