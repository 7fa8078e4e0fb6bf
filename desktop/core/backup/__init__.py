"""Backups (备份): automatic local copies, encrypted copies for a USB stick, and checked restores.

- ``thinning``: which automatic copies to keep (Anki's 12 daily / 10 weekly / 9 monthly scheme).
- ``local``: automatic copies beside the database with SQLite's online backup API, when the data
  changed, at most every ``backup.min_interval_minutes`` and at exit.
- ``sealed``: the encrypted file format (scrypt passphrase → AES-256-GCM, compressed, in chunks).
- ``restore``: check a backup completely before anything is replaced; keep the current database.
"""
