"""The training sandbox: a local server that behaves like the eSIMfly Business API.

Run it with ``esimfly-sandbox --port 0 --data-dir DIR`` or start it as a child
process with ``launcher.SandboxProcess.start``. Orders of the provider
Kestrel Mobile stay ``pending_details`` for ``--pending-delay`` seconds, and
every other package completes at once. The admin API (``admin_client.SandboxAdmin``)
sets faults, plays the customer's phone, loads funds and shows the ledger.
docs/sandbox.md has the details. This package imports nothing from
``esimfly_desktop.api``, so each side checks the other's reading of the contract.
"""
