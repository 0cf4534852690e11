"""Backup and restore drill: `.venv/bin/python bench/backup_drill.py`.

On a production stack (bench/stack.py) seeded with the demo and a batch of certificates made by
a worker, it takes the backup the README's routine describes: `pg_dump --format=custom` of
the database and a copy of every object in the bucket, with a SHA-256 manifest. Then it
restores both into a FRESH database and a FRESH bucket, and checks that:
  - every table has the same number of rows as the original;
  - every object has the same SHA-256 as the original, and nothing is missing or extra;
  - every file the database names (evidence files, certificates) is in the restored bucket.
Prints the figures (sizes and times); exit code 0 only when all checks pass.
"""

import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from stack import PG, ROOT, Stack, bucket_hashes, psql, recreate_database

SOURCE_DB, RESTORED_DB = "msk_portal_drill", "msk_portal_drill_restored"
SOURCE_BUCKET, RESTORED_BUCKET = "msk-portal-drill", "msk-portal-drill-restored"
FILE_COLUMNS = {  # table: column naming a stored file
    "portfolio_evidencefile": "file",
    "credentials_credential": "certificate",
}


def row_counts(database: str) -> dict[str, int]:
    tables = psql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        database,
    ).split()
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    counts = {}
    for line in psql(sql, database).splitlines():
        table, count = line.split("|")
        counts[table] = int(count)
    return counts


def named_files(database: str) -> set[str]:
    names = set()
    for table, column in FILE_COLUMNS.items():
        out = psql(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\'', database)
        names.update(out.split())
    return names


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with Stack("backup-drill", database=SOURCE_DB, bucket=SOURCE_BUCKET) as stack:
        stack.databases.append(RESTORED_DB)
        stack.manage("seed_demo")
        stack.start_worker("db_worker1")
        stack.manage("generate_certificates", "--force")
        # Wait for the worker to make every certificate.
        deadline = time.monotonic() + 300
        while psql(
            "SELECT count(*) FROM credentials_credential WHERE certificate = '' "
            "AND status <> 'revoked'",
            SOURCE_DB,
        ).strip() not in ("0",):
            if time.monotonic() > deadline:
                raise RuntimeError("certificates not made within 300 s")
            time.sleep(0.5)
        stack.stop("db_worker1")
        s3 = stack.s3()

        with tempfile.TemporaryDirectory(prefix="msk-backup-") as folder:
            backup = Path(folder)
            # 1. Back up: the database, then the bucket (objects are never overwritten in
            # place, file_overwrite=False, so a copy taken after the dump holds every file the
            # dump names).
            began = time.monotonic()
            dump = backup / "database.dump"
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"{PG}/{SOURCE_DB}"],
                check=True,
            )
            dump_seconds = time.monotonic() - began
            began = time.monotonic()
            manifest = {}
            objects = backup / "objects"
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=SOURCE_BUCKET):
                for entry in page.get("Contents", []):
                    body = s3.get_object(Bucket=SOURCE_BUCKET, Key=entry["Key"])["Body"].read()
                    target = objects / entry["Key"]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(body)
                    manifest[entry["Key"]] = hashlib.sha256(body).hexdigest()
            (backup / "manifest.json").write_text(json.dumps(manifest, indent=1))
            copy_seconds = time.monotonic() - began
            stack.step(
                f"backed up: dump {dump.stat().st_size / 1024:.0f} KiB in {dump_seconds:.1f} s; "
                f"{len(manifest)} objects in {copy_seconds:.1f} s"
            )

            # 2. Restore into a fresh database and a fresh bucket.
            began = time.monotonic()
            recreate_database(RESTORED_DB)
            subprocess.run(
                ["pg_restore", "--no-owner", f"--dbname={PG}/{RESTORED_DB}", str(dump)],
                check=True,
            )
            stack.make_bucket(RESTORED_BUCKET)
            for key in manifest:
                s3.put_object(Bucket=RESTORED_BUCKET, Key=key, Body=(objects / key).read_bytes())
            stack.step(f"restored in {time.monotonic() - began:.1f} s")

        # 3. Verify.
        problems = []
        source_counts, restored_counts = row_counts(SOURCE_DB), row_counts(RESTORED_DB)
        for table, count in source_counts.items():
            if restored_counts.get(table) != count:
                problems.append(f"{table}: {count} rows, restored {restored_counts.get(table)}")
        source_hashes = bucket_hashes(s3, SOURCE_BUCKET)
        restored_hashes = bucket_hashes(s3, RESTORED_BUCKET)
        if restored_hashes != source_hashes:
            problems.append("the restored bucket's objects differ from the original's")
        missing = named_files(RESTORED_DB) - set(restored_hashes)
        if missing:
            problems.append(f"files named in the database but not restored: {sorted(missing)}")
        rows = sum(source_counts.values())
        stack.step(
            f"checked {len(source_counts)} tables ({rows} rows), {len(source_hashes)} objects "
            f"(SHA-256), {len(named_files(RESTORED_DB))} files named by the database"
        )
        if problems:
            print("backup drill FAILED:\n  " + "\n  ".join(problems))
            return 1
        print("backup drill: restored database and bucket match the originals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
